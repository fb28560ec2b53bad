"""One build in a fresh process, so its peak memory is its own: ``python -m benchmarks.child KIND DATA [STORE]``.

Prints one JSON line: seconds (the load alone, imports excluded), quads, peak_mb (the process's VmHWM)
and base_mb (VmHWM after the imports, before loading). KIND is one of KINDS.
"""

import json
import shutil
import sys
import time
from pathlib import Path

__all__ = ["KINDS", "build_in_child", "main"]

#: What each kind loads the generated data into.
KINDS = {
    "project-memory": "graph.build.build(None, data_dir, validate=False): the project's build in memory",
    "project-disk": "graph.build.build(store, data_dir, validate=False): the project's build to disk",
    "oxigraph-memory": "pyoxigraph Store().load(path=...) per file",
    "oxigraph-disk": "pyoxigraph Store(path).bulk_load(path=...) per file",
    "rdflib-memory": "rdflib Dataset(default_union=True).parse(file) per file (Memory store)",
    "project-import": "graph.ingest.import_file(NT, STORE, source=...): the project's import into a disk store",
    "oxigraph-import": "pyoxigraph Store(STORE).bulk_load(path=NT, to_graph=source): no checks",
    "rdflib-import": "rdflib Graph().parse(NT) on the Memory store: no checks",
}

#: The source the imported N-Triples are attributed to.
IMPORT_SOURCE = {"url": "https://bench.example.org/import/publications", "title": "Benchmark import",
                 "publisher": "Benchmark", "issued": "2025-01-01"}


def _load(kind: str, data: Path, store: Path | None) -> int:
    """Load the data the way ``kind`` does; return the number of statements loaded."""
    if kind == "project-memory":
        from graph.build import build

        _, info = build(None, data_dir=data, validate=False)
        return info.quads
    if kind == "project-disk":
        from graph.build import build

        s, info = build(store, data_dir=data, validate=False)
        s.close()
        return info.quads
    if kind == "project-import":
        from graph.ingest import import_file
        from graph.ingest.sources import SourceInfo

        record, batch = import_file(data, store, source=SourceInfo(**IMPORT_SOURCE),
                                    data_dir=store.parent / f"{store.name}-imports")
        return len(batch.quads)
    if kind == "oxigraph-import":
        import pyoxigraph as ox

        s = ox.Store(str(store))
        s.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(IMPORT_SOURCE["url"]))
        s.flush()
        return sum(1 for _ in open(data, encoding="utf-8"))
    if kind == "rdflib-import":
        import rdflib

        return len(rdflib.Graph().parse(str(data), format="nt"))
    if kind.startswith("oxigraph"):
        from benchmarks.engines import load_oxigraph

        if kind == "oxigraph-disk":
            shutil.rmtree(store, ignore_errors=True)
        return len(load_oxigraph(data, store if kind == "oxigraph-disk" else None))
    if kind == "rdflib-memory":
        from benchmarks.engines import load_rdflib

        return sum(len(g) for g in load_rdflib(data).graphs())
    raise SystemExit(f"error: child: unknown kind {kind!r}; use one of {', '.join(KINDS)}")


def main(argv=None) -> None:
    from benchmarks.measure import peak_mb

    args = sys.argv[1:] if argv is None else argv
    kind, data = args[0], Path(args[1])
    store = Path(args[2]) if len(args) > 2 else None
    if kind == "project-import":
        import graph.ingest  # noqa: F401 - imports are not part of the load time
        import graph.validate  # noqa: F401
    elif kind.startswith("project"):
        import graph.build  # noqa: F401
    else:
        import benchmarks.engines  # noqa: F401
        if kind.startswith("rdflib"):
            import rdflib  # noqa: F401
    base = peak_mb()
    t0 = time.perf_counter()
    n = _load(kind, data, store)
    seconds = time.perf_counter() - t0
    print(json.dumps({"kind": kind, "seconds": round(seconds, 4), "quads": n, "peak_mb": peak_mb(), "base_mb": base}))


def build_in_child(kind: str, data: Path, store: Path | None = None, timeout: float = 3600) -> dict:
    """Run one build in a child process and return its JSON report (or an error entry)."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    cmd = [sys.executable, "-m", "benchmarks.child", kind, str(data)] + ([str(store)] if store else [])
    try:
        out = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"kind": kind, "error": f"over {timeout:g} s"}
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["exit status %d" % out.returncode])[-1]
        return {"kind": kind, "error": last}
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
