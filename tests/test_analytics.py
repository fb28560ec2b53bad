"""Convergence analytics on a small graph written for them (tests/fixtures/analytics): exact values.

The graph: Bridge Co works on Qubits (quantum, source A 2020) and Protein design (biotech, source B
2023); Q Lab works on Qubits and Quantum sensor; Bio Lab on Protein design and Genomics; Cross
Programme addresses Machine learning (AI) and Protein design; Diagnosis (biotech) is enabled by
Protein design and Machine learning; Quantum sensor converges with Genomics (source C 2024);
Quantum machine learning is classified in quantum and AI; Lonely tech and Navigation link nowhere else.
"""

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from graph import open_graph
from graph import analytics as an
from graph.errors import ConvergenceError

FIXTURE = Path(__file__).parent / "fixtures" / "analytics"
ID = "https://w3id.org/convergence-graph/id/"


def short(iri):
    return iri.rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def kg():
    return open_graph(data_dir=FIXTURE)


@pytest.fixture(autouse=True)
def no_disk_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("CONVERGENCE_CACHE_DIR", str(tmp_path / "cache"))


def test_projection_types_domains_weights_and_dates(kg):
    g = an.projection(kg)
    node = g.nodes[ID + "org/bridge"]
    assert (node["type"], node["kind"], node["domains"], node["countries"]) == (
        "Company", "actors", (ID + "domain/biotech", ID + "domain/quantum"), (ID + "country/dk",))
    assert g.nodes[ID + "usecase/diagnosis"]["domains"] == (ID + "domain/ai", ID + "domain/biotech")
    assert g.nodes[ID + "programme/cross"]["countries"] == (ID + "country/gb",)
    assert g.nodes[ID + "programme/cross"]["budgets"] == [(100.0, "EUR", ID + "source/b")]
    edge = g.edges[ID + "org/bridge", ID + "tech/protein", "https://w3id.org/convergence-graph/ontology#worksOn"]
    assert (edge["relation"], edge["weight"], edge["start"], edge["sources"]) == (
        "worksOn", 1, "2023-06-01", {ID + "source/b"})
    assert ID + "tech/lonely" in g and g.degree(ID + "tech/lonely") == 0


def test_projection_is_built_once_per_data_and_rebuilt_when_it_changes(kg, tmp_path):
    again = open_graph(data_dir=FIXTURE)
    assert an.projection(again) is an.projection(kg)
    import shutil

    changed = tmp_path / "data"
    shutil.copytree(FIXTURE, changed)
    trig = changed / "bridge.trig"
    trig.write_text(trig.read_text().replace("orgn:qlab cg:worksOn tech:qubits , tech:q-sensor ;",
                                             "orgn:qlab cg:worksOn tech:qubits , tech:q-sensor , tech:ml ;"))
    other = open_graph(data_dir=changed)
    assert an.projection(other) is not an.projection(kg)
    assert an.projection(other).nodes[ID + "org/qlab"]["domains"] == (ID + "domain/ai", ID + "domain/quantum")
    assert an.projection(kg).nodes[ID + "org/qlab"]["domains"] == (ID + "domain/quantum",)


def test_matrix_counts_and_normalised(kg):
    df = an.domain_matrix(kg)
    assert df.to_dict("records") == [
        {"domain A": "AI", "domain B": "Biotech", "technologies": 0, "convergence links": 0, "actors": 0,
         "programmes": 1, "use cases": 1, "total": 2, "normalised": 0.222},
        {"domain A": "Biotech", "domain B": "Quantum", "technologies": 0, "convergence links": 1, "actors": 1,
         "programmes": 0, "use cases": 0, "total": 2, "normalised": 0.083},
        {"domain A": "AI", "domain B": "Quantum", "technologies": 1, "convergence links": 0, "actors": 0,
         "programmes": 0, "use cases": 0, "total": 1, "normalised": 0.111},
    ]
    fr = an.domain_matrix(kg, "fr")
    assert list(zip(fr["domain A"], fr["domain B"])) == [("Biotech", "Quantique"), ("IA", "Biotech"), ("IA", "Quantique")]


