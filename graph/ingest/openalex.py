"""OpenAlex in: works and institutions (JSON as the API returns them) linked to technologies by topic.

A technology whose ``skos:closeMatch`` is an OpenAlex topic gives a fact, ``institution cg:worksOn
technology``; a ``skos:relatedMatch`` gives only a suggestion for review. Each work is a source (its
graph holds what it shows); an institutions file is one source (its graph also holds ``cg:basedIn``).
"""

import json
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from ..errors import ConvergenceError
from .text import read_utf8
from ..namespaces import BASE, GRAPHS, PREFIXES
from .gate import SUGGESTIONS_GRAPH, Batch, Progress
from .names import RDF_TYPE, LabelTable, lit, quad, slug
from .sources import SourceInfo, SourceResolver

__all__ = ["read_openalex", "INSTITUTION_CLASSES", "topic_iri"]

#: OpenAlex institution types -> ontology classes.
INSTITUTION_CLASSES = {"company": "Company", "government": "GovernmentBody", "funder": "FundingBody"}
_DEFAULT_CLASS = "ResearchOrganisation"  # education, facility, nonprofit, healthcare, archive, other

_TOPICS = """
SELECT ?tech ?topic ?how WHERE {
  { ?tech skos:closeMatch ?topic BIND("close" AS ?how) } UNION { ?tech skos:relatedMatch ?topic BIND("related" AS ?how) }
  ?tech a cg:Technology FILTER(STRSTARTS(STR(?topic), "https://openalex.org/T"))
}"""
_MATCHED = """SELECT ?e ?x WHERE { ?e skos:closeMatch|skos:exactMatch ?x FILTER(STRSTARTS(STR(?x), "https://openalex.org/I")) }"""
_COUNTRIES = """SELECT ?c ?code WHERE { ?c a cg:Country ; cg:iso3166Alpha2 ?code }"""


def topic_iri(value: str) -> str:
    """Return the canonical IRI of an OpenAlex id (``T10682``, ``https://api.openalex.org/T10682``, ...).

    >>> topic_iri("https://api.openalex.org/topics/T10682")
    'https://openalex.org/T10682'
    """
    return "https://openalex.org/" + str(value).rstrip("/").rsplit("/", 1)[-1].upper()


def _records(path: Path) -> tuple:
    """Return ``(kind, records)`` from an OpenAlex JSON file: one object or ``{"results": [...]}``."""
    text = read_utf8(path)
    if not text.strip():
        raise ConvergenceError("the file is empty; nothing was imported", path.name)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConvergenceError(f"JSON syntax error: {exc.msg}", f"{path.name}:{exc.lineno}:{exc.colno}") from None
    except RecursionError:
        raise ConvergenceError("JSON nested too deeply to be an OpenAlex document", path.name) from None
    records = doc.get("results") if isinstance(doc, dict) and "results" in doc else doc
    records = records if isinstance(records, list) else [records]
    kinds = set()
    for i, r in enumerate(records):
        rid = str(r.get("id", "")) if isinstance(r, dict) else ""
        letter = rid.rstrip("/").rsplit("/", 1)[-1][:1].upper()
        if letter not in ("W", "I"):
            raise ConvergenceError(f"record {i + 1} is not an OpenAlex work (W...) or institution (I...): "
                                   f"id {rid!r}", path.name)
        kinds.add(letter)
    if not records:
        raise ConvergenceError("the file holds no OpenAlex records; nothing was imported", path.name)
    if len(kinds) > 1:
        raise ConvergenceError("the file mixes works and institutions; import them separately", path.name)
    return ("works" if kinds == {"W"} else "institutions"), records


class _Builder:
    """Turns OpenAlex records into quads: institutions as actors, topics as technologies."""

    def __init__(self, store):
        self.store = store
        self.labels = LabelTable.from_store(store)
        self.topics = defaultdict(list)
        for tech, topic, how in store.run(_TOPICS).rows:
            self.topics[topic.value].append((tech.value, how.value))
        self.matched = {x.value: e.value for e, x in store.run(_MATCHED).rows}
        self.countries = {code.value.upper(): c.value for c, code in store.run(_COUNTRIES).rows}
        self.actors, self.quads, self.suggested = {}, [], {}
        self.ent = ox.NamedNode(GRAPHS["entities"])

    def institution(self, inst: dict) -> ox.NamedNode:
        """Return the actor for an institution, described in cgg:entities the first time."""
        oid = topic_iri(inst.get("id", ""))
        if oid in self.actors:
            return self.actors[oid]
        name = " ".join(str(inst.get("display_name") or "").split())
        known = self.matched.get(oid)
        if known is None and name:
            known = next((e for e in self.labels.lookup(name) if e.startswith(PREFIXES["orgn"])), None)
        if known:
            node = ox.NamedNode(known)
        else:
            node = ox.NamedNode(PREFIXES["orgn"] + (slug(name) or slug(oid)))
            cls = INSTITUTION_CLASSES.get(str(inst.get("type") or "").lower(), _DEFAULT_CLASS)
            self.quads += [quad(node, RDF_TYPE, "cg:" + cls, self.ent),
                           quad(node, "skos:prefLabel", lit(name or oid, lang="en"), self.ent)]
            for alt in inst.get("display_name_acronyms") or []:
                self.quads.append(quad(node, "skos:altLabel", lit(str(alt), lang="en"), self.ent))
        if oid not in self.matched:
            self.quads.append(quad(node, "skos:closeMatch", ox.NamedNode(oid), self.ent))
            self.matched[oid] = node.value
        self.actors[oid] = node
        return node

    def link(self, actor, topics, graph, source, prior: float) -> None:
        """State ``actor cg:worksOn tech`` for close matches; suggest related ones."""
        for topic, score in topics:
            for tech, how in self.topics.get(topic_iri(topic), ()):
                if how == "close":
                    self.quads.append(quad(actor, "cg:worksOn", ox.NamedNode(tech), graph))
                else:
                    key = (actor.value, tech, source.value)
                    conf = round(prior * min(max(float(score or 1), 0), 1), 2)
                    if conf > self.suggested.get(key, 0):
                        self.suggested[key] = conf

    def suggestions(self) -> list:
        """Return the suggested links as cg:Suggestion nodes in cgg:suggestions."""
        sg, out = ox.NamedNode(SUGGESTIONS_GRAPH), []
        for (actor, tech, source), conf in sorted(self.suggested.items()):
            node = ox.NamedNode(f"{BASE}id/suggestion/{source.rsplit('/', 1)[-1]}--{actor.rsplit('/', 1)[-1]}"
                                f"--worksOn--{tech.rsplit('/', 1)[-1]}")
            out += [quad(node, RDF_TYPE, "cg:Suggestion", sg), quad(node, "rdf:subject", ox.NamedNode(actor), sg),
                    quad(node, "rdf:predicate", "cg:worksOn", sg), quad(node, "rdf:object", ox.NamedNode(tech), sg),
                    quad(node, "cg:confidence", lit(f"{conf:.2f}", datatype="decimal"), sg),
                    quad(node, "prov:wasDerivedFrom", ox.NamedNode(source), sg),
                    quad(node, "rdfs:comment", lit("the OpenAlex topic is only skos:relatedMatch of the "
                                                   "technology"), sg)]
        return out


