"""The ``convergence`` command: a thin shell over the library."""

import sys
from pathlib import Path

import click

from .errors import ConvergenceError

__all__ = ["main", "cli"]


def _progress(msg: str) -> None:
    click.echo(f"... {msg}", err=True)


def _open(ctx):
    """Open the graph named by the global --store option (in memory from data/ when absent)."""
    from .kg import open_graph

    return open_graph(ctx.obj.get("store"))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", type=click.Path(file_okay=False), envvar="CONVERGENCE_STORE",
              help="A disk store built by `convergence build --store DIR` (env CONVERGENCE_STORE); "
                   "without it the bundled data is loaded in memory.")
@click.version_option(package_name="convergence-graph")
@click.pass_context
def cli(ctx, store):
    """Convergence Graph: quantum, AI and biotech convergence, with a source behind every statement."""
    ctx.ensure_object(dict)
    ctx.obj["store"] = store


@cli.command()
@click.option("--store", "store_dir", type=click.Path(file_okay=False),
              help="Write a disk store here (replaced atomically); without it, build in memory and report.")
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False),
              help="Data folder to build from (default: the project's data/).")
@click.option("--no-validate", is_flag=True, help="Skip SHACL and violation checks (faster, for benchmarks).")
@click.pass_context
def build(ctx, store_dir, data_dir, no_validate):
    """Parse ontology/ and data/, validate, and load the store atomically."""
    from .build import build as run_build

    store, info = run_build(store_dir or None, data_dir=Path(data_dir) if data_dir else None,
                            validate=not no_validate, progress=_progress)
    checked = "validated" if not no_validate else "not validated"
    where = f"into {info.store}" if info.store else "in memory"
    click.echo(f"built {info.quads} statements from {len(info.files)} files {where} ({checked}, 0 violations)"
               if not no_validate else f"built {info.quads} statements from {len(info.files)} files {where} "
               f"({checked})")
    store.close()


@cli.command()
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False),
              help="Data folder to check (default: the project's data/).")
def validate(data_dir):
    """Run the SHACL shapes and violation queries and print every violation."""
    from .build import Locator, input_files, load_files
    from .validate import validate as run_validation

    files = input_files(data_dir=Path(data_dir) if data_dir else None)
    locator = Locator()
    store = load_files(files, locator)
    report = run_validation(store, locator=locator)
    click.echo(report.text())
    if not report.conforms:
        sys.exit(1)


@cli.command()
@click.option("--format", "fmt", default="table", type=click.Choice(["table", "csv", "tsv", "json"]))
@click.pass_context
def stats(ctx, fmt):
    """Print counts of entities by class and of statements by relation."""
    kg = _open(ctx)
    click.echo(kg.run_named("counts-by-class").serialize(fmt))
    click.echo()
    click.echo(kg.run_named("relation-counts").serialize(fmt))


@cli.command()
@click.pass_context
def queries(ctx):
    """List the named queries with their parameters."""
    from .named import load_named_queries

    for name, q in load_named_queries().items():
        click.echo(f"{name}\n    {q.title}: {q.description}")
        for p in q.params:
            default = f" = {p.default}" if p.default else " (required)"
            click.echo(f"    --param {p.name}=<{p.type}>{default}  {p.description}")


def _parse_params(pairs) -> dict:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConvergenceError(f"write --param NAME=VALUE, got {pair!r}", "--param")
        out[key.strip()] = value
    return out


@cli.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter.")
@click.option("--sparql", help="Run this SPARQL text instead of a named query.")
@click.option("--file", "qfile", type=click.Path(dir_okay=False), help="Run the SPARQL in this file.")
@click.option("--format", "-f", "fmt", default=None,
              type=click.Choice(["table", "csv", "tsv", "json", "turtle", "ntriples"]),
              help="Output format (default: table, or turtle for CONSTRUCT).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.pass_context
def query(ctx, name, params, sparql, qfile, fmt, output):
    """Run a named query (see `convergence queries`) or SPARQL text."""
    given = [x for x in (name, sparql, qfile) if x]
    if len(given) != 1:
        raise ConvergenceError("give exactly one of NAME, --sparql TEXT or --file Q.rq", "query")
    values = _parse_params(params)
    kg = _open(ctx)
    if name:
        result = kg.run_named(name, **values)
    else:
        if qfile:
            try:
                sparql = Path(qfile).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise ConvergenceError(f"cannot read query file: {exc}", qfile) from None
        result = kg.query(sparql, **values)
    fmt = fmt or ("turtle" if result.form in ("CONSTRUCT", "DESCRIBE") else "table")
    text = result.serialize(fmt)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(result)} {'rows' if result.form == 'SELECT' else 'items'} to {output}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


@cli.command()
@click.option("--out", default="docs/ontology.html", type=click.Path(dir_okay=False), show_default=True)
def docs(out):
    """Render the ontology's HTML reference offline (needs the docs extra: pylode)."""
    from .docs import render_ontology_docs

    path = render_ontology_docs(Path(out))
    click.echo(f"wrote {path}")


def main(argv=None):
    """Run the command; a ConvergenceError becomes a one-line message and exit status 1."""
    try:
        cli.main(args=argv, prog_name="convergence", standalone_mode=False)
    except ConvergenceError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
