"""Articles in: find the known entities a text mentions, record the mentions, and suggest links for review.

Mentions are found by English and French labels and alternative labels, ignoring case, accents and
punctuation, the longest label winning; a short all-capital label (AI, IA, EU) must be written in capitals.
Each mention is ``src cg:mentions entity`` in the source's graph. Entities named in one sentence give
candidate links, ``cg:Suggestion`` nodes in the graph cgg:suggestions, never asserted facts.
"""

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox

from ..errors import ConvergenceError
from .text import read_utf8
from ..namespaces import BASE, PREFIXES
from ..sparql import bind_values
from .gate import SUGGESTIONS_GRAPH, Batch, Progress
from .names import RDF_TYPE, LabelTable, lit, quad
from .sources import SourceInfo, SourceResolver

__all__ = ["extract_text", "sentences", "Mention", "Linker", "suggest_links", "read_article", "SUGGESTION_RULES"]

_CG = PREFIXES["cg"]

#: (subject class, object class, relation, prior confidence): the first rule that fits a pair is used.
SUGGESTION_RULES = [
    ("Event", "Place", "heldIn", 0.7),
    ("Actor", "Event", "participatesIn", 0.6),
    ("Actor", "Technology", "worksOn", 0.6),
    ("AllianceBody", "IntergovernmentalOrganisation", "partOf", 0.7),
    ("Country", "IntergovernmentalOrganisation", "memberOf", 0.6),
    ("Country", "AllianceBody", "memberOf", 0.5),
    ("Strategy", "Actor", "publishedBy", 0.6),
    ("Actor", "Programme", "participatesIn", 0.5),
    ("Initiative", "Technology", "addresses", 0.5),
    ("Initiative", "Domain", "addresses", 0.5),
    ("Technology", "UseCase", "enables", 0.5),
    ("Technology", "Technology", "convergesWith", 0.4),
    ("Company", "Country", "basedIn", 0.5),
    ("ResearchOrganisation", "Country", "basedIn", 0.5),
    ("Organisation", "Organisation", "partnersWith", 0.4),
]


class _Text(HTMLParser):
    """Collects the visible text of an HTML page (no script, style or template), blocks on their own lines."""

    SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "object", "head"}
    BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
             "section", "article", "header", "footer", "blockquote", "figcaption", "dt", "dd", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.title, self._skip, self._in_title = [], "", 0, False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in self.SKIP:
            self._skip += 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in self.SKIP and self._skip:
            self._skip -= 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def _markdown(text: str) -> tuple:
    """Return (first heading, plain text) of Markdown: links and images by their text, marks removed."""
    title = next((m.group(1).strip() for m in re.finditer(r"^#\s+(.+)$", text, re.M)), "")
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", "", text, flags=re.M)
    text = re.sub(r"[*_`~]+", "", text)
    return title, text


