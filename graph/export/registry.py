"""The export formats by name, and the two calls that run them: ``export`` and ``export_files``."""

import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConvergenceError

__all__ = ["Format", "Options", "FORMATS", "export", "export_files", "file_name", "safe_path"]


@dataclass(frozen=True)
class Format:
    """One export format: its name, file extension, media type, kind and the function that writes it."""

    name: str
    ext: str
    mime: str
    kind: str  # "data", "picture" or "briefing"
    writer: str  # "module:function" under graph/
    description: str


@dataclass
class Options:
    """What a writer may use besides the graph and subgraph: language, title, file stem, earlier export."""

    lang: str = "en"
    title: str | None = None
    stem: str = "convergence"
    since: object = None  # a graph.diff.Diff, for a briefing's "new since" section
    extra: dict = field(default_factory=dict)


_F = Format
#: Every export format, by the name the CLI and the app use.
FORMATS = {f.name: f for f in (
    _F("turtle", "ttl", "text/turtle", "data", "export.rdf:turtle",
       "Turtle: the statements, the entities' labels and types, the sources' descriptions"),
    _F("trig", "trig", "application/trig", "data", "export.rdf:trig",
       "TriG: like Turtle, each source's statements in the named graph of that source"),
    _F("nquads", "nq", "application/n-quads", "data", "export.rdf:nquads",
       "N-Quads: one statement a line, with the graph (source) that states it"),
    _F("jsonld", "jsonld", "application/ld+json", "data", "export.rdf:jsonld",
       "JSON-LD with a compact context written in the file (no remote context)"),
    _F("graphml", "graphml", "application/graphml+xml", "data", "export.networks:graphml",
       "GraphML for yEd and Gephi: labels, types, domains, countries as attributes"),
    _F("gexf", "gexf", "application/gexf+xml", "data", "export.networks:gexf",
       "GEXF for Gephi: attributes plus colours by domain"),
    _F("csv", "zip", "application/zip", "data", "export.tables:csv_zip",
       "CSV files (nodes, edges, sources) in a zip, UTF-8 with BOM for Excel"),
    _F("html", "html", "text/html", "picture", "export.pictures:html",
       "Interactive network: one self-contained HTML file that works offline"),
    _F("png", "png", "image/png", "picture", "export.pictures:png",
       "Static figure with a legend (A4 landscape, 200 dpi)"),
    _F("svg", "svg", "image/svg+xml", "picture", "export.pictures:svg",
       "Static figure with a legend, as scalable vector graphics"),
    _F("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "briefing",
       "briefing:docx", "Briefing as a Word document, with the figure, tables and numbered citations"),
    _F("briefing-html", "html", "text/html", "briefing", "briefing:html",
       "Briefing as one self-contained HTML page"),
    _F("markdown", "md", "text/markdown", "briefing", "briefing:markdown",
       "Briefing as Markdown (the figure as a PNG beside it)"),
    _F("pack", "zip", "application/zip", "briefing", "briefing:pack",
       "Briefing pack: DOCX, HTML, Markdown, figure PNG and SVG, and the TriG appendix, in one zip"),
)}


def _format(name: str) -> Format:
    if name not in FORMATS:
        raise ConvergenceError(f"unknown format {name!r}; use one of {', '.join(FORMATS)}", "--format")
    return FORMATS[name]


def _writer(fmt: Format):
    module, func = fmt.writer.split(":")
    return getattr(importlib.import_module(f"graph.{module}"), func)


def _prepare(kg, sub, marking):
    """Cut the subgraph to the marking limit, if any."""
    if marking is None or marking == "":
        return sub
    from ..markings import restrict

    return restrict(kg, sub, marking)


def export_files(kg, sub, fmt: str, options: Options | None = None, marking=None) -> dict:
    """Return {file name: bytes}: the main file first, then its companions (appendix, figure).

    ``marking`` (a name such as PUBLIC, or a Marking) leaves out everything marked above it.
    """
    f = _format(fmt)
    options = options or Options()
    sub = _prepare(kg, sub, marking)
    out = _writer(f)(kg, sub, options)
    if isinstance(out, dict):
        return out
    return {file_name(options.stem, f): out}


def export(kg, sub, fmt: str, options: Options | None = None, marking=None) -> bytes:
    """Return the main file of the export as bytes (see ``export_files`` for the companions)."""
    return next(iter(export_files(kg, sub, fmt, options, marking).values()))


def file_name(stem: str, fmt: Format | str) -> str:
    """Return ``stem.ext`` for a format (a briefing HTML is ``stem-briefing.html``).

    >>> file_name("tqc", "briefing-html"), file_name("tqc", "csv")
    ('tqc-briefing.html', 'tqc.zip')
    """
    f = fmt if isinstance(fmt, Format) else _format(fmt)
    return f"{stem}-briefing.{f.ext}" if f.name == "briefing-html" else f"{stem}.{f.ext}"


_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,150}$")


def safe_path(folder: str | Path, name: str, where: str = "--out") -> Path:
    """Return folder/name, refusing a name that is absolute, holds ``..`` or a separator, or leaves the folder.

    >>> safe_path("/tmp/out", "brief.docx").name
    'brief.docx'
    >>> safe_path("/tmp/out", "../x.docx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.ConvergenceError: --out: refusing the file name '../x.docx': ...
    """
    base = Path(folder).resolve()
    bad = ("/" in name or "\\" in name or ".." in name or not _SAFE.match(name) or name.strip() != name)
    target = (base / name).resolve()
    if bad or target.parent != base:
        raise ConvergenceError(f"refusing the file name {name!r}: use a plain name (letters, digits, '.', '-', "
                               "'_', spaces) inside the folder asked for", where)
    return target
