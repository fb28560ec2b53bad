"""Property-based checks: no parameter value changes a query's shape; no label escapes its HTML."""

import re

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.params import to_term
from graph.sparql import bind_values
from graph.subgraph import Edge, Node, Subgraph
from graph.viz import network_html

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
STORE = ox.Store()
STORE.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("v"), ox.NamedNode("http://x/g")))


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_a_string_parameter_is_always_one_literal(value):
    """Whatever the text, the query still has one VALUES row with exactly that literal, and parses."""
    q = bind_values("SELECT ?x ?o WHERE { ?x ?p ?o }", {"o": to_term("o", "string", value)})
    rows = list(STORE.query(q, use_default_graph_as_union=True))
    # only the stored value "v" matches; any other text matches nothing: it never widens the query
    assert [r["x"].value for r in rows] == (["http://x/a"] if value == "v" else [])
    q2 = bind_values("SELECT ?v WHERE { BIND(?v AS ?w) }", {"v": to_term("v", "string", value)})
    (row,) = list(STORE.query(q2))
    assert row["v"].value == value


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_an_iri_parameter_is_refused_or_is_one_iri(value):
    from graph import ConvergenceError

    try:
        term = to_term("x", "iri", value)
    except ConvergenceError:
        return
    q = bind_values("SELECT ?x WHERE { BIND(?x AS ?y) }", {"x": term})
    (row,) = list(STORE.query(q))
    assert isinstance(row["x"], ox.NamedNode)


@settings(max_examples=150, deadline=None)
@given(TEXT, TEXT)
def test_labels_never_become_markup_in_network_html(label, type_name):
    node = Node("http://x/n", type_name, {"en": label}, (), (), 1)
    other = Node("http://x/m", "Technology", {"en": "<b>ok</b>"}, (), (), 1)
    sub = Subgraph({"http://x/n": node, "http://x/m": other}, [Edge("http://x/n", "http://x/p#worksOn", "http://x/m")],
                   "http://x/n", 0, {})
    page = network_html(sub, title=label)
    body_scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(body_scripts) == 2              # the label closed no script element and opened none
    assert "<" not in body_scripts[1].split("var data = ", 1)[1].split(";\n", 1)[0]
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and ">" not in title


LABEL = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)


@settings(max_examples=25, deadline=None)
@given(LABEL)
def test_exports_round_trip_whatever_the_labels(tmp_path_factory, label):
    """TriG, N-Quads and Turtle exports of a subgraph parse back to exactly its statements."""
    import pyoxigraph as ox

    from graph import open_graph
    from graph.export import export
    from graph.export.rdf import subgraph_quads
    from graph.subgraph import focus

    from .conftest import MINI

    data = tmp_path_factory.mktemp("prop")
    literal = str(ox.Literal(label, language="en"))   # N-Triples escaping, valid in TriG too
    (data / "mini.trig").write_text((MINI / "mini.trig").read_text(encoding="utf-8")
                                    .replace('"Alpha Quantum"@en', literal), encoding="utf-8")
    kg = open_graph(data_dir=data)
    sub = focus(kg, "orgn:alpha")
    assert sub.nodes["https://w3id.org/convergence-graph/id/org/alpha"].label() == label
    expected = set(subgraph_quads(kg, sub))
    for fmt, rdf_format in (("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS)):
        assert set(ox.parse(export(kg, sub, fmt), format=rdf_format)) == expected, fmt
    triples = {q.triple for q in expected}
    assert {q.triple for q in ox.parse(export(kg, sub, "turtle"), format=ox.RdfFormat.TURTLE)} == triples
