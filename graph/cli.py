"""The ``convergence`` command: a thin shell over the library."""

import importlib
import sys
from pathlib import Path

import click

from .errors import ConvergenceError

__all__ = ["main", "cli"]


def _progress(msg: str) -> None:
    click.echo(f"... {msg}", err=True)


_REMOTE = ("endpoint", "update_endpoint", "gsp_endpoint", "user", "password")


def _open(ctx):
    """Open the graph named by the global --store or --endpoint option (in memory from data/ when absent)."""
    from .kg import open_graph

    store, endpoint = ctx.obj.get("store"), ctx.obj.get("endpoint")
    if store and endpoint:  # the command line beats the environment; the endpoint beats a store
        src = ctx.find_root().get_parameter_source
        cmdline = click.core.ParameterSource.COMMANDLINE
        if src("store") == cmdline and src("endpoint") == cmdline:
            raise ConvergenceError("give --store or --endpoint, not both", "--endpoint")
        store, endpoint = (store, None) if src("store") == cmdline else (None, endpoint)
    if endpoint:
        return open_graph(endpoint=endpoint, **{k: ctx.obj.get(k) for k in _REMOTE[1:]})
    return open_graph(store)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", type=click.Path(file_okay=False), envvar="CONVERGENCE_STORE",
              help="A disk store built by `convergence build --store DIR` (env CONVERGENCE_STORE); "
                   "without it the bundled data is loaded in memory.")
@click.option("--endpoint", envvar="CONVERGENCE_ENDPOINT", metavar="URL",
              help="Query this SPARQL 1.1 endpoint instead of a local store (env CONVERGENCE_ENDPOINT).")
@click.option("--update-endpoint", envvar="CONVERGENCE_UPDATE_ENDPOINT", metavar="URL",
              help="The engine's SPARQL Update URL, for `push` (env CONVERGENCE_UPDATE_ENDPOINT).")
@click.option("--gsp-endpoint", envvar="CONVERGENCE_GSP_ENDPOINT", metavar="URL",
              help="The engine's Graph Store Protocol URL, for `push` (env CONVERGENCE_GSP_ENDPOINT).")
@click.option("--user", envvar="CONVERGENCE_USER", help="User name for the engine (env CONVERGENCE_USER).")
@click.option("--password", envvar="CONVERGENCE_PASSWORD",
              help="Password for the engine (env CONVERGENCE_PASSWORD; Digest or Basic authentication).")
@click.version_option(package_name="convergence-graph")
@click.pass_context
def cli(ctx, store, endpoint, update_endpoint, gsp_endpoint, user, password):
    """Convergence Graph: quantum, AI and biotech convergence, with a source behind every statement."""
    ctx.ensure_object(dict)
    ctx.obj.update(store=store, endpoint=endpoint, update_endpoint=update_endpoint, gsp_endpoint=gsp_endpoint,
                   user=user, password=password)


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
    """Print the headline counts, entities by class and statements by relation."""
    kg = _open(ctx)
    click.echo(kg.run_named("summary").serialize(fmt))
    click.echo()
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
@click.option("--store", "store_dir", type=click.Path(file_okay=False),
              help="The disk store to serve (default: the global --store, else .store), built first if absent.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--timeout", default=30, show_default=True, type=click.IntRange(1),
              help="Stop a query after this many seconds.")
@click.option("--cors", is_flag=True, help="Allow cross-origin requests (for browser tools such as YASGUI).")
@click.pass_context
def serve(ctx, store_dir, host, port, timeout, cors):
    """Serve the graph read-only over the SPARQL 1.1 Protocol (the Oxigraph server) until Ctrl-C."""
    from .serve import OxigraphServer, ensure_store, serve_forever

    location = ensure_store(store_dir or ctx.obj.get("store") or ".store", progress=_progress)
    server = OxigraphServer(location, host, port, timeout, cors).start()
    line = f"SPARQL endpoint: {server.url} (read-only, {timeout} s limit; Ctrl-C stops)"
    sys.exit(serve_forever(server, echo=lambda msg: click.echo(msg, err=True), ready=lambda: click.echo(line)))


