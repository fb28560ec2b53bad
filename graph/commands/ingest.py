"""Commands that bring knowledge in and take it back: import, ingest-article, import-openalex, imports, remove-import."""

import sys

import click

__all__ = ["register", "ClickProgress"]


class ClickProgress:
    """Steps as ``... message`` lines and long reads as a bar, on standard error."""

    def __init__(self):
        self._bar = None

    def step(self, message: str) -> None:
        click.echo(f"... {message}", err=True)

    def bar(self, total: int, label: str):
        self.done()
        self._bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=False)
        self._bar.__enter__()
        return self._bar.update

    def done(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def _store(ctx, store):
    return store or ctx.obj.get("store")


def _source(url, title, publisher, date, kind, language):
    from graph.ingest import SourceInfo

    if not (url or title or publisher or date):
        return None
    return SourceInfo(url or "", title or "", publisher or "", date, kind, language)


def _source_options(url_flag: str):
    """The options that describe a source (the article's, or the rows' that name none)."""
    def wrap(f):
        for opt in reversed([
            click.option(url_flag, "url", metavar="URL", help="The source's URL (http or https)."),
            click.option("--title", help="The source's title."),
            click.option("--publisher", help="Who published it (a name)."),
            click.option("--date", metavar="YYYY[-MM[-DD]]", help="When it was published, as precise as known."),
            click.option("--kind", type=click.Choice(["primary", "secondary"]), default="secondary",
                         show_default=True, help="Primary when the body itself published it."),
            click.option("--language", default="en", show_default=True, help="The source's language."),
        ]):
            f = opt(f)
        return f
    return wrap


_STORE = click.option("--store", type=click.Path(file_okay=False),
                      help="The disk store to write (default: the global --store / CONVERGENCE_STORE).")
_DATA = click.option("--data", "data_dir", type=click.Path(file_okay=False),
                     help="The data folder whose imports/ keeps the import for the next build (default: data/).")


def _report(rec, batch) -> None:
    from graph.namespaces import shorten

    graphs = ", ".join(shorten(g) for g in rec.graphs) or "existing graphs"
    click.echo(f"imported {rec.file} as {rec.id}: {rec.statements} new statements ({graphs})")
    extra = {k: v for k, v in batch.summary.items() if k not in ("statements", "source")}
    if "mentions" in extra:
        mentions = extra.pop("mentions")
        click.echo(f"mentions {len(mentions)} entities: " + ", ".join(shorten(e) for e in sorted(mentions)))
    if extra.get("ambiguous"):
        click.echo("ambiguous names (not linked): " + ", ".join(sorted(extra.pop("ambiguous"))))
    extra.pop("ambiguous", None)
    if extra:
        click.echo(", ".join(f"{k}: {v}" for k, v in extra.items()))
    click.echo(f"take it back with: convergence remove-import {rec.id}")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--mapping", type=click.Path(dir_okay=False), help="TOML mapping for a .csv or .xlsx file "
              "(see templates/ingest/).")
@_source_options("--source-url")
@_STORE
@_DATA
@click.pass_context
def import_cmd(ctx, file, mapping, url, title, publisher, date, kind, language, store, data_dir):
    """Import an RDF file (.ttl .trig .nt .nq .jsonld) or a spreadsheet (.csv .xlsx with --mapping).

    Everything is validated with the existing graph first; on any problem nothing is written.
    """
    from graph.ingest import import_file

    rec, batch = import_file(file, _store(ctx, store), mapping=mapping,
                             source=_source(url, title, publisher, date, kind, language), data_dir=data_dir,
                             progress=ClickProgress())
    _report(rec, batch)


@click.command("ingest-article")
@click.argument("file", type=click.Path(dir_okay=False))
@_source_options("--url")
@_STORE
@_DATA
@click.pass_context
def ingest_article_cmd(ctx, file, url, title, publisher, date, kind, language, store, data_dir):
    """Import an article (.txt .md .html): record the known entities it mentions and suggest links for review."""
    from graph.errors import ConvergenceError
    from graph.ingest import SourceInfo, ingest_article

    if not url or not publisher:
        raise ConvergenceError("give the article's --url and --publisher (and --title, --date)", "ingest-article")
    rec, batch = ingest_article(file, _store(ctx, store), SourceInfo(url, title or "", publisher, date, kind, language),
                                data_dir=data_dir, progress=ClickProgress())
    _report(rec, batch)


@click.command("import-openalex")
@click.argument("file", type=click.Path(dir_okay=False))
@_source_options("--source-url")
@_STORE
@_DATA
@click.pass_context
def import_openalex_cmd(ctx, file, url, title, publisher, date, kind, language, store, data_dir):
    """Import OpenAlex works or institutions JSON, linking institutions to technologies by topic."""
    from graph.ingest import import_openalex

    source = _source(url, title or (f"OpenAlex: {file}" if url else None), publisher or ("OpenAlex" if url else None),
                     date, kind, language)
    rec, batch = import_openalex(file, _store(ctx, store), source=source, data_dir=data_dir,
                                 progress=ClickProgress())
    _report(rec, batch)


@click.command("imports")
@_STORE
@click.pass_context
def imports_cmd(ctx, store):
    """List the imports in the store, oldest first."""
    from graph.errors import ConvergenceError
    from graph.ingest import list_imports
    from graph.store import OxigraphStore

    path = _store(ctx, store)
    if not path:
        raise ConvergenceError("give the disk store with --store DIR (or CONVERGENCE_STORE)", "--store")
    st = OxigraphStore(path, read_only=True)
    try:
        records = list_imports(st)
    finally:
        st.close()
    for rec in records:
        click.echo(rec.describe())
    click.echo(f"({len(records)} imports)", err=True)


def _remove(ctx, import_id, store, data_dir):
    from graph.ingest import remove_import

    rec = remove_import(import_id, _store(ctx, store), data_dir=data_dir, progress=ClickProgress())
    click.echo(f"removed {rec.id} ({rec.file}): {rec.statements} statements taken back")


@click.command("remove-import")
@click.argument("import_id")
@_STORE
@_DATA
@click.pass_context
def remove_import_cmd(ctx, import_id, store, data_dir):
    """Take one import back: what it added leaves the store and data/imports/."""
    _remove(ctx, import_id, store, data_dir)


@click.command("undo")
@click.argument("import_id")
@_STORE
@_DATA
@click.pass_context
def undo_cmd(ctx, import_id, store, data_dir):
    """The same as remove-import."""
    _remove(ctx, import_id, store, data_dir)


def register(cli) -> None:
    """Add the ingestion commands to the `convergence` group."""
    for command in (import_cmd, ingest_article_cmd, import_openalex_cmd, imports_cmd, remove_import_cmd, undo_cmd):
        cli.add_command(command)
