"""One call per kind of import: read the file with the store at hand, then pass it through the gate."""

from pathlib import Path

from ..errors import ConvergenceError
from .gate import Progress, commit, open_for_writing
from .rdf import FORMATS

__all__ = ["import_file", "ingest_article", "import_openalex", "TABLE_SUFFIXES"]

TABLE_SUFFIXES = (".csv", ".xlsx")


def _run(read, path, store_dir, data_dir, progress, root, mapping=None):
    """Open the store for writing (so nobody writes in between), read the file, commit; return (record, batch)."""
    path = Path(path)
    if not path.is_file():
        raise ConvergenceError("no such file", str(path))
    store = open_for_writing(store_dir)
    try:
        batch = read(path, store)
        return commit(batch, store, data_dir=data_dir, progress=progress, root=root), batch
    finally:
        store.close()


def import_file(path, store_dir, mapping=None, source=None, data_dir=None, progress: Progress | None = None,
                root=None) -> tuple:
    """Import an RDF file (.ttl .trig .nt .nq .jsonld) or a spreadsheet (.csv .xlsx, with ``mapping``).

    ``source`` (a SourceInfo) is the source of statements the file does not place in a graph (Turtle,
    N-Triples, spreadsheet rows without source columns). Returns ``(ImportRecord, Batch)``.
    """
    suffix = Path(path).suffix.lower()
    if suffix in TABLE_SUFFIXES:
        if not mapping:
            raise ConvergenceError("a spreadsheet needs --mapping M.toml (templates/ingest/ has actors.toml, "
                                   "relations.toml and sources.toml)", Path(path).name)
        from .tabular import read_table

        return _run(lambda p, s: read_table(p, mapping, s, source, progress), path, store_dir, data_dir, progress,
                    root)
    if suffix not in FORMATS:
        raise ConvergenceError(f"unknown file type {suffix!r}: import reads .ttl, .trig, .nt, .nq, .jsonld, "
                               ".csv and .xlsx (articles: ingest-article; OpenAlex JSON: import-openalex)",
                               Path(path).name)
    if mapping:
        raise ConvergenceError("--mapping is for spreadsheets (.csv, .xlsx) only", "--mapping")
    from .rdf import read_rdf

    return _run(lambda p, s: read_rdf(p, s, source, progress), path, store_dir, data_dir, progress, root)


def ingest_article(path, store_dir, source, data_dir=None, progress: Progress | None = None, root=None) -> tuple:
    """Import an article (.txt .md .html): its source, the entities it mentions, suggested links."""
    from .article import read_article

    return _run(lambda p, s: read_article(p, s, source, progress), path, store_dir, data_dir, progress, root)


def import_openalex(path, store_dir, source=None, data_dir=None, progress: Progress | None = None,
                    root=None) -> tuple:
    """Import OpenAlex works or institutions JSON, linking institutions to technologies by topic."""
    from .openalex import read_openalex

    return _run(lambda p, s: read_openalex(p, s, source, progress), path, store_dir, data_dir, progress, root)
