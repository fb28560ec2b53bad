"""Queries with a time limit: run in a worker process that is stopped when the limit passes.

pyoxigraph has no query timeout, so a runaway query would hold a thread forever; the worker
(``python -m graph.guard``) holds its own read-only view of the graph and is killed, then lazily
restarted, after the limit.
"""

import json
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time

from .errors import ConvergenceError

__all__ = ["QueryGuard"]


def _send(stream, obj) -> None:
    data = pickle.dumps(obj)
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def _recv(stream):
    head = stream.read(4)
    if len(head) < 4:
        raise EOFError
    (size,) = struct.unpack(">I", head)
    return pickle.loads(stream.read(size))


def _serve(open_kwargs: dict) -> None:
    """Worker loop: open the graph once, then answer (sparql, params, max_rows) requests on stdin."""
    from .kg import open_graph

    out, inp = sys.stdout.buffer, sys.stdin.buffer
    sys.stdout = sys.stderr  # nothing else may write to the reply pipe
    try:
        kg = open_graph(**open_kwargs)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a message
        _send(out, ("error", f"cannot open the graph: {exc}"))
        return
    _send(out, ("ready", None))
    while True:
        try:
            sparql, params, max_rows = _recv(inp)
        except EOFError:
            return
        try:
            res = kg.query(sparql, **params)
            truncated = False
            if max_rows and res.form == "SELECT" and len(res.rows) > max_rows:
                res.rows, truncated = res.rows[:max_rows], True
            if max_rows and res.form in ("CONSTRUCT", "DESCRIBE") and len(res.triples) > max_rows:
                res.triples, truncated = res.triples[:max_rows], True
            _send(out, ("ok", (res, truncated)))
        except ConvergenceError as exc:
            _send(out, ("fail", (exc.message, exc.where)))
        except Exception as exc:  # noqa: BLE001 - any engine failure becomes a message
            _send(out, ("fail", (f"query failed: {exc}", "query")))


class _Worker:
    """One worker process and its pipes."""

    def __init__(self, open_kwargs: dict):
        env = dict(os.environ)
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
        self.proc = subprocess.Popen([sys.executable, "-m", "graph.guard", json.dumps(open_kwargs)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        status, message = self.reply(120, "the query worker did not start within 120 s")
        if status != "ready":
            self.kill()
            raise ConvergenceError(message, "query")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def ask(self, request) -> None:
        _send(self.proc.stdin, request)

    def reply(self, limit: float, late_message: str):
        """Wait up to ``limit`` seconds for the answer; kill the worker and raise when it is late or gone."""
        ready, _, _ = select.select([self.proc.stdout], [], [], limit)
        if not ready:
            self.kill()
            raise ConvergenceError(late_message, "query")
        try:
            return _recv(self.proc.stdout)
        except (EOFError, pickle.UnpicklingError):
            self.kill()
            raise ConvergenceError("the query worker stopped unexpectedly", "query") from None

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(5)
        for stream in (self.proc.stdin, self.proc.stdout):
            stream.close()


class QueryGuard:
    """Run queries against a graph in worker processes, stopping any that pass ``timeout`` seconds.

    ``open_kwargs`` are passed to ``open_graph`` in each worker (e.g. ``{"store": ".store"}``). Up to
    ``workers`` queries run at once, so one slow query never holds up the others. Results are capped
    at ``max_rows`` rows (the second value returned says if any were cut).
    """

    def __init__(self, open_kwargs: dict | None = None, timeout: float = 10.0, max_rows: int = 10000,
                 workers: int = 4):
        self.open_kwargs = {k: str(v) for k, v in (open_kwargs or {}).items() if v is not None}
        self.timeout = timeout
        self.max_rows = max_rows
        self.elapsed = None
        self._slots = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self._idle = []

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
        return _Worker(self.open_kwargs)

    def stop(self) -> None:
        """Stop the idle workers (new ones start with the next query)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()

    def run(self, sparql: str, timeout: float | None = None, **params):
        """Return (Result, truncated) or raise ConvergenceError, stopping the query after the time limit."""
        limit = self.timeout if timeout is None else timeout
        with self._slots:
            worker = self._take()
            started = time.monotonic()
            worker.ask((sparql, params, self.max_rows))
            status, payload = worker.reply(limit, f"stopped after {limit:g} s: the query took too long; "
                                                  "narrow it (add filters or a LIMIT) and run it again")
            self.elapsed = time.monotonic() - started
            with self._lock:
                self._idle.append(worker)
        if status == "ok":
            payload[0].elapsed = self.elapsed
            return payload
        message, where = payload
        raise ConvergenceError(message, where)


if __name__ == "__main__":
    _serve(json.loads(sys.argv[1]))
