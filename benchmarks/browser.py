"""The viewer measured in a real browser: Streamlit on the benchmark's disk store, Debian Chromium via Playwright.

Times: the server's start, the first network on screen for a focus given in the URL (cold: the
server opens the store and builds its indexes; warm: a second visitor), and one interaction
(pick another entity in the details and make it the focus) until its network is on screen.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

__all__ = ["measure_app", "CHROMIUM", "browser_available"]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
_STATE = """() => { const n = window.convergenceNetwork; if (!n) return null;
  const ns = n.body.data.nodes.get(); const f = ns.find(x => x.borderWidth === 3);
  return [ns.length, f ? f.id : null, document.body.getAttribute("data-stable") === "1"]; }"""


def browser_available() -> str | None:
    """None when Playwright and Chromium are here, else why not."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _network(page, not_focus=None, timeout: float = 120) -> tuple:
    """Wait for a settled network (whose focus is not ``not_focus``); return (nodes, focus, drawn_at).

    ``drawn_at`` is the perf_counter time the network's nodes were first in the page (before the
    layout settled).
    """
    deadline, drawn_at = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                state = frame.evaluate(_STATE)
            except Exception:  # noqa: BLE001 - a frame being replaced
                state = None
            if state and state[0] and state[1] != not_focus:
                drawn_at = drawn_at or time.perf_counter()
                if state[2]:
                    return state[0], state[1], drawn_at
        time.sleep(0.05)
    raise TimeoutError(f"no network on screen within {timeout:g} s")


def measure_app(store: Path, focus_iri: str, timeout: float = 180) -> dict:
    """Start the app on ``store`` and time the first graph on screen and one interaction (seconds)."""
    why = browser_available()
    if why:
        return {"error": f"not available: {why}"}
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = dict(os.environ, CONVERGENCE_STORE=str(store), CONVERGENCE_CACHE_DIR="off")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
                             "true", "--server.address", "127.0.0.1", "--server.port", str(port),
                             "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    out = {}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    return {"error": "streamlit did not start within 60 s"}
                time.sleep(0.1)
        out["server_start_s"] = round(time.perf_counter() - t0, 3)
        target = f"{url}/?focus={urllib.parse.quote(focus_iri, safe='')}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                for key in ("first_graph_cold_s", "first_graph_warm_s"):
                    page = browser.new_page(viewport={"width": 1400, "height": 1400})
                    t1 = time.perf_counter()
                    page.goto(target)
                    nodes, _, drawn = _network(page, timeout=timeout)
                    out[key] = round(time.perf_counter() - t1, 3)
                    out[key.replace("_s", "_drawn_s")] = round(drawn - t1, 3)
                    out["nodes"] = nodes
                box = page.get_by_label("Entity", exact=True).first
                box.click()
                option = page.get_by_role("option").nth(1)
                out["interaction"] = f"make '{option.inner_text()}' the focus"
                option.click()
                button = page.get_by_role("button", name="Make it the focus")
                button.wait_for(timeout=timeout * 1000)
                time.sleep(0.3)  # let the selection reach the server before the click
                t2 = time.perf_counter()
                button.click()
                nodes, focus, drawn = _network(page, not_focus=focus_iri, timeout=timeout)
                out["interaction_s"] = round(time.perf_counter() - t2, 3)
                out["interaction_drawn_s"] = round(drawn - t2, 3)
                out["interaction_nodes"] = nodes
            finally:
                browser.close()
    except Exception as exc:  # noqa: BLE001 - the benchmark reports the failure and goes on
        out["error"] = f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return out
