"""SPARQL over HTTP with real servers on 127.0.0.1: `convergence serve`, RemoteStore, push, the README."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import ConvergenceError, open_graph
from graph.push import MANIFEST, push, pushed_graphs
from graph.remote import RemoteStore
from graph.serve import OxigraphServer, ensure_store, free_port

from .conftest import MINI, Virtuoso

ROOT = Path(__file__).resolve().parent.parent
C = "https://w3id.org/convergence-graph/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^8 rows on mini


def cli(*args, env=None, **kw):
    """Run `python -m graph ARGS` with no store or endpoint in the environment."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("CONVERGENCE_")}
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "graph", *args], capture_output=True, text=True, env=e,
                          timeout=120, **kw)


def http(url, data=None, method=None, headers=None):
    """Return (status, body text) of one request, error statuses included."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def form(**fields) -> bytes:
    return urllib.parse.urlencode(fields).encode()


# ---------------------------------------------------------------- convergence serve

def test_serve_prints_the_url_and_stops_on_sigint(mini_store_dir):
    port = free_port()
    p = subprocess.Popen([sys.executable, "-m", "graph", "serve", "--store", str(mini_store_dir), "--port",
                          str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline().strip()
        assert line == f"SPARQL endpoint: http://127.0.0.1:{port}/query (read-only, 30 s limit; Ctrl-C stops)"
        kg = open_graph(endpoint=f"http://127.0.0.1:{port}/query")
        assert kg.query("ASK { ?x cg:partnersWith orgn:beta }").boolean is True
        p.send_signal(signal.SIGINT)
        assert p.wait(20) == 0
        assert "Traceback" not in p.stderr.read()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    with pytest.raises(ConvergenceError, match="cannot reach the SPARQL engine"):
        kg.query("ASK { ?s ?p ?o }")


def test_serve_sigterm_also_stops_cleanly(mini_store_dir):
    port = free_port()
    p = subprocess.Popen([sys.executable, "-m", "graph", "serve", "--store", str(mini_store_dir), "--port",
                          str(port), "--timeout", "5", "--cors"], stdout=subprocess.PIPE, text=True)
    try:
        assert "5 s limit" in p.stdout.readline()
        status, _ = http(f"http://127.0.0.1:{port}/query", form(query="ASK {}"),
                         headers={"Origin": "http://example.org"})
        assert status == 200
        p.send_signal(signal.SIGTERM)
        assert p.wait(20) == 0
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def test_serve_on_a_busy_port_is_a_one_line_error(mini_store_dir, oxigraph_server):
    r = cli("serve", "--store", str(mini_store_dir), "--port", str(oxigraph_server.port))
    assert r.returncode == 1
    assert r.stderr == (f"error: serve 127.0.0.1:{oxigraph_server.port}: cannot listen here (Address already in "
                        "use); choose another --port or --host\n")
    r = cli("serve", "--store", str(MINI), "--port", str(free_port()))  # a folder that is not a store
    assert r.returncode == 1 and r.stderr.startswith("error: ") and len(r.stderr.splitlines()) == 1


def test_serve_builds_the_store_when_missing(tmp_path):
    target = ensure_store(tmp_path / "store", data_dir=MINI)
    assert (target / "CURRENT").exists()
    stamp = (target / "convergence-build.json").stat().st_mtime_ns
    assert ensure_store(target) == target
    assert (target / "convergence-build.json").stat().st_mtime_ns == stamp  # not rebuilt


def test_serve_refuses_updates(oxigraph_server):
    status, body = http(oxigraph_server.base + "/update",
                        form(update="INSERT DATA { GRAPH <http://g> { <http://a> <http://b> <http://c> } }"))
    assert (status, body) == (403, "The server is read-only")
    status, _ = http(oxigraph_server.base + "/store?graph=http%3A%2F%2Fg", b"<http://a> <http://b> <http://c> .",
                     "PUT", {"Content-Type": "application/n-triples"})
    assert status == 403
    kg = open_graph(endpoint=oxigraph_server.url, update_endpoint=oxigraph_server.base + "/update")
    with pytest.raises(ConvergenceError, match="updates are not allowed here"):
        kg.query("DELETE WHERE { ?s ?p ?o }")
    assert len(kg) == len(open_graph(data_dir=MINI))


def test_malformed_query_gets_400_with_the_parsers_message(oxigraph_server):
    status, body = http(oxigraph_server.url, form(query="SELECT ?x WHERE {\n ?x ?y }"))
    assert status == 400 and body.startswith("error at 2:9: expected one of")
    kg = open_graph(endpoint=oxigraph_server.url)
    with pytest.raises(ConvergenceError, match=r"^query:2:\d+: SPARQL syntax error: expected one of"):
        kg.query("SELECT ?x WHERE {\n  ?x cg:chairs ?y ?z }")  # line 2 of the text as written, PREFIX lines aside


def test_malformed_query_on_virtuoso_is_located_too(mini_virtuoso):
    with pytest.raises(ConvergenceError, match=r"^query:3: SPARQL syntax error: syntax error at '\?z'"):
        mini_virtuoso.query("SELECT ?x WHERE {\n  ?x cg:chairs ?y .\n  ?x ?y ?z ?z }")


def test_query_past_the_time_limit_is_stopped(mini_store_dir):
    with OxigraphServer(mini_store_dir, port=free_port(), timeout=1) as server:
        status, body = http(server.url, form(query=SLOW), headers={"Accept": "application/sparql-results+json"})
        assert body.endswith("The SPARQL operation has been cancelled")
        with pytest.raises(ConvergenceError, match="stopped its answer part-way .*: The SPARQL operation has "
                                                   "been cancelled"):
            open_graph(endpoint=server.url).query(SLOW)


def test_a_slow_answer_is_a_clear_client_timeout(mini_store_dir):
    with OxigraphServer(mini_store_dir, port=free_port(), timeout=None) as server:
        kg = open_graph(endpoint=server.url, timeout=1)
        with pytest.raises(ConvergenceError, match=r"/query: no answer within 1 s; the query may be too slow"):
            kg.query(SLOW.replace("(COUNT(*) AS ?n)", "*") + " ORDER BY ?a")


# ---------------------------------------------------------------- the CLI and API on an endpoint

def test_cli_commands_work_on_an_endpoint(oxigraph_server):
    r = cli("--endpoint", oxigraph_server.url, "query", "partners-of", "--param", "actor=orgn:alpha", "-f", "json")
    assert r.returncode == 0, r.stderr
    assert [b["label"]["value"] for b in json.loads(r.stdout)["results"]["bindings"]] == ["Beta Institute"]
    r = cli("stats", env={"CONVERGENCE_ENDPOINT": oxigraph_server.url, "CONVERGENCE_STORE": "/nowhere"})
    assert r.returncode == 0, r.stderr
    assert "cg:Technology" in r.stdout and "cg:worksOn" in r.stdout
    r = cli("--endpoint", oxigraph_server.url, "query", "neighbourhood", "-p", "entity=orgn:body", "-f", "ntriples")
    assert r.returncode == 0 and f"<{C}country/dk> <https://w3id.org/convergence-graph/ontology#chairs>" in r.stdout


@pytest.mark.parametrize("args, message", [
    (["--endpoint", "http://127.0.0.1:{port}/query", "stats"],
     "error: http://127.0.0.1:{port}/query: cannot reach the SPARQL engine (Connection refused); is it running?"),
    (["--endpoint", "ftp://x", "stats"], "error: --endpoint: expected an http(s) URL, got 'ftp://x'"),
    (["--endpoint", "http://127.0.0.1:{port}/query", "--store", "x", "stats"],
     "error: --endpoint: give --store or --endpoint, not both"),
    (["push"], "error: --endpoint: give the engine's query URL with --endpoint URL"),
])
def test_remote_failures_are_one_line(args, message):
    port = free_port()
    r = cli(*[a.format(port=port) for a in args])
    assert r.returncode == 1
    assert r.stderr.strip() == message.format(port=port)


def test_every_store_agrees_on_ask_construct_terms_and_graphs(mini):
    assert mini.query("ASK { orgn:alpha cg:partnersWith orgn:beta }").boolean is True
    assert mini.query("ASK { orgn:beta cg:partnersWith orgn:alpha }").boolean is False
    row = mini.query("SELECT ?d ?n WHERE { usecase:uc-nav cg:dualUse ?d . "
                     "BIND(STRLEN(\"bêta\") AS ?n) }").rows[0]
    assert row == (ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
                   ox.Literal("4", datatype=ox.NamedNode(XSD + "integer")))
    embedded = open_graph(data_dir=MINI)
    expected = set(embedded.run_named("neighbourhood", entity="orgn:body").triples)
    assert set(mini.run_named("neighbourhood", entity="orgn:body").triples) == expected
    assert mini.store.graphs() == embedded.store.graphs()
    assert len(mini) == len(embedded)
    g = C + "source/s2"
    assert set(mini.store.quads(g)) == set(embedded.store.quads(g))


def test_url_prints_a_get_url_for_a_named_query(oxigraph_server, mini_virtuoso, virtuoso):
    for endpoint in (oxigraph_server.url, virtuoso.sparql):
        r = cli("url", "partners-of", "--param", "actor=orgn:alpha", "--endpoint", endpoint)
        assert r.returncode == 0, r.stderr
        status, body = http(r.stdout.strip(), headers={"Accept": "application/sparql-results+json"})
        assert status == 200, body
        assert [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["Beta Institute"]


# ---------------------------------------------------------------- push

@pytest.fixture(params=["virtuoso-gsp", "oxigraph-gsp", "oxigraph-update"])
def engine(request, tmp_path):
    """An empty writable engine and a RemoteStore that writes to it the way the param says."""
    if request.param == "virtuoso-gsp":
        server = Virtuoso(tmp_path / "virtuoso").start()
        try:
            yield RemoteStore(server.sparql, gsp_endpoint=server.gsp, user="dba", password="dba")
        finally:
            server.stop()
        return
    with OxigraphServer(tmp_path / "oxi", port=free_port(), read_only=False) as server:
        if request.param == "oxigraph-gsp":
            yield RemoteStore(server.url, gsp_endpoint=server.base + "/store")
        else:
            yield RemoteStore(server.url, update_endpoint=server.base + "/update")


def test_push_replaces_its_graphs_and_removes_only_stale_ones(engine):
    foreign = ox.Triple(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal("x"))
    engine.put_graph("http://example.org/not-ours", [foreign])
    source = open_graph(data_dir=MINI).store
    done = push(source, engine)
    assert done["written"] == source.graphs() and done["deleted"] == []
    assert engine.graphs() == source.graphs() and len(engine) == len(source)
    assert pushed_graphs(engine) == source.graphs()
    # the data changes: one source leaves, another graph gains a statement
    gone, entities = C + "source/s2", "https://w3id.org/convergence-graph/graph/entities"
    extra = ox.Quad(ox.NamedNode(C + "org/alpha"), ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
                    ox.Literal("Alpha", language="en"), ox.NamedNode(entities))
    changed = type(source)()
    changed.add_quads([q for q in source.quads() if q.graph_name.value != gone] + [extra])
    done = push(changed, engine)
    assert done["deleted"] == [gone]
    assert engine.graphs() == changed.graphs() and gone not in engine.graphs()
    assert set(engine.quads(entities)) == set(changed.quads(entities))
    assert len(engine) == len(changed)
    res = engine.run("SELECT ?o WHERE { GRAPH <http://example.org/not-ours> { ?s ?p ?o } }")
    assert [r[0] for r in res.rows] == [ox.Literal("x")]  # nothing else touched
    assert MANIFEST not in engine.graphs()


def test_push_command_into_virtuoso_with_digest_auth(tmp_path, mini_store_dir):
    server = Virtuoso(tmp_path / "virtuoso").start()
    try:
        args = ["--store", str(mini_store_dir), "push", "--endpoint", server.sparql, "--gsp-endpoint", server.gsp]
        r = cli(*args, "--user", "dba", "--password", "wrong")
        assert r.returncode == 1 and r.stderr.startswith("error: ") and "HTTP 401" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        r = cli(*args, env={"CONVERGENCE_USER": "dba", "CONVERGENCE_PASSWORD": "dba"})
        assert r.returncode == 0, r.stderr
        mini = open_graph(data_dir=MINI)
        assert r.stdout.strip() == (f"pushed {len(mini)} statements in {len(mini.store.graphs())} graphs "
                                    f"to {server.sparql}")
        r = cli("--endpoint", server.sparql, "query", "chairs-over-time", "-p", "body=orgn:body", "-f", "csv")
        assert r.returncode == 0 and r.stdout.splitlines()[1].startswith(f"{C}country/dk,Denmark,2024,2025-05-13,")
    finally:
        server.stop()


# ---------------------------------------------------------------- the README's examples, as a new user runs them

def readme_blocks():
    """Return the (language, text) fenced blocks of the README's "Querying over HTTP" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Querying over HTTP", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(\w+)\n(.*?)```", section, re.S)


