"""The Data page's upload: a file through the import gate into the disk store, then what it added or what is wrong."""

import os
import tempfile
from pathlib import Path

import streamlit as st

from graph.errors import ConvergenceError
from graph.ingest import Progress, SourceInfo, import_file, import_openalex, ingest_article
from graph.ingest.tabular import TEMPLATES
from graph.namespaces import shorten

from app_pages.state import md

__all__ = ["upload_panel"]

KINDS = {
    "RDF file": ["ttl", "trig", "nt", "nq", "jsonld", "json"],
    "Spreadsheet": ["csv", "xlsx"],
    "Article": ["txt", "md", "html", "htm"],
    "OpenAlex JSON": ["json"],
}
HELP = {
    "RDF file": "Turtle, TriG, N-Triples, N-Quads or JSON-LD. Statements outside a named graph need the source below.",
    "Spreadsheet": "CSV or XLSX with a mapping: a ready template for actors, relations or sources, or your own TOML.",
    "Article": "A news item or report as text, Markdown or HTML: its source is created, the known entities it "
               "mentions are recorded, and links between them are suggested for review (never asserted).",
    "OpenAlex JSON": "Works or institutions as OpenAlex's API returns them; institutions are linked to technologies "
                     "through the taxonomy's OpenAlex topics.",
}


class _StatusProgress(Progress):
    """Shows the import's steps in a status box and long reads as a progress bar."""

    def __init__(self, status):
        self.status, self._bar, self._total, self._done = status, None, 0, 0

    def step(self, message: str) -> None:
        self.status.write(message)

    def bar(self, total: int, label: str):
        self._bar, self._total, self._done = self.status.progress(0.0, text=label), max(total, 1), 0

        def advance(n):
            self._done += n
            self._bar.progress(min(self._done / self._total, 1.0), text=label)
        return advance


def _refresh() -> None:
    """Make every page read the store again (the import also changed the store's build record)."""
    from app_pages import state

    for name in ("graph", "label_index", "options", "guard"):
        cached = getattr(state, name, None)
        if hasattr(cached, "clear"):
            cached.clear()
    st.cache_data.clear()


def _source_fields(kind: str):
    """The source's fields (required for an article, else for statements that name no source)."""
    need = kind == "Article"
    with st.expander("Source" + ("" if need else " (for statements or rows that name none)"), expanded=need):
        cols = st.columns(2)
        url = cols[0].text_input("URL", key="up_url")
        title = cols[1].text_input("Title" + (" (default: the page's title)" if need else ""), key="up_title")
        publisher = cols[0].text_input("Publisher", key="up_publisher")
        date = cols[1].text_input("Date (YYYY, YYYY-MM or YYYY-MM-DD)", key="up_date")
        source_kind = cols[0].selectbox("Kind", ["secondary", "primary"], key="up_kind")
        language = cols[1].text_input("Language", value="en", key="up_language")
    if not (url or title or publisher or date):
        return None
    return SourceInfo(url.strip(), title.strip(), publisher.strip(), date.strip() or None, source_kind,
                      language.strip() or "en")


def _mapping(folder: Path):
    """The mapping picked from the templates or uploaded."""
    names = sorted(p.stem for p in TEMPLATES.glob("*.toml"))
    choice = st.selectbox("Mapping", names + ["my own mapping (.toml)"], key="up_mapping",
                          help="templates/ingest/ holds each template with an example spreadsheet.")
    if choice in names:
        return TEMPLATES / f"{choice}.toml"
    own = st.file_uploader("Mapping file", type=["toml"], key="up_mapping_file")
    if own is None:
        return None
    path = folder / Path(own.name).name
    path.write_bytes(own.getvalue())
    return path


def upload_panel(store_path=None, data_dir=None) -> None:
    """Upload a file and import it through the gate into the disk store (``CONVERGENCE_STORE`` by default).

    The import is also kept in ``data_dir``/imports (the project's data/ by default) for the next build.
    """
    store_path = store_path or os.environ.get("CONVERGENCE_STORE")
    st.subheader("Add knowledge")
    st.caption("Each upload is checked with the whole graph (SHACL shapes and violation queries) before anything is "
               "written; if something is wrong you see where, and nothing changes. Every import is kept in "
               "data/imports/ so the next build keeps it, and `convergence remove-import ID` takes it back.")
    if not store_path:
        st.info("Uploads go into a disk store: start the viewer with CONVERGENCE_STORE=.store (`make app` does).")
        return
    kind = st.radio("What are you adding?", list(KINDS), horizontal=True, key="up_what")
    st.caption(HELP[kind])
    upload = st.file_uploader("File", type=KINDS[kind], key="up_file")
    folder = Path(tempfile.mkdtemp(prefix="convergence-upload-"))
    mapping = _mapping(folder) if kind == "Spreadsheet" else None
    source = _source_fields(kind)
    if not st.button("Import", key="up_go", type="primary", disabled=upload is None):
        return
    path = folder / (Path(upload.name).name or "upload")
    path.write_bytes(upload.getvalue())
    with st.status(f"Importing {path.name}…", expanded=False) as status:
        try:
            progress = _StatusProgress(status)
            if kind == "Article":
                if source is None or not source.url or not source.publisher:
                    raise ConvergenceError("give the article's URL and publisher under Source", path.name)
                rec, batch = ingest_article(path, store_path, source, data_dir=data_dir, progress=progress)
            elif kind == "OpenAlex JSON":
                rec, batch = import_openalex(path, store_path, source=source, data_dir=data_dir, progress=progress)
            else:
                rec, batch = import_file(path, store_path, mapping=mapping, source=source, data_dir=data_dir,
                                         progress=progress)
        except ConvergenceError as exc:
            status.update(label="Nothing was imported", state="error")
            st.error(md(f"error: {exc}"))
            return
        status.update(label=f"Imported {rec.file}", state="complete")
    _refresh()
    st.success(md(f"Imported {rec.file} as {rec.id}: {rec.statements} new statements."))
    if rec.graphs:
        st.caption(md("Into the graph of: " + ", ".join(shorten(g) for g in rec.graphs)))
    mentions = batch.summary.get("mentions")
    if mentions:
        st.caption(md(f"Mentions {len(mentions)} entities: " + ", ".join(shorten(e) for e in sorted(mentions))))
    if "suggestions" in batch.summary:
        st.caption(f"{batch.summary['suggestions']} suggested links for review (graph cgg:suggestions).")
    st.code(f"convergence remove-import {rec.id}", language="sh")
