"""The Streamlit pages run on the bundled graph and show real answers."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def test_overview_shows_counts():
    at = AppTest.from_file(str(ROOT / "app_pages" / "overview.py"), default_timeout=30).run()
    assert not at.exception
    classes = at.dataframe[0].value
    assert "https://w3id.org/convergence-graph/ontology#Technology" in set(classes["class"])


def test_queries_page_runs_the_first_query_and_reports_bad_params():
    at = AppTest.from_file(str(ROOT / "app_pages" / "queries.py"), default_timeout=30).run()
    assert not at.exception
    at.selectbox[0].set_value("actors-in-multiple-domains").run()
    at.text_input[0].set_value("two").run()
    assert "expected an integer" in at.error[0].value
