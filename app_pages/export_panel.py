"""The export panel: download the subgraph on screen in any format, or as a briefing with its citations."""

import re

import streamlit as st

from graph import ConvergenceError
from graph.diff import diff_quads, parse_rdf
from graph.entity import relation_labels
from graph.export import FORMATS, Options, export, file_name
from graph.export.rdf import subgraph_quads
from graph.markings import levels, restrict

__all__ = ["export_panel"]

_WORDS = {
    "title": ("Export this view", "Exporter cette vue"),
    "intro": ("Files are made when you click, from what is on screen; the same view gives the same data file. "
              "Everything marked above the level you choose is left out, and briefings print the level in "
              "their header and footer.",
              "Les fichiers sont produits au clic, à partir de ce qui est affiché ; la même vue donne le même "
              "fichier. Tout ce qui est marqué au-dessus du niveau choisi est omis ; les notes impriment ce niveau "
              "en en-tête et en pied de page."),
    "marking": ("Highest marking to include", "Marquage le plus élevé à inclure"),
    "brief_title": ("Briefing title", "Titre de la note"),
    "since": ("Earlier export, for a “New since” section (optional)",
              "Export précédent, pour une section « Nouveau depuis » (facultatif)"),
    "data": ("Data", "Données"),
    "pictures": ("Pictures", "Images"),
    "briefing": ("Briefing", "Note"),
}

_GROUPS = (("data", ("turtle", "trig", "nquads", "jsonld", "graphml", "gexf", "csv")),
           ("pictures", ("html", "png", "svg")),
           ("briefing", ("docx", "briefing-html", "markdown", "pack")))


#: Button labels (format names are the same in both languages).
_LABELS = {"turtle": "Turtle", "trig": "TriG", "nquads": "N-Quads", "jsonld": "JSON-LD", "graphml": "GraphML",
           "gexf": "GEXF", "csv": "CSV (zip)", "html": "Network (HTML)", "png": "Figure (PNG)",
           "svg": "Figure (SVG)", "docx": "Word", "briefing-html": "HTML page", "markdown": "Markdown",
           "pack": "Pack (zip)"}


def _w(key: str, language: str) -> str:
    en, fr = _WORDS[key]
    return fr if language == "fr" else en


def _stem(title: str) -> str:
    """A file stem from the title: plain letters, digits and dashes only."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60]
    return slug or "convergence"


def _maker(kg, sub, fmt: str, options: Options, marking: str):
    """A callable that builds the file when the button is clicked (not on every rerun)."""
    return lambda: export(kg, sub, fmt, options, marking)


def export_panel(kg, sub, language: str = "en", key: str = "export") -> None:
    """Download buttons for every export format of ``sub`` and a briefing with title, marking and "New since"."""
    focus = sub.nodes[sub.focus].label(language) if sub.focus in sub.nodes else "Convergence Graph"
    with st.sidebar.expander(_w("title", language)):  # in the sidebar: the page's own layout stays as it is
        st.markdown(_w("intro", language))
        names = [m.name for m in levels(kg)]
        marking = st.selectbox(_w("marking", language), names, index=0, key=f"{key}-marking")
        title = st.text_input(_w("brief_title", language), f"Briefing: {focus}", key=f"{key}-title")
        old = st.file_uploader(_w("since", language), type=["ttl", "trig", "nq", "nt", "jsonld"],
                               key=f"{key}-since")
        since = None
        if old is not None:
            try:
                cut = restrict(kg, sub, marking)
                since = diff_quads(parse_rdf(old.getvalue(), old.name), subgraph_quads(kg, cut), old.name,
                                   "this view", language, relation_labels(kg, language))
                st.markdown(since.summary())
            except ConvergenceError as exc:
                st.error(str(exc))
        stem = _stem(title)
        options = Options(lang=language, title=title or None, stem=stem, since=since)
        for group, formats in _GROUPS:
            st.markdown(f"**{_w(group, language)}**")
            for fmt in formats:
                f = FORMATS[fmt]
                st.download_button(_LABELS[fmt], _maker(kg, sub, fmt, options, marking), file_name=file_name(stem, f),
                                    mime=f.mime, help=f.description, on_click="ignore", key=f"{key}-{fmt}")
