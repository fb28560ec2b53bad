"""The Data page's upload panel, driven with AppTest: a spreadsheet and an article go in, a bad file is refused."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_ingest import ING, Env, broken_trig

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/convergence-graph/id/"
PANEL = """
import sys
sys.path.insert(0, {root!r})
from app_pages.upload_panel import upload_panel
upload_panel({store!r}, {data!r})
"""


@pytest.fixture
def env(tmp_path):
    return Env(tmp_path)


def panel(env):
    return AppTest.from_string(PANEL.format(root=str(ROOT), store=str(env.store), data=str(env.data)),
                               default_timeout=60).run()


def test_spreadsheet_upload_with_a_template_mapping(env):
    at = panel(env)
    assert not at.exception
    at.radio(key="up_what").set_value("Spreadsheet").run()
    at.file_uploader(key="up_file").set_value(("actors.csv", (ING / "actors.csv").read_bytes(), "text/csv")).run()
    at.selectbox(key="up_mapping").set_value("actors").run()
    at.button(key="up_go").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Imported actors\\.csv as actors\\-")
    assert "19 new statements" in at.success[0].value
    assert env.graphs_of(ID + "org/theta-sensors", "https://w3id.org/convergence-graph/ontology#basedIn",
                         ID + "country/dk") == [ID + "source/theta-press-theta-opens"]
    assert [r.file for r in env.imports()] == ["actors.csv"]


def test_article_upload_records_mentions(env):
    at = panel(env)
    at.radio(key="up_what").set_value("Article").run()
    at.file_uploader(key="up_file").set_value(("article.txt", (ING / "article.txt").read_bytes(), "text/plain")).run()
    at.text_input(key="up_url").set_value("https://example.org/article").run()
    at.text_input(key="up_title").set_value("Alpha at the plenary").run()
    at.text_input(key="up_publisher").set_value("Example News").run()
    at.button(key="up_go").click().run()
    assert not at.exception and not at.error
    captions = " ".join(c.value for c in at.caption)
    assert "Mentions 6 entities" in captions and "1 suggested links for review" in captions


def test_a_bad_upload_shows_the_located_error_and_changes_nothing(env, tmp_path):
    before = env.dump()
    at = panel(env)
    at.file_uploader(key="up_file").set_value(("broken.trig", broken_trig(tmp_path).read_bytes(), "text/plain")).run()
    at.button(key="up_go").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("error: broken\\.trig:7:1: syntax error")
    assert env.dump() == before


def test_without_a_disk_store_the_panel_explains(monkeypatch):
    monkeypatch.delenv("CONVERGENCE_STORE", raising=False)
    at = AppTest.from_string(PANEL.format(root=str(ROOT), store=None, data=None), default_timeout=60).run()
    assert "Uploads go into a disk store" in at.info[0].value
    assert not at.button
