"""The viewer in a real browser (Debian's Chromium via Playwright): search, focus, details, French, shared URL.

Skipped only when Chromium or Playwright is missing; `.ci/run` installs both, so CI always runs it.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api") if not os.environ.get("CI") else __import__(
    "playwright.sync_api", fromlist=["sync_playwright"])
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser tests: install Debian's chromium (scripts/system-deps.sh)")
    pytest.skip("Debian chromium is not installed (scripts/system-deps.sh installs it)", allow_module_level=True)
LOCAL = ("http://127.0.0.1", "data:", "blob:", "about:", "chrome-error:")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = _free_port()
    env = dict(os.environ)
    env.pop("CONVERGENCE_STORE", None)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                             "--server.headless", "true", "--server.address", "127.0.0.1",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not start within 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def page():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update"])
        pg = browser.new_page(viewport={"width": 1400, "height": 1400})
        pg.requested = []
        pg.on("request", lambda r: pg.requested.append(r.url))
        yield pg
        browser.close()


def _network_frame(page):
    """Return the frame holding the vis network once it has drawn nodes."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                n = frame.evaluate("window.convergenceNetwork ? window.convergenceNetwork.body.data.nodes.length : 0")
            except Exception:  # noqa: BLE001 - frame not ready yet
                n = 0
            if n:
                return frame, n
        time.sleep(0.3)
    raise AssertionError("no network drawn")


def _settle(page):
    """Wait until Streamlit has finished rerunning the script."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=30000)


def _pick(page, label_text, option_text):
    """Open a Streamlit selectbox by its label and choose the option containing the text."""
    _settle(page)
    box = page.get_by_label(label_text, exact=True).first
    box.click()
    page.get_by_role("option").filter(has_text=option_text).first.click()
    _settle(page)


def test_search_focus_details_french_and_shared_url(app_url, page):
    page.goto(app_url)
    search = page.get_by_label("Find an actor", exact=False)
    search.fill("transatlantic quantm")
    search.press("Enter")
    _pick(page, "Matches", "Transatlantic Quantum Community")
    page.get_by_role("heading", name="Transatlantic Quantum Community").first.wait_for(timeout=30000)
    frame, nodes = _network_frame(page)
    assert nodes > 5
    assert frame.locator("canvas").count() >= 1

    _pick(page, "Entity", "Denmark")
    link = page.locator("a[href*='nato.int']").first
    link.wait_for(timeout=20000)
    assert link.get_attribute("href").startswith("https://www.nato.int/")

    page.get_by_text("Français").click()
    page.get_by_role("heading", name="communauté transatlantique du quantique").first.wait_for(timeout=30000)
    shared = page.url
    assert "lang=fr" in shared and "focus=" in shared

    page.goto(shared)
    page.get_by_role("heading", name="communauté transatlantique du quantique").first.wait_for(timeout=30000)
    _network_frame(page)

    outside = [u for u in page.requested if not u.startswith(LOCAL)]
    assert outside == [], outside
