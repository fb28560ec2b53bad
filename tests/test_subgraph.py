"""Subgraph selection on the small graph: hops, filters, dates, cap, entity lists, CONSTRUCT, named queries, search."""

import pytest

from graph import ConvergenceError
from graph.search import LabelIndex
from graph.subgraph import explore, focus, from_construct, from_entities, from_named_query

ID = "https://w3id.org/convergence-graph/id/"


def names(sub):
    return sorted(i.rsplit("/", 1)[-1] for i in sub.nodes)


def test_one_and_two_hops(mini):
    assert names(focus(mini, "orgn:alpha")) == ["alpha", "beta", "dk", "fund", "ml", "qml"]
    assert names(focus(mini, "orgn:alpha", hops=2)) == [
        "alpha", "beta", "body", "dk", "dk-strategy", "fund", "gb", "ml", "protein-design", "q-sensing", "qml"]


def test_edges_carry_their_sources(mini):
    sub = focus(mini, "country:dk")
    chairs = [e for e in sub.edges if e.relation == "chairs"]
    assert [(e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1], e.sources) for e in chairs] == [
        ("dk", "body", (ID + "source/s1", ID + "source/s2"))]
    assert (chairs[0].start, chairs[0].end) == ("2024", "2025-05-13")


@pytest.mark.parametrize("kwargs, expected", [
    ({"types": ["Technology"]}, ["alpha", "ml", "qml"]),
    ({"domains": ["domain:ai"], "types": ["Technology"]}, ["alpha", "ml", "qml"]),
    ({"relations": ["partnersWith"]}, ["alpha", "beta"]),
    ({"relations": ["cg:funds", "cg:basedIn"]}, ["alpha", "dk", "fund"]),
    ({"countries": ["country:gb"]}, ["alpha", "beta", "fund", "ml", "qml"]),
])
def test_filters(mini, kwargs, expected):
    assert names(focus(mini, "orgn:alpha", **kwargs)) == expected


def test_date_range_keeps_facts_dated_in_it(mini):
    # dk chairs body 2024 -> 2025-05-13 and is a member since 2024; gb chairs from 2025-05-13
    assert names(focus(mini, "orgn:body", date_from="2025-06", include_undated=False)) == ["body", "dk", "gb"]
    assert names(focus(mini, "orgn:body", date_to="2024-06", include_undated=False)) == ["body", "dk"]


def test_cap_and_left_out(mini):
    sub = focus(mini, "orgn:alpha", hops=2, cap=4)
    assert len(sub.nodes) == 4 and sub.left_out == 7
    assert ID + "org/alpha" in sub.nodes


def test_explore_merges_expanded_neighbourhoods(mini):
    sub = explore(mini, "orgn:fund", 1, expanded=["orgn:alpha"])
    assert names(sub) == ["alpha", "beta", "dk", "fund", "ml", "qml"]
    assert sub.scope["expanded"] == [ID + "org/alpha"]


def test_entities_construct_and_named_query(mini):
    assert [e.relation for e in from_entities(mini, ["orgn:alpha", "orgn:beta", "tech:qml"]).edges] == [
        "partnersWith", "worksOn"]
    sub = from_construct(mini, "CONSTRUCT { ?a cg:funds ?b } WHERE { ?a cg:funds ?b }")
    assert names(sub) == ["alpha", "fund"]
    assert names(from_named_query(mini, "partners-of", actor="orgn:alpha")) == ["beta"]


def test_bad_selection_is_a_clear_error(mini):
    with pytest.raises(ConvergenceError, match="no entity .* in the graph"):
        focus(mini, "orgn:nobody")
    with pytest.raises(ConvergenceError, match="hops must be 1, 2 or 3"):
        focus(mini, "orgn:alpha", hops=4)
    with pytest.raises(ConvergenceError, match="not in the graph"):
        from_entities(mini, ["orgn:alpha", "orgn:ghost"])


def test_search_index_on_the_graph(mini):
    idx = LabelIndex.from_graph(mini)
    assert [h.iri.rsplit("/", 1)[-1] for h in idx.search("institut beta")] == ["beta"]
    assert idx.search("Quantum machine lerning")[0].label == "Quantum machine learning"
    assert idx.label(ID + "country/dk", "fr") == "Danemark"
    assert idx.label(ID + "country/gb", "fr") == "United Kingdom"   # falls back to English
