"""The app's export panel, driven with AppTest on the export test graph, and the files its buttons make."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.export_panel import _maker, _stem
from graph import open_graph
from graph.export import FORMATS, Options, export
from graph.subgraph import focus

FIX = Path(__file__).parent / "fixtures" / "export"


def run(**params):
    at = AppTest.from_file(str(FIX / "panel_app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_panel_offers_every_format_with_file_names_and_the_markings():
    at = run()
    assert not at.exception
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert labels == ["Turtle", "TriG", "N-Quads", "JSON-LD", "GraphML", "GEXF", "CSV (zip)", "Network (HTML)",
                      "Figure (PNG)", "Figure (SVG)", "Word", "HTML page", "Markdown", "Pack (zip)"]
    assert at.sidebar.expander[0].label == "Export this view"  # beside the filters, the page layout unchanged
    assert all(b.proto.ignore_rerun and b.proto.deferred_file_id for b in buttons)  # made on click only
    box = at.selectbox(key="export-marking")
    assert box.options == ["PUBLIC", "INTERNAL"] and box.value == "PUBLIC"  # the safe level first
    assert at.text_input(key="export-title").value == "Briefing: Alpha Quantum"


def test_panel_in_french_and_with_another_title():
    at = run(lang="fr")
    assert not at.exception
    assert at.sidebar.expander[0].label == "Exporter cette vue"
    at.text_input(key="export-title").set_value("Note <b>Alpha</b>").run()
    assert not at.exception


def test_stem_is_a_plain_file_name():
    assert _stem("Briefing: Alpha / ../../etc") == "briefing-alpha-etc"
    assert _stem("«»") == "convergence"


@pytest.mark.parametrize("fmt", ["trig", "docx"])
def test_a_button_makes_the_same_file_as_the_library(fmt):
    kg = open_graph(data_dir=FIX / "data")
    sub = focus(kg, "orgn:alpha", 1)
    made = _maker(kg, sub, fmt, Options(stem="x"), "PUBLIC")()
    assert made == export(kg, sub, fmt, Options(stem="x"), "PUBLIC")
    assert FORMATS[fmt].kind in ("data", "briefing")
