"""Bringing knowledge in: RDF files, spreadsheets with a mapping, articles and OpenAlex JSON, all through the gate."""

from .api import import_file, import_openalex, ingest_article
from .gate import Batch, ImportRecord, Progress, commit, dump, imports_folder, list_imports, remove_import
from .sources import SourceInfo

__all__ = ["import_file", "ingest_article", "import_openalex", "Batch", "ImportRecord", "Progress", "SourceInfo",
           "commit", "dump", "imports_folder", "list_imports", "remove_import"]
