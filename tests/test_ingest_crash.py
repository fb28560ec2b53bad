"""A real import killed with SIGKILL at several points leaves a store that opens, with all of the import or none."""

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.build import build
from graph.ingest import list_imports
from graph.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "fixtures" / "mini"
TECH = "https://w3id.org/convergence-graph/id/tech/"
ORG = "https://w3id.org/convergence-graph/id/org/crash-"
SOURCE = ["--source-url", "https://example.org/crash", "--title", "Crash test", "--publisher", "Tests", "--date", "2025"]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def write_file(path: Path, orgs: int) -> int:
    """Companies with a label, working on the mini graph's technologies and partnering: 7 triples each."""
    techs = ["q-computing", "qml", "ml", "q-sensing", "protein-design", "gap-tech"]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(orgs):
            s = f"<{ORG}{i}>"
            f.write(f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                    f"<https://w3id.org/convergence-graph/ontology#Company> .\n"
                    f"{s} <http://www.w3.org/2004/02/skos/core#prefLabel> \"Crash company {i}\"@en .\n")
            for k in range(3):
                f.write(f"{s} <https://w3id.org/convergence-graph/ontology#worksOn> <{TECH}{techs[(i + k) % 6]}> .\n")
            for k in (1, 2):
                f.write(f"{s} <https://w3id.org/convergence-graph/ontology#partnersWith> <{ORG}{(i + k) % orgs}> .\n")
    return orgs * 7


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A built mini store and its data folder, a large N-Triples file, and the store's size after a full import."""
    base = tmp_path_factory.mktemp("crash")
    data = base / "data"
    shutil.copytree(MINI, data)
    s, _ = build(base / "store", data_dir=data)
    before = len(s)
    s.close()
    nt = base / "companies.nt"
    write_file(nt, 20_000)
    work = fresh(base, base / "full")
    out = run_import(nt, work)
    assert out.returncode == 0, out.stderr
    after = count(work / "store")
    assert after == before + 140_000 + 17  # the statements, the source described, the import recorded
    return base, nt, before, after


def fresh(base: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    shutil.copytree(base / "store", target / "store")
    shutil.copytree(base / "data", target / "data")
    return target


def command(nt: Path, work: Path) -> list:
    return [sys.executable, "-m", "graph", "import", str(nt), "--store", str(work / "store"),
            "--data", str(work / "data"), *SOURCE]


def run_import(nt: Path, work: Path):
    return subprocess.run(command(nt, work), cwd=ROOT, capture_output=True, text=True, timeout=600)


def count(store_dir: Path) -> int:
    s = OxigraphStore(store_dir, read_only=True)
    try:
        return len(s)
    finally:
        s.close()


def kill_at(nt: Path, work: Path, message: str, delay: float) -> bool:
    """Start the import, SIGKILL it ``delay`` s after it reports ``message``; True if the message came."""
    proc = subprocess.Popen(command(nt, work), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = False
    try:
        for line in proc.stderr:
            if message in line:
                seen = True
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    return seen


COPY = "loading the new statements into a copy of the store"
POINTS = [("comparing", 0.0), ("writing the", 0.0), (COPY, 0.0), (COPY, 0.3), (COPY, 1.0),
          ("checking the SHACL shapes", 0.0), ("switching to the new store", 0.0),
          ("switching to the new store", 0.01)]


@pytest.mark.parametrize("message,delay", POINTS, ids=[f"{m.split()[0]}-{m.split()[-1]}+{d}" for m, d in POINTS])
def test_sigkill_leaves_all_or_none(pristine, tmp_path, message, delay):
    base, nt, before, after = pristine
    work = fresh(base, tmp_path / "work")
    assert kill_at(nt, work, message, delay), f"the import never said {message!r}"
    n = count(work / "store")                       # the store opens (read-only, as the viewer opens it)
    print(message, delay, "all" if n == after else "none")  # which side the kill fell on (pytest -s)
    assert n in (before, after)
    store = OxigraphStore(work / "store")           # and for writing, as the next import does
    try:
        imports = list_imports(store)
    finally:
        store.close()
    assert len(imports) == (n == after)
    # the command line reads it; the next import settles the files and removes the half-made copy
    out = subprocess.run([sys.executable, "-m", "graph", "imports", "--store", str(work / "store")], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    again = run_import(nt, work)
    if n == after:
        assert "already imported" in again.stderr
    else:
        assert again.returncode == 0, again.stderr
        assert count(work / "store") == after
    [rec] = list_imports_of(work / "store")
    files = sorted(p.name for p in (work / "data" / "imports").iterdir())
    assert files == [f"{rec.id}.nq", f"{rec.id}.nq.added"]
    assert not [p for p in work.iterdir() if p.name.startswith(".store")]


def list_imports_of(store_dir: Path) -> list:
    s = OxigraphStore(store_dir, read_only=True)
    try:
        return list_imports(s)
    finally:
        s.close()


def test_an_interrupted_import_left_between_two_renames_is_rolled_back(pristine, tmp_path):
    """Where folders cannot be exchanged atomically, the store is renamed aside first: the next writer puts it back."""
    from graph.ingest.gate import open_for_writing

    base, nt, before, after = pristine
    work = fresh(base, tmp_path / "work")
    (work / "store").rename(work / ".store.replaced")
    store = open_for_writing(work / "store")
    store.close()
    assert count(work / "store") == before and not (work / ".store.replaced").exists()
