"""`convergence export` (a subgraph or a briefing to a file) and `convergence diff` (what changed)."""

import os
import tempfile
from pathlib import Path

import click

from ..errors import ConvergenceError

__all__ = ["register", "export_cmd", "diff_cmd"]

_BY_SUFFIX = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".jsonld": "jsonld", ".graphml": "graphml",
              ".gexf": "gexf", ".zip": "csv", ".html": "html", ".png": "png", ".svg": "svg", ".docx": "docx",
              ".md": "markdown"}


def _say(msg: str) -> None:
    click.echo(f"... {msg}", err=True)


def _selection_options(f):
    """The ways to select a subgraph, as in the viewer: focus with hops and filters, CONSTRUCT, query, list."""
    opts = [
        click.option("--focus", metavar="NAME|IRI", help="The entity at the centre (name, prefixed name or IRI)."),
        click.option("--hops", default=1, show_default=True, type=click.IntRange(1, 3),
                     help="Steps out from the focus."),
        click.option("--type", "types", multiple=True, metavar="CLASS", help="Keep entities of this class "
                     "(Company, Technology, UseCase, ...); repeatable."),
        click.option("--domain", "domains", multiple=True, metavar="DOMAIN", help="Keep entities in this domain "
                     "(quantum, ai, biotech, ...); repeatable."),
        click.option("--country", "countries", multiple=True, metavar="CODE", help="Keep actors based in this "
                     "country (dk, gb, ...); repeatable."),
        click.option("--relation", "relations", multiple=True, metavar="RELATION", help="Follow only this relation "
                     "(worksOn, funds, ...); repeatable."),
        click.option("--from", "date_from", metavar="DATE", help="Facts dated on or after (YYYY, YYYY-MM, YYYY-MM-DD)."),
        click.option("--to", "date_to", metavar="DATE", help="Facts dated on or before."),
        click.option("--cap", default=150, show_default=True, type=click.IntRange(0),
                     help="Keep at most this many entities, the best connected (0: no cap)."),
        click.option("--construct", "construct", metavar="Q.rq", help="Select the entities a SPARQL CONSTRUCT "
                     "(in this file) names."),
        click.option("--query", "query_name", metavar="NAME", help="Select the entities a named query returns."),
        click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
                     help="A parameter of the named query."),
        click.option("--entities", metavar="A,B,C", help="Select these entities (names or IRIs, comma-separated) "
                     "and the statements among them."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def _has_selection(o: dict) -> bool:
    return any(o.get(k) for k in ("focus", "construct", "query_name", "entities"))


def _select(kg, o: dict):
    from ..cli import _parse_params
    from ..export.select import select

    construct = None
    if o.get("construct"):
        try:
            construct = Path(o["construct"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConvergenceError(f"cannot read the query file: {getattr(exc, 'strerror', None) or exc}",
                                   o["construct"]) from None
    entities = [e.strip() for e in (o.get("entities") or "").split(",") if e.strip()] or None
    return select(kg, focus=o.get("focus"), hops=o.get("hops", 1), construct=construct, query=o.get("query_name"),
                  params=_parse_params(o.get("params", ())), entities=entities, types=o.get("types", ()),
                  domains=o.get("domains", ()), countries=o.get("countries", ()), relations=o.get("relations", ()),
                  date_from=o.get("date_from"), date_to=o.get("date_to"), cap=o.get("cap") or None)


def _target(out: str) -> Path:
    """The file to write: no '..' anywhere, a plain file name, inside the folder given (created if needed)."""
    from ..export import safe_path

    path = Path(out)
    if ".." in path.parts:
        raise ConvergenceError("refusing a path with '..': give the folder itself", "--out")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConvergenceError(f"cannot create the folder: {exc.strerror or exc}", str(folder)) from None
    return safe_path(folder, path.name)


def _write(path: Path, data: bytes) -> None:
    """Write atomically: a failure leaves no half-written file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".export-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ConvergenceError(f"cannot write the file: {exc.strerror or exc}", str(path)) from None


@click.command("export")
@_selection_options
@click.option("--format", "-f", "fmt", metavar="FORMAT", help="turtle, trig, nquads, jsonld, graphml, gexf, csv, "
              "html, png, svg, docx, briefing-html, markdown or pack (default: from the --out extension).")
@click.option("--out", "-o", required=True, metavar="PATH", help="The file to write (companions such as the "
              "briefing's appendix go beside it).")
@click.option("--marking", metavar="LEVEL", help="Leave out everything marked above this level (PUBLIC, INTERNAL); "
              "documents print it in header and footer.")
@click.option("--title", help="The briefing's or figure's title.")
@click.option("--lang", default="en", show_default=True, type=click.Choice(["en", "fr"]), help="Label language.")
@click.option("--since", metavar="OLD", type=click.Path(dir_okay=False),
              help="An earlier export (e.g. last briefing's appendix): the briefing adds a 'New since' section.")
@click.pass_context
def export_cmd(ctx, fmt, out, marking, title, lang, since, **selection):
    """Export a subgraph (focus, CONSTRUCT, named query or list) as data, a picture or a cited briefing."""
    from ..cli import open_from_ctx
    from ..export import FORMATS, Options, export_files

    if not _has_selection(selection):
        raise ConvergenceError("say what to export: --focus NAME, --construct Q.rq, --query NAME or --entities A,B",
                               "export")
    target = _target(out)
    fmt = fmt or _BY_SUFFIX.get(target.suffix.lower())
    if fmt is None:
        raise ConvergenceError(f"cannot tell the format from {target.name!r}; give --format", "--format")
    if fmt not in FORMATS:
        raise ConvergenceError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", "--format")
    kg = open_from_ctx(ctx)
    _say("selecting the subgraph")
    sub = _select(kg, selection)
    if marking:
        from ..markings import restrict

        sub = restrict(kg, sub, marking)
    changes = None
    if since:
        changes = _since(kg, sub, since, lang)
    stem = target.name[: -len(target.suffix)] if target.suffix else target.name
    _say(f"writing {fmt} for {len(sub.nodes)} entities and {len(sub.edges)} statements")
    files = export_files(kg, sub, fmt, Options(lang=lang, title=title, stem=stem, since=changes))
    names = list(files)
    paths = [target] + [_companion(target, n) for n in names[1:]]
    for path, name in zip(paths, names):
        _write(path, files[name])
    extra = f" and {', '.join(p.name for p in paths[1:])}" if paths[1:] else ""
    note = f"; marking {sub.scope['marking']}, {sub.scope['withheld']} statements withheld" if marking else ""
    left = f"; {sub.left_out} less-connected entities left out (raise --cap)" if sub.left_out else ""
    click.echo(f"wrote {target}{extra} ({len(sub.nodes)} entities, {len(sub.edges)} statements{note}{left})")


def _companion(target: Path, name: str) -> Path:
    from ..export import safe_path

    return safe_path(target.parent, name)


def _since(kg, sub, old_path: str, lang: str):
    """Compare an earlier export with the subgraph as exported now."""
    from ..diff import diff_quads, read_rdf
    from ..entity import relation_labels
    from ..export.rdf import subgraph_quads

    old = read_rdf(old_path, old_path)
    return diff_quads(old, subgraph_quads(kg, sub), Path(old_path).name, "this briefing", lang,
                      relation_labels(kg, lang))


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", required=False, type=click.Path(dir_okay=False))
@_selection_options
@click.option("--lang", default="en", show_default=True, type=click.Choice(["en", "fr"]), help="Label language.")
@click.pass_context
def diff_cmd(ctx, old, new, lang, **selection):
    """Say what changed between an earlier export OLD and NEW (or the graph now: the selection, else OLD's entities)."""
    from ..diff import diff_quads, read_rdf

    old_quads = read_rdf(old, old)
    if new:
        if _has_selection(selection):
            raise ConvergenceError("give NEW or a selection, not both", "diff")
        result = diff_quads(old_quads, read_rdf(new, new), Path(old).name, Path(new).name, lang)
    else:
        from ..cli import open_from_ctx
        from ..entity import relation_labels
        from ..export.rdf import subgraph_quads

        kg = open_from_ctx(ctx)
        if _has_selection(selection):
            sub = _select(kg, selection)
        else:
            sub = _entities_of(kg, old_quads)
        result = diff_quads(old_quads, subgraph_quads(kg, sub), Path(old).name, "the graph now", lang,
                            relation_labels(kg, lang))
    click.echo(result.text())


def _entities_of(kg, quads):
    """The entities an export holds that the graph still has, and the statements among them now."""
    from ..diff import _Side
    from ..subgraph import from_entities

    wanted = sorted(_Side(quads, "en").entities)
    if not wanted:
        raise ConvergenceError("the old file holds no entity; give a selection such as --focus NAME", "diff")
    present = {row[0].value for row in kg.query("SELECT ?e WHERE { ?e a ?t }", e=wanted).rows}
    return from_entities(kg, [e for e in wanted if e in present], cap=None)


def register(cli) -> None:
    """Add `export` and `diff` to the `convergence` command."""
    cli.add_command(export_cmd)
    cli.add_command(diff_cmd)
