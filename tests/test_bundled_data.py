"""The bundled data: valid, sourced, and holding everything NATO's news item of 13 November 2024 says."""

import pytest

from graph.build import Locator, input_files, load_files
from graph.named import load_named_queries
from graph.validate import validate

NEWS = "src:nato-news-230539"

#: Statements the news item makes, each of which must sit in the news item's own graph.
NEWS_FACTS = [
    ("orgn:transatlantic-quantum-community", "cg:partOf", "orgn:nato"),
    ("orgn:transatlantic-quantum-community", "cg:memberCount", "22"),
    ("country:dk", "cg:chairs", "orgn:transatlantic-quantum-community"),
    ("country:dk", "cg:launched", "orgn:quantum-industry-network"),
    ("event:tqc-plenary-copenhagen-2024", "cg:heldIn", "place:copenhagen"),
    ("event:tqc-plenary-copenhagen-2024", "schema:endDate", '"2024-11-13"^^xsd:date'),
    ("person:jean-charles-ellermann-kingombe", "cg:holdsPost",
     "post:assistant-secretary-general-innovation-hybrid-cyber"),
    ("post:assistant-secretary-general-innovation-hybrid-cyber", "cg:postIn", "orgn:nato"),
    ("prog:nato-quantum-technologies-strategy", "cg:publishedBy", "orgn:nato"),
    ("prog:nato-quantum-technologies-strategy", "cg:aim", '"a quantum-ready alliance"@en'),
    ("orgn:transatlantic-quantum-community", "cg:hasWorkStream", "prog:scaling-up-quantum-technologies"),
    ("orgn:transatlantic-quantum-community", "cg:hasWorkStream",
     "prog:partnership-with-industry-and-funding-bodies"),
    ("orgn:transatlantic-quantum-community", "cg:hasWorkStream", "prog:dual-use-cases"),
    ("orgn:transatlantic-quantum-community", "cg:hasWorkStream", "prog:convergence-with-ai-and-biotech"),
    ("prog:convergence-with-ai-and-biotech", "cg:addresses", "domain:ai"),
    ("prog:convergence-with-ai-and-biotech", "cg:addresses", "domain:biotech"),
]


@pytest.fixture(scope="module")
def report():
    loc = Locator()
    return validate(load_files(input_files(), loc), locator=loc)


def test_bundled_data_has_zero_violations(report):
    assert report.conforms, report.text()


@pytest.mark.parametrize("s, p, o", NEWS_FACTS)
def test_news_item_states_it(bundled, s, p, o):
    assert bundled.query(f"ASK {{ GRAPH {NEWS} {{ {s} {p} {o} }} }}").boolean, (s, p, o)


def test_news_item_is_described_in_both_languages(bundled):
    r = bundled.query("SELECT ?lang ?title WHERE { GRAPH cgg:sources { ?src dct:title ?title ; dct:language ?lang ;"
                      " cg:sourceKind cg:Primary ; dct:issued ?d ; schema:url ?url } "
                      "FILTER(CONTAINS(STR(?url), 'news_230539')) } ORDER BY ?lang").records()
    assert [x["lang"] for x in r] == ["en", "fr"]
    assert r[0]["title"] == "NATO quantum experts gather in Copenhagen for annual conference"


def test_denmark_then_the_uk_chair_the_community(bundled):
    r = bundled.run_named("chairs-over-time").records()
    chairs = [(x["chair"].rsplit("/", 1)[-1], x["end"]) for x in r if x["start"]]
    assert ("dk", "2025-05-13") in chairs
    assert any(c == "gb" for c, _ in chairs)


def test_every_relation_has_a_source(bundled):
    r = bundled.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                      "?p a cg:SourcedRelation . FILTER NOT EXISTS { GRAPH cgg:sources { ?g a cg:SourceDocument } } }")
    assert r.rows[0][0].value == "0"


def test_french_labels_for_domains(bundled):
    r = bundled.query("SELECT ?d WHERE { ?d a cg:Domain FILTER NOT EXISTS { ?d skos:prefLabel ?l FILTER(LANG(?l)='fr') } }")
    assert len(r) == 0


@pytest.mark.parametrize("name", sorted(load_named_queries()))
def test_every_named_query_answers_on_bundled_data(bundled, name):
    assert len(bundled.run_named(name)) > 0, f"{name} returned nothing with its defaults"


def test_the_graph_is_as_broad_as_promised(bundled):
    """The counts issue 3 asks of the curated data."""
    got = {r["measure"]: r["count"] for r in bundled.run_named("summary")}
    assert got["actors (organisations and people, not countries)"] >= 250
    for domain in ("quantum", "AI", "biotech"):
        assert got[f"technologies in {domain}"] >= 40
    assert got["programmes, strategies and standards"] >= 40
    assert got["use cases"] >= 60
    assert got["use cases linked to an enabling technology"] == got["use cases"]
    assert got["convergence links: technologies combined across domains"] \
        + got["convergence links: actors and programmes spanning domains"] >= 50
    assert got["sources"] >= 100
    assert got["relations without a source"] == 0


def test_labels_in_french_for_top_taxonomy_and_best_connected_actors(bundled):
    top = bundled.query("""SELECT ?t WHERE { ?t a cg:Technology . FILTER NOT EXISTS { ?t skos:broader/skos:broader ?x }
                           FILTER NOT EXISTS { ?t skos:prefLabel ?fr FILTER(LANG(?fr) = "fr") } }""")
    assert len(top) == 0, top.column("t")[:10]


def test_french_labels_for_the_fifty_best_connected_actors(bundled):
    r = bundled.query("""
        SELECT ?a (COUNT(*) AS ?deg) (SAMPLE(?fr) AS ?french) WHERE {
          ?a a ?c . ?c rdfs:subClassOf* cg:Actor .
          { GRAPH ?g { ?a ?p ?o } } UNION { GRAPH ?g { ?s ?p ?a } }
          GRAPH cgg:ontology { ?p a cg:SourcedRelation }
          OPTIONAL { ?a skos:prefLabel ?fr FILTER(LANG(?fr) = "fr") }
        } GROUP BY ?a ORDER BY DESC(?deg) ?a LIMIT 50""")
    assert len(r) == 50
    assert [x["a"] for x in r if x["french"] is None] == []
