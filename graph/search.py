"""Entity search over English and French labels: forgiving of case, accents, punctuation and small typos."""

import difflib
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["normalise", "Hit", "LabelIndex"]

_LABELS = """
SELECT ?entity ?label ?kind ?type WHERE {
  { ?entity skos:prefLabel ?label BIND("pref" AS ?kind) } UNION { ?entity skos:altLabel ?label BIND("alt" AS ?kind) }
  ?entity a ?type .
  FILTER(STRSTARTS(STR(?type), "https://w3id.org/convergence-graph/ontology#"))
  FILTER(STRSTARTS(STR(?entity), "https://w3id.org/convergence-graph/id/"))
  FILTER(?type NOT IN (cg:QualifiedRelation, cg:Suggestion, cg:Budget))
}
"""


def normalise(text: str) -> str:
    """Lower-case, strip accents and turn punctuation into single spaces.

    >>> normalise("  Université Paris-Saclay (UPS)!")
    'universite paris saclay ups'
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("&", " and ")
    return " ".join(re.findall(r"[a-z0-9]+", text))


@dataclass(frozen=True)
class Hit:
    """One search result: the entity, its display label, its type and the label that matched."""

    iri: str
    label: str
    type: str
    matched: str
    score: float


class LabelIndex:
    """An in-memory index of every entity's labels, built once from the graph.

    >>> idx = LabelIndex([("x:1", "Université de Copenhague", "fr", "pref", "ResearchOrganisation"),
    ...                   ("x:1", "University of Copenhagen", "en", "pref", "ResearchOrganisation"),
    ...                   ("x:2", "Quantum sensing", "en", "pref", "Technology")])
    >>> [h.iri for h in idx.search("universite")]
    ['x:1']
    >>> idx.search("quantun sensing")[0].label
    'Quantum sensing'
    """

    def __init__(self, rows):
        self._entries = []  # (normalised label, iri, raw label)
        self._display = {}
        self._types = {}
        for iri, label, lang, kind, typ in rows:
            self._entries.append((normalise(label), iri, label))
            self._types.setdefault(iri, typ)
            if kind == "pref":
                names = self._display.setdefault(iri, {})
                names.setdefault(lang or "", label)
        self._words = sorted({w for n, _, _ in self._entries for w in n.split()})

    @classmethod
    def from_graph(cls, kg) -> "LabelIndex":
        """Build the index from a Graph's labels."""
        res = kg.query(_LABELS)
        rows = []
        for ent, label, kind, typ in res.rows:
            rows.append((ent.value, label.value, label.language or "", kind.value, typ.value.rsplit("#", 1)[-1]))
        return cls(rows)

    def label(self, iri: str, lang: str = "en") -> str:
        """Return the entity's label in ``lang``, falling back to English, then any."""
        names = self._display.get(iri, {})
        return names.get(lang) or names.get("en") or next(iter(names.values()), iri.rsplit("/", 1)[-1])

    def type(self, iri: str) -> str:
        """Return the entity's class name (one of them)."""
        return self._types.get(iri, "")

    def __len__(self):
        return len(self._display)

    def search(self, text: str, limit: int = 20, lang: str = "en") -> list:
        """Return the best matches: exact, then prefix, then word prefix, then substring, then near spellings."""
        q = normalise(text)
        if not q:
            return []
        best = {}

        def offer(iri, raw, score):
            if score > best.get(iri, (0, ""))[0]:
                best[iri] = (score, raw)

        for norm, iri, raw in self._entries:
            if norm == q:
                offer(iri, raw, 100)
            elif norm.startswith(q):
                offer(iri, raw, 90 - min(len(norm) - len(q), 30) / 10)
            elif (" " + norm).find(" " + q) >= 0:
                offer(iri, raw, 80 - min(len(norm), 60) / 10)
            elif q in norm:
                offer(iri, raw, 70 - min(len(norm), 60) / 10)
        if len(best) < limit:
            self._fuzzy(q, offer)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], self.label(kv[0], lang).lower()))
        return [Hit(iri, self.label(iri, lang), self.type(iri), raw, score)
                for iri, (score, raw) in ranked[:limit]]

    def _fuzzy(self, q: str, offer) -> None:
        """Offer entities whose words are close spellings of every query word."""
        words = q.split()
        close = {w: set(difflib.get_close_matches(w, self._words, n=8, cutoff=0.75)) | {w} for w in words}
        for norm, iri, raw in self._entries:
            parts = norm.split()
            if all(any(p in close[w] or (len(w) > 3 and p.startswith(w)) for p in parts) for w in words):
                ratio = difflib.SequenceMatcher(None, q, norm).ratio()
                offer(iri, raw, 50 * ratio)
