"""``convergence push``: copy the built graph into a SPARQL engine, one named graph at a time.

Each graph is replaced whole (Graph Store Protocol PUT); a manifest graph records what a push wrote,
so the next push removes the graphs that no longer exist, and nothing else.
"""

from datetime import datetime, timezone

import pyoxigraph as ox

from .remote import MANIFEST, RemoteStore
from .store import Store

__all__ = ["push", "pushed_graphs", "MANIFEST"]

_LISTS = ox.NamedNode(MANIFEST + "#graph")
_WHEN = ox.NamedNode(MANIFEST + "#pushedAt")


def pushed_graphs(target: RemoteStore) -> list:
    """Return the graphs the last push recorded in the engine's manifest (empty when none)."""
    res = target.run(f"SELECT ?g WHERE {{ GRAPH <{MANIFEST}> {{ <{MANIFEST}> {_LISTS} ?g }} }}")
    return sorted(r[0].value for r in res.rows)


def _write_manifest(target: RemoteStore, graphs) -> None:
    """Record the graphs as string literals (so no query walks from the manifest into the data)."""
    me = ox.NamedNode(MANIFEST)
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    triples = [ox.Triple(me, _LISTS, ox.Literal(g)) for g in sorted(graphs)]
    triples.append(ox.Triple(me, _WHEN, ox.Literal(now, datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#dateTime"))))
    target.put_graph(MANIFEST, triples)


def push(source: Store, target: RemoteStore, progress=None) -> dict:
    """Replace each of the source's named graphs in the target and drop the ones an earlier push left.

    Returns ``{"written": [...], "deleted": [...], "statements": N}``. The manifest first lists old and
    new graphs, so a push that fails part-way still knows everything it may have written.
    """
    say = progress or (lambda msg: None)
    graphs = [g for g in source.graphs() if g != MANIFEST]
    old = pushed_graphs(target)
    _write_manifest(target, set(old) | set(graphs))
    count = 0
    for i, g in enumerate(graphs, 1):
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in source.quads(g)]
        say(f"[{i}/{len(graphs)}] {g} ({len(triples)} statements)")
        target.put_graph(g, triples)
        count += len(triples)
    stale = sorted(set(old) - set(graphs))
    for g in stale:
        say(f"removing {g} (no longer in the graph)")
        target.delete_graph(g)
    _write_manifest(target, graphs)
    return {"written": graphs, "deleted": stale, "statements": count}
