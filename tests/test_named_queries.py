"""Exact answers of every named query on the small test graph."""

import json

import pytest

from graph import ConvergenceError
from graph.named import load_named_queries

C = "https://w3id.org/convergence-graph/id/"


def ids(result, var):
    return sorted(v.rsplit("/", 1)[-1] for v in result.column(var))


def test_every_query_has_a_title_and_documented_params():
    queries = load_named_queries()
    assert len(queries) >= 15
    for q in queries.values():
        assert q.title and q.description, q.name
        for p in q.params:
            assert p.description, (q.name, p.name)


def test_actors_in_multiple_domains(mini):
    r = mini.run_named("actors-in-multiple-domains")
    assert [(x["actor"].rsplit("/", 1)[-1], x["domains"]) for x in r] == [("beta", 3), ("alpha", 2)]
    assert ids(mini.run_named("actors-in-multiple-domains", min_domains="3"), "actor") == ["beta"]


def test_funders_at_domain_boundary(mini):
    r = mini.run_named("funders-at-domain-boundary", domain_a="domain:quantum", domain_b="domain:ai")
    assert [(x["funder"], x["recipient"]) for x in r] == [(C + "org/fund", C + "org/alpha")]
    assert len(mini.run_named("funders-at-domain-boundary", domain_b="domain:biotech")) == 0


def test_dual_use_use_cases(mini):
    assert ids(mini.run_named("dual-use-use-cases"), "useCase") == ["uc-nav"]
    assert ids(mini.run_named("dual-use-use-cases", technology="tech:q-sensing"), "useCase") == ["uc-nav"]
    assert len(mini.run_named("dual-use-use-cases", technology="tech:protein-design")) == 0
    row = mini.run_named("dual-use-use-cases").records()[0]
    assert row["risk"] == "Helps hostile navigation too."


def test_use_cases(mini):
    r = mini.run_named("use-cases")
    assert [(x["label"], x["dualUse"]) for x in r] == [("Drug discovery", False), ("Navigation without GNSS", True)]
    assert [x["label"] for x in mini.run_named("use-cases", dual_use_only="true")] == ["Navigation without GNSS"]


def test_country_programmes_with_budget(mini):
    r = mini.run_named("country-programmes", country="country:dk").records()
    assert len(r) == 1
    assert (r[0]["label"], r[0]["kind"], str(r[0]["amount"]), r[0]["currency"], r[0]["start"]) == \
        ("Danish strategy", "Strategy", "500", "EUR", "2023")
    assert len(mini.run_named("country-programmes", country="country:gb")) == 0


def test_community_members_and_count(mini):
    r = mini.run_named("community-members", body="orgn:body").records()
    members = sorted((x["member"] or "").rsplit("/", 1)[-1] for x in r if x["member"])
    assert members == ["dk", "gb"]
    assert [x["reportedCount"] for x in r if x["reportedCount"] is not None] == [22]
    assert [x["since"] for x in r if x["member"] == C + "country/dk"] == ["2024"]


def test_chairs_over_time(mini):
    r = mini.run_named("chairs-over-time", body="orgn:body").records()
    assert [(x["chair"].rsplit("/", 1)[-1], x["start"], x["end"]) for x in r] == [
        ("dk", "2024", "2025-05-13"), ("gb", "2025-05-13", None)]
    assert sorted(r[0]["sources"].split()) == [C + "source/s1", C + "source/s2"]


def test_partners_either_direction(mini):
    assert ids(mini.run_named("partners-of", actor="orgn:alpha"), "partner") == ["beta"]
    assert ids(mini.run_named("partners-of", actor="orgn:beta"), "partner") == ["alpha"]


def test_sources_of_statement(mini):
    r = mini.run_named("sources-of-statement", subject="country:dk", property="cg:chairs",
                       object="orgn:body").records()
    assert [(x["title"], x["kind"], x["issued"]) for x in r] == [
        ("First source", "Primary", "2024-11-13"), ("Second source", "Secondary", "2025-05-13")]


def test_technologies_without_actors(mini):
    assert ids(mini.run_named("technologies-without-actors"), "technology") == ["gap-tech"]
    assert len(mini.run_named("technologies-without-actors", domain="domain:quantum")) == 0


