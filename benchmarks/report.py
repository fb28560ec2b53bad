"""The benchmark's table and its targets (from issue 9), met or not, computed from the results JSON."""

import statistics

__all__ = ["print_report", "targets", "query_ratios", "markdown"]

ENGINES = ("project", "project-disk", "oxigraph", "rdflib")


def _ms(t) -> float | None:
    return t.get("median_ms") if isinstance(t, dict) else None


def _cell(t, unit: float = 1.0, digits: int = 1) -> str:
    """A median with its spread, or why there is none."""
    if not isinstance(t, dict):
        return "-"
    if t.get("skipped"):
        return "skipped"
    if t.get("timeout"):
        return f">{t.get('limit_s', 0):g}s"
    if t.get("error") and t.get("median_ms") is None:
        return "error"
    m = t.get("median_ms")
    if m is None:
        return "-"
    return f"{m / unit:.{digits}f}"


def _spread(t, unit: float = 1.0, digits: int = 1) -> str:
    if not isinstance(t, dict) or t.get("median_ms") is None or t.get("n", 0) < 2:
        return ""
    return f"[{t['min_ms'] / unit:.{digits}f}-{t['max_ms'] / unit:.{digits}f}]"


def query_ratios(scale: dict) -> dict:
    """Per query: project/rdflib speed-up and project/pyoxigraph ratio, plus their medians over queries.

    An rdflib run stopped at the time limit counts at the limit (so its speed-up is a lower bound).
    """
    per, up, raw = {}, [], []
    for name, q in scale.get("queries", {}).items():
        p, o, r = _ms(q.get("project")), _ms(q.get("oxigraph")), q.get("rdflib") or {}
        row = {}
        rms = _ms(r) if _ms(r) is not None else (r.get("limit_s", 0) * 1000 if r.get("timeout") else None)
        if p and rms:
            row["speedup_vs_rdflib"] = round(rms / p, 2)
            row["lower_bound"] = bool(r.get("timeout"))
            up.append(rms / p)
        if p and o:
            row["project_over_oxigraph"] = round(p / o, 3)
            raw.append(p / o)
        rows = {e: q[e].get("rows") for e in ENGINES if isinstance(q.get(e), dict) and "rows" in q[e]}
        if len(set(rows.values())) > 1:
            row["rows_differ"] = rows
        per[name] = row
    return {"per_query": per,
            "median_speedup_vs_rdflib": round(statistics.median(up), 2) if up else None,
            "median_project_over_oxigraph": round(statistics.median(raw), 3) if raw else None,
            "worst_project_over_oxigraph": round(max(raw), 3) if raw else None}


def _at(result: dict, label: str):
    return next((s for s in result["scales"] if s["label"] == label), None)


