"""Every page of the Streamlit app, driven with AppTest: widgets exercised, what is shown asserted."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
TQC = "https://w3id.org/convergence-graph/id/org/transatlantic-quantum-community"


def page(name, **params):
    at = AppTest.from_file(str(ROOT / "app_pages" / f"{name}.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_explore_starts_with_a_hint():
    at = page("explore")
    assert not at.exception
    assert "Type a name above" in at.info[0].value


def test_explore_search_forgives_accents_case_and_typos_then_focuses():
    at = page("explore")
    at.text_input(key="q").set_value("transatlantic quantm comunity").run()
    box = at.selectbox(key="pick")
    assert TQC in box.options or any("Transatlantic Quantum Community" in o for o in box.options)
    box.set_value(TQC).run()
    assert at.query_params["focus"] == [TQC] or at.query_params["focus"] == TQC
    assert not at.exception


def test_explore_focus_from_url_shows_network_details_and_sources():
    at = page("explore", focus=TQC)
    assert not at.exception
    assert at.subheader[0].value == "Transatlantic Quantum Community"
    caption = at.caption[0].value
    assert "entities and" in caption and "facts shown" in caption
    facts = " ".join(m.value for m in at.markdown)
    assert "NATO quantum experts gather in Copenhagen for annual conference" in facts
    assert "https://www.nato.int/cps/en/natohq/news_230539.htm" in facts


def test_explore_make_focus_and_french_labels():
    at = page("explore", focus=TQC, lang="fr")
    assert not at.exception
    assert at.subheader[0].value == "communauté transatlantique du quantique"
    at.selectbox(key="chosen").set_value("https://w3id.org/convergence-graph/id/country/dk").run()
    at.button[0].click().run()
    assert at.subheader[0].value == "Danemark"


def test_explore_filters_and_cap_reach_the_url():
    at = page("explore", focus=TQC)
    at.slider(key="hops").set_value(2).run()
    at.number_input(key="cap").set_value(20).run()
    assert "less-connected entities left out" in at.caption[0].value
    at.multiselect(key="types").set_value(["Country"]).run()
    assert str(at.query_params["type"]) in ("Country", "['Country']")
    assert not at.exception


def test_explore_path_mode():
    at = page("explore", focus=TQC)
    at.text_input(key="to_q").set_value("Ellermann").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Jean" in text and "→" in text


def test_explore_unknown_focus_is_a_clear_error():
    at = page("explore", focus="https://example.org/nothing")
    assert "not in the graph" in at.error[0].value


def test_convergence_table():
    at = page("convergence")
    assert not at.exception
    df = at.dataframe[0].value
    assert list(df.columns)[:2] == ["domain A", "domain B"]
    assert df["total"].iloc[0] >= df["total"].iloc[-1]


def test_sparql_named_query_runs_with_params():
    at = page("sparql")
    at.selectbox(key="named").set_value("chairs-over-time").run()
    at.button(key="run").click().run()
    assert not at.exception
    df = at.dataframe[0].value
    assert "chair" in df.columns and len(df) >= 2


def test_sparql_bad_param_and_syntax_error_and_timeout():
    at = page("sparql")
    at.selectbox(key="named").set_value("actors-in-multiple-domains").run()
    at.text_input(key="p_actors-in-multiple-domains_min_domains").set_value("two").run()
    at.button(key="run").click().run()
    assert "expected an integer" in at.error[0].value
    at.selectbox(key="named").set_value("(your own query)").run()
    at.text_area(key="text_(your own query)").set_value("SELECT * WHERE {\n ?s ?p }").run()
    at.button(key="run").click().run()
    assert "query:2:" in at.error[0].value
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    at.text_area(key="text_(your own query)").set_value(slow).run()
    at.slider(key="limit").set_value(1).run()
    at.button(key="run").click().run()
    assert "stopped after 1 s" in at.error[0].value


def test_data_page_counts_validation_sources():
    at = page("data")
    assert not at.exception
    assert "0 violations" in at.success[0].value
    assert any("sources:" in c.value for c in at.caption)


def test_explore_shows_hostile_labels_as_text(tmp_path, monkeypatch):
    import streamlit as st

    from graph.build import build

    store, _ = build(tmp_path / "store", data_dir=ROOT / "tests" / "fixtures" / "hostile")
    store.close()
    monkeypatch.setenv("CONVERGENCE_STORE", str(tmp_path / "store"))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = page("explore", focus="https://w3id.org/convergence-graph/id/org/evil")
        assert not at.exception
        shown = " ".join(m.value for m in at.markdown)
        assert "\\<img src=x onerror=alert\\(1\\)\\>" in shown          # escaped for markdown
        assert "<img src=x" not in shown.replace("\\<img src=x", "")
        assert "\\[link\\]\\(javascript:alert\\(2\\)\\)" in " ".join(c.value for c in at.caption)
        assert "[" + "\\<svg onload=alert\\(3\\)\\>" in shown                # a source title, escaped, as a link text
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


def test_sparql_results_can_be_exported():
    at = page("sparql")
    at.selectbox(key="named").set_value("partners-of").run()
    at.button(key="run").click().run()
    assert not at.exception
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels[:2] == ["Download CSV", "Download JSON"]
    assert {"Turtle", "TriG", "GraphML", "Word", "Pack (zip)"} <= set(labels)