def test_dated_in_range(mini):
    r = mini.run_named("dated-in-range", **{"from": "2024-11", "to": "2024-11-30"})
    # a fact dated only by its year overlaps every month of that year
    assert sorted(ids(r, "what")) == ["dk--chairs--body", "dk--memberOf--body", "fund--funds--alpha",
                                      "meeting", "s1"]
    r = mini.run_named("dated-in-range", **{"from": "2025", "to": "2025"})
    assert sorted(ids(r, "what")) == ["gb--chairs--body", "s2"]


def test_convergence_links(mini):
    r = mini.run_named("convergence-links").records()
    assert sorted((x["labelA"], x["domainA"], x["labelB"], x["domainB"]) for x in r) == [
        ("Quantum sensing", "Quantum", "Protein design", "AI"),
        ("Quantum sensing", "Quantum", "Protein design", "Biotech")]


def test_actors_by_country(mini):
    r = mini.run_named("actors-by-country", country="country:gb").records()
    assert [(x["label"], x["type"]) for x in r] == [("Beta Institute", "ResearchOrganisation")]


def test_search_entities_english_and_french(mini):
    assert ids(mini.run_named("search-entities", text="bêta"), "entity") == ["beta"]
    assert ids(mini.run_named("search-entities", text="QML"), "entity") == ["qml"]


def test_facts_about_and_funders(mini):
    r = mini.run_named("facts-about", entity="orgn:alpha").records()
    assert sorted((x["direction"], x["property"].rsplit("#", 1)[-1]) for x in r) == [
        ("in", "funds"), ("out", "basedIn"), ("out", "partnersWith"),
        ("out", "worksOn"), ("out", "worksOn")]
    f = mini.run_named("funders-of", recipient="orgn:alpha").records()
    assert [(x["label"], str(x["amount"]), x["currency"], x["date"]) for x in f] == [("Fund", "1000000", "EUR", "2024")]


def test_programmes_addressing_technology_includes_narrower(mini):
    assert ids(mini.run_named("programmes-addressing-technology", technology="tech:q-computing"),
               "programme") == ["dk-strategy"]


def test_sources_and_counts(mini):
    r = mini.run_named("sources", kind="cg:Secondary").records()
    assert [(x["title"], x["statements"]) for x in r] == [("Second source", 14)]
    counts = {x["class"].rsplit("#", 1)[-1]: x["count"] for x in mini.run_named("counts-by-class")}
    assert counts["Technology"] == 6 and counts["UseCase"] == 2 and counts["SourceDocument"] == 2


def test_neighbourhood_is_a_construct(mini):
    r = mini.run_named("neighbourhood", entity="orgn:body")
    assert r.form == "CONSTRUCT"
    ttl = r.serialize("turtle")
    assert "orgn:body" in ttl and "Quantum Body" in ttl


def test_json_output_is_sparql_results_json(mini):
    doc = json.loads(mini.run_named("partners-of", actor="orgn:alpha").serialize("json"))
    assert doc["head"]["vars"] == ["partner", "label", "sources"]
    assert doc["results"]["bindings"][0]["partner"] == {"type": "uri", "value": C + "org/beta"}


def test_unknown_parameter_and_wrong_type(mini):
    with pytest.raises(ConvergenceError, match="--param colour: query 'partners-of' has no parameter"):
        mini.run_named("partners-of", colour="red")
    with pytest.raises(ConvergenceError, match="--param min_domains: expected an integer, got 'two'"):
        mini.run_named("actors-in-multiple-domains", min_domains="two")
    with pytest.raises(ConvergenceError, match="unknown query 'nope'"):
        mini.run_named("nope")


def test_dataframe(mini):
    df = mini.run_named("actors-in-multiple-domains").to_dataframe()
    assert list(df.columns) == ["actor", "label", "domains", "domainList"]
    assert list(df["domains"]) == [3, 2]


def test_summary_counts(mini):
    got = {r["measure"]: r["count"] for r in mini.run_named("summary")}
    assert got == {
        "actors (organisations and people, not countries)": 4,
        "countries with facts": 2,
        "technologies in quantum": 3,
        "technologies in AI": 3,
        "technologies in biotech": 2,
        "programmes, strategies and standards": 1,
        "use cases": 2,
        "dual-use use cases": 1,
        "use cases linked to an enabling technology": 2,
        "convergence links: technologies combined across domains": 1,
        "convergence links: actors and programmes spanning domains": 2,
        "convergence links: technologies in two domains": 2,
        "sources": 2,
        "primary sources": 1,
        "sourced relations": 20,
        "relations without a source": 0,
    }
    assert [r["measure"] for r in mini.run_named("summary")][0].startswith("actors")
