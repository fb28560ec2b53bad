"""The benchmark: speed and scale of the project side by side with rdflib and raw pyoxigraph, in one run.

``python -m benchmarks.run`` (``make bench``) generates graphs of 10k, 100k and 1M statements (5M with
``--with-5m``) and measures on each, on the same data: builds (time and peak memory, each in its own
process), disk reopen, every named query on four engines, focus subgraphs, network HTML, exports,
analytics cold and cached, N-Triples import and the viewer in a real browser. ``--quick`` runs the
10k graph with short limits (CI). Results: a table on stdout, the targets met or not, and a JSON
file in ``benchmarks/results/``.
"""

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from .child import build_in_child
from .generator import SCALES, generate, write_ntriples
from .machine import describe_machine, load_average
from .measure import Timing
from .pool import EngineProcess, Overrun, interleaved
from .report import print_report, targets

__all__ = ["main", "run_scale", "ANALYTICS"]

ROOT = Path(__file__).resolve().parent.parent

#: Analytics figures and their arguments (the generated graph's own entities fill in the placeholders).
ANALYTICS = [
    ("projection", {}), ("entity_graph", {}), ("domain_matrix", {}), ("heatmap_data", {}), ("cross_links", {}),
    ("trends", {}), ("convergence_actors", {}), ("bridges", {}), ("communities", {}), ("isolated_topics", {}),
    ("thin_domains", {}), ("compare_countries", {"args": [["$country0", "$country1"]]}),
    ("paths", {"args": ["$hub", "$typical"]}),
]

BUILD_KINDS = ["project-memory", "project-disk", "oxigraph-memory", "oxigraph-disk", "rdflib-memory"]


def _say(msg: str) -> None:
    print(f"... {msg}", file=sys.stderr, flush=True)


def _fill(value, m: dict):
    """Replace ``$hub``-style placeholders with the manifest's entities."""
    if isinstance(value, list):
        return [_fill(v, m) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, m) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("$"):
        key = value[1:]
        if key.startswith("country"):
            return m["params"]["actors-by-country"]["country"] if key == "country0" else \
                m["params"]["country-programmes"]["country"]
        return m[key]
    return value


def _builds(data: Path, work: Path, repeats: int, rdflib_ok: bool) -> dict:
    out = {}
    for kind in BUILD_KINDS:
        if kind.startswith("rdflib") and not rdflib_ok:
            out[kind] = {"skipped": "rdflib is not run at this size (see --rdflib-max)"}
            continue
        store = {"project-disk": work / "store", "oxigraph-disk": work / "store-raw"}.get(kind)
        reps = [build_in_child(kind, data, store) for _ in range(repeats if not kind.startswith("rdflib") else 1)]
        ok = [r for r in reps if "error" not in r]
        if not ok:
            out[kind] = {"error": reps[0]["error"]}
            continue
        t = Timing.of([r["seconds"] * 1000 for r in ok])
        out[kind] = {**t, "quads": ok[0]["quads"], "peak_mb": max(r["peak_mb"] for r in ok),
                     "base_mb": ok[0]["base_mb"]}
        _say(f"build {kind}: {t['median_ms'] / 1000:.2f} s, peak {out[kind]['peak_mb']} MB")
    shutil.rmtree(work / "store-raw", ignore_errors=True)
    return out


def _imports(data: Path, work: Path, repeats: int, rdflib_ok: bool) -> dict:
    nt = work / "import.nt"
    lines = write_ntriples(data, nt)
    out = {"file": nt.name, "triples": lines, "bytes": nt.stat().st_size}
    for kind in ("project-import", "oxigraph-import", "rdflib-import"):
        if kind == "rdflib-import" and not rdflib_ok:
            out[kind] = {"skipped": "rdflib is not run at this size"}
            continue
        runs, last = [], {}
        for _ in range(repeats if kind != "rdflib-import" else 1):
            target = work / "import-store"
            shutil.rmtree(target, ignore_errors=True)
            shutil.rmtree(work / "import-store-imports", ignore_errors=True)
            if kind != "rdflib-import":
                shutil.copytree(work / "store", target)
            last = build_in_child(kind, nt, target)
            if "error" in last:
                break
            runs.append(last["seconds"] * 1000)
        shutil.rmtree(work / "import-store", ignore_errors=True)
        shutil.rmtree(work / "import-store-imports", ignore_errors=True)
        if not runs:
            out[kind] = {"error": last.get("error")}
            continue
        t = Timing.of(runs)
        out[kind] = {**t, "triples_per_s": round(lines / (t["median_ms"] / 1000)), "peak_mb": last.get("peak_mb")}
        _say(f"import {kind}: {out[kind]['triples_per_s']} triples/s")
    nt.unlink(missing_ok=True)
    return out


