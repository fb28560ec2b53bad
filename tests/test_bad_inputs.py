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


def store_dump(path: Path) -> bytes:
    """The store's content as sorted N-Quads: what 'unchanged' means for a database that logs on open."""
    import pyoxigraph as ox

    s = ox.Store.read_only(str(path))
    lines = sorted(f"{q} .\n" for q in s.quads_for_pattern(None, None, None, None))
    del s
    return "".join(lines).encode()


def run_cli(*args):
    env = {k: v for k, v in os.environ.items() if k != "CONVERGENCE_STORE"}
    return subprocess.run([sys.executable, "-m", "graph", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=300)


def one_line_error(p) -> bool:
    """A non-zero exit and exactly one `error:` line (progress lines start with '... ' or are bars)."""
    said = [ln for ln in p.stderr.splitlines() if ln.startswith(("error:", "Traceback", "Error", "Usage"))]
    return p.returncode in (1, 2) and len(said) == 1 and said[0].startswith("error: ") and "Traceback" not in p.stderr


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    target = tmp_path_factory.mktemp("bad") / "store"
    s, _ = build(target, data_dir=MINI)
    s.close()
    yield target


def summary() -> str:
    """The line the test run ends with (see tests/conftest.py)."""
    return (f"bad inputs: {TALLY['tried']} tried, {TALLY['passed']} handled with the store unchanged, "
            f"{TALLY['tried'] - TALLY['passed']} failed")


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


#: Accepted by import when the user names the source (plain triples then belong to it).
IMPORT_HANDLES = {"default-graph.trig"}
IMPORTABLE = [p.name for p in sorted(CORPUS.iterdir()) if p.suffix in (".trig", ".ttl", ".jsonld", ".csv")]


@pytest.mark.parametrize("name", IMPORTABLE + ["junk.trig", "huge.trig"])
def test_import_rejects_or_handles_and_changes_nothing(store, tmp_path, name):
    src = next((p for p in generated(tmp_path) if p.name == name), CORPUS / name)
    data = tmp_path / "data"
    data.mkdir()
    before = store_dump(store)
    extra = ["--mapping", Path(__file__).parent.parent / "templates" / "ingest" / "actors.toml"] \
        if name.endswith(".csv") else []
    p = run_cli("import", src, "--store", store, "--data", data, "--source-url", "https://example.org/bad",
                "--title", "Bad input", "--publisher", "Tests", *extra)
    if (name.startswith("ok-") or name in IMPORT_HANDLES) and p.returncode == 0:
        import_id = p.stdout.split(" as ", 1)[1].split(":", 1)[0]
        undo = run_cli("remove-import", import_id, "--store", store, "--data", data)
        ok = undo.returncode == 0 and store_dump(store) == before
    else:
        ok = not name.startswith("ok-") or "adds nothing" in p.stderr or "empty" in p.stderr
        ok = ok and one_line_error(p) and store_dump(store) == before and not any(data.rglob("*.nq"))
    count(ok)
    assert ok, (name, p.returncode, p.stderr[-500:])


BAD_EXPORTS = [
    ["--focus", "orgn:alpha", "-o", "../escape.ttl"],
    ["--focus", "orgn:alpha", "-o", "out.ttl", "-f", "exe"],
    ["--focus", "orgn:nobody-at-all", "-o", "out.ttl"],
    ["--focus", "orgn:alpha", "-o", "out.ttl", "--marking", "TOP-SECRET"],
    ["--focus", "orgn:alpha", "-o", "out.ttl", "--hops", "9"],
    ["--focus", "orgn:alpha", "-o", "out.ttl", "--from", "2024-13-45"],
    ["--focus", "orgn:alpha", "-o", "out.docx", "--since", "missing.ttl"],
    ["--entities", ",,,", "-o", "out.ttl"],
    ["--query", "nope", "-o", "out.ttl"],
    ["-o", "out.ttl"],
]


@pytest.mark.parametrize("args", BAD_EXPORTS, ids=lambda a: " ".join(a))
def test_export_options(store, tmp_path, args):
    work = tmp_path / "work"
    work.mkdir()
    p = subprocess.run([sys.executable, "-m", "graph", "--store", str(store), "export", *args], cwd=work,
                       capture_output=True, text=True, timeout=300,
                       env={k: v for k, v in os.environ.items() if k != "CONVERGENCE_STORE"}
                       | {"PYTHONPATH": str(Path(__file__).parent.parent)})
    ok = one_line_error(p) and not (tmp_path / "escape.ttl").exists() and not any(work.iterdir())
    count(ok)
    assert ok, (args, p.returncode, p.stderr[-400:])


UPLOAD_PANEL = """
import sys
sys.path.insert(0, {root!r})
from app_pages.upload_panel import upload_panel
upload_panel({store!r}, {data!r})
"""


@pytest.mark.parametrize("name", [n for n in IMPORTABLE if not n.startswith("ok-") and not n.endswith(".csv")
                                  and n not in IMPORT_HANDLES])
def test_upload_on_the_data_page(store, tmp_path, name):
    from streamlit.testing.v1 import AppTest

    data = tmp_path / "data"
    data.mkdir()
    before = store_dump(store)
    at = AppTest.from_string(UPLOAD_PANEL.format(root=str(Path(__file__).parent.parent), store=str(store),
                                                 data=str(data)), default_timeout=120).run()
    at.file_uploader(key="up_file").set_value((name, (CORPUS / name).read_bytes(), "application/octet-stream")).run()
    for key, value in (("up_url", "https://example.org/bad"), ("up_title", "Bad"), ("up_publisher", "Tests")):
        if any(w.key == key for w in at.text_input):
            at.text_input(key=key).set_value(value).run()
    at.button(key="up_go").click().run()
    ok = not at.exception and len(at.error) == 1 and "\n" not in at.error[0].value \
        and store_dump(store) == before and not any(data.rglob("*.nq"))
    count(ok)
    assert ok, (name, [e.value for e in at.error], at.exception)