def targets(result: dict) -> list:
    """Each target of issue 9 with what was measured and whether it is met (None: not measured here)."""
    s1m = _at(result, "1M")
    last = result["scales"][-1] if result["scales"] else None
    out = []

    def add(name, scale, measured, met, note=""):
        out.append({"target": name, "scale": scale["label"] if scale else None, "measured": measured,
                    "met": met, "note": note})

    if s1m:
        r = query_ratios(s1m)
        v = r["median_speedup_vs_rdflib"]
        add("named queries at 1M: median query >= 10x faster than rdflib", s1m,
            f"{v}x" if v is not None else "not measured", v is not None and v >= 10 or (None if v is None else False))
        v = r["median_project_over_oxigraph"]
        add("named queries at 1M: within 1.3x of raw pyoxigraph (median query)", s1m,
            f"{v}x (worst {r['worst_project_over_oxigraph']}x)" if v is not None else "not measured",
            None if v is None else v <= 1.3)
        b = s1m["build"].get("project-memory", {})
        ok = _ms(b) is not None
        add("build 1M in memory <= 5 s", s1m, f"{_ms(b) / 1000:.2f} s" if ok else "not measured",
            _ms(b) / 1000 <= 5 if ok else None)
        add("build 1M in memory < 1 GB peak", s1m, f"{b.get('peak_mb')} MB" if ok else "not measured",
            b.get("peak_mb", 1e9) < 1024 if ok else None)
        for who in ("typical", "hub"):
            f = s1m.get("focus", {}).get(f"{who}/project", {})
            add(f"focus subgraph at 1M (2 hops, cap 150, {who} entity, in memory) <= 50 ms", s1m,
                f"{_ms(f):.1f} ms" if _ms(f) is not None else _cell(f), _ms(f) <= 50 if _ms(f) is not None else False)
        worst = None
        for figure, t in s1m.get("analytics", {}).items():
            c = t.get("cold", {}) if isinstance(t, dict) else {}
            v = _ms(c)
            if v is None and c.get("timeout"):
                v = float("inf")
            if v is not None and (worst is None or v > worst[1]):
                worst = (figure, v)
        add("analytics at 1M cold <= 30 s (slowest figure)", s1m,
            f"{worst[0]}: {worst[1] / 1000:.1f} s" if worst else "not measured",
            worst[1] <= 30000 if worst else None)
    else:
        add("targets at 1M (queries, build, focus, analytics)", None, "the 1M graph was not run", None,
            "run `make bench` for these")
    if last:
        d = last.get("reopen", {}).get("project", {})
        add("disk store reopen <= 100 ms", last, f"{_ms(d):.1f} ms" if _ms(d) is not None else _cell(d),
            _ms(d) <= 100 if _ms(d) is not None else None)
        h = last.get("html", {}).get("150", {})
        add("network HTML for 150 nodes <= 0.3 s", last,
            f"{_ms(h) / 1000:.3f} s ({h.get('nodes')} nodes)" if _ms(h) is not None else _cell(h),
            _ms(h) <= 300 if _ms(h) is not None else None)
        big = _at(result, "1M") or last
        i = big.get("import", {}).get("project-import", {})
        tps = i.get("triples_per_s")
        add("import >= 200,000 triples/s into a disk store", big, f"{tps:,} triples/s" if tps else _cell(i),
            tps >= 200_000 if tps else None)
    return out


def print_report(result: dict) -> None:
    """Print the tables and the targets."""
    m = result["machine"]
    print(f"Convergence Graph benchmark ({result['mode']}), {m['date']}")
    print(f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}; "
          + ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v))
    print(f"load average at start {m.get('load_average_start')}, at end {m.get('load_average_end')}; "
          f"{result.get('seconds')} s in all")
    for s in result["scales"]:
        print(f"\n== {s['label']}: {s['quads']:,} statements ({s['counts']['sources']:,} sources, "
              f"{s['counts']['actors']:,} actors, {s['counts']['technologies']:,} technologies)")
        print(f"{'build (own process)':<24}{'median s':>10}  {'[min-max]':<16}{'peak MB':>9}")
        for kind, b in s["build"].items():
            print(f"  {kind:<22}{_cell(b, 1000, 2):>10}  {_spread(b, 1000, 2):<16}{b.get('peak_mb', ''):>9}")
        ro = s.get("reopen", {})
        print(f"disk reopen: project {_cell(ro.get('project'), 1, 2)} ms {_spread(ro.get('project'), 1, 2)}, "
              f"raw pyoxigraph {_cell(ro.get('oxigraph'), 1, 2)} ms")
        r = query_ratios(s)
        print(f"\n{'named query (ms, median)':<34}" + "".join(f"{e:>13}" for e in ENGINES)
              + f"{'x rdflib':>10}{'/ raw ox':>10}  spread (project)")
        for name, q in s.get("queries", {}).items():
            pr = r["per_query"].get(name, {})
            up = pr.get("speedup_vs_rdflib")
            upt = ("" if up is None else (">=" if pr.get("lower_bound") else "") + f"{up:g}")
            flag = " rows differ" if pr.get("rows_differ") else ""
            print(f"  {name:<32}" + "".join(f"{_cell(q.get(e)):>13}" for e in ENGINES)
                  + f"{upt:>10}{pr.get('project_over_oxigraph', ''):>10}  {_spread(q.get('project'))}{flag}")
        print(f"  median over queries: {r['median_speedup_vs_rdflib']}x faster than rdflib; "
              f"{r['median_project_over_oxigraph']}x raw pyoxigraph (worst {r['worst_project_over_oxigraph']}x)")
        print("\nfocus subgraph, 2 hops, cap 150 (ms):  " + ", ".join(
            f"{k} {_cell(v)} {_spread(v)} ({v.get('nodes', '?')} nodes)" for k, v in s.get("focus", {}).items()))
        print("network HTML (ms):  " + ", ".join(
            f"cap {k}: {_cell(v)} {_spread(v)} ({v.get('nodes', '?')} nodes, {v.get('bytes', 0) // 1024} KB)"
            for k, v in s.get("html", {}).items()))
        ex = s.get("exports", {})
        if "error" in ex:
            print(f"exports: {ex['error']}")
        else:
            print("exports of the hub's 150-node subgraph (ms):  " + ", ".join(
                f"{k} {_cell(v)}" for k, v in ex.items()))
        an = s.get("analytics", {})
        if "error" in an:
            print(f"analytics: {an['error']}")
        else:
            print("analytics (ms, cold / cached):  " + ", ".join(
                f"{k} {_cell(v.get('cold'))} / {_cell(v.get('cached'), 1, 3)}" if "cold" in v else f"{k} n/a"
                for k, v in an.items()))
        im = s.get("import", {})
        print(f"import of {im.get('triples', 0):,} N-Triples:  " + ", ".join(
            f"{k} {v.get('triples_per_s', 0):,}/s ({_cell(v, 1000, 2)} s)" if "triples_per_s" in v
            else f"{k} {v.get('error') or v.get('skipped')}"
            for k, v in im.items() if isinstance(v, dict)))
        app = s.get("app", {})
        if "first_graph_cold_s" in app:
            print(f"viewer in Chromium: server up {app['server_start_s']} s; first graph on screen "
                  f"{app['first_graph_cold_s']} s cold, {app['first_graph_warm_s']} s warm "
                  f"(drawn at {app.get('first_graph_warm_drawn_s')} s, {app.get('nodes')} nodes); "
                  f"{app.get('interaction')}: {app.get('interaction_s')} s")
        else:
            print(f"viewer in Chromium: {app.get('error') or app.get('skipped')}")
    print("\nTargets (issue 9)")
    for t in result.get("targets", []):
        mark = {True: "met", False: "NOT MET", None: "n/a"}[t["met"]]
        where = f" [{t['scale']}]" if t["scale"] else ""
        print(f"  {mark:<8} {t['target']}{where}: {t['measured']}" + (f" ({t['note']})" if t["note"] else ""))