class _PlainStore:
    """A Store that is not the embedded Oxigraph one: the projection must take its generic SPARQL path."""

    def __init__(self, inner):
        self.inner, self.read_only = inner, True

    def run(self, sparql):
        return self.inner.run(sparql)


def _as_dicts(g):
    return ({n: d for n, d in g.nodes(data=True)}, {(u, v, k): d for u, v, k, d in g.edges(keys=True, data=True)})


def test_projection_is_the_same_through_plain_sparql(kg):
    """The embedded store's shortcut (properties read from its index) gives what one SELECT gives elsewhere."""
    from graph.kg import Graph

    plain = Graph(_PlainStore(kg.store))
    nodes, edges = _as_dicts(an.projection(plain))
    assert (nodes, edges) == _as_dicts(an.projection(kg))
    assert list(an.projection(plain)) == sorted(nodes)  # nodes in IRI order, whatever the store's order
    assert len(edges) == 20 and sum(d["weight"] for d in edges.values()) == 20  # 8 facts in A, 11 in B, 1 in C


def test_matrix_is_the_same_on_every_store_kind(mini):
    df = an.domain_matrix(mini)
    assert [(r["domain A"], r["domain B"], r["total"]) for r in df.to_dict("records")] == [
        ("AI", "Quantum", 4), ("AI", "Biotech", 3), ("Biotech", "Quantum", 2)]


def test_results_are_cached_and_each_caller_gets_its_own_copy(kg):
    import gc

    first = an.domain_matrix(kg)
    first.loc[0, "total"] = 999
    first["extra"] = 1
    again = an.domain_matrix(kg)
    assert again["total"].tolist() == [2, 2, 1] and "extra" not in again
    summary, _ = an.communities(kg)
    del summary["size"]
    assert "size" in an.communities(kg)[0]
    assert gc.isenabled()  # paused while results are built, and back on after


def test_matrix_matches_the_original_sparql_definition_on_the_mini_graph():
    mini = open_graph(data_dir=Path(__file__).parent / "fixtures" / "mini")
    df = an.domain_matrix(mini)
    assert [(r["domain A"], r["domain B"], r["total"]) for r in df.to_dict("records")] == [
        ("AI", "Quantum", 4), ("AI", "Biotech", 3), ("Biotech", "Quantum", 2)]


def test_links_behind_a_pair_with_reasons_years_and_sources(kg):
    df = an.cross_links(kg, domain_a="domain:quantum", domain_b="domain:biotech")
    rows = df[["kind", "label", "year", "reason", "sources"]].to_dict("records")
    assert rows == [
        {"kind": "convergence links", "label": "Genomics ↔ Quantum sensor", "year": 2024,
         "reason": "Genomics (Biotech) converges with Quantum sensor (Quantum)", "sources": 1},
        {"kind": "actors", "label": "Bridge Co", "year": 2023,
         "reason": "works on Protein design in Biotech; works on Qubits in Quantum", "sources": 2},
    ]
    assert df["source IRIs"].iloc[1] == f"{ID}source/a {ID}source/b"


def test_heatmap_is_symmetric(kg):
    heat = an.heatmap_data(kg)
    pairs = {(r["domain A"], r["domain B"]): r["total"] for r in heat.to_dict("records")}
    assert pairs[("Quantum", "Biotech")] == pairs[("Biotech", "Quantum")] == 2
    assert len(heat) == 6


def test_trends_by_year_and_undated(kg):
    df, undated = an.trends(kg)
    assert undated == 1  # Quantum machine learning: classified in both, no dated fact
    assert df[["year", "pair", "new links", "cumulative"]].values.tolist() == [
        [2023, "AI – Biotech", 2, 2], [2024, "AI – Biotech", 0, 2],
        [2023, "Biotech – Quantum", 1, 1], [2024, "Biotech – Quantum", 1, 2]]


