"""Time every convergence measure (issue 6) cold, then cached in memory, then cached on disk, on a built store.

``python -m benchmarks.analytics_speed [--store DIR | --triples 1M] [--profile OUT.html]``

Cold means a fresh process with no result in memory or on disk (the disk cache points at an empty
temporary folder); "cached" repeats every call in the same process (what the app and a script see
after the first request); "disk" runs again in a new process over the same disk cache (what a
second command-line run sees: the projection is rebuilt, bridges and communities are read from disk).
Wall and CPU seconds are both printed: on a shared machine CPU time is the steadier figure. Without ``--store`` the graph is generated with
benchmarks.generator (seed 42) and built without validation under ``--work`` (kept for reuse).
Each step is what the Convergence page asks for, in its order; times are printed in seconds.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["measure", "prepare_store", "main"]

TQC = "https://w3id.org/convergence-graph/id/org/transatlantic-quantum-community"


def _steps():
    from graph import analytics as an

    def countries(kg):
        members = an.group_members(kg, TQC) if an.has_entity(kg, TQC) else []
        choices = list(an.country_choices(kg))
        an.compare_countries(kg, members or choices[:3])

    return [
        ("projection", an.projection),
        ("entity graph", an.entity_graph),
        ("matrix", lambda kg: (an.domain_matrix(kg), an.heatmap_data(kg, core_only=True))),
        ("links", an.cross_links),
        ("bridges", lambda kg: an.bridges(kg, core_only=True)),
        ("actors", lambda kg: an.convergence_actors(kg, core_only=True)),
        ("communities", an.communities),
        ("trends", lambda kg: an.trends(kg, core_only=True)),
        ("countries", countries),
        ("gaps", lambda kg: (an.isolated_topics(kg), an.thin_domains(kg))),
    ]


def measure(kg, phases=("cold", "cached"), say=print) -> dict:
    """Run every step once per phase; return {phase: {step: (wall s, CPU s)}}.

    Call it on a freshly opened graph in a fresh process for "cold"; the next phase in the same
    process finds every result cached. CPU time is printed beside wall time: on a shared machine it
    is the steadier of the two.
    """
    out = {}
    for phase in phases:
        times = {}
        for name, step in _steps():
            wall, cpu = time.perf_counter(), time.process_time()
            step(kg)
            times[name] = (time.perf_counter() - wall, time.process_time() - cpu)
            say(f"{phase:7} {name:13} {times[name][0]:8.3f} s  (CPU {times[name][1]:7.3f} s)")
        times["total"] = tuple(sum(t[i] for t in times.values()) for i in (0, 1))
        say(f"{phase:7} {'TOTAL':13} {times['total'][0]:8.3f} s  (CPU {times['total'][1]:7.3f} s)")
        out[phase] = times
    return out


def prepare_store(triples: str, work: Path, say=print) -> Path:
    """Generate (seed 42) and build a store of ``triples`` statements under ``work``, once."""
    from benchmarks.generator import SCALES, generate
    from graph.build import build

    store = work / f"store-{triples}"
    if (store / "CURRENT").exists():  # built before
        return store
    data = work / f"data-{triples}"
    if not data.exists():
        say(f"generating {triples} statements into {data}")
        generate(data, SCALES.get(triples) or int(triples), seed=42, shard=200_000)
    say(f"building {store}")
    built, _ = build(store, data_dir=data, validate=False)
    built.close()
    return store


def main(argv=None) -> None:
    """Parse the arguments, open the store read-only and print the timings."""
    import argparse
    import subprocess

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", help="a built store folder (default: generate and build one)")
    ap.add_argument("--triples", default="1M", help="size to generate when --store is not given")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "convergence-analytics-bench"))
    ap.add_argument("--profile", help="write a pyinstrument HTML profile of the cold run here")
    ap.add_argument("--phase", choices=["disk"], help=argparse.SUPPRESS)  # the second process
    args = ap.parse_args(argv)

    from graph import open_graph

    store = Path(args.store) if args.store else prepare_store(args.triples, Path(args.work))
    if args.phase:
        measure(open_graph(store), ("disk",))
        return
    with tempfile.TemporaryDirectory() as disk:
        os.environ["CONVERGENCE_CACHE_DIR"] = disk
        kg = open_graph(store)
        if args.profile:
            try:
                from pyinstrument import Profiler
            except ImportError:
                sys.exit("error: --profile: needs pyinstrument (.venv/bin/pip install pyinstrument)")

            with Profiler() as prof:
                for _, step in _steps():
                    step(kg)
            Path(args.profile).write_text(prof.output_html(), encoding="utf-8")
            print(prof.output_text(unicode=False, show_all=False), file=sys.stderr)
            return
        result = measure(kg)
        from graph.analytics import projection

        g = projection(kg)
        print(f"projection: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges", flush=True)
        # a second command-line run: a new process, results of bridges and communities on disk
        subprocess.run([sys.executable, "-m", "benchmarks.analytics_speed", "--store", str(store), "--phase", "disk"],
                       check=True)
        print(f"{store}: cold {result['cold']['total'][0]:.1f} s (CPU {result['cold']['total'][1]:.1f} s), "
              f"cached {result['cached']['total'][0]:.3f} s")


if __name__ == "__main__":
    main()
