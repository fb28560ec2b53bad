"""Bad and hostile input at every entry point: a one-line located error (or correct handling), and a store
left byte-for-byte unchanged. The counts tried and passed are printed."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph import ConvergenceError, open_graph
from graph.build import build
from graph.search import LabelIndex

from .conftest import MINI

CORPUS = Path(__file__).parent / "bad_inputs"
TALLY = {"tried": 0, "passed": 0}

#: Text crafted for parameters, search boxes and SPARQL: quotes, braces, comments, control and RTL characters.
HOSTILE_TEXT = [
    '") } DROP ALL #', "' } ; DELETE WHERE { ?s ?p ?o } #", "<script>alert(1)</script>", "\u202eevil",
    "\x00\x01\x02", "\\", "?x", "${jndi:ldap://x}", "A" * 5000, "", " ", "😀 quantum", "Ωmega ß", "%00%27",
    "orgn:nato> } ASK {", "1e309", "-0", "2024-13-45", "../../etc/passwd",
]
BAD_SPARQL = [
    "SELECT * WHERE {", "SELECT ?x WHERE { ?x ?p }", "ASK", "garbage", "", "INSERT DATA { <a> <b> <c> }",
    "LOAD <http://example.org/x>", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "CLEAR ALL", "DROP GRAPH <https://w3id.org/convergence-graph/graph/entities>", "SELECT (1/0 AS ?x) WHERE {}",
]


def tree_digest(path: Path) -> str:
    """A digest of every file's name and bytes under a folder."""
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(path)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def count(ok: bool) -> None:
    TALLY["tried"] += 1
    TALLY["passed"] += bool(ok)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    target = tmp_path_factory.mktemp("bad") / "store"
    s, _ = build(target, data_dir=MINI)
    s.close()
    yield target
    print(f"\nbad inputs: {TALLY['tried']} tried, {TALLY['passed']} passed")


def generated(tmp: Path) -> list:
    """Inputs too big or too binary to keep in the repository."""
    junk = tmp / "junk.trig"
    junk.write_bytes(bytes(range(256)) * 64)
    huge = tmp / "huge.trig"
    with huge.open("wb") as f:          # a sparse 200 MB file: costs no disk and must cost no memory
        f.truncate(200 * 1024 * 1024)
    return [junk, huge]


def build_cases(tmp: Path) -> list:
    return sorted(CORPUS.glob("*.t*")) + generated(tmp)


@pytest.mark.parametrize("name", [p.name for p in sorted(CORPUS.glob("*.t*"))] + ["junk.trig", "huge.trig"])
def test_build_rejects_or_handles_and_changes_nothing(store, tmp_path, name):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    src = next(p for p in build_cases(tmp_path) if p.name == name)
    shutil.copy(src, data / name)
    before = tree_digest(store)
    try:
        build(store, data_dir=data)
        ok = name.startswith("ok-")
        if ok:
            before = tree_digest(store)   # an accepted file may change the store; rebuild the original
            build(store, data_dir=MINI)
    except ConvergenceError as exc:
        ok = not name.startswith("ok-") and name in str(exc) or "validation error" in str(exc)
        ok = ok and "\n" not in str(exc) and tree_digest(store) == before
    count(ok)
    assert ok, name


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_named_query_parameters(store, text):
    kg = open_graph(store)
    before = tree_digest(store)
    outcomes = []
    for name, param in (("search-entities", "text"), ("partners-of", "actor"), ("dated-in-range", "from"),
                        ("actors-in-multiple-domains", "min_domains"), ("use-cases", "dual_use_only")):
        try:
            kg.run_named(name, **{param: text})
            outcomes.append(True)
        except ConvergenceError as exc:
            outcomes.append(str(exc).startswith("--param ") and "\n" not in str(exc))
    kg.close()
    ok = all(outcomes) and tree_digest(store) == before
    count(ok)
    assert ok, outcomes


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_search_box(mini, text):
    idx = LabelIndex.from_graph(mini)
    hits = idx.search(text)
    ok = isinstance(hits, list) and all(h.iri.startswith("https://") for h in hits)
    count(ok)
    assert ok


@pytest.mark.parametrize("sparql", BAD_SPARQL)
def test_sparql_text_from_the_command_line(store, sparql):
    before = tree_digest(store)
    env = {k: v for k, v in os.environ.items() if k != "CONVERGENCE_STORE"}
    p = subprocess.run([sys.executable, "-m", "graph", "--store", str(store), "query", "--sparql", sparql],
                       capture_output=True, text=True, env=env, timeout=120)
    one_line = p.returncode == 0 or (p.returncode == 1 and p.stderr.startswith("error: ")
                                     and len(p.stderr.strip().splitlines()) == 1)
    ok = one_line and "Traceback" not in p.stderr and tree_digest(store) == before
    count(ok)
    assert ok, (sparql, p.returncode, p.stderr)


@pytest.mark.parametrize("name", [p.name for p in sorted(CORPUS.glob("*.t*")) if not p.name.startswith("ok-")])
def test_build_from_the_command_line_prints_one_line(tmp_path, name):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    shutil.copy(CORPUS / name, data / name)
    p = subprocess.run([sys.executable, "-m", "graph", "build", "--data", str(data)],
                       capture_output=True, text=True, timeout=120)
    said = [ln for ln in p.stderr.splitlines() if not ln.startswith("... ")]  # "... " lines are progress
    ok = p.returncode == 1 and len(said) == 1 and said[0].startswith("error: ") and "Traceback" not in p.stderr
    count(ok)
    assert ok, p.stderr
