"""Several readers of one disk store at once (app sessions, the CLI), and writes while they read."""

import os
import subprocess
import sys

import pytest

from graph import ConvergenceError, OxigraphStore, open_graph
from graph.build import build, read_build_info

from .conftest import MINI


@pytest.fixture
def store(tmp_path):
    s, _ = build(tmp_path / "store", data_dir=MINI, validate=False)
    s.close()
    return tmp_path / "store"


def cli(*args):
    env = {k: v for k, v in os.environ.items() if k != "CONVERGENCE_STORE"}
    return subprocess.run([sys.executable, "-m", "graph", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_many_readers_and_the_cli_read_at_once(store):
    readers = [open_graph(store) for _ in range(4)]          # e.g. four app sessions' workers
    p = cli("--store", str(store), "query", "partners-of", "-p", "actor=orgn:alpha", "-f", "csv")
    assert p.returncode == 0 and "Beta Institute" in p.stdout
    assert all(r.run_named("partners-of", actor="orgn:alpha").column("label") == ["Beta Institute"] for r in readers)


def test_a_rebuild_while_readers_hold_the_store(store, tmp_path):
    reader = open_graph(store)
    before = read_build_info(store)["built"]
    data = tmp_path / "data2"
    data.mkdir()
    (data / "mini.trig").write_text((MINI / "mini.trig").read_text().replace("Beta Institute", "Beta Institute II"))
    p = cli("build", "--store", str(store), "--data", str(data))
    assert p.returncode == 0, p.stderr
    # the open reader keeps its consistent view; a new opener sees the new build
    assert reader.run_named("partners-of", actor="orgn:alpha").column("label") == ["Beta Institute"]
    assert open_graph(store).run_named("partners-of", actor="orgn:alpha").column("label") == ["Beta Institute II"]
    assert read_build_info(store)["built"] >= before


def test_a_second_writer_gets_a_clear_message_not_a_lock_error(store):
    first = OxigraphStore(store)                      # a writer holds the store (e.g. an import running)
    try:
        with pytest.raises(ConvergenceError, match="another process may be writing to it"):
            code = ("from graph import OxigraphStore\n"
                    f"OxigraphStore({str(store)!r})\n")
            p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
            if p.returncode:
                raise ConvergenceError(p.stderr.strip().splitlines()[-1], "writer")
        reader = open_graph(store)                    # readers still work beside the writer
        assert len(reader.run_named("use-cases")) == 2
    finally:
        first.close()
