"""The query guard: answers, errors, and a runaway query stopped while another query still answers."""

import threading

import pytest

from graph import ConvergenceError
from graph.guard import QueryGuard

from .conftest import MINI

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def guard():
    g = QueryGuard({"data_dir": str(MINI)}, timeout=30, max_rows=3)
    yield g
    g.stop()


def test_answers_and_caps_rows(guard):
    res, truncated = guard.run("SELECT ?s WHERE { ?s a cg:Company }")
    assert res.column("s") == ["https://w3id.org/convergence-graph/id/org/alpha"] and not truncated
    res, truncated = guard.run("SELECT ?c WHERE { ?c a cg:Technology } ORDER BY ?c")
    assert len(res.rows) == 3 and truncated


def test_syntax_error_is_located(guard):
    with pytest.raises(ConvergenceError, match=r"query:2:\d+: SPARQL syntax error"):
        guard.run("SELECT * WHERE {\n ?s ?p }")


def test_runaway_query_is_stopped_while_another_answers(guard):
    errors, answers = [], []

    def slow():
        try:
            guard.run(SLOW, timeout=2)
        except ConvergenceError as exc:
            errors.append(str(exc))

    t = threading.Thread(target=slow)
    t.start()
    res, _ = guard.run("ASK { ?s a cg:FundingBody }")   # a second worker answers meanwhile
    answers.append(res.boolean)
    t.join(30)
    assert answers == [True]
    assert errors and "stopped after 2 s" in errors[0]
    res, _ = guard.run("ASK { ?s a cg:Company }")       # and the guard still works afterwards
    assert res.boolean
