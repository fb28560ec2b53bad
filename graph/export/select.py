"""Pick the subgraph to export from what a user types: a focus by name or IRI, a CONSTRUCT, a named query, a list.

Names are looked up like the viewer's search (English or French labels, accents and case ignored); a
name that matches several entities equally is an error listing them, never a guess.
"""

from ..errors import ConvergenceError
from ..namespaces import BASE, CG, PREFIXES, expand

__all__ = ["resolve_entity", "resolve_domain", "resolve_country", "resolve_relation", "select"]


def _index(kg):
    from ..search import LabelIndex

    idx = getattr(kg, "_export_index", None)
    if idx is None:
        idx = kg._export_index = LabelIndex.from_graph(kg)
    return idx


def _looks_like_iri(text: str) -> bool:
    prefix, sep, _ = text.partition(":")
    return text.startswith("<") or text.startswith(("http://", "https://")) or (sep and prefix in PREFIXES)


def resolve_entity(kg, text: str, where: str = "--focus") -> str:
    """Return the IRI for a prefixed name, an IRI or an entity's label (exactly one best match)."""
    text = str(text).strip()
    if not text:
        raise ConvergenceError("give an entity's name or IRI", where)
    if _looks_like_iri(text):
        return expand(text)
    hits = _index(kg).search(text, 8)
    if not hits:
        raise ConvergenceError(f"no entity called {text!r}; check the spelling or give its IRI", where)
    best = [h for h in hits if h.score == hits[0].score]
    if len({h.iri for h in best}) > 1 or hits[0].score < 70:
        from ..namespaces import shorten

        listed = "; ".join(f"{h.label} ({shorten(h.iri)})" for h in hits[:5])
        raise ConvergenceError(f"{text!r} is not one entity; did you mean: {listed}? Give the IRI in brackets",
                               where)
    return best[0].iri


def _choose(kg, text, kind, options, where) -> str:
    from ..search import normalise

    text = str(text).strip()
    full = expand(text)
    if full in options:
        return full
    guess = BASE + f"id/{kind}/" + text.lower()
    if guess in options:
        return guess
    wanted = normalise(text)
    found = [iri for iri, label in options.items() if normalise(label) == wanted]
    if len(found) == 1:
        return found[0]
    names = ", ".join(sorted(options.values(), key=str.lower)[:12])
    raise ConvergenceError(f"unknown {kind} {text!r}; use one of {names}", where)


def resolve_domain(kg, text: str) -> str:
    """A domain by slug (quantum), prefixed name (domain:ai), IRI or label."""
    from ..vocab import filter_options

    return _choose(kg, text, "domain", filter_options(kg)["domains"], "--domain")


def resolve_country(kg, text: str) -> str:
    """A country by ISO code (dk), prefixed name (country:dk), IRI or label."""
    from ..vocab import filter_options

    return _choose(kg, text, "country", filter_options(kg)["countries"], "--country")


def resolve_relation(kg, text: str) -> str:
    """A relation by local name (worksOn), prefixed name (cg:worksOn), IRI or label (works on)."""
    from ..entity import relation_labels

    labels = relation_labels(kg)
    text = str(text).strip()
    if CG + text in labels:
        return CG + text
    return _choose(kg, text, "relation", labels, "--relation")


def select(kg, focus=None, hops: int = 1, construct: str | None = None, query: str | None = None,
           params: dict | None = None, entities=None, types=(), domains=(), countries=(), relations=(),
           date_from: str | None = None, date_to: str | None = None, cap: int | None = 150):
    """Return the Subgraph for exactly one way of selecting (focus, construct, query or entities).

    The filters apply to a focus selection, as in the viewer; ``cap`` limits its size (None: no cap).
    """
    from .. import subgraph as sg

    given = [x for x in (focus, construct, query, entities) if x]
    if len(given) != 1:
        raise ConvergenceError("give exactly one of --focus, --construct, --query or --entities", "selection")
    filters = bool(types or domains or countries or relations or date_from or date_to)
    if filters and not focus:
        raise ConvergenceError("the filters apply to a --focus selection only", "selection")
    if focus:
        center = resolve_entity(kg, focus)
        sub = sg.focus(kg, center, hops, types=list(types),
                       domains=[resolve_domain(kg, d) for d in domains],
                       countries=[resolve_country(kg, c) for c in countries],
                       relations=[resolve_relation(kg, r) for r in relations],
                       date_from=date_from or None, date_to=date_to or None, cap=cap)
    elif construct:
        sub = sg.from_construct(kg, construct, cap)
    elif query:
        sub = sg.from_named_query(kg, query, cap, **(params or {}))
    else:
        sub = sg.from_entities(kg, [resolve_entity(kg, e, "--entities") for e in entities], cap)
    if not sub.nodes:
        raise ConvergenceError("the selection holds no entity; nothing to export", "selection")
    return sub
