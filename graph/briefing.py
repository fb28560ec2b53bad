"""Briefing packs: a subgraph written up for readers who never open the app, every statement cited.

``build_briefing`` gathers what a briefing says (title, scope, figure, tables of actors, technologies,
programmes, use cases and cross-domain links, the statements, "new since", numbered references);
``docx``, ``html`` and ``markdown`` write it, each with the marking in header and footer and the
subgraph's TriG (Turtle with one graph per source) as the appendix file beside it.
"""

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from .namespaces import CG, GRAPHS, shorten

__all__ = ["Briefing", "Table", "Line", "build_briefing", "scope_lines", "number_sources", "docx", "html",
           "markdown", "pack", "appendix_name", "figure_name"]

ACTOR_TYPES = ("Person", "Country", "Company", "ResearchOrganisation", "FundingBody", "GovernmentBody",
               "IntergovernmentalOrganisation", "AllianceBody", "Organisation")
PROGRAMME_TYPES = ("Programme", "Strategy", "Standard", "WorkStream")
#: Most rows a briefing table shows.
MAX_ROWS = 30
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SCHEMA = "https://schema.org/"
DCT = "http://purl.org/dc/terms/"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

_CLASS_LABELS = """
SELECT ?c ?l WHERE { GRAPH cgg:ontology { ?c a owl:Class ; rdfs:label ?l FILTER(LANG(?l) = ?lang || LANG(?l) = "en") } }"""

_LABELS = """SELECT ?x ?l WHERE { ?x skos:prefLabel ?l FILTER(LANG(?l) = ?lang || LANG(?l) = "en") }"""


def appendix_name(stem: str) -> str:
    """The appendix file beside a briefing: the subgraph as TriG (Turtle keeping each source's graph)."""
    return f"{stem}-appendix.trig"


def figure_name(stem: str, ext: str = "png") -> str:
    """The figure file beside a Markdown briefing."""
    return f"{stem}-figure.{ext}"


def clean(text) -> str:
    """Text safe for any document: control characters (which XML cannot hold) removed."""
    return _CONTROL.sub("", str(text))


# ------------------------------------------------------------------ what the briefing says


@dataclass
class Line:
    """One cited statement: its text and the reference numbers of its sources."""

    text: str
    cites: list


@dataclass
class Table:
    """A table of the briefing: title, column names, rows of text cells; the last column holds citations."""

    title: str
    columns: list
    rows: list
    empty: str = "None in this selection."
    note: str = ""


@dataclass
class Briefing:
    """Everything a briefing document shows, in order, ready for any writer."""

    title: str
    marking: str
    scope: list  # (label, value)
    figure_png: bytes
    figure_svg: bytes
    tables: list
    statements: list  # Line
    references: list  # (number, SourceRef)
    changes: object = None  # graph.diff.Diff
    change_lines: dict = field(default_factory=dict)  # "added"/"removed" -> [Line]
    appendix: str = "convergence-appendix.trig"
    figure_file: str = "convergence-figure.png"


def _scope_target(sub, name) -> str:
    node = sub.nodes.get(name) if name else None
    return f"{node.label()} ({shorten(name)})" if node else shorten(name or "")


def scope_lines(sub, kg=None, lang: str = "en") -> list:
    """Return [(label, value)] saying what was selected, how it was filtered and what was left out."""
    sc = sub.scope or {}
    names = {}
    if kg is not None:
        from .vocab import filter_options

        opts = filter_options(kg, lang)
        names = {**opts["domains"], **opts["countries"], **opts["relations"]}
    name = lambda i: names.get(i) or shorten(i)  # noqa: E731
    lines = []
    if sc.get("focus"):
        lines.append(("Selected", f"{_scope_target(sub, sc['focus'])} and its neighbours within "
                                  f"{sc.get('hops', 1)} hop{'s' if sc.get('hops', 1) != 1 else ''}"
                      + (f", plus one hop around {', '.join(_scope_target(sub, x) for x in sc['expanded'])}"
                         if sc.get("expanded") else "")))
    elif sc.get("named_query"):
        params = ", ".join(f"{k}={v}" for k, v in sc.get("params", {}).items())
        lines.append(("Selected", f"the entities the named query {sc['named_query']} returns"
                                  + (f" ({params})" if params else "")))
    elif sc.get("construct"):
        lines.append(("Selected", "the entities named by a SPARQL CONSTRUCT: " + " ".join(sc["construct"].split())))
    elif sc.get("entities"):
        lines.append(("Selected", f"{len(sc['entities'])} entities and the statements among them: "
                                  + ", ".join(_scope_target(sub, x) for x in sc["entities"])))
    elif sc.get("paths"):
        lines.append(("Selected", f"{len(sc['paths'])} paths between two entities"))
    filters = []
    for key, title in (("types", "types"), ("domains", "domains"), ("countries", "countries"),
                       ("relations", "relations")):
        if sc.get(key):
            filters.append(f"{title}: " + ", ".join(name(x) if key != "types" else x for x in sc[key]))
    if sc.get("from") or sc.get("to"):
        filters.append(f"dates: {sc.get('from') or '…'} to {sc.get('to') or '…'}")
    lines.append(("Filters", "; ".join(filters) if filters else "none"))
    size = f"{len(sub.nodes)} entities, {len(sub.edges)} sourced statements"
    if sub.left_out:
        size += f"; {sub.left_out} less-connected entities left out (cap {sc.get('cap')})"
    lines.append(("Size", size))
    if sc.get("marking"):
        held = sc.get("withheld", 0)
        gone = sc.get("withheld_entities", 0)
        lines.append(("Marking", f"{sc['marking']}: {held} statement{'s' if held != 1 else ''} and {gone} "
                                 f"entit{'ies' if gone != 1 else 'y'} marked above {sc['marking']} left out"))
    return lines


