"""A process holding one engine loaded with the generated graph, timing one operation per command.

``python -m benchmarks.worker ENGINE DATA STORE`` loads the engine (ENGINES), prints one JSON line
``{"ready": seconds}``, then reads JSON commands from stdin and answers each with one JSON line
(``ms`` and what was produced, or ``error``). The parent enforces time limits by killing the worker, so
a runaway query never stalls the benchmark (pyoxigraph's Python API has no query timeout).
"""

import json
import os
import sys
import time
from pathlib import Path

__all__ = ["ENGINES", "main"]

#: The engines a worker can hold.
ENGINES = {
    "project": "graph.open_graph(data_dir=DATA): the project's API, store in memory",
    "project-disk": "graph.open_graph(STORE): the project's API on the disk store the app uses",
    "oxigraph": "raw pyoxigraph Store() in memory, Store.query(use_default_graph_as_union=True)",
    "rdflib": "rdflib Dataset(default_union=True) on the Memory store",
}


class Worker:
    """One engine and the operations timed on it."""

    def __init__(self, engine: str, data: Path, store: Path | None):
        self.engine, self.data, self.store = engine, data, store
        self._subs, self._cases = {}, {}
        from graph import open_graph

        if engine == "project":
            self.kg = open_graph(data_dir=data)
        elif engine == "project-disk":
            self.kg = open_graph(store)
        elif engine == "oxigraph":
            from benchmarks.engines import load_oxigraph

            self.kg, self.raw = None, load_oxigraph(data)
        elif engine == "rdflib":
            from benchmarks.engines import load_rdflib

            self.kg, self.ds = None, load_rdflib(data)
        else:
            raise SystemExit(f"error: worker: unknown engine {engine!r}; use one of {', '.join(ENGINES)}")

    def _case(self, name, params):
        key = (name, json.dumps(params, sort_keys=True))
        if key not in self._cases:
            from benchmarks.engines import QueryCase
            from graph.kg import Graph

            self._cases[key] = QueryCase(self.kg or Graph(None), name, params)
        return self._cases[key]

    def _sub(self, entity, hops, cap):
        from graph.subgraph import focus

        key = (entity, hops, cap)
        if key not in self._subs:
            self._subs[key] = focus(self.kg, entity, hops=hops, cap=cap)
        return self._subs[key]

    def run(self, cmd: dict) -> dict:
        """Do one timed operation; return its time in ms and what it produced."""
        op = cmd["op"]
        if op == "query":
            case = self._case(cmd["name"], cmd.get("params", {}))
            run = {"project": case.project, "project-disk": case.project,
                   "oxigraph": lambda: case.oxigraph(self.raw), "rdflib": lambda: case.rdflib(self.ds)}[self.engine]
            t0 = time.perf_counter()
            n = run()
            return {"ms": (time.perf_counter() - t0) * 1000, "rows": n}
        if op == "focus":
            from graph.subgraph import focus

            t0 = time.perf_counter()
            sub = focus(self.kg, cmd["entity"], hops=cmd["hops"], cap=cmd["cap"])
            return {"ms": (time.perf_counter() - t0) * 1000, "nodes": len(sub.nodes), "edges": len(sub.edges),
                    "left_out": sub.left_out}
        if op == "html":
            from graph.viz import network_html

            sub = self._sub(cmd["entity"], cmd["hops"], cmd["cap"])
            t0 = time.perf_counter()
            page = network_html(sub)
            return {"ms": (time.perf_counter() - t0) * 1000, "nodes": len(sub.nodes), "edges": len(sub.edges),
                    "bytes": len(page.encode())}
        if op == "export":
            from graph.export import Options, export

            sub = self._sub(cmd["entity"], cmd["hops"], cmd["cap"])
            t0 = time.perf_counter()
            out = export(self.kg, sub, cmd["format"], Options(title="Benchmark"))
            return {"ms": (time.perf_counter() - t0) * 1000, "nodes": len(sub.nodes), "bytes": len(out)}
        if op == "analytics":
            return self._analytics(cmd["figure"], cmd.get("cold", False), cmd.get("args", {}))
        if op == "reopen":
            from graph import open_graph

            t0 = time.perf_counter()
            kg = open_graph(self.store)
            ms = (time.perf_counter() - t0) * 1000
            kg.close()
            return {"ms": ms}
        if op == "reopen-raw":
            import pyoxigraph as ox

            t0 = time.perf_counter()
            s = ox.Store.read_only(str(self.store))
            ms = (time.perf_counter() - t0) * 1000
            del s
            return {"ms": ms}
        if op == "peak":
            from benchmarks.measure import peak_mb

            return {"ms": 0, "peak_mb": peak_mb()}
        raise ValueError(f"unknown op {op!r}")

    def _analytics(self, figure: str, cold: bool, args: dict) -> dict:
        """Compute one analytics figure; ``cold`` starts from a freshly opened graph with empty caches."""
        import graph.analytics as an

        if cold:
            from graph import open_graph

            try:
                from graph.analytics import cache

                cache._SHARED.clear()
            except (ImportError, AttributeError):
                pass
            self.kg = open_graph(self.store) if self.engine == "project-disk" else self.kg
            for attr in ("_projection", "_analytics_cache"):
                if hasattr(self.kg, attr):
                    setattr(self.kg, attr, None) if attr == "_projection" else delattr(self.kg, attr)
        fn = getattr(an, figure)
        t0 = time.perf_counter()
        out = fn(self.kg, *args.get("args", []), **args.get("kwargs", {}))
        ms = (time.perf_counter() - t0) * 1000
        size = len(out) if hasattr(out, "__len__") else None
        return {"ms": ms, "size": size}


def main(argv=None) -> None:
    args = sys.argv[1:] if argv is None else argv
    engine, data = args[0], Path(args[1])
    store = Path(args[2]) if len(args) > 2 and args[2] != "-" else None
    os.environ.setdefault("CONVERGENCE_CACHE_DIR", "off")  # cold means cold: no analytics kept on disk
    t0 = time.perf_counter()
    worker = Worker(engine, data, store)
    print(json.dumps({"ready": time.perf_counter() - t0}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = worker.run(json.loads(line))
        except Exception as exc:  # noqa: BLE001 - every failure is reported to the parent, named
            reply = {"error": f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