def test_cross_domain_betweenness_exact_and_checked_against_networkx(kg):
    shares, pairs, used = an.cross_domain_betweenness(kg, k=None)
    assert (pairs, used) == (28, 7)  # 14 unordered pairs of technologies/use cases sharing no domain
    # Q Lab lies only on the one shortest path Qubits - Q Lab - Quantum sensor - Genomics (both ways): 2/28
    assert shares[ID + "org/qlab"] == pytest.approx(2 / 28)
    # the same sums from networkx, pair by pair of disjoint domain sets
    g, und = an.projection(kg), an.entity_graph(kg)
    ends = [n for n in und if und.degree(n) and g.nodes[n]["kind"] in ("technologies", "use cases")]
    expected = dict.fromkeys(und, 0.0)
    for s in ends:
        targets = [t for t in ends if set(g.nodes[s]["domains"]).isdisjoint(g.nodes[t]["domains"])]
        part = nx.betweenness_centrality_subset(und, [s], targets, normalized=False)
        for n, v in part.items():
            expected[n] += v
    assert {n: round(v, 9) for n, v in shares.items()} == {
        n: round(2 * v / pairs, 9) for n, v in expected.items() if v > 0}  # networkx halves undirected sums


def test_bridges_ranking_and_reasons(kg):
    df, info = an.bridges(kg)
    assert info == {"pairs": 28, "sources used": 7}
    assert list(df["label"]) == ["Protein design", "Bio Lab", "Genomics", "Quantum sensor", "Bridge Co",
                                 "Cross Programme", "Diagnosis", "Q Lab", "Quantum machine learning"]
    bridge = df[df["label"] == "Bridge Co"].iloc[0]
    assert (bridge["betweenness"], bridge["participation"], bridge["domains"]) == (0.214286, 0.5, "Biotech, Quantum")
    assert bridge["reason"] == "works on Protein design in Biotech; works on Qubits in Quantum"
    assert df.iloc[0]["reason"] == ("classified in Biotech; linked to Diagnosis in AI, Bridge Co in Quantum")
    assert list(an.bridges(kg, top=2)[0]["rank"]) == [1, 2]


def test_sampled_betweenness_is_reproducible(kg):
    a = an.cross_domain_betweenness(kg, k=3, seed=1)
    assert a == an.cross_domain_betweenness(kg, k=3, seed=1)
    assert a[2] == 3


def test_participation_coefficient(kg):
    part = an.participation(kg)
    # Bridge Co: Qubits (quantum), Protein design (biotech), Funder (no domain): 1 - (1/2)^2 - (1/2)^2
    assert part[ID + "org/bridge"] == (0.5, 2)
    assert part[ID + "org/qlab"] == (0.0, 1)


def test_convergence_actors_filtered_by_country_and_type(kg):
    df = an.convergence_actors(kg)
    assert df[["rank", "label", "kind", "n domains", "facts", "countries"]].values.tolist() == [
        [1, "Bridge Co", "actors", 2, 2, "Denmark"], [2, "Cross Programme", "programmes", 2, 2, "United Kingdom"]]
    assert list(an.convergence_actors(kg, countries=["country:gb"])["label"]) == ["Cross Programme"]
    assert list(an.convergence_actors(kg, types=["Company"])["label"]) == ["Bridge Co"]
    assert an.convergence_actors(kg, min_domains=3).empty


def test_communities_with_domain_mix_and_top_members(kg):
    summary, members = an.communities(kg)
    assert summary[["community", "size", "Quantum", "AI", "Biotech"]].values.tolist() == [
        [1, 4, 2, 0, 2], [2, 4, 3, 0, 1], [3, 4, 0, 3, 3]]
    groups = {c: set(members[members["community"] == c]["label"]) for c in (1, 2, 3)}
    assert groups == {1: {"Genomics", "Quantum sensor", "Bio Lab", "Navigation"},
                      2: {"Bridge Co", "Qubits", "Funder", "Q Lab"},
                      3: {"Cross Programme", "Diagnosis", "Machine learning", "Protein design"}}
    assert summary["top members"].iloc[1].split(", ")[0] == "Bridge Co"
    assert summary["domain mix"].iloc[0] == "Quantum 2 · Biotech 2"


