"""The Convergence page driven with AppTest: on the analytics fixture (exact values) and on the bundled data."""

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graph import analytics as an

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "analytics"


def page(**params):
    at = AppTest.from_file(str(ROOT / "app_pages" / "convergence.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture
def fixture_store(tmp_path, monkeypatch):
    """The page over a store built from tests/fixtures/analytics (the app's caches cleared around it)."""
    from graph.build import build

    built, _ = build(tmp_path / "store", data_dir=FIXTURE, validate=False)
    built.close()
    monkeypatch.setenv("CONVERGENCE_STORE", str(built.path))
    monkeypatch.setenv("CONVERGENCE_CACHE_DIR", "off")
    monkeypatch.delenv("CONVERGENCE_ENDPOINT", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def test_fixture_page_shows_exact_matrix_bridges_actors_trends_and_gaps(fixture_store):
    at = page()
    assert not at.exception
    assert [s.value for s in at.subheader] == [
        "Domain convergence matrix", "Bridges between domains", "Convergence actors and programmes", "Communities",
        "Cross-domain links per year", "Countries side by side", "Gaps"]
    tables = [df.value for df in at.dataframe]
    matrix = tables[0]
    assert matrix[["domain A", "domain B", "total"]].values.tolist() == [
        ["AI", "Biotech", 2], ["Biotech", "Quantum", 2], ["AI", "Quantum", 1]]
    behind = tables[1]  # the links behind the first pair, AI - Biotech
    assert list(behind["label"]) == ["Cross Programme", "Diagnosis"]
    bridges = tables[2]
    assert list(bridges["label"])[:2] == ["Protein design", "Bio Lab"]
    assert "Bridge Co" in list(bridges["label"])
    actors = tables[3]
    assert list(actors["label"]) == ["Bridge Co", "Cross Programme"]
    trends = next(t for t in tables if "cumulative" in t.columns)
    assert trends["cumulative"].tolist() == [2, 2, 1, 2]
    assert "1 links rest only on classifications" in " ".join(c.value for c in at.caption)
    gaps = next(t for t in tables if list(t.columns)[:3] == ["label", "type", "domain"])
    assert list(gaps["label"]) == ["Navigation", "Lonely tech"]
    heat = at.get("vega_lite_chart")[0].proto
    spec = json.loads(heat.spec)
    assert spec["encoding"]["color"]["field"] == "total"


def test_fixture_page_filters_pairs_communities_and_countries(fixture_store):
    at = page()
    at.selectbox(key="pair").set_value("Biotech – Quantum").run()
    behind = at.dataframe[1].value
    assert list(behind["label"]) == ["Genomics ↔ Quantum sensor", "Bridge Co"]
    assert "2 links between Biotech and Quantum" in " ".join(c.value for c in at.caption)
    at.multiselect(key="act_countries").set_value(["United Kingdom"]).run()
    assert "1 of 2 shown" in [c.value for c in at.caption]
    at.selectbox(key="community").set_value(2).run()
    members = next(df.value for df in at.dataframe if "weight inside" in df.value.columns)
    assert set(members["label"]) == {"Bridge Co", "Qubits", "Funder", "Q Lab"}
    at.multiselect(key="countries").set_value(["https://w3id.org/convergence-graph/id/country/dk"]).run()
    compare = next(df.value for df in at.dataframe if "measure" in df.value.columns)
    assert list(compare.columns) == ["measure", "Denmark"]
    assert compare.set_index("measure").loc["actors", "Denmark"] == 2
    at.radio(key="measure").set_value("normalised").run()
    assert json.loads(at.get("vega_lite_chart")[0].proto.spec)["encoding"]["color"]["field"] == "normalised"
    assert not at.exception


def test_bundled_page_shows_heatmap_bridges_communities_trends(bundled, monkeypatch):
    monkeypatch.setenv("CONVERGENCE_CACHE_DIR", "off")
    at = page()
    assert not at.exception
    matrix = at.dataframe[0].value
    expected = an.domain_matrix(bundled)
    core = {"Artificial intelligence", "Biotechnology", "Quantum technologies"}
    expected = expected[expected["domain A"].isin(core) & expected["domain B"].isin(core)].reset_index(drop=True)
    assert matrix.equals(expected)
    # every number traces to the links listed behind it
    assert len(at.dataframe[1].value) == matrix["total"].iloc[0]
    assert len(at.get("vega_lite_chart")) == 2  # the heatmap and the trends chart
    assert len(at.dataframe[2].value) == 100 and at.dataframe[2].value["reason"].str.len().min() > 0
    assert len(at.get("download_button")) == len(at.dataframe)
    # the Transatlantic Quantum Community's members are compared to start with
    assert "United Kingdom" in next(df.value for df in at.dataframe if "measure" in df.value.columns).columns
    at.toggle(key="core").set_value(False).run()
    assert len(at.dataframe[0].value) == len(an.domain_matrix(bundled))
