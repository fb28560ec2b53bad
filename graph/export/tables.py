"""Spreadsheet export: nodes, edges and sources as CSV files in one zip, UTF-8 with BOM so Excel keeps accents."""

import csv
import io
import zipfile

__all__ = ["csv_tables", "csv_zip", "deterministic_zip"]

#: The fixed time stamp written into zip entries, so the same selection gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def deterministic_zip(files: dict) -> bytes:
    """Return a zip of {name: bytes} in the given order, with fixed times and permissions."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def _csv(header, rows) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_tables(kg, sub, lang: str = "en") -> dict:
    """Return {file name: CSV bytes} for nodes, edges and sources (citation numbers as in the briefing)."""
    from ..briefing import cite_text, number_sources
    from ..markings import levels, source_markings
    from .networks import to_networkx

    g = to_networkx(kg, sub, lang)
    numbers, refs = number_sources(kg, sub)
    nodes = [(d["iri"], d["label"], d["type"], d["domains"], d["countries"], d["degree"])
             for _, d in g.nodes(data=True)]
    labels = {iri: d["label"] for iri, d in g.nodes(data=True)}
    edges = [(labels[u], d["relation"], labels[v], cite_text(numbers[s] for s in d["sources"].split()),
              d["start"], d["end"], u, d["predicate"], v, d["sources"])
             for u, v, d in g.edges(data=True)]
    marks, public = source_markings(kg), levels(kg)[0]
    sources = [(numbers[r.iri], r.title, r.publisher, r.issued or "", r.url, r.kind, marks.get(r.iri, public).name,
                r.iri) for r in refs]
    return {
        "nodes.csv": _csv(["iri", "label", "type", "domains", "countries", "degree"], nodes),
        "edges.csv": _csv(["from", "relation", "to", "citations", "start", "end", "from_iri", "predicate",
                           "to_iri", "source_iris"], edges),
        "sources.csv": _csv(["number", "title", "publisher", "issued", "url", "kind", "marking", "iri"], sources),
    }


def csv_zip(kg, sub, options=None) -> bytes:
    """A zip of nodes.csv, edges.csv and sources.csv."""
    return deterministic_zip(csv_tables(kg, sub, getattr(options, "lang", "en")))