def test_paths_avoid_countries_unless_asked(kg):
    found = an.paths(kg, "orgn:bridge", "orgn:biolab", k=2)
    assert [[short(n) for n in p.nodes] for p in found] == [
        ["bridge", "protein", "biolab"], ["bridge", "qubits", "qlab", "q-sensor", "genomics", "biolab"]]
    step = found[0].steps[0][0]
    assert (short(step.source), step.relation, short(step.target), step.sources, step.start) == (
        "bridge", "worksOn", "protein", (ID + "source/b",), "2023-06-01")
    through = an.paths(kg, "orgn:bridge", "orgn:biolab", k=2, avoid_types=())
    assert [short(n) for n in through[1].nodes] == ["bridge", "funder", "gb", "biolab"]
    table = an.paths_table(kg, found[:1])
    assert table[["path", "step", "from", "relation", "to"]].values.tolist() == [
        [1, 1, "Bridge Co", "works on", "Protein design"], [1, 2, "Bio Lab", "works on", "Protein design"]]
    assert table["sources"].iloc[0] == "Source B (Pub B, 2023-06-01) https://example.org/b"


def test_paths_from_a_country_and_errors(kg):
    found = an.paths(kg, "country:dk", "orgn:biolab", k=1)
    assert [short(n) for n in found[0].nodes] == ["dk", "bridge", "protein", "biolab"]
    with pytest.raises(ConvergenceError, match="no sourced relation"):
        an.paths(kg, "tech:lonely", "orgn:bridge")


def test_countries_side_by_side(kg):
    members = an.group_members(kg, "orgn:alliance")
    assert members == [ID + "country/dk", ID + "country/gb"]
    df = an.compare_countries(kg, members).set_index("measure")
    assert list(df.columns) == ["Denmark", "United Kingdom", "all selected"]
    assert df.loc["actors"].tolist() == [2, 2, 4]
    assert df.loc["actors in Quantum"].tolist() == [2, 0, 2]
    assert df.loc["actors in two or more domains"].tolist() == [1, 0, 1]
    assert df.loc["programmes in AI"].tolist() == [0, 1, 1]
    assert df.loc["programme budgets in Biotech (EUR)"].tolist() == [0, 100, 100]
    assert df.loc["cross-domain links Biotech – Quantum"].tolist() == [1, 0, 1]
    assert df.loc["cross-domain links AI – Biotech"].tolist() == [0, 1, 1]
    with pytest.raises(ConvergenceError, match="not a country"):
        an.compare_countries(kg, ["orgn:bridge"])
    assert list(an.country_choices(kg).values()) == ["Denmark", "United Kingdom"]


def test_gaps(kg):
    assert an.isolated_topics(kg)[["label", "domain", "facts", "actors"]].values.tolist() == [
        ["Navigation", "Quantum", 1, 0], ["Lonely tech", "Biotech", 0, 0]]
    thin = an.thin_domains(kg, min_sources=2)
    assert thin[["domain", "entities", "facts", "sources", "few sources"]].values.tolist() == [
        ["Space", 0, 0, 0, True], ["AI", 2, 2, 1, True], ["Biotech", 4, 7, 2, False], ["Quantum", 4, 5, 2, False]]


def test_slow_results_are_kept_on_disk_under_the_data_hash(kg, tmp_path, monkeypatch):
    from graph.analytics import cache

    folder = tmp_path / "disk"
    monkeypatch.setenv("CONVERGENCE_CACHE_DIR", str(folder))
    monkeypatch.setattr(cache, "_SHARED", {})
    first = an.bridges(kg, k=50, seed=3)[0]
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 1 and files[0].startswith("bridges-")
    monkeypatch.setattr(cache, "_SHARED", {})
    assert an.bridges(kg, k=50, seed=3)[0].equals(first)
    monkeypatch.setenv("CONVERGENCE_CACHE_DIR", "off")
    monkeypatch.setattr(cache, "_SHARED", {})
    assert an.bridges(kg, k=50, seed=4)[0].equals(first)
    assert len(list(folder.iterdir())) == 1