def run_scale(label: str, n: int, args, work_root: Path) -> dict:
    """Everything measured on one generated graph."""
    work = work_root / label
    data = work / "data"
    t0 = time.perf_counter()
    m = generate(data, n, seed=args.seed)
    res = {"label": label, "target": n, "quads": m["quads"], "generate_s": round(time.perf_counter() - t0, 2),
           "counts": m["counts"], "entities": {k: m[k] for k in ("hub", "typical", "second")}}
    _say(f"{label}: generated {m['quads']} statements in {res['generate_s']} s")
    rdflib_ok = n <= args.rdflib_max
    res["build"] = _builds(data, work, args.build_repeats, rdflib_ok)
    store = work / "store"
    limit = args.limit

    procs = {"project": EngineProcess("project", data), "project-disk": EngineProcess("project-disk", data, store),
             "oxigraph": EngineProcess("oxigraph", data)}
    if rdflib_ok:
        procs["rdflib"] = EngineProcess("rdflib", data)
    try:
        for p in procs.values():
            p.spawn()
        for name, p in procs.items():
            p.wait_ready()
            _say(f"engine {name} loaded in {p.load_s:.2f} s")
        disk = procs["project-disk"]
        res["reopen"] = {"project": disk.timed({"op": "reopen"}, args.repeats, limit),
                         "oxigraph": disk.timed({"op": "reopen-raw"}, args.repeats, limit)}

        res["queries"] = {}
        from graph.named import load_named_queries

        for name in sorted(load_named_queries()):
            cmd = {"op": "query", "name": name, "params": m["params"].get(name, {})}
            res["queries"][name] = interleaved(procs, cmd, args.repeats, limit)
            q = res["queries"][name]
            _say(f"query {name}: " + ", ".join(f"{k} {v.get('median_ms') if v.get('median_ms') is not None else (v.get('timeout') or v.get('error'))}"
                                                for k, v in q.items()))
        for extra in [k for k in procs if k != "project" and k != "project-disk"]:
            procs.pop(extra).stop()

        mem = procs["project"]
        res["focus"] = {}
        for who in ("typical", "hub"):
            for engine in ("project", "project-disk"):
                cmd = {"op": "focus", "entity": m[who], "hops": 2, "cap": 150}
                res["focus"][f"{who}/{engine}"] = procs[engine].timed(cmd, args.repeats, limit)
        res["html"] = {}
        for cap in (150, 2000):
            t = mem.timed({"op": "html", "entity": m["hub"], "hops": 2, "cap": cap}, args.repeats, limit)
            if t.get("nodes", cap) < cap:
                t = mem.timed({"op": "html", "entity": m["hub"], "hops": 3, "cap": cap}, args.repeats, limit)
            res["html"][str(cap)] = t
            _say(f"network html {cap}: {t.get('median_ms')} ms for {t.get('nodes')} nodes")
        res["exports"] = _exports(mem, m, args, limit)
        res["analytics"] = _analytics(disk, m, args)
        res["peak_mb"] = {k: p.call({"op": "peak"}, 30).get("peak_mb") for k, p in procs.items() if p.proc}
    finally:
        for p in procs.values():
            p.stop()
    res["import"] = _imports(data, work, args.build_repeats, rdflib_ok)
    if args.browser:
        from .browser import measure_app

        _say("viewer in the browser")
        res["app"] = measure_app(store, m["hub"])
        _say(f"viewer: {res['app']}")
    else:
        res["app"] = {"skipped": "--no-browser"}
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return res


