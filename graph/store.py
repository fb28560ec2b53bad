"""One Store interface over SPARQL 1.1 datasets; the embedded Oxigraph store implements it.

A remote engine (Oxigraph server, Virtuoso, Fuseki, ...) implements the same four methods over the
SPARQL 1.1 Protocol, so everything above this module works on either.
"""

from abc import ABC, abstractmethod
from pathlib import Path

import pyoxigraph as ox

from .errors import ConvergenceError
from .namespaces import PREFIXES
from .results import Result
from .sparql import query_form, syntax_error

__all__ = ["Store", "OxigraphStore"]


class Store(ABC):
    """A SPARQL 1.1 dataset whose default graph is the union of its named graphs."""

    read_only = True

    @abstractmethod
    def run(self, sparql: str) -> Result:
        """Run a finished query (parameters already bound) and return its Result."""

    @abstractmethod
    def quads(self, graph: str | None = None):
        """Yield the dataset's quads, or one named graph's, as pyoxigraph Quads."""

    @abstractmethod
    def graphs(self) -> list:
        """Return the IRIs of the named graphs."""

    def close(self) -> None:
        """Release the store (a no-op where there is nothing to release)."""

    def __len__(self):
        res = self.run("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(res.rows[0][0].value)


class OxigraphStore(Store):
    """The embedded Oxigraph store: in memory (``path=None``) or a RocksDB folder on disk.

    >>> s = OxigraphStore()
    >>> s.add_quads([ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://p"), ox.Literal("x"),
    ...                      ox.NamedNode("http://g"))])
    >>> s.run("SELECT ?o WHERE { ?s ?p ?o }").column("o")
    ['x']
    >>> len(s)
    1
    """

    def __init__(self, path: str | Path | None = None, read_only: bool = False, _store=None):
        self.path = Path(path) if path else None
        self.read_only = read_only
        if _store is not None:
            self._store = _store
        elif self.path is None:
            self._store = ox.Store()
        elif read_only:
            if not (self.path / "CURRENT").exists():
                raise ConvergenceError("no store here; run `convergence build --store DIR` first", str(path))
            self._store = ox.Store.read_only(str(self.path))
        else:
            try:
                self._store = ox.Store(str(self.path))
            except OSError as exc:
                raise ConvergenceError(f"cannot open the store for writing ({exc}); another process "
                                       "may be writing to it", str(path)) from None

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph Store (for bulk loading and dumps)."""
        return self._store

    def run(self, sparql: str) -> Result:
        """Run a query on the union of the named graphs and materialise the answer."""
        form = query_form(sparql)
        if form == "UPDATE":
            raise ConvergenceError("updates are not allowed here: the graph changes only through "
                                   "`convergence build` and imports", "query")
        try:
            answer = self._store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
            if form == "SELECT":
                variables = [v.value for v in answer.variables]
                return Result(form, variables, [tuple(sol[v] for v in variables) for sol in answer])
            if form == "ASK":
                return Result(form, boolean=bool(answer))
            return Result(form, triples=list(answer))
        except SyntaxError as exc:
            raise syntax_error(exc) from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise ConvergenceError(f"query failed: {exc}", "query") from None

    def add_quads(self, quads) -> None:
        """Add quads in one transaction."""
        self._store.extend(quads)

    def quads(self, graph: str | None = None):
        g = ox.NamedNode(graph) if graph else None
        return self._store.quads_for_pattern(None, None, None, g)

    def graphs(self) -> list:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self):
        return len(self._store)

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()
        self._store = None