def _data_line(kg, quads) -> str:
    """When the data dates from: the newest source in the graph and the data version."""
    from .entity import sources_info

    issued = sorted(r.issued for r in sources_info(kg).values() if r.issued)
    version = (kg.info or {}).get("data_hash", "")[:12] or (kg.info or {}).get("endpoint", "")
    text = f"newest source in the graph dated {issued[-1]}" if issued else "no dated source"
    return text + (f"; data version {version}" if version else "")


def _cited_sources(sub, quads) -> set:
    """The sources the briefing cites: those of the statements and of the entities' attributes."""
    skip = set(GRAPHS.values())
    cited = {g for e in sub.edges for g in e.sources}
    cited |= {q.graph_name.value for q in quads if q.graph_name.value not in skip
              and q.subject.value in sub.nodes}
    return cited


def number_sources(kg, sub, quads=None) -> tuple:
    """Return ({source IRI: number}, [SourceRef in number order]): numbered by date, then title."""
    from .entity import SourceRef, sources_info
    from .export.rdf import subgraph_quads

    quads = subgraph_quads(kg, sub) if quads is None else quads
    info = sources_info(kg)
    refs = [info.get(g) or SourceRef(g, shorten(g), "", None, "", "") for g in _cited_sources(sub, quads)]
    refs.sort(key=lambda r: (r.issued or "9999", r.title.lower(), r.iri))
    return {r.iri: i for i, r in enumerate(refs, 1)}, refs


def _attributes(sub, quads) -> dict:
    """{entity: {property local name: [(value, source)]}} from the sources' graphs."""
    skip = set(GRAPHS.values())
    out = {}
    for q in quads:
        g = q.graph_name.value
        if g in skip or q.subject.value not in sub.nodes or not isinstance(q.object, ox.Literal):
            continue
        local = q.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        out.setdefault(q.subject.value, {}).setdefault(local, []).append((q.object.value, g))
    return out


def _qualifiers(quads) -> dict:
    """{(s, p, o): text of dates and amounts} from the qualified relations in the export."""
    rel = {}
    for q in quads:
        rel.setdefault(q.subject.value, {})[q.predicate.value] = q.object.value
    out = {}
    for props in rel.values():
        if RDF + "subject" not in props:
            continue
        parts = []
        start, end, date = props.get(SCHEMA + "startDate"), props.get(SCHEMA + "endDate"), props.get(DCT + "date")
        if start and end:
            parts.append(f"{start} to {end}")
        elif start:
            parts.append(f"from {start}")
        elif end:
            parts.append(f"until {end}")
        if date:
            parts.append(date)
        if props.get(CG + "amount"):
            parts.append(f"{props[CG + 'amount']} {props.get(CG + 'currency', '')}".strip())
        if parts:
            out[(props[RDF + "subject"], props[RDF + "predicate"], props[RDF + "object"])] = "; ".join(parts)
    return out


def cite_text(nums) -> str:
    """Reference numbers as one bracket, runs shortened.

    >>> cite_text([7, 2, 3, 4, 9])
    '[2–4, 7, 9]'
    >>> cite_text([])
    ''
    """
    nums = sorted(set(nums))
    if not nums:
        return ""
    runs, start = [], nums[0]
    for prev, cur in zip(nums, nums[1:] + [None]):
        if cur != prev + 1 if cur is not None else True:
            runs.append(str(start) if start == prev else f"{start}{'–' if prev - start > 1 else ', '}{prev}")
            start = cur
    return "[" + ", ".join(runs) + "]"


def _cites(numbers, sources) -> str:
    return cite_text(numbers[s] for s in sources if s in numbers)


