"""The Python API: ``open_graph()`` returns a Graph to query, by SPARQL text or by named query."""

import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from .build import build, read_build_info
from .errors import ConvergenceError
from .named import load_named_queries
from .namespaces import expand
from .results import Result
from .sparql import bind_values
from .store import OxigraphStore, Store

__all__ = ["Graph", "open_graph"]

XSD = "http://www.w3.org/2001/XMLSchema#"


def _guess_term(name: str, value):
    """Return an RDF term for a parameter of an ad-hoc query: IRIs for <...> and known prefixes."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_guess_term(name, v) for v in value]
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, (float, Decimal)):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    text = str(value)
    full = expand(text)
    if full != text or re.match(r"^https?://\S+$", text):
        return ox.NamedNode(full)
    if re.fullmatch(r"[+-]?\d+", text):
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "integer"))
    return ox.Literal(text)


class Graph:
    """The knowledge graph behind one store: run SPARQL, named queries, statistics and validation.

    >>> kg = open_graph()
    >>> kg.query("ASK { ?c cg:iso3166Alpha2 ?code }", code="DK").boolean
    True
    """

    def __init__(self, store: Store, info: dict | None = None):
        self.store = store
        self.info = info or {}
        self._named = None

    def query(self, sparql: str, **params) -> Result:
        """Run SPARQL text; keyword arguments are bound to the query's variables with VALUES.

        A list binds the variable to each of its values in turn.
        """
        bindings = {k: _guess_term(k, v) for k, v in params.items()}
        return self.store.run(bind_values(sparql, bindings))

    @property
    def queries(self) -> dict:
        """The named queries, by name."""
        if self._named is None:
            self._named = load_named_queries()
        return self._named

    def named_query(self, name: str):
        """Return one named query, or raise a ConvergenceError listing close names."""
        if name not in self.queries:
            close = [q for q in self.queries if name.lower() in q or q in name.lower()][:5]
            hint = f"; did you mean {', '.join(close)}?" if close else "; `convergence queries` lists them"
            raise ConvergenceError(f"unknown query {name!r}{hint}", "query")
        return self.queries[name]

    def run_named(self, name: str, **params) -> Result:
        """Run a named query with its parameters (strings are converted by their declared types)."""
        nq = self.named_query(name)
        return self.store.run(bind_values(nq.sparql, nq.bindings(params)))

    def iri(self, name: str) -> ox.NamedNode:
        """Return the NamedNode for ``prefix:local`` or a full IRI."""
        return ox.NamedNode(expand(name))

    def stats(self) -> Result:
        """Return counts of entities by class and of statements by kind."""
        return self.run_named("counts-by-class")

    def validate(self, root: Path | None = None):
        """Run the shapes and violation queries on this graph and return the Report."""
        from .validate import validate

        return validate(self.store, root=root)

    def __len__(self):
        return len(self.store)

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_graph(store: str | Path | Store | None = None, data_dir: str | Path | None = None,
               endpoint: str | None = None, update_endpoint: str | None = None,
               gsp_endpoint: str | None = None, user: str | None = None, password: str | None = None,
               timeout: float = 60) -> Graph:
    """Open the graph: a Store, a disk store folder (read-only), a SPARQL endpoint, or the bundled data.

    ``endpoint`` is the query URL of a SPARQL 1.1 engine (see graph.remote.RemoteStore). Without
    arguments, ``CONVERGENCE_ENDPOINT`` (with ``CONVERGENCE_UPDATE_ENDPOINT``, ``CONVERGENCE_GSP_ENDPOINT``,
    ``CONVERGENCE_USER``, ``CONVERGENCE_PASSWORD``) or else ``CONVERGENCE_STORE`` is used if set.
    """
    if isinstance(store, Store):
        return Graph(store)
    if store and endpoint:
        raise ConvergenceError("give a store folder or an endpoint, not both", "open_graph")
    env = os.environ.get
    endpoint = endpoint or (None if store else env("CONVERGENCE_ENDPOINT")) or None
    if endpoint:
        from .remote import RemoteStore

        remote = RemoteStore(endpoint, update_endpoint or env("CONVERGENCE_UPDATE_ENDPOINT") or None,
                             gsp_endpoint or env("CONVERGENCE_GSP_ENDPOINT") or None,
                             user or env("CONVERGENCE_USER") or None,
                             password if password is not None else env("CONVERGENCE_PASSWORD"), timeout)
        return Graph(remote, {"endpoint": endpoint})
    store = store or os.environ.get("CONVERGENCE_STORE") or None
    if store is not None:
        path = Path(store)
        return Graph(OxigraphStore(path, read_only=True), read_build_info(path))
    mem, info = build(None, data_dir=Path(data_dir) if data_dir else None, validate=False)
    return Graph(mem, info.to_json())
