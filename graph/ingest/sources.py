"""The source behind an import: its description in cgg:sources, reused when its URL is already known."""

import re
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import ConvergenceError
from ..namespaces import GRAPHS, PREFIXES
from .names import RDF_TYPE, date_literal, iri, lit, quad, slug

__all__ = ["SourceInfo", "SourceResolver"]

_KINDS = {"primary": "cg:Primary", "secondary": "cg:Secondary"}
_BY_URL = """SELECT ?source ?url WHERE { GRAPH cgg:sources { ?source a cg:SourceDocument ; schema:url ?url } }"""
_USED = """SELECT ?source WHERE { GRAPH cgg:sources { ?source a cg:SourceDocument } }"""


@dataclass(frozen=True)
class SourceInfo:
    """A source as a user describes it: URL, title, publisher, date, kind and language."""

    url: str
    title: str
    publisher: str
    issued: str | None = None
    kind: str = "secondary"
    language: str = "en"

    def check(self, where: str) -> None:
        """Raise a ConvergenceError located at ``where`` when a required field is missing or malformed."""
        missing = [n for n in ("url", "title", "publisher") if not (getattr(self, n) or "").strip()]
        if missing:
            raise ConvergenceError(f"the source needs its {', '.join(missing)} (every statement names its "
                                   "source: give --source-url, --title and --publisher, or source_* columns)",
                                   where)
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", self.url.strip()):
            raise ConvergenceError(f"source URL {self.url!r} is not an http(s) URL", where)
        if self.kind.lower() not in _KINDS:
            raise ConvergenceError(f"source kind {self.kind!r}: write primary or secondary", where)
        if self.issued:
            try:
                date_literal(self.issued)
            except ValueError as exc:
                raise ConvergenceError(f"source date: {exc}", where) from None


class SourceResolver:
    """Mints source IRIs (``src:{slug}``) and their descriptions; a URL already in the store keeps its IRI."""

    def __init__(self, store):
        self.by_url = {row[1].value: row[0].value for row in store.run(_BY_URL).rows}
        self.used = {row[0].value for row in store.run(_USED).rows}
        self.minted = {}

    def resolve(self, info: SourceInfo, where: str) -> tuple:
        """Return ``(source IRI, description quads)``; the quads are empty for a source already described."""
        info.check(where)
        url = info.url.strip()
        if url in self.by_url:
            return self.by_url[url], []
        if url in self.minted:
            return self.minted[url], []
        base = PREFIXES["src"] + (slug(f"{info.publisher} {info.title}")[:80].strip("-") or "source")
        name, n = base, 2
        while name in self.used:
            name, n = f"{base}-{n}", n + 1
        self.used.add(name)
        self.minted[url] = name
        g, s = GRAPHS["sources"], ox.NamedNode(name)
        quads = [quad(s, RDF_TYPE, "cg:SourceDocument", g),
                 quad(s, "dct:title", lit(info.title.strip(), lang=info.language or "en"), g),
                 quad(s, "cg:publisherName", lit(info.publisher.strip()), g),
                 quad(s, "schema:url", iri(url), g),
                 quad(s, "cg:sourceKind", _KINDS[info.kind.lower()], g)]
        if info.issued:
            quads.append(quad(s, "dct:issued", date_literal(info.issued), g))
        if info.language:
            quads.append(quad(s, "dct:language", lit(info.language), g))
        return name, quads