def answer_after(blocks, needle):
    """Return the code block containing ``needle`` and the text block right after it."""
    i = next(i for i, (_, body) in enumerate(blocks) if needle in body)
    assert blocks[i + 1][0] == "text"
    return blocks[i][1], blocks[i + 1][1]


@pytest.fixture(scope="module")
def bundled_server(tmp_path_factory):
    """`oxigraph serve-read-only` over the bundled data, on a free port."""
    from graph.build import build

    store, _ = build(tmp_path_factory.mktemp("bundled") / "store", validate=False)
    store.close()
    with OxigraphServer(store.path, port=free_port()) as server:
        yield server


def test_readme_serve_line_is_what_serve_prints():
    _, line = answer_after(readme_blocks(), "convergence serve")
    assert line.strip() == "SPARQL endpoint: http://127.0.0.1:7878/query (read-only, 30 s limit; Ctrl-C stops)"


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_readme_curl_example(bundled_server):
    code, answer = answer_after(readme_blocks(), "curl -s http://127.0.0.1:7878/query")
    code = code.replace("http://127.0.0.1:7878", bundled_server.base)
    out = subprocess.run(["bash", "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert out.replace("\r\n", "\n").strip() == answer.strip()


def test_readme_sparqlwrapper_example(bundled_server):
    code, answer = answer_after(readme_blocks(), "SPARQLWrapper(")
    code = code.replace("http://127.0.0.1:7878", bundled_server.base)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == answer.strip()


def test_readme_python_api_and_url_examples(bundled_server):
    blocks = readme_blocks()
    code = next(b for lang, b in blocks if lang == "python" and "open_graph(endpoint=" in b)
    expected = code.strip().splitlines()[-1].lstrip("# ")
    code = code.replace("http://127.0.0.1:7878", bundled_server.base)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == expected
    line = next(b for lang, b in blocks if "convergence url" in b).strip()
    line = line.replace(".venv/bin/convergence url", f"{sys.executable} -m graph url --endpoint {bundled_server.url}")
    if shutil.which("curl"):
        out = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=60, cwd=ROOT).stdout
        assert [r.split(",")[1] for r in out.splitlines()[1:]] == ["Denmark", "United Kingdom"]