@cli.command()
@click.option("--endpoint", metavar="URL", help="The engine's query URL (default: the global --endpoint).")
@click.option("--update-endpoint", metavar="URL", help="Its SPARQL Update URL (used without --gsp-endpoint).")
@click.option("--gsp-endpoint", metavar="URL", help="Its Graph Store Protocol URL (preferred).")
@click.option("--user", help="User name (default: the global --user).")
@click.option("--password", help="Password (default: the global --password).")
@click.pass_context
def push(ctx, **opts):
    """Load the built graph into a SPARQL engine, one named graph at a time (replacing earlier pushes)."""
    from .kg import open_graph
    from .push import push as run_push
    from .remote import RemoteStore

    o = {k: opts.get(k) or ctx.obj.get(k) for k in _REMOTE}
    if not o["endpoint"]:
        raise ConvergenceError("give the engine's query URL with --endpoint URL", "--endpoint")
    if not (o["gsp_endpoint"] or o["update_endpoint"]):
        raise ConvergenceError("give --gsp-endpoint URL (Graph Store Protocol) or --update-endpoint URL",
                               "--gsp-endpoint")
    if ctx.obj.get("store"):
        store = open_graph(ctx.obj["store"]).store
    else:
        from .build import build as run_build

        store, _ = run_build(None, progress=_progress)
    done = run_push(store, RemoteStore(**o), progress=_progress)
    click.echo(f"pushed {done['statements']} statements in {len(done['written'])} graphs to {o['endpoint']}"
               + (f"; removed {len(done['deleted'])} graphs no longer in the graph" if done["deleted"] else ""))


@cli.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter.")
@click.option("--sparql", help="Use this SPARQL text instead of a named query.")
@click.option("--endpoint", metavar="URL", help="The endpoint (default: the global --endpoint, else "
              "http://127.0.0.1:7878/query as `convergence serve` starts it).")
@click.pass_context
def url(ctx, name, params, sparql, endpoint):
    """Print the GET URL that runs a named query (parameters bound) on a SPARQL endpoint."""
    from .remote import get_url
    from .sparql import bind_values

    if bool(name) == bool(sparql):
        raise ConvergenceError("give exactly one of NAME or --sparql TEXT", "url")
    values = _parse_params(params)
    if name:
        from .kg import Graph

        nq = Graph(None).named_query(name)
        body = nq.sparql.splitlines()
        while body and (not body[0].strip() or body[0].lstrip().startswith("#")):
            body.pop(0)
        text = bind_values("\n".join(body), nq.bindings(values))
    else:
        from .kg import _guess_term

        text = bind_values(sparql, {k: _guess_term(k, v) for k, v in values.items()})
    click.echo(get_url(endpoint or ctx.obj.get("endpoint") or "http://127.0.0.1:7878/query", text))


@cli.command()
@click.option("--out", default="docs/ontology.html", type=click.Path(dir_okay=False), show_default=True)
def docs(out):
    """Render the ontology's HTML reference (one offline page)."""
    from .docs import render_ontology_docs

    path = render_ontology_docs(Path(out))
    click.echo(f"wrote {path}")


#: Modules of graph/commands/ that add a capability's commands to the group (each has ``register(cli)``).
COMMAND_MODULES = ("analyze", "export", "ingest")

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__package__}.commands.{_name}").register(cli)


def open_from_ctx(ctx):
    """Open the graph the global options name; for commands defined in graph/commands/."""
    return _open(ctx)


def main(argv=None):
    """Run the command; a ConvergenceError becomes a one-line message and exit status 1."""
    try:
        cli.main(args=argv, prog_name="convergence", standalone_mode=False)
    except ConvergenceError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        where = ""
        param = getattr(exc, "param", None)
        if param is not None and getattr(param, "opts", None):
            where = f"{param.opts[0]}: "
        command = exc.ctx.command_path if exc.ctx else "convergence"
        click.echo(f"error: {where}{exc.format_message()} (see `{command} --help`)", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
