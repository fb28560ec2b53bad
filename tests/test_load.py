"""Bounded load on `convergence serve` (loopback only): 32 clients run the named queries at once with no
error, latency percentiles are printed, and a runaway query is stopped at the limit while the others go on."""

import statistics
import threading
import time

import pytest

from graph import ConvergenceError, open_graph
from graph.build import build
from graph.named import load_named_queries
from graph.serve import OxigraphServer, free_port

from .conftest import SUMMARY

CLIENTS = 32
ROUNDS = 2
DEADLINE_S = 240
LIMIT_S = 10  # the time limit: the server's --timeout and the clients' own
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store, _ = build(tmp_path_factory.mktemp("load") / "store", validate=False)
    store.close()
    with OxigraphServer(store.path, port=free_port(), timeout=LIMIT_S) as srv:
        yield srv


def test_32_clients_no_errors_and_a_runaway_stopped(server):
    names = sorted(load_named_queries())
    latencies, errors, runaway = [], [], []
    started = time.monotonic()

    def client(n):
        kg = open_graph(endpoint=server.url)
        for _ in range(ROUNDS):
            for name in names[n % len(names):] + names[:n % len(names)]:
                if time.monotonic() - started > DEADLINE_S:
                    return
                t = time.monotonic()
                try:
                    kg.run_named(name)
                    latencies.append(time.monotonic() - t)
                except ConvergenceError as exc:
                    errors.append((name, str(exc)))

    def slow():
        # the client gives up at its limit; the Oxigraph server cancels the query itself later (its
        # --timeout-s is checked between steps of evaluation, so a huge COUNT runs on for a while)
        kg = open_graph(endpoint=server.url, timeout=LIMIT_S)
        t = time.monotonic()
        try:
            res = kg.query(RUNAWAY)
            runaway.append(("answered", time.monotonic() - t, res.rows[0][0].value if res.rows else None))
        except ConvergenceError as exc:
            runaway.append(("stopped", time.monotonic() - t, str(exc)))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)] + [threading.Thread(target=slow)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(DEADLINE_S + 30)
    qs = sorted(latencies)
    pct = {p: qs[min(len(qs) - 1, int(len(qs) * p / 100))] * 1000 for p in (50, 90, 99)}
    SUMMARY.append(f"load: {len(qs) + len(errors)} requests sent by {CLIENTS} clients, {len(errors)} failed, "
                   f"p50 {pct[50]:.0f} ms, p99 {pct[99]:.0f} ms; runaway {runaway[0][0] if runaway else 'missing'}"
                   f" after {runaway[0][1]:.1f} s" if runaway else "")
    print(f"\nload: {len(qs)} queries by {CLIENTS} clients in {time.monotonic() - started:.1f} s, "
          f"{len(errors)} errors; latency ms p50 {pct[50]:.1f} p90 {pct[90]:.1f} p99 {pct[99]:.1f} "
          f"max {qs[-1] * 1000:.1f} mean {statistics.mean(qs) * 1000:.1f}; runaway: {runaway}")
    assert errors == [], errors[:3]
    assert len(qs) == CLIENTS * ROUNDS * len(names)
    assert runaway and runaway[0][0] == "stopped" and runaway[0][1] < LIMIT_S + 5