def build_briefing(kg, sub, lang: str = "en", title: str | None = None, since=None, stem: str = "convergence",
                   marking: str | None = None) -> Briefing:
    """Gather the briefing for a subgraph (cut beforehand with graph.markings.restrict if a limit applies).

    ``since`` is a graph.diff.Diff against an earlier export, shown as "New since".
    """
    from .entity import relation_labels
    from .export.pictures import render
    from .export.rdf import subgraph_quads
    from .markings import highest, limit_of
    from .vocab import filter_options

    quads = subgraph_quads(kg, sub)
    numbers, refs = number_sources(kg, sub, quads)
    limit = limit_of(kg, sub)
    mark = marking or (limit.name if limit else highest(kg, sub).name)
    rel = relation_labels(kg, lang)
    domains = filter_options(kg, lang)["domains"]
    classes = {}
    for c, label in kg.query(_CLASS_LABELS, lang=lang).rows:
        if label.language == lang or c.value not in classes:
            classes[c.value.rsplit("#", 1)[-1]] = label.value
    nodes = sub.nodes
    extra = sorted({c for n in nodes.values() for c in n.countries if c not in nodes})
    names = {}
    if extra:
        for x, label in kg.query(_LABELS, x=[ox.NamedNode(c) for c in extra], lang=lang).rows:
            if label.language == lang or x.value not in names:
                names[x.value] = label.value
    label = lambda i: clean(nodes[i].label(lang) if i in nodes else names.get(i, shorten(i)))  # noqa: E731
    dom = lambda n: ", ".join(domains.get(d, shorten(d)) for d in n.domains)  # noqa: E731
    title = clean(title or (f"Briefing: {label(sub.focus)}" if sub.focus in nodes else "Convergence briefing"))
    attrs = _attributes(sub, quads)
    quals = _qualifiers(quads)
    by_node = {}
    for e in sub.edges:
        by_node.setdefault(e.source, []).append(e)
        by_node.setdefault(e.target, []).append(e)

    def node_cites(iri, preds=None):
        srcs = {g for e in by_node.get(iri, ()) if preds is None or e.relation in preds for g in e.sources}
        return _cites(numbers, srcs)

    def others(iri, preds, outgoing=True):
        ends = sorted({label(e.target if outgoing else e.source) for e in by_node.get(iri, ())
                       if e.relation in preds and (e.source == iri) == outgoing}, key=str.lower)
        return ", ".join(ends)

    ordered = sorted(nodes.values(), key=lambda n: (-n.degree, label(n.iri).lower()))
    tables = [
        Table("Key actors", ["Actor", "Kind", "Based in", "Works on or develops", "Statements", "Sources"],
              [[label(n.iri), classes.get(n.type, n.type), ", ".join(label(c) for c in n.countries),
                others(n.iri, {"worksOn", "develops"}), str(n.degree), node_cites(n.iri)]
               for n in ordered if n.type in ACTOR_TYPES]),
        Table("Technologies", ["Technology", "Domains", "Worked on by", "Sources"],
              [[label(n.iri), dom(n), others(n.iri, {"worksOn", "develops"}, outgoing=False), node_cites(n.iri)]
               for n in ordered if n.type == "Technology"]),
        Table("Programmes and strategies", ["Programme", "Kind", "Started", "Led or published by", "Addresses",
                                            "Sources"],
              [[label(n.iri), classes.get(n.type, n.type),
                ", ".join(v for v, _ in attrs.get(n.iri, {}).get("startDate", [])),
                others(n.iri, {"publishedBy"}) or others(n.iri, {"launched", "leads"}, outgoing=False),
                others(n.iri, {"addresses"}),
                _cites(numbers, {g for e in by_node.get(n.iri, ()) for g in e.sources}
                       | {g for vals in attrs.get(n.iri, {}).values() for _, g in vals})]
               for n in ordered if n.type in PROGRAMME_TYPES]),
        Table("Use cases (dual use marked)", ["Use case", "Domains", "Dual use", "Enabled by", "Benefit", "Risk",
                                             "Sources"],
              [_use_case_row(n, label(n.iri), dom(n), attrs.get(n.iri, {}), others(n.iri, {"enables"}, False),
                             numbers, by_node)
               for n in sorted(nodes.values(), key=lambda n: label(n.iri).lower()) if n.type == "UseCase"]),
        Table("Cross-domain links", ["From", "Domains", "Relation", "To", "Domains", "Sources"],
              [[label(e.source), dom(nodes[e.source]), rel.get(e.predicate, e.relation), label(e.target),
                dom(nodes[e.target]), _cites(numbers, e.sources)]
               for e in sub.edges if _cross(nodes[e.source], nodes[e.target], e)],
              "No link in this selection joins entities of different domains."),
    ]
    for table in tables:
        if len(table.rows) > MAX_ROWS:
            table.note = (f"The first {MAX_ROWS} of {len(table.rows)}, best connected first; every statement "
                          "is listed under Statements.")
            table.rows = table.rows[:MAX_ROWS]
    statements = sorted(
        (Line(f"{label(e.source)} {rel.get(e.predicate, e.relation)} {label(e.target)}"
              + (f" ({quals[(e.source, e.predicate, e.target)]})" if (e.source, e.predicate, e.target) in quals
                 else ""), sorted({numbers[g] for g in e.sources}))
         for e in sub.edges), key=lambda line: line.text.lower())
    scope = scope_lines(sub, kg, lang) + [("Data", _data_line(kg, quads))]
    if limit is None:
        scope.append(("Marking", f"{mark}: the most restricted marking among the cited sources "
                                 "(no limit was asked for)"))
    changes = {}
    if since is not None:
        for kind in ("added", "removed"):
            changes[kind] = [Line(clean(s.text()), [numbers[g] for g, *_ in s.sources if g in numbers])
                             if kind == "added" else
                             Line(clean(s.text()) + (" — per " + "; ".join(
                                 clean(f"{t} ({', '.join(x for x in (p, d) if x)})") for _, t, p, d in s.sources)
                                 if s.sources else ""), [])
                             for s in getattr(since, kind)]
    png_bytes = render(kg, sub, "png", lang, title, mark)
    svg_bytes = render(kg, sub, "svg", lang, title, mark)
    return Briefing(title, mark, [(k, clean(v)) for k, v in scope], png_bytes, svg_bytes, tables, statements,
                    list(enumerate(refs, 1)), since, changes, appendix_name(stem), figure_name(stem))


