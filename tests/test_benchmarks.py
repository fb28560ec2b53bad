"""The benchmark's generator stays in the project's model and is deterministic; the quick benchmark runs.

No timing is asserted: the benchmark reports times, the tests check that it works and what it writes.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generator import generate, write_ntriples
from benchmarks.report import query_ratios, targets
from graph import open_graph
from graph.build import build
from graph.validate import validate

ROOT = Path(__file__).resolve().parent.parent


def _bytes(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_other_graph(tmp_path):
    a = generate(tmp_path / "a", triples=3000, seed=7)
    b = generate(tmp_path / "b", triples=3000, seed=7)
    c = generate(tmp_path / "c", triples=3000, seed=8)
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")
    assert a == b
    assert _bytes(tmp_path / "a") != _bytes(tmp_path / "c")
    assert sorted(a["files"]) == ["entities-0001.nq", "facts-0001.nq", "sources-0001.nq", "taxonomy-0001.nq"]


def test_size_follows_the_parameter(tmp_path):
    for n in (2000, 20000):
        m = generate(tmp_path / str(n), triples=n, seed=1)
        assert n <= m["quads"] < n * 1.02
        lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in (tmp_path / str(n)).glob("*.nq"))
        assert lines == m["quads"]


def test_generated_graph_passes_the_projects_validation(tmp_path):
    m = generate(tmp_path / "data", triples=4000, seed=3)
    store, info = build(None, data_dir=tmp_path / "data", validate=False)
    report = validate(store)
    assert [v.message for v in report.violations] == []
    assert info.quads > m["quads"]  # the ontology is loaded beside the data


def test_generated_graph_has_every_part_of_the_model(tmp_path):
    m = generate(tmp_path / "data", triples=4000, seed=3)
    kg = open_graph(data_dir=tmp_path / "data")
    classes = {c.value.rsplit("#", 1)[-1]: int(n.value) for c, n in kg.run_named("counts-by-class").rows}
    for cls in ("Technology", "Domain", "Country", "Place", "Company", "ResearchOrganisation", "Person",
                "GovernmentBody", "FundingBody", "AllianceBody", "IntergovernmentalOrganisation", "Post",
                "Programme", "Strategy", "Standard", "WorkStream", "UseCase", "Event", "SourceDocument",
                "QualifiedRelation"):
        assert classes.get(cls, 0) > 0, cls
    assert classes["Technology"] == m["counts"]["technologies"]
    assert classes["SourceDocument"] == m["counts"]["sources"]
    assert classes["QualifiedRelation"] == m["counts"]["qualified relations"]
    ask = kg.query("""ASK { ?t skos:broader ?b . ?b skos:broader ?c .
                            GRAPH ?g { ?s cg:mentions ?e } GRAPH cgg:sources { ?g a cg:SourceDocument }
                            ?q a cg:QualifiedRelation ; cg:amount ?a ; cg:currency ?cur .
                            ?p cg:budget ?bud . ?bud a cg:Budget ; cg:amount ?amount }""")
    assert ask.boolean
    hub = kg.run_named("facts-about", entity=m["hub"])
    typical = kg.run_named("facts-about", entity=m["typical"])
    assert len(hub) > 5 * max(len(typical), 1)  # sources follow a power law: the hub has many more facts


def test_ntriples_for_import_drop_the_graphs(tmp_path):
    generate(tmp_path / "data", triples=2000, seed=2)
    n = write_ntriples(tmp_path / "data", tmp_path / "x.nt")
    lines = (tmp_path / "x.nt").read_text(encoding="utf-8").splitlines()
    facts = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in (tmp_path / "data").glob("facts-*.nq"))
    assert n == len(lines) == facts
    assert all(line.endswith("> .") or line.endswith('" .') or line.endswith(" .") for line in lines)
    import pyoxigraph as ox

    assert len(list(ox.parse(path=str(tmp_path / "x.nt"), format=ox.RdfFormat.N_TRIPLES))) == n


def test_ratios_and_targets_from_results():
    q = {"median_ms": 2.0, "rows": 3}
    scale = {"label": "1M", "queries": {
        "a": {"project": q, "oxigraph": {"median_ms": 1.6, "rows": 3}, "rdflib": {"median_ms": 40.0, "rows": 3}},
        "b": {"project": {"median_ms": 10.0, "rows": 1}, "oxigraph": {"median_ms": 10.0, "rows": 1},
              "rdflib": {"median_ms": None, "timeout": "over 60 s", "limit_s": 60}},
        "c": {"project": {"median_ms": 4.0, "rows": 2}, "oxigraph": {"median_ms": 2.0, "rows": 2},
              "rdflib": {"median_ms": 8.0, "rows": 5}}}}
    r = query_ratios(scale)
    assert r["per_query"]["a"] == {"speedup_vs_rdflib": 20.0, "lower_bound": False, "project_over_oxigraph": 1.25}
    assert r["per_query"]["b"]["speedup_vs_rdflib"] == 6000.0 and r["per_query"]["b"]["lower_bound"]
    assert r["per_query"]["c"]["rows_differ"] == {"project": 2, "oxigraph": 2, "rdflib": 5}
    assert r["median_speedup_vs_rdflib"] == 20.0
    assert r["median_project_over_oxigraph"] == 1.25 and r["worst_project_over_oxigraph"] == 2.0
    scale.update(build={"project-memory": {"median_ms": 6000.0, "peak_mb": 900}},
                 focus={"typical/project": {"median_ms": 12.0}, "hub/project": {"median_ms": 80.0}},
                 analytics={"bridges": {"cold": {"median_ms": 31000.0}}},
                 reopen={"project": {"median_ms": 4.0}}, html={"150": {"median_ms": 200.0, "nodes": 150}},
                 **{"import": {"project-import": {"triples_per_s": 250000}}})
    met = {t["target"]: t["met"] for t in targets({"scales": [scale]})}
    assert met == {
        "named queries at 1M: median query >= 10x faster than rdflib": True,
        "named queries at 1M: within 1.3x of raw pyoxigraph (median query)": True,
        "build 1M in memory <= 5 s": False,
        "build 1M in memory < 1 GB peak": True,
        "focus subgraph at 1M (2 hops, cap 150, typical entity, in memory) <= 50 ms": True,
        "focus subgraph at 1M (2 hops, cap 150, hub entity, in memory) <= 50 ms": False,
        "analytics at 1M cold <= 30 s (slowest figure)": False,
        "disk store reopen <= 100 ms": True,
        "network HTML for 150 nodes <= 0.3 s": True,
        "import >= 200,000 triples/s into a disk store": True,
    }


def test_quick_benchmark_runs_end_to_end_and_writes_its_json(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("CONVERGENCE_STORE", None)
    out = subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--out", str(tmp_path / "results"),
                          "--work", str(tmp_path / "work")], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    files = list((tmp_path / "results").glob("*-quick.json"))
    assert len(files) == 1
    res = json.loads(files[0].read_text())
    assert res["mode"] == "quick" and res["machine"]["cores"] and res["machine"]["packages"]["pyoxigraph"]
    (scale,) = res["scales"]
    assert scale["quads"] >= 2000
    from graph.named import load_named_queries

    assert set(scale["queries"]) == set(load_named_queries())
    for name, q in scale["queries"].items():
        for engine in ("project", "project-disk", "oxigraph"):
            assert q[engine]["median_ms"] is not None, (name, engine, q[engine])
        assert q["project"]["rows"] == q["oxigraph"]["rows"] == q["project-disk"]["rows"], name
    for kind in ("project-memory", "project-disk", "oxigraph-memory", "oxigraph-disk", "rdflib-memory"):
        assert scale["build"][kind]["quads"] >= scale["quads"] and scale["build"][kind]["peak_mb"] > 0, kind
    assert scale["reopen"]["project"]["median_ms"] is not None
    assert scale["html"]["150"]["bytes"] > 0 and scale["focus"]["hub/project"]["nodes"] > 1
    assert {t["target"] for t in res["targets"]} >= {"disk store reopen <= 100 ms"}
    assert "Targets (issue 9)" in out.stdout and "named query" in out.stdout
    assert not (tmp_path / "work" / "2000").exists()  # scratch data removed
