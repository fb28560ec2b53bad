"""The ontology: every term labelled in English and French and defined; docs render every term offline."""

import re
from pathlib import Path

import pytest

from graph.build import parse_file
from graph.docs import ontology_html
from graph.namespaces import CG

ROOT = Path(__file__).resolve().parent.parent
ONTO = ROOT / "ontology" / "convergence.ttl"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def terms():
    by = {}
    for q in parse_file(ONTO, "urn:x"):
        if q.subject.value.startswith(CG):
            by.setdefault(q.subject.value, []).append(q)
    return by


@pytest.mark.parametrize("term", sorted(terms()))
def test_every_term_has_english_and_french_label_and_definition(term):
    quads = terms()[term]
    labels = {q.object.language for q in quads if q.predicate.value == RDFS + "label"}
    assert {"en", "fr"} <= labels, term
    assert any(q.predicate.value == SKOS + "definition" and q.object.language == "en" for q in quads), term


def test_docs_page_lists_every_term_and_loads_nothing_remote():
    page = ontology_html(ONTO)
    for term in terms():
        assert f"id='{term[len(CG):]}'" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)


def test_readme_documents_every_command():
    from graph.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"convergence {name}" in readme, f"`convergence {name}` is not in the README"