def _exports(proc, m, args, limit) -> dict:
    try:
        from graph.export import FORMATS
    except ImportError:
        return {"error": "not available: graph.export is missing"}
    out = {}
    for fmt in FORMATS:
        cmd = {"op": "export", "format": fmt, "entity": m["hub"], "hops": 2, "cap": 150}
        out[fmt] = proc.timed(cmd, args.repeats, limit, warmup=0 if args.quick else 1, budget_s=args.budget)
        _say(f"export {fmt}: {out[fmt].get('median_ms') or out[fmt].get('error') or out[fmt].get('timeout')}")
    return out


def _analytics(proc, m, args) -> dict:
    try:
        import graph.analytics as an
    except ImportError:
        return {"error": "not available: graph.analytics is missing"}
    out = {}
    for figure, fargs in ANALYTICS:
        if not hasattr(an, figure):
            out[figure] = {"error": "not available in graph.analytics"}
            continue
        fargs = _fill(fargs, m)
        cold = proc.timed({"op": "analytics", "figure": figure, "cold": True, "args": fargs}, args.repeats,
                          args.analytics_limit, warmup=0, budget_s=args.budget)
        cached = proc.timed({"op": "analytics", "figure": figure, "cold": False, "args": fargs}, args.repeats,
                            args.analytics_limit, warmup=0)
        out[figure] = {"cold": cold, "cached": cached}
        _say(f"analytics {figure}: cold {cold.get('median_ms') or cold.get('error') or cold.get('timeout')} ms, "
             f"cached {cached.get('median_ms')} ms")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="a 2,000-statement graph, one timed run each, short limits: a smoke test for CI")
    ap.add_argument("--scales", default=None, help="comma-separated sizes, e.g. 10k,100k,1M (default: those three)")
    ap.add_argument("--with-5m", action="store_true", help="add the 5M graph (needs ~10 GB of memory, ~1 hour)")
    ap.add_argument("--repeats", type=int, default=5, help="timed runs after the warm-up (median of these)")
    ap.add_argument("--build-repeats", type=int, default=3, help="builds and imports per kind (rdflib: one)")
    ap.add_argument("--limit", type=float, default=120, help="seconds before one query or operation is stopped")
    ap.add_argument("--analytics-limit", type=float, default=900, help="seconds before one analytics run is stopped")
    ap.add_argument("--budget", type=float, default=60, help="stop repeating a slow export or analytics after this")
    ap.add_argument("--rdflib-max", type=int, default=1_000_000, help="largest graph rdflib is run on")
    ap.add_argument("--no-browser", dest="browser", action="store_false", help="skip the viewer in Chromium")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "convergence-bench",
                    help="scratch folder (removed after the run unless --keep)")
    ap.add_argument("--keep", action="store_true", help="keep the generated data and stores")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results", help="folder for the JSON")
    args = ap.parse_args(argv)
    if args.quick:
        labels = (args.scales or "2000").split(",")
        args.repeats, args.build_repeats = 1, 1
        args.limit, args.budget, args.analytics_limit = min(args.limit, 20), min(args.budget, 2), 60
    else:
        labels = (args.scales or "10k,100k,1M").split(",") + (["5M"] if args.with_5m else [])
    bad = [x for x in labels if x not in SCALES and not x.isdigit()]
    if bad:
        print(f"error: --scales: unknown size {bad[0]!r}; use {', '.join(SCALES)} or a number", file=sys.stderr)
        return 1
    started = time.perf_counter()
    result = {"mode": "quick" if args.quick else "full", "machine": describe_machine(ROOT),
              "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
              "scales": []}
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{date.today().isoformat()}-{result['mode']}.json"
    for label in labels:
        try:
            result["scales"].append(run_scale(label, SCALES.get(label) or int(label), args, args.work))
        except Overrun as exc:
            print(f"error: {label}: an engine could not load the graph: {exc}", file=sys.stderr)
            return 1
        finally:  # what is measured so far is kept, even if a later size fails or is interrupted
            result["machine"]["load_average_end"] = load_average()
            result["seconds"] = round(time.perf_counter() - started, 1)
            result["targets"] = targets(result)
            path.write_text(json.dumps(result, indent=1, sort_keys=False), encoding="utf-8")
    print_report(result)
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
