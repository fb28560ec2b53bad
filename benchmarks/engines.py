"""The three ways to run the named queries side by side: the project's API, raw pyoxigraph, rdflib.

All three load the same files (the ontology into ``cgg:ontology``, the generated N-Quads as they
are) and answer the same SPARQL text, so the only difference is the engine and the API around it.
"""

from pathlib import Path

import pyoxigraph as ox

from graph.build import input_files
from graph.namespaces import GRAPHS, PREFIXES, sparql_prologue
from graph.sparql import bind_values

__all__ = ["load_oxigraph", "load_rdflib", "QueryCase", "query_cases"]


def load_oxigraph(data: Path, store: Path | None = None) -> ox.Store:
    """A raw pyoxigraph Store with the data: ``load`` in memory, ``bulk_load`` into ``store`` on disk."""
    s = ox.Store(str(store)) if store else ox.Store()
    onto, *rest = input_files(data_dir=data)
    load = s.bulk_load if store else s.load
    load(path=str(onto), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(GRAPHS["ontology"]))
    for f in rest:
        load(path=str(f), format=ox.RdfFormat.N_QUADS if f.suffix == ".nq" else ox.RdfFormat.TRIG)
    if store:
        s.flush()
    return s


def load_rdflib(data: Path):
    """An rdflib Dataset on the Memory store, its default graph the union of the named graphs."""
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    onto, *rest = input_files(data_dir=data)
    ds.graph(rdflib.URIRef(GRAPHS["ontology"])).parse(str(onto), format="turtle")
    for f in rest:
        ds.parse(str(f), format="nquads" if f.suffix == ".nq" else "trig")
    return ds


def _consume_oxigraph(answer):
    """Materialise a pyoxigraph answer as a user would (every row's terms); return its size."""
    if isinstance(answer, bool):
        return 1
    if isinstance(answer, ox.QuerySolutions):
        return len([tuple(sol) for sol in answer])
    return len(list(answer))


def _consume_rdflib(result):
    """Materialise an rdflib answer (every row or triple); return its size."""
    if result.type == "ASK":
        return 1
    return len(list(result))


class QueryCase:
    """One named query with its parameters, runnable on each engine; each runner returns the row count."""

    def __init__(self, kg, name: str, params: dict):
        self.kg, self.name, self.params = kg, name, params
        nq = kg.named_query(name)
        self.text = bind_values(nq.sparql, nq.bindings(params))
        self._rdflib_text = sparql_prologue() + self.text

    def project(self, kg=None) -> int:
        """Through the project's API (Graph.run_named: parameters typed and bound, answer materialised)."""
        return len((kg or self.kg).run_named(self.name, **self.params))

    def oxigraph(self, store: ox.Store) -> int:
        """On raw pyoxigraph: the same text, union default graph, the same prefixes."""
        return _consume_oxigraph(store.query(self.text, use_default_graph_as_union=True, prefixes=PREFIXES))

    def rdflib(self, ds) -> int:
        """On rdflib's Memory store (Dataset with default_union), the same text with PREFIX lines."""
        return _consume_rdflib(ds.query(self._rdflib_text))


def query_cases(kg, params_by_query: dict) -> list:
    """Every named query, with the generated graph's parameters where it takes some."""
    return [QueryCase(kg, name, params_by_query.get(name, {})) for name in sorted(kg.queries)]
