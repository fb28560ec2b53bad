"""What every page shares: the cached graph and indexes, the language, URL state and safe text."""

import os
import re

import streamlit as st

from graph import open_graph
from graph.build import read_build_info
from graph.guard import QueryGuard
from graph.search import LabelIndex
from graph.vocab import filter_options

__all__ = ["graph", "label_index", "options", "guard", "lang", "T", "md", "link", "url_value", "url_list",
           "remember"]

LANGS = {"en": "English", "fr": "Français"}

#: Interface words in both languages.
WORDS = {
    "explore": ("Explore", "Explorer"),
    "search": ("Find an actor, technology, programme or use case", "Chercher un acteur, une technologie, un programme ou un cas d'usage"),
    "results": ("Matches", "Résultats"),
    "hops": ("Hops from the focus", "Sauts depuis le focus"),
    "cap": ("Most entities shown", "Nombre maximal d'entités"),
    "filters": ("Filters", "Filtres"),
    "types": ("Entity types", "Types d'entités"),
    "domains": ("Domains", "Domaines"),
    "countries": ("Countries", "Pays"),
    "relations": ("Relation types", "Types de relations"),
    "from": ("From (YYYY, YYYY-MM or YYYY-MM-DD)", "Du (AAAA, AAAA-MM ou AAAA-MM-JJ)"),
    "to": ("To", "Au"),
    "details": ("Details", "Détails"),
    "entity": ("Entity", "Entité"),
    "make_focus": ("Make it the focus", "En faire le focus"),
    "expand": ("Expand it", "Déployer ses liens"),
    "facts": ("Facts and their sources", "Faits et sources"),
    "path": ("How are two entities connected?", "Comment deux entités sont-elles liées ?"),
    "path_to": ("Connect the focus to", "Relier le focus à"),
    "no_path": ("No connection found within six steps.", "Aucun lien trouvé en six étapes au plus."),
    "shown": ("{n} entities and {e} facts shown", "{n} entités et {e} faits affichés"),
    "left_out": ("{n} less-connected entities left out (raise the maximum to see them)",
                 "{n} entités moins connectées non affichées (augmenter le maximum pour les voir)"),
    "download_html": ("Download the network (HTML, works offline)", "Télécharger le réseau (HTML, hors ligne)"),
    "start": ("Type a name above, pick a match, and its neighbourhood appears here.",
              "Tapez un nom ci-dessus, choisissez un résultat : son voisinage s'affiche ici."),
}


def data_version() -> str:
    """What identifies the data now: the disk store's build record (a rebuild or import changes it)."""
    store = os.environ.get("CONVERGENCE_STORE")
    if not store:
        return "bundled"
    info = read_build_info(store)
    return f"{info.get('data_hash', '')}:{info.get('built', '')}:{info.get('imports', '')}"


@st.cache_resource(show_spinner="Loading the graph…", max_entries=2)
def _graph(version: str):
    return open_graph()


def graph():
    """The graph, opened once per version of the data: CONVERGENCE_STORE if set, else the bundled data."""
    return _graph(data_version())


@st.cache_resource(show_spinner=False, max_entries=2)
def _label_index(version: str):
    return LabelIndex.from_graph(graph())


def label_index():
    """The search index over every label, built once per version of the data."""
    return _label_index(data_version())


@st.cache_data(show_spinner=False)
def _options(language: str, version: str) -> dict:
    return filter_options(graph(), language)


def options(language: str) -> dict:
    """The labelled filter choices in one language."""
    return _options(language, data_version())


@st.cache_resource(show_spinner=False, max_entries=2)
def _guard(version: str):
    store = os.environ.get("CONVERGENCE_STORE")
    return QueryGuard({"store": store} if store else {}, timeout=10)


def guard():
    """The workers that run SPARQL with a time limit, on the same data as the app."""
    return _guard(data_version())


def lang() -> str:
    """The language picked in the sidebar (kept in the URL), English by default."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = st.query_params.get("lang", "en") if st.query_params.get("lang") in LANGS else "en"
    choice = st.sidebar.radio("Language / Langue", list(LANGS), format_func=LANGS.get, key="lang", horizontal=True)
    if choice != "en":
        st.query_params["lang"] = choice
    elif "lang" in st.query_params:
        del st.query_params["lang"]
    return choice


def T(key: str, language: str, **fmt) -> str:
    """An interface text in the language."""
    en, fr = WORDS[key]
    return (fr if language == "fr" else en).format(**fmt)


_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md(text) -> str:
    """Escape text for st.markdown so labels show literally (no links, HTML or formatting).

    >>> md("<img src=x onerror=alert(1)> [a](javascript:x)")
    '\\\\<img src=x onerror=alert\\\\(1\\\\)\\\\> \\\\[a\\\\]\\\\(javascript:x\\\\)'
    """
    return _MD.sub(r"\\\1", str(text)).replace("\n", " ")


def link(title: str, url: str) -> str:
    """A markdown link with an escaped title, only for http(s) URLs; plain text otherwise."""
    if not re.match(r"^https?://[^\s<>]+$", url or ""):
        return md(title)
    safe = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{md(title)}]({safe})"


def url_value(key: str, default=None):
    """A value kept in the URL's query string."""
    return st.query_params.get(key, default)


def url_list(key: str) -> list:
    """A list kept in the URL's query string (the parameter repeated)."""
    return [v for v in st.query_params.get_all(key) if v]


def remember(**values) -> None:
    """Write values into the URL (lists as repeated parameters); empty values are removed."""
    for key, value in values.items():
        if value in (None, "", [], ()):
            if key in st.query_params:
                del st.query_params[key]
        else:
            st.query_params[key] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)