def _use_case_row(n, name, domains, attrs, enablers, numbers, by_node) -> list:
    dual = attrs.get("dualUse", [])
    flag = "—"
    if any(v in ("true", "1") for v, _ in dual):
        flag = "⚠ Yes"
    elif dual:
        flag = "No"
    srcs = {g for e in by_node.get(n.iri, ()) for g in e.sources} | {g for vals in attrs.values() for _, g in vals}
    return [name, domains, flag, enablers, clean("; ".join(v for v, _ in attrs.get("benefit", []))),
            clean("; ".join(v for v, _ in attrs.get("risk", []))), _cites(numbers, srcs)]


def _cross(a, b, e) -> bool:
    """True for a convergesWith link, or a link between entities that have domains but none in common."""
    if e.relation == "convergesWith":
        return True
    return bool(a.domains and b.domains and not set(a.domains) & set(b.domains))


# ------------------------------------------------------------------ writers

def docx(kg, sub, options=None):
    """Return {name: bytes}: the briefing as a Word document, with its TriG appendix."""
    from .briefing_write import write_docx

    o = _opts(options)
    b = build_briefing(kg, sub, o.lang, o.title, o.since, o.stem)
    return {f"{o.stem}.docx": write_docx(b), b.appendix: _appendix(kg, sub)}


def html(kg, sub, options=None):
    """Return {name: bytes}: the briefing as one self-contained HTML page, with its TriG appendix."""
    from .briefing_write import write_html

    o = _opts(options)
    b = build_briefing(kg, sub, o.lang, o.title, o.since, o.stem)
    return {f"{o.stem}-briefing.html": write_html(b, o.lang).encode("utf-8"), b.appendix: _appendix(kg, sub)}


def markdown(kg, sub, options=None):
    """Return {name: bytes}: the briefing as Markdown, its figure (PNG) and its TriG appendix."""
    from .briefing_write import write_markdown

    o = _opts(options)
    b = build_briefing(kg, sub, o.lang, o.title, o.since, o.stem)
    return {f"{o.stem}.md": write_markdown(b).encode("utf-8"), b.figure_file: b.figure_png,
            b.appendix: _appendix(kg, sub)}


def pack(kg, sub, options=None):
    """Return {name: bytes}: one zip with the DOCX, HTML and Markdown briefings, figures and appendix."""
    from .export.tables import deterministic_zip

    from .briefing_write import write_docx, write_html, write_markdown

    o = _opts(options)
    b = build_briefing(kg, sub, o.lang, o.title, o.since, o.stem)
    files = {f"{o.stem}.docx": write_docx(b), f"{o.stem}-briefing.html": write_html(b, o.lang).encode("utf-8"),
             f"{o.stem}.md": write_markdown(b).encode("utf-8"), b.figure_file: b.figure_png,
             figure_name(o.stem, "svg"): b.figure_svg, b.appendix: _appendix(kg, sub)}
    return {f"{o.stem}-briefing.zip": deterministic_zip(files)}


def _opts(options):
    from .export.registry import Options

    return options or Options()


def _appendix(kg, sub) -> bytes:
    from .export.rdf import trig

    return trig(kg, sub)