def markdown(result: dict) -> str:
    """The results as Markdown tables, for benchmarks/README.md."""
    m = result["machine"]
    lines = [f"Run of {m['date'][:10]} ({result['mode']}, {result.get('seconds', 0) / 60:.0f} min): {m['cpu']}, "
             f"{m['cores']} cores, {m['memory_gib']} GiB, {m['os']}; Python {m['python']}; "
             + ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v)
             + f"; {m.get('browser')}; commit {m.get('commit')}. Load average (1, 5, 15 min) at start "
             f"{m.get('load_average_start')}, at end {m.get('load_average_end')}: other work shared the "
             "2 cores, so read the spreads. Times are medians; `[min-max]` over the timed runs.", ""]
    labels = [s["label"] for s in result["scales"]]
    lines += ["### Build (each in its own process) and reopen", "",
              "| | " + " | ".join(f"{x}: s" for x in labels) + " | " + " | ".join(f"{x}: peak MB" for x in labels) + " |",
              "|---|" + "---:|" * (2 * len(labels))]
    kinds = list(result["scales"][0]["build"]) if result["scales"] else []
    for k in kinds:
        lines.append(f"| {k} | " + " | ".join(_cell(s["build"].get(k), 1000, 2) for s in result["scales"]) + " | "
                     + " | ".join(str(s["build"].get(k, {}).get("peak_mb", "-")) for s in result["scales"]) + " |")
    lines.append("| disk reopen, project (ms) | " + " | ".join(
        _cell(s.get("reopen", {}).get("project"), 1, 2) for s in result["scales"]) + " |" + " |" * len(labels))
    lines.append("| disk reopen, raw pyoxigraph (ms) | " + " | ".join(
        _cell(s.get("reopen", {}).get("oxigraph"), 1, 2) for s in result["scales"]) + " |" + " |" * len(labels))
    for s in result["scales"]:
        r = query_ratios(s)
        lines += ["", f"### Named queries at {s['label']} ({s['quads']:,} statements), ms", "",
                  "| query | project (memory) | project (disk) | raw pyoxigraph | rdflib | x faster than rdflib "
                  "| project / raw |", "|---|---:|---:|---:|---:|---:|---:|"]
        for name, q in s.get("queries", {}).items():
            pr = r["per_query"].get(name, {})
            up = pr.get("speedup_vs_rdflib")
            upt = "" if up is None else (">=" if pr.get("lower_bound") else "") + f"{up:g}"
            rdf = _cell(q.get("rdflib")) + (" (rows differ)" if pr.get("rows_differ") else "")
            if isinstance(q.get("rdflib"), dict) and q["rdflib"].get("error"):
                rdf = "fails: " + q["rdflib"]["error"].split(":")[0]
            lines.append(f"| {name} | {_cell(q.get('project'))} {_spread(q.get('project'))} | "
                         f"{_cell(q.get('project-disk'))} | {_cell(q.get('oxigraph'))} | {rdf} | {upt} | "
                         f"{pr.get('project_over_oxigraph', '')} |")
        lines.append(f"| **median over queries** | | | | | **{r['median_speedup_vs_rdflib']}x** | "
                     f"**{r['median_project_over_oxigraph']}** (worst {r['worst_project_over_oxigraph']}) |")
    lines += ["", "### Subgraphs, pictures, exports, analytics, import, viewer", "",
              "| measure | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(labels)]

    def row(name, get):
        lines.append(f"| {name} | " + " | ".join(get(s) for s in result["scales"]) + " |")

    for key in ("typical/project", "typical/project-disk", "hub/project", "hub/project-disk"):
        row(f"focus 2 hops cap 150, {key.replace('/', ', ')} (ms)",
            lambda s, k=key: f"{_cell(s.get('focus', {}).get(k))} ({s.get('focus', {}).get(k, {}).get('nodes', '?')} nodes)")
    for cap in ("150", "2000"):
        row(f"network HTML, cap {cap} (ms)",
            lambda s, c=cap: f"{_cell(s.get('html', {}).get(c))} ({s.get('html', {}).get(c, {}).get('nodes', '?')} nodes)")
    fmts = list(result["scales"][0].get("exports", {})) if result["scales"] else []
    for f in fmts:
        row(f"export {f}, hub's 150 nodes (ms)", lambda s, f=f: _cell(s.get("exports", {}).get(f)))
    figs = list(result["scales"][0].get("analytics", {})) if result["scales"] else []
    for f in figs:
        row(f"analytics {f}: cold / cached (ms)", lambda s, f=f: (
            f"{_cell(s['analytics'].get(f, {}).get('cold'))} / {_cell(s['analytics'].get(f, {}).get('cached'), 1, 3)}"
            if isinstance(s.get("analytics", {}).get(f), dict) and "cold" in s["analytics"][f] else "n/a"))
    for k, name in (("project-import", "import, project (checked)"), ("oxigraph-import", "import, pyoxigraph bulk_load"),
                    ("rdflib-import", "import, rdflib parse")):
        row(f"{name} (triples/s)", lambda s, k=k: (f"{s['import'][k]['triples_per_s']:,}" if "triples_per_s" in s.get(
            "import", {}).get(k, {}) else str(s.get("import", {}).get(k, {}).get("error") or "skipped")))
    for k, name in (("server_start_s", "viewer: server up (s)"), ("first_graph_cold_s", "viewer: first graph on screen, cold (s)"),
                    ("first_graph_warm_s", "viewer: first graph on screen, warm (s)"),
                    ("interaction_s", "viewer: make another entity the focus (s)")):
        row(name, lambda s, k=k: str(s.get("app", {}).get(k, s.get("app", {}).get("error", "-"))))
    lines += ["", "### Targets (issue 9)", "", "| target | measured | |", "|---|---|---|"]
    for t in result.get("targets", []):
        mark = {True: "met", False: "**not met**", None: "n/a"}[t["met"]]
        lines.append(f"| {t['target']}{' [' + t['scale'] + ']' if t['scale'] else ''} | {t['measured']} | {mark} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import json
    import sys

    if len(sys.argv) != 2:
        sys.exit("usage: python -m benchmarks.report RESULTS.json  (prints the tables and the Markdown)")
    data = json.loads(open(sys.argv[1], encoding="utf-8").read())
    print_report(data)
    print()
    print(markdown(data))