def _work_topics(work: dict) -> list:
    topics = [(t.get("id"), t.get("score")) for t in work.get("topics") or [] if t.get("id")]
    primary = work.get("primary_topic") or {}
    if primary.get("id") and primary["id"] not in {t for t, _ in topics}:
        topics.append((primary["id"], primary.get("score")))
    return topics


def read_openalex(path, store, source: SourceInfo | None = None, progress: Progress | None = None) -> Batch:
    """Read an OpenAlex works or institutions file into a Batch.

    Works: each work with an institution and a matched topic becomes a source (URL: its DOI, else its
    OpenAlex IRI). Institutions: the file is one source, given by ``source`` (its URL is required unless
    the file holds one institution, whose OpenAlex IRI is then used).
    """
    path, progress = Path(path), progress or Progress()
    progress.step(f"reading {path.name}")
    kind, records = _records(path)
    b, sources = _Builder(store), SourceResolver(store)
    where = {}
    skipped = 0
    advance = progress.bar(len(records), f"{kind} in {path.name}") if len(records) >= 500 else (lambda n: None)
    if kind == "works":
        for work in records:
            insts = [i for a in work.get("authorships") or [] for i in a.get("institutions") or [] if i.get("id")]
            topics = _work_topics(work)
            if not insts or not any(b.topics.get(topic_iri(t)) for t, _ in topics):
                skipped += 1
                advance(1)
                continue
            url = work.get("doi") or topic_iri(work["id"])
            venue = ((work.get("primary_location") or {}).get("source") or {}).get("display_name")
            info = SourceInfo(url, work.get("display_name") or work.get("title") or topic_iri(work["id"]),
                              venue or "OpenAlex", work.get("publication_date") or
                              (str(work["publication_year"]) if work.get("publication_year") else None), "primary",
                              work.get("language") or "en")
            src, desc = sources.resolve(info, f"{path.name}: work {topic_iri(work['id'])}")
            b.quads += desc
            g = ox.NamedNode(src)
            for inst in insts:
                b.link(b.institution(inst), topics, g, g, 0.6)
            where[src] = f"{path.name}: work {topic_iri(work['id'])}"
            advance(1)
    else:
        if source is None or not source.url:
            if len(records) != 1:
                raise ConvergenceError("give the institutions' source with --source-url (the API URL you fetched) "
                                       "and --title", path.name)
            oid = topic_iri(records[0]["id"])
            source = SourceInfo(oid, source.title if source and source.title else
                                f"OpenAlex: {records[0].get('display_name') or oid}",
                                source.publisher if source and source.publisher else "OpenAlex",
                                source.issued if source else None, "secondary")
        src, desc = sources.resolve(source, "--source-url")
        b.quads += desc
        g = ox.NamedNode(src)
        for inst in records:
            actor = b.institution(inst)
            where[actor.value] = f"{path.name}: institution {topic_iri(inst['id'])}"
            code = str(inst.get("country_code") or "").upper()
            if code in b.countries:
                b.quads.append(quad(actor, "cg:basedIn", ox.NamedNode(b.countries[code]), g))
            b.link(actor, [(t.get("id"), None) for t in inst.get("topics") or [] if t.get("id")], g, g, 0.5)
            advance(1)
    progress.done()
    quads = b.quads + b.suggestions()
    facts = sum(1 for q in quads if q.predicate.value == PREFIXES["cg"] + "worksOn" and
                q.graph_name.value != SUGGESTIONS_GRAPH)
    return Batch(quads, path, f"openalex-{kind}", locate=where.get,
                 summary={"records": len(records), "skipped": skipped, "worksOn": facts,
                          "suggestions": len(b.suggested), "institutions": len(b.actors)})
