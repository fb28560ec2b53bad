"""`convergence analyze ...`: the convergence measures of graph.analytics as tables, CSV or JSON."""

import click

from ..errors import ConvergenceError
from ..namespaces import shorten

__all__ = ["register", "analyze"]

_FORMAT = click.option("--format", "-f", "fmt", default="table", show_default=True,
                       type=click.Choice(["table", "csv", "json"]), help="Output format.")
_LANG = click.option("--lang", default="en", show_default=True, type=click.Choice(["en", "fr"]),
                     help="Language of the labels.")
_CORE = click.option("--core-only", is_flag=True, help="Count only the quantum, AI and biotech domains.")


def _emit(df, fmt: str) -> None:
    """Print a DataFrame as an aligned table (IRIs shortened), CSV or JSON records."""
    if fmt == "csv":
        click.echo(df.to_csv(index=False), nl=False)
    elif fmt == "json":
        click.echo(df.to_json(orient="records", force_ascii=False, indent=1))
    elif df.empty:
        click.echo("(no rows)")
    else:
        shown = df.copy()
        for col in shown.columns:
            shown[col] = shown[col].map(lambda v: shorten(v) if isinstance(v, str) and v.startswith("http")
                                        else ("" if v is None else v))
        click.echo(shown.to_string(index=False, max_colwidth=70))
        click.echo(f"({len(df)} rows)")


def _kg(ctx):
    from ..cli import open_from_ctx

    return open_from_ctx(ctx)


def _say(msg: str) -> None:
    click.echo(f"... {msg}", err=True)


@click.group()
def analyze():
    """Convergence measures: matrix, bridges, actors, communities, paths, trends, countries, gaps."""


@analyze.command()
@click.option("--pair", nargs=2, metavar="DOMAIN DOMAIN",
              help="List the links behind one pair instead (e.g. --pair domain:quantum domain:biotech).")
@_LANG
@_FORMAT
@click.pass_context
def matrix(ctx, pair, lang, fmt):
    """Cross-domain links per pair of domains, by kind, with the total and the normalised share."""
    from ..analytics import cross_links, domain_matrix

    kg = _kg(ctx)
    _emit(cross_links(kg, lang, *pair) if pair else domain_matrix(kg, lang), fmt)


@analyze.command()
@click.option("--top", default=20, show_default=True, type=click.IntRange(1), help="How many to show.")
@click.option("--k", "k", default=200, show_default=True, type=click.IntRange(1),
              help="Source entities sampled for betweenness (all of them when fewer).")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the sample.")
@_CORE
@_LANG
@_FORMAT
@click.pass_context
def bridges(ctx, top, k, seed, core_only, lang, fmt):
    """Entities ranked by how much they connect domains, with the reason."""
    from ..analytics import bridges as run

    kg = _kg(ctx)
    _say(f"measuring bridges (betweenness from up to {k} sampled entities, seed {seed})")
    df, info = run(kg, lang, k=k, seed=seed, core_only=core_only, top=top)
    _say(f"{info['pairs']} cross-domain pairs counted from {info['sources used']} source entities")
    _emit(df, fmt)


@analyze.command()
@click.option("--min-domains", default=2, show_default=True, type=click.IntRange(1))
@click.option("--country", "countries", multiple=True, metavar="COUNTRY", help="Only these countries (country:dk).")
@click.option("--type", "types", multiple=True, metavar="CLASS", help="Only these types (Company, Strategy, ...).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["actors", "programmes"]),
              help="Only actors or only programmes (default both).")
@_CORE
@_LANG
@_FORMAT
@click.pass_context
def actors(ctx, min_domains, countries, types, kinds, core_only, lang, fmt):
    """Actors and programmes active in two or more domains, ranked, with the reason."""
    from ..analytics import convergence_actors

    kg = _kg(ctx)
    _emit(convergence_actors(kg, lang, min_domains, countries, types, kinds or ("actors", "programmes"),
                             core_only), fmt)


@analyze.command()
@click.option("--resolution", default=1.0, show_default=True, type=click.FloatRange(0, min_open=True))
@click.option("--seed", default=42, show_default=True, type=int, help="Seed of Louvain.")
@click.option("--members", is_flag=True, help="List every member instead of one row per community.")
@_LANG
@_FORMAT
@click.pass_context
def communities(ctx, resolution, seed, members, lang, fmt):
    """Louvain communities with their domain mix and top members."""
    from ..analytics import communities as run

    kg = _kg(ctx)
    _say(f"finding communities (Louvain, seed {seed})")
    summary, listing = run(kg, lang, resolution=resolution, seed=seed)
    _emit(listing if members else summary, fmt)


@analyze.command()
@click.argument("source")
@click.argument("target")
@click.option("--k", "k", default=3, show_default=True, type=click.IntRange(1), help="How many paths.")
@click.option("--max-hops", default=6, show_default=True, type=click.IntRange(1))
@click.option("--through-countries", is_flag=True, help="Allow paths through countries.")
@_LANG
@_FORMAT
@click.pass_context
def paths(ctx, source, target, k, max_hops, through_countries, lang, fmt):
    """The k shortest paths from SOURCE to TARGET, one row per fact with its sources."""
    from ..analytics import paths as run
    from ..analytics import paths_table

    kg = _kg(ctx)
    found = run(kg, source, target, k=k, max_hops=max_hops, avoid_types=() if through_countries else ("Country",))
    if not found:
        raise ConvergenceError(f"no connection within {max_hops} steps", "paths")
    _emit(paths_table(kg, found, lang), fmt)


@analyze.command()
@_CORE
@_LANG
@_FORMAT
@click.pass_context
def trends(ctx, core_only, lang, fmt):
    """New and cumulative cross-domain links per year and pair of domains."""
    from ..analytics import trends as run

    df, undated = run(_kg(ctx), lang, core_only=core_only)
    _say(f"{undated} links have no date and are not counted by year")
    _emit(df, fmt)


@analyze.command()
@click.argument("countries", nargs=-1)
@click.option("--members-of", metavar="BODY",
              help="Compare the member countries of a body (e.g. orgn:transatlantic-quantum-community).")
@click.option("--domain", "domains", multiple=True, metavar="DOMAIN",
              help="Break down by these domains (default quantum, AI, biotech).")
@_LANG
@_FORMAT
@click.pass_context
def countries(ctx, countries, members_of, domains, lang, fmt):
    """Countries side by side: actors, programmes and budgets by domain, cross-domain links."""
    from ..analytics import compare_countries, group_members

    kg = _kg(ctx)
    chosen = list(countries) + (group_members(kg, members_of) if members_of else [])
    if not chosen:
        raise ConvergenceError("name countries (country:dk country:gb) or --members-of BODY", "countries")
    _emit(compare_countries(kg, list(dict.fromkeys(chosen)), lang, domains or None), fmt)


@analyze.command()
@click.option("--domains", "show_domains", is_flag=True,
              help="Show the domains with their number of sources instead of isolated topics.")
@click.option("--min-sources", default=5, show_default=True, type=click.IntRange(0),
              help="A domain with fewer sources is flagged.")
@_LANG
@_FORMAT
@click.pass_context
def gaps(ctx, show_domains, min_sources, lang, fmt):
    """Technologies and use cases linked to no other domain (or, with --domains, thinly sourced domains)."""
    from ..analytics import isolated_topics, thin_domains

    kg = _kg(ctx)
    _emit(thin_domains(kg, lang, min_sources) if show_domains else isolated_topics(kg, lang), fmt)


def register(cli) -> None:
    """Add `analyze` to the `convergence` command."""
    cli.add_command(analyze)
