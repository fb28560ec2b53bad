"""The `convergence` command as a user runs it: output, exit codes, one-line errors."""

import json
import subprocess
import sys

import pytest

from .conftest import MINI


def run(*args, env_store=None):
    """Run `python -m graph ARGS` and return (exit code, stdout, stderr)."""
    import os

    env = dict(os.environ)
    env.pop("CONVERGENCE_STORE", None)
    if env_store:
        env["CONVERGENCE_STORE"] = str(env_store)
    p = subprocess.run([sys.executable, "-m", "graph", *args], capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture(scope="module")
def mini_store(tmp_path_factory):
    target = tmp_path_factory.mktemp("cli") / "store"
    code, out, err = run("build", "--store", str(target), "--data", str(MINI))
    assert code == 0, err
    assert out.startswith("built ") and "0 violations" in out
    return target


def test_query_named_as_json(mini_store):
    code, out, err = run("--store", str(mini_store), "query", "partners-of", "--param", "actor=orgn:alpha",
                         "--format", "json")
    assert code == 0, err
    assert [b["label"]["value"] for b in json.loads(out)["results"]["bindings"]] == ["Beta Institute"]


def test_query_csv_and_tsv(mini_store):
    code, out, _ = run("--store", str(mini_store), "query", "use-cases", "-f", "csv")
    assert out.splitlines()[0] == "useCase,label,dualUse,technologies,domains"
    assert out.splitlines()[1].startswith("https://w3id.org/convergence-graph/id/usecase/uc-drug,Drug discovery,false")
    code, out, _ = run("--store", str(mini_store), "query", "use-cases", "-f", "tsv")
    assert out.splitlines()[0] == "?useCase\t?label\t?dualUse\t?technologies\t?domains"


def test_sparql_text_and_file_and_construct_turtle(mini_store, tmp_path):
    code, out, _ = run("--store", str(mini_store), "query", "--sparql",
                       "SELECT ?l WHERE { ?x cg:iso3166Alpha2 ?code ; skos:prefLabel ?l FILTER(LANG(?l)='en') }",
                       "--param", "code=GB", "-f", "csv")
    assert out.splitlines() == ["l", "United Kingdom"]
    q = tmp_path / "q.rq"
    q.write_text("CONSTRUCT { ?s cg:partnersWith ?o } WHERE { ?s cg:partnersWith ?o }")
    code, out, _ = run("--store", str(mini_store), "query", "--file", str(q))
    assert code == 0 and "orgn:alpha cg:partnersWith orgn:beta" in out


def test_env_var_selects_the_store_and_stats(mini_store):
    code, out, _ = run("stats", env_store=mini_store)
    assert code == 0
    assert "cg:Technology" in out and "cg:partnersWith" in out


@pytest.mark.parametrize("args, message", [
    (("query", "nope"), "error: query: unknown query 'nope'"),
    (("query", "actors-in-multiple-domains", "-p", "min_domains=two"),
     "error: --param min_domains: expected an integer, got 'two'"),
    (("query", "--sparql", "SELECT * WHERE {\n ?s ?p }"), "error: query:2:"),
    (("query", "--sparql", "DELETE WHERE { ?s ?p ?o }"), "error: query: updates are not allowed"),
    (("query", "partners-of", "-f", "turtle"), "error: --format: format 'turtle' does not fit a SELECT query"),
])
def test_bad_input_gives_one_line_error(mini_store, args, message):
    code, out, err = run("--store", str(mini_store), *args)
    assert code == 1
    assert err.startswith(message), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_build_error_is_one_line_and_store_unchanged(mini_store, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "bad.trig").write_text("@prefix ex: <http://ex/> .\nex:g { ex:a ex:b ex:c \n")
    before = sorted((p.name, p.stat().st_size) for p in mini_store.iterdir())
    code, out, err = run("build", "--store", str(mini_store), "--data", str(data))
    assert code == 1 and "bad.trig:" in err and "Traceback" not in err
    assert sorted((p.name, p.stat().st_size) for p in mini_store.iterdir()) == before


def test_validate_reports_zero_on_mini():
    code, out, _ = run("validate", "--data", str(MINI))
    assert code == 0
    assert out.strip().endswith("0 violation(s) from 8 checks")


def test_queries_lists_every_named_query():
    from graph.named import load_named_queries

    code, out, _ = run("queries")
    assert code == 0
    for name in load_named_queries():
        assert f"\n{name}\n" in "\n" + out
