"""Fixtures: a small real store built from tests/fixtures/mini, and the bundled graph."""

import os
from pathlib import Path

import pytest

from graph import open_graph

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture(scope="session", params=["embedded", "oxigraph-server", "virtuoso"])
def mini(request):
    """The small test graph: in memory, behind the Oxigraph server, and pushed into Virtuoso."""
    if request.param == "embedded":
        return open_graph(data_dir=MINI)
    return request.getfixturevalue("mini_" + request.param.replace("-", "_"))


@pytest.fixture(scope="session")
def bundled():
    """The bundled data, in memory."""
    return open_graph()


@pytest.fixture
def mini_copy(tmp_path):
    """A writable copy of the mini data folder."""
    import shutil

    dst = tmp_path / "data"
    shutil.copytree(MINI, dst)
    return dst


# ---------------------------------------------------------------- real SPARQL engines on 127.0.0.1

VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
DirsAllowed = {d}
ThreadsPerQuery = 1

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}/www
ServerThreads = 4
MaxClientConnections = 4
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


class Virtuoso:
    """Virtuoso open source 7 (`virtuoso-t +foreground`) with its own ini and database folder."""

    def __init__(self, folder: Path):
        from graph.serve import free_port

        self.folder, self.sql_port, self.http_port = folder, free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.sparql, self.sparql_auth = self.base + "/sparql", self.base + "/sparql-auth"
        self.gsp = self.base + "/sparql-graph-crud-auth"
        self.process = None

    def start(self, wait: float = 90):
        import shutil
        import subprocess
        import time
        import urllib.parse
        import urllib.request

        binary = shutil.which("virtuoso-t")
        if binary is None:
            if os.environ.get("CI"):
                pytest.fail("virtuoso-t is missing: .ci/run installs virtuoso-opensource-7-bin")
            pytest.skip("virtuoso-t is missing (apt-get install virtuoso-opensource-7-bin)")
        (self.folder / "www").mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(d=self.folder, sql_port=self.sql_port, http_port=self.http_port))
        self.log = open(self.folder / "stdout.log", "wb")
        self.process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=self.folder,
                                        stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        probe = self.sparql + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited: {(self.folder / 'stdout.log').read_text()[-500:]}")
            try:
                with urllib.request.urlopen(probe, timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"virtuoso-t did not answer within {wait} s")

    def stop(self):
        import subprocess

        p, self.process = self.process, None
        if p is not None and p.poll() is None:
            p.terminate()
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if p is not None:
            self.log.close()


@pytest.fixture(scope="session")
def mini_store_dir(tmp_path_factory):
    """The small test graph built into a disk store."""
    from graph.build import build

    store, _ = build(tmp_path_factory.mktemp("mini-disk") / "store", data_dir=MINI, validate=False)
    store.close()
    return store.path


@pytest.fixture(scope="session")
def oxigraph_server(mini_store_dir):
    """`oxigraph serve-read-only` over the small test graph, as `convergence serve` starts it."""
    from graph.serve import OxigraphServer, free_port

    with OxigraphServer(mini_store_dir, port=free_port(), timeout=20) as server:
        yield server


@pytest.fixture(scope="session")
def mini_oxigraph_server(oxigraph_server):
    """The small test graph queried through the Oxigraph server."""
    return open_graph(endpoint=oxigraph_server.url)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A fresh Virtuoso on free 127.0.0.1 ports, stopped after the session."""
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def mini_virtuoso(virtuoso):
    """The small test graph pushed into Virtuoso (Graph Store Protocol, digest auth as dba)."""
    from graph.push import push

    kg = open_graph(endpoint=virtuoso.sparql, gsp_endpoint=virtuoso.gsp, user="dba", password="dba")
    push(open_graph(data_dir=MINI).store, kg.store)
    return kg


#: Lines the hardening tests want printed at the end of every run (inputs tried, load latencies, ...).
SUMMARY = []


def pytest_terminal_summary(terminalreporter):
    """Print the hardening counts after the test results, so CI logs always show them."""
    import sys

    bad = sys.modules.get("tests.test_bad_inputs")
    lines = ([bad.summary()] if bad and bad.TALLY["tried"] else []) + SUMMARY
    if lines:
        terminalreporter.section("hardening counts")
        for line in lines:
            terminalreporter.write_line(line)