def test_bundled_data_answers_every_measure(bundled):
    """On the curated data: the matrix agrees with its evidence, and the big three pairs lead."""
    matrix = an.domain_matrix(bundled)
    links = an.cross_links(bundled)
    for row in matrix.to_dict("records"):
        behind = links[(links["domain A"] == row["domain A"]) & (links["domain B"] == row["domain B"])]
        assert len(behind) == row["total"]
    core = {"Artificial intelligence", "Biotechnology", "Quantum technologies"}
    assert all({r["domain A"], r["domain B"]} <= core for r in matrix.head(3).to_dict("records"))
    assert not an.bridges(bundled)[0].empty and not an.communities(bundled)[0].empty


# ------------------------------------------------------------------------------------------ the CLI

@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from graph.build import build

    built, _ = build(tmp_path_factory.mktemp("analytics") / "store", data_dir=FIXTURE, validate=False)
    built.close()
    return str(built.path)


def test_cli_matrix_json_and_bridges_csv(store):
    import os

    env = dict(os.environ, CONVERGENCE_CACHE_DIR="off", CONVERGENCE_STORE=store)
    p = subprocess.run([sys.executable, "-m", "graph", "analyze", "matrix", "-f", "json"], capture_output=True,
                       text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert [(r["domain A"], r["domain B"], r["total"]) for r in json.loads(p.stdout)] == [
        ("AI", "Biotech", 2), ("Biotech", "Quantum", 2), ("AI", "Quantum", 1)]
    p = subprocess.run([sys.executable, "-m", "graph", "--store", store, "analyze", "bridges", "--top", "2",
                        "-f", "csv"], capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[1].startswith("1,Protein design,Technology,Biotech,0.5,")
    assert "28 cross-domain pairs counted from 7 source entities" in p.stderr


def test_cli_every_subcommand_answers_on_the_fixture(store):
    import os

    env = dict(os.environ, CONVERGENCE_CACHE_DIR="off")
    env.pop("CONVERGENCE_ENDPOINT", None)
    for args, expect in [(["actors", "--country", "country:gb"], "Cross Programme"),
                         (["communities", "--members"], "Navigation"),
                         (["paths", "orgn:bridge", "orgn:biolab", "--k", "1"], "Protein design"),
                         (["trends", "-f", "csv"], "2024,Biotech – Quantum,Biotech,Quantum,1,2"),
                         (["countries", "--members-of", "orgn:alliance"], "all selected"),
                         (["gaps"], "Lonely tech"), (["gaps", "--domains", "--min-sources", "2"], "Space"),
                         (["matrix", "--pair", "domain:ai", "domain:biotech"], "Diagnosis")]:
        p = subprocess.run([sys.executable, "-m", "graph", "--store", store, "analyze", *args], capture_output=True,
                           text=True, env=env)
        assert p.returncode == 0, (args, p.stderr)
        assert expect in p.stdout, (args, p.stdout)


def test_cli_errors_are_one_line(store):
    import os

    env = dict(os.environ, CONVERGENCE_CACHE_DIR="off")
    env.pop("CONVERGENCE_ENDPOINT", None)
    for args, message in [(["paths", "orgn:nothing", "orgn:bridge"], "error: path: "),
                          (["countries", "orgn:bridge"], "error: countries: "),
                          (["countries"], "error: countries: name countries"),
                          (["countries", "--members-of", "orgn:nothing"], "error: group: ")]:
        p = subprocess.run([sys.executable, "-m", "graph", "--store", store, "analyze", *args], capture_output=True,
                           text=True, env=env)
        assert p.returncode == 1 and p.stderr.startswith(message) and len(p.stderr.strip().splitlines()) == 1, (
            args, p.stderr)
