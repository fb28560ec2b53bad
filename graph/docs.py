"""The ontology's HTML reference: one self-contained page, rendered offline from ontology/convergence.ttl."""

import html
from pathlib import Path

from .build import parse_file, project_root
from .namespaces import CG, shorten

__all__ = ["render_ontology_docs", "ontology_html"]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
_KINDS = [(OWL + "Class", "Classes"), (OWL + "ObjectProperty", "Relations"),
          (OWL + "DatatypeProperty", "Attributes"), (None, "Individuals")]
_STYLE = """body{font-family:system-ui,Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h2{border-bottom:1px solid #ccc;margin-top:2.5rem}table{border-collapse:collapse;width:100%}
td,th{border-top:1px solid #eee;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.92rem}
code{background:#f4f4f4;padding:0 .2rem}.fr{color:#555;font-style:italic}"""


def _index(quads) -> dict:
    """Return {subject: {predicate: [objects]}} for the ontology's statements."""
    out = {}
    for q in quads:
        out.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object)
    return out


def _text(objs, lang=None) -> str:
    for o in objs or []:
        if lang is None or getattr(o, "language", None) == lang:
            return o.value
    return ""


def _terms(objs) -> str:
    return ", ".join(f"<code>{html.escape(shorten(o.value))}</code>" for o in objs or [])


def ontology_html(path: Path | None = None) -> str:
    """Return the reference page for the ontology file: every term with labels, definition and links."""
    path = path or project_root() / "ontology" / "convergence.ttl"
    index = _index(parse_file(path, "urn:x-ontology"))
    onto = next((s for s, p in index.items() if any(o.value == OWL + "Ontology" for o in p.get(RDF + "type", []))), "")
    head = index.get(onto, {})
    title = _text(head.get(RDFS + "label", []), "en") or "Ontology"
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>",
             f"<p>{html.escape(_text(head.get('http://purl.org/dc/terms/description', [])))}</p>",
             f"<p>Namespace <code>{html.escape(CG)}</code>, prefix <code>cg:</code>.</p>"]
    seen = set()
    for kind, heading in _KINDS:
        rows = []
        for s in sorted(index):
            types = {o.value for o in index[s].get(RDF + "type", [])}
            if not s.startswith(CG) or s in seen:
                continue
            if (kind and kind in types) or (kind is None and types and not types & {k for k, _ in _KINDS if k}):
                seen.add(s)
                p = index[s]
                extra = " ".join(f"{label} {_terms(p.get(pred))}" for pred, label in (
                    (RDFS + "subClassOf", "subclass of"), (RDFS + "subPropertyOf", "subproperty of"),
                    (RDFS + "domain", "domain"), (RDFS + "range", "range"), (RDF + "type", "type"))
                    if p.get(pred) and not (pred == RDF + "type" and kind))
                rows.append(f"<tr id='{html.escape(s[len(CG):])}'><td><code>cg:{html.escape(s[len(CG):])}</code></td>"
                            f"<td>{html.escape(_text(p.get(RDFS + 'label'), 'en'))}<br>"
                            f"<span class='fr'>{html.escape(_text(p.get(RDFS + 'label'), 'fr'))}</span></td>"
                            f"<td>{html.escape(_text(p.get(SKOS + 'definition'), 'en'))}<br><small>{extra}</small></td></tr>")
        parts.append(f"<h2>{heading} ({len(rows)})</h2><table><tr><th>term</th><th>label (en / fr)</th>"
                     f"<th>definition</th></tr>{''.join(rows)}</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def render_ontology_docs(out: Path) -> Path:
    """Write the ontology reference page to ``out`` and return its path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(ontology_html(), encoding="utf-8")
    return out