def extract_text(path) -> tuple:
    """Return ``(title, text)`` of a .txt, .md or .html file (UTF-8); HTML is parsed without running anything."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".md", ".markdown", ".html", ".htm"):
        raise ConvergenceError(f"unknown article type {suffix!r}; use .txt, .md or .html", path.name)
    raw = read_utf8(path)
    if suffix in (".html", ".htm"):
        parser = _Text()
        parser.feed(raw)
        parser.close()
        title, text = " ".join(parser.title.split()), "".join(parser.parts)
    elif suffix in (".md", ".markdown"):
        title, text = _markdown(raw)
    else:
        title, text = "", raw
    if not text.strip():
        raise ConvergenceError("the article has no text; nothing was imported", path.name)
    return title, text


def sentences(text: str) -> list:
    """Split text into sentences (at . ! ? followed by a capital, and at line breaks).

    >>> sentences("NATO met in Copenhagen. Denmark chaired it!\\nNext line")
    ['NATO met in Copenhagen.', 'Denmark chaired it!', 'Next line']
    """
    out = []
    for line in text.splitlines():
        for part in re.split(r"(?<=[.!?])\s+(?=[\"“«(]?[A-ZÀ-Ý0-9])", line.strip()):
            if part.strip():
                out.append(" ".join(part.split()))
    return out


def _tokens(text: str) -> list:
    """Return (lower, as written) word tokens: accents stripped, possessive 's dropped, & read as and."""
    text = re.sub(r"(\w)['’]s\b", r"\1", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("&", " and ")
    low = text.lower()
    same = len(low) == len(text)
    return [(m.group(), text[m.start():m.end()] if same else m.group()) for m in re.finditer(r"[a-z0-9]+", low)]


@dataclass(frozen=True)
class Mention:
    """An entity named in a sentence, with the label that matched."""

    entity: str
    label: str
    sentence: int


class Linker:
    """Finds known entities in text by their labels (longest match first).

    >>> lk = Linker(LabelTable([("x:nato", "NATO", "pref"), ("x:tqc", "Transatlantic Quantum Community", "pref"),
    ...                         ("x:ai", "AI", "alt"), ("x:q", "quantum", "alt")]))
    >>> [m.entity for m in lk.find(["NATO's Transatlantic Quantum Community met.", "J'ai vu l'AI et le quantum."])]
    ['x:nato', 'x:tqc', 'x:ai', 'x:q']
    """

    def __init__(self, labels: LabelTable):
        self.first = defaultdict(list)
        for entity, label, kind in labels.rows:
            toks = _tokens(label)
            if not toks:
                continue
            low = tuple(t for t, _ in toks)
            strict = len(low) == 1 and len(label.strip()) <= 3 and label.strip().isupper()
            self.first[low[0]].append((low, entity, kind, toks[0][1] if strict else None))

    def find(self, sents) -> list:
        """Return the Mentions in the sentences, in order; ambiguous labels (two entities) are skipped."""
        self.ambiguous = Counter()
        out = []
        for si, sentence in enumerate(sents):
            toks = _tokens(sentence)
            low = [t for t, _ in toks]
            i = 0
            while i < len(toks):
                best, size = {}, 0
                for cand, entity, kind, strict in self.first.get(low[i], ()):
                    n = len(cand)
                    if n < size or tuple(low[i:i + n]) != cand or (strict and toks[i][1] != strict):
                        continue
                    if n > size:
                        best, size = {}, n
                    if best.get(entity) != "pref":
                        best[entity] = kind
                if best:
                    pref = [e for e, k in best.items() if k == "pref"]
                    chosen = pref if len(pref) == 1 else (list(best) if len(best) == 1 else [])
                    text = " ".join(w for _, w in toks[i:i + size])
                    if chosen:
                        out.append(Mention(chosen[0], text, si))
                    else:
                        self.ambiguous[text] += 1
                    i += size
                else:
                    i += 1
        return out


_CLASSES = """SELECT ?e ?c WHERE { ?e a ?t . GRAPH cgg:ontology { ?t rdfs:subClassOf* ?c } }"""
_ASSERTED = """SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } GRAPH cgg:ontology { ?p a cg:SourcedRelation } }"""


def suggest_links(mentions, classes: dict, asserted: set, sents=None) -> list:
    """Return ``(subject, relation, object, confidence, evidence)`` for entities named in one sentence.

    The relation comes from the first of SUGGESTION_RULES that fits the two entities' classes; the
    confidence is the rule's prior times ``1 - 0.5**k`` for k sentences naming both. Links already
    asserted by some source are not suggested.
    """
    together = defaultdict(list)
    by_sentence = defaultdict(set)
    for m in mentions:
        by_sentence[m.sentence].add(m.entity)
    for si, ents in sorted(by_sentence.items()):
        for a, b in combinations(sorted(ents), 2):
            together[(a, b)].append(si)
    out = []
    for (a, b), where in sorted(together.items()):
        fits = [(r, s, o) for r in SUGGESTION_RULES for s, o in ((a, b), (b, a))
                if _CG + r[0] in classes.get(s, ()) and _CG + r[1] in classes.get(o, ())]
        if not fits:
            continue
        rule, s, o = fits[0]
        p = _CG + rule[2]
        if (s, p, o) in asserted or (rule[2] in ("partnersWith", "convergesWith") and (o, p, s) in asserted):
            continue
        confidence = round(rule[3] * (1 - 0.5 ** len(where)), 2)
        evidence = sents[where[0]][:300] if sents else ""
        out.append((s, p, o, confidence, evidence))
    return out


def read_article(path, store, source: SourceInfo, progress: Progress | None = None) -> Batch:
    """Read an article into a Batch: its source, ``cg:mentions`` of known entities and suggested links."""
    path, progress = Path(path), progress or Progress()
    progress.step(f"reading {path.name}")
    title, text = extract_text(path)
    if not source.title and title:
        source = SourceInfo(source.url, title, source.publisher, source.issued, source.kind, source.language)
    src, quads = SourceResolver(store).resolve(source, "--url")
    progress.step("finding the entities it mentions")
    sents = sentences(text)
    linker = Linker(LabelTable.from_store(store))
    mentions = linker.find(sents)
    g, srcn = ox.NamedNode(src), ox.NamedNode(src)
    counts = Counter(m.entity for m in mentions)
    for entity in sorted(counts):
        quads.append(quad(srcn, "cg:mentions", ox.NamedNode(entity), g))
    classes = defaultdict(set)
    if counts:
        for e, c in store.run(bind_values(_CLASSES, {"e": [ox.NamedNode(e) for e in counts]})).rows:
            classes[e.value].add(c.value)
    asserted = {(s.value, p.value, o.value) for s, p, o in store.run(_ASSERTED).rows}
    links = suggest_links(mentions, classes, asserted, sents)
    sg, stem = ox.NamedNode(SUGGESTIONS_GRAPH), src.rsplit("/", 1)[-1]
    for s, p, o, confidence, evidence in links:
        node = ox.NamedNode(f"{BASE}id/suggestion/{stem}--{s.rsplit('/', 1)[-1]}--{p.rsplit('#', 1)[-1]}"
                            f"--{o.rsplit('/', 1)[-1]}")
        quads += [quad(node, RDF_TYPE, "cg:Suggestion", sg), quad(node, "rdf:subject", ox.NamedNode(s), sg),
                  quad(node, "rdf:predicate", ox.NamedNode(p), sg), quad(node, "rdf:object", ox.NamedNode(o), sg),
                  quad(node, "cg:confidence", lit(f"{confidence:.2f}", datatype="decimal"), sg),
                  quad(node, "prov:wasDerivedFrom", srcn, sg)]
        if evidence:
            quads.append(quad(node, "rdfs:comment", lit(evidence), sg))
    return Batch(quads, path, "article", locate=lambda iri: None,
                 summary={"source": src, "mentions": dict(counts), "suggestions": len(links),
                          "ambiguous": dict(linker.ambiguous)})
