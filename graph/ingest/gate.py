"""The gate every import passes: validate with the existing graph, then write in one transaction, or nothing.

An import is kept twice: in the disk store, and as N-Quads in ``data/imports/`` (``ID.nq``: everything it
stated plus its record; ``ID.nq.added``: the statements it added), so `convergence build` loads it again
and `remove_import` can take back exactly what it added.
"""

import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ..build import project_root
from ..errors import ConvergenceError
from ..namespaces import BASE, PREFIXES
from ..store import OxigraphStore
from .names import RDF_TYPE, lit, quad, slug

__all__ = ["Batch", "ImportRecord", "Progress", "IMPORTS_GRAPH", "SUGGESTIONS_GRAPH", "file_sha256",
           "imports_folder", "open_for_writing", "commit", "list_imports", "remove_import", "dump"]

IMPORTS_GRAPH = BASE + "graph/imports"
SUGGESTIONS_GRAPH = BASE + "graph/suggestions"
IMPORT_NS = BASE + "import/"
GENID_NS = BASE + "genid/"
_PROV, _SCHEMA, _DCT = PREFIXES["prov"], PREFIXES["schema"], PREFIXES["dct"]


class Progress:
    """Reports the steps of a long import; the default says nothing. Subclass for a bar or a log."""

    def step(self, message: str) -> None:
        """A new step has begun."""

    def bar(self, total: int, label: str):
        """Return a callable that advances a bar of ``total`` units by its argument."""
        return lambda n: None

    def done(self) -> None:
        """The current bar has finished."""


@dataclass
class Batch:
    """What one import brings: its quads (all in named graphs), the file it came from and how it was read.

    ``locate(iri)`` returns where in the file an IRI is written (``FILE:LINE`` or ``FILE:row N``), or None.
    """

    quads: list
    file: Path
    kind: str
    mapping: Path | None = None
    locate: object = None
    summary: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ImportRecord:
    """One import as recorded in cgg:imports: when, which file (and hash), which mapping, what it added."""

    id: str
    iri: str
    when: str
    file: str
    sha256: str
    kind: str
    statements: int
    graphs: tuple = ()
    mapping: str | None = None
    mapping_sha256: str | None = None

    def describe(self) -> str:
        """One line: id, when, kind, file, statements and mapping."""
        via = f" with mapping {self.mapping}" if self.mapping else ""
        return f"{self.id}  {self.when}  {self.kind}  {self.file}{via}  +{self.statements} statements"


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes, as hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def imports_folder(data_dir: Path | None = None) -> Path:
    """Return the folder holding the imports' N-Quads (``data/imports`` unless another data folder is given)."""
    return (Path(data_dir) if data_dir else project_root() / "data") / "imports"


def open_for_writing(store_dir) -> OxigraphStore:
    """Open a disk store built by `convergence build --store DIR` for writing (never create one by mistake)."""
    if not store_dir:
        raise ConvergenceError("give the disk store to import into with --store DIR (or CONVERGENCE_STORE); "
                               "`convergence build --store DIR` makes one", "--store")
    path = Path(store_dir)
    if not (path / "CURRENT").exists():
        raise ConvergenceError("no store here; run `convergence build --store DIR` first", str(path))
    return OxigraphStore(path)


def dump(store: OxigraphStore) -> bytes:
    """Return the store's quads as sorted N-Quads (to compare two states byte for byte)."""
    lines = ox.serialize(store.quads(), format=ox.RdfFormat.N_QUADS).splitlines()
    return b"\n".join(sorted(lines)) + b"\n"


def _skolemise(quads, import_id: str) -> list:
    """Replace blank nodes by IRIs under ``genid/{import}/`` so an import can be removed exactly."""
    def sk(t):
        return ox.NamedNode(f"{GENID_NS}{import_id}/{t.value}") if isinstance(t, ox.BlankNode) else t

    return [ox.Quad(sk(q.subject), q.predicate, sk(q.object), q.graph_name)
            if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) else q for q in quads]


_RECORDS = """
SELECT ?rec ?id ?when ?file ?sha ?kind ?n ?mapping ?msha (GROUP_CONCAT(STR(?g); separator=" ") AS ?graphs) WHERE {
  GRAPH cgg:imports {
    ?rec a prov:Activity ; dct:identifier ?id ; prov:startedAtTime ?when ; dct:type ?kind ;
         <http://rdfs.org/ns/void#triples> ?n ; schema:object ?f .
    ?f schema:name ?file ; schema:sha256 ?sha .
    OPTIONAL { ?rec schema:instrument ?m . ?m schema:name ?mapping ; schema:sha256 ?msha }
    OPTIONAL { ?rec prov:generated ?g }
  }
} GROUP BY ?rec ?id ?when ?file ?sha ?kind ?n ?mapping ?msha ORDER BY ?when ?id"""


def list_imports(store) -> list:
    """Return the ImportRecords in the store, oldest first."""
    out = []
    for r in store.run(_RECORDS).records():
        out.append(ImportRecord(str(r["id"]), str(r["rec"]), str(r["when"]), str(r["file"]), str(r["sha"]),
                                str(r["kind"]), int(str(r["n"])), tuple(sorted(str(r["graphs"] or "").split())),
                                str(r["mapping"]) if r.get("mapping") is not None else None,
                                str(r["msha"]) if r.get("msha") is not None else None))
    return out


def _record_quads(rec: ImportRecord) -> list:
    """Return the record of an import as quads in cgg:imports (PROV-O, Dublin Core and schema.org terms)."""
    g, r = IMPORTS_GRAPH, ox.NamedNode(rec.iri)
    f = ox.NamedNode(rec.iri + "#file")
    out = [quad(r, RDF_TYPE, _PROV + "Activity", g), quad(r, _DCT + "identifier", lit(rec.id), g),
           quad(r, "rdfs:label", lit(f"import of {rec.file}"), g),
           quad(r, _PROV + "startedAtTime", lit(rec.when, datatype="dateTime"), g),
           quad(r, _DCT + "type", lit(rec.kind), g),
           quad(r, "http://rdfs.org/ns/void#triples", lit(str(rec.statements), datatype="integer"), g),
           quad(r, _SCHEMA + "object", f, g), quad(f, _SCHEMA + "name", lit(rec.file), g),
           quad(f, _SCHEMA + "sha256", lit(rec.sha256), g)]
    if rec.mapping:
        m = ox.NamedNode(rec.iri + "#mapping")
        out += [quad(r, _SCHEMA + "instrument", m, g), quad(m, _SCHEMA + "name", lit(rec.mapping), g),
                quad(m, _SCHEMA + "sha256", lit(rec.mapping_sha256), g)]
    out += [quad(r, _PROV + "generated", ox.NamedNode(x), g) for x in rec.graphs]
    return out


def _shacl_predicates(shapes_file: Path):
    """Return the predicates the shapes can look at, or None when a shape may look at any."""
    import rdflib

    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    shapes = rdflib.Graph().parse(shapes_file, format="turtle")
    preds = {PREFIXES["rdf"] + "type", PREFIXES["rdfs"] + "subClassOf"}
    for p in (SH.path, SH.targetSubjectsOf, SH.targetObjectsOf):
        for o in shapes.objects(None, p):
            if not isinstance(o, rdflib.URIRef):
                return None
            preds.add(str(o))
    if any(shapes.triples((None, SH.sparql, None))) or any(shapes.triples((None, SH.targetNode, None))):
        return None
    return preds


class _Where:
    """Adapts a batch's ``locate`` for graph.validate (violations outside the import stay unlocated)."""

    def __init__(self, locate):
        self._locate = locate

    def locate(self, iri: str):
        return self._locate(iri) if self._locate else None


def _validate(base: OxigraphStore, added: list, locate, root=None, progress: Progress | None = None):
    """Return the violations of the existing graph plus the added quads (shapes and violation queries).

    SHACL reads only the statements whose predicate a shape can look at, so a large import of other
    relations costs only the SPARQL checks.
    """
    from ..validate import _ontology_dir, query_violations, shacl_violations
    from ..validate import Violation

    onto = _ontology_dir(root)
    progress = progress or Progress()
    mem = OxigraphStore()
    mem.raw.bulk_extend(base.raw.quads_for_pattern(None, None, None, None))
    mem.raw.bulk_extend(added)
    preds = _shacl_predicates(onto / "shapes.ttl")
    progress.step("checking the SHACL shapes")
    if preds is None:
        shacl_store = mem
    else:
        shacl_store = OxigraphStore()
        for p in preds:
            shacl_store.raw.bulk_extend(mem.raw.quads_for_pattern(None, ox.NamedNode(p), None, None))
    found = shacl_violations(shacl_store, onto / "shapes.ttl")
    progress.step("running the violation queries")
    more, _ = query_violations(mem, onto / "checks")
    where = _Where(locate)
    return [Violation(v.check, v.focus, v.message, where.locate(v.focus)) for v in found + more]


def _first_error(violations, file_label: str) -> ConvergenceError:
    """Return the error for the first violation, located in the imported file where possible."""
    from ..namespaces import shorten

    located = sorted((v for v in violations if v.where), key=lambda v: (v.where, v.message))
    v = located[0] if located else violations[0]
    more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
    return ConvergenceError(f"{v.message} [{shorten(v.focus)}]{more}; nothing was imported",
                            v.where or file_label)


def _write_nquads(path: Path, quads) -> None:
    """Write quads as N-Quads through a temporary file renamed into place."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        ox.serialize(quads, f, format=ox.RdfFormat.N_QUADS)
    tmp.replace(path)


def _graph_exists(store: OxigraphStore, g) -> bool:
    return isinstance(g, ox.NamedNode) and store.raw.contains_named_graph(g)


def commit(batch: Batch, store_dir, data_dir: Path | None = None, progress: Progress | None = None,
           root: Path | None = None) -> ImportRecord:
    """Validate the batch with the store's graph and write it, with its record, in one transaction.

    ``store_dir`` is a disk store folder, or an OxigraphStore already open for writing (left open).

    Raises a located ConvergenceError (and writes nothing) on a duplicate import, an import that adds
    nothing, or any SHACL or violation-query problem.
    """
    progress = progress or Progress()
    label = batch.file.name
    if not batch.quads:
        raise ConvergenceError("the file holds no statements; nothing was imported", label)
    for q in batch.quads:
        if not isinstance(q.graph_name, ox.NamedNode):
            raise ConvergenceError(f"statement outside any named graph ({q.subject} {q.predicate} ...); "
                                   "nothing was imported", label)
    sha = file_sha256(batch.file)
    import_id = f"{slug(batch.file.stem)[:40].strip('-') or 'import'}-{sha[:8]}"
    own = not isinstance(store_dir, OxigraphStore)
    store = open_for_writing(store_dir) if own else store_dir
    try:
        for rec in list_imports(store):
            if rec.sha256 == sha:
                raise ConvergenceError(f"this file was already imported as {rec.id} on {rec.when}; "
                                       f"`convergence remove-import {rec.id}` takes it back first", label)
        quads = _skolemise(batch.quads, import_id)
        progress.step(f"comparing {len(quads)} statements with the store")
        new_graphs = {g for g in {q.graph_name for q in quads} if not _graph_exists(store, g)}
        seen, added = set(), []
        for q in quads:
            if q in seen:
                continue
            seen.add(q)
            if q.graph_name in new_graphs or q not in store.raw:
                added.append(q)
        if not added:
            raise ConvergenceError("every statement in the file is already in the graph; nothing was imported",
                                   label)
        violations = _validate(store, added, batch.locate, root, progress)
        if violations:
            raise _first_error(violations, label)
        source_graphs = sorted(g.value for g in new_graphs if not g.value.startswith(BASE + "graph/"))
        mapping_sha = file_sha256(batch.mapping) if batch.mapping else None
        rec = ImportRecord(import_id, IMPORT_NS + import_id,
                           datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
                           batch.file.name, sha, batch.kind, len(added), tuple(source_graphs),
                           batch.mapping.name if batch.mapping else None, mapping_sha)
        record = _record_quads(rec)
        folder = imports_folder(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        full, delta = folder / f"{import_id}.nq", folder / f"{import_id}.nq.added"
        progress.step(f"writing {len(added)} new statements")
        _write_nquads(delta, added + record)
        _write_nquads(full, list(seen) + record)
        try:
            store.raw.extend(added + record)
        except (OSError, RuntimeError) as exc:
            full.unlink(missing_ok=True)
            delta.unlink(missing_ok=True)
            raise ConvergenceError(f"cannot write to the store ({exc}); nothing was imported", str(store.path)) from None
        _note_in_build_info(store)
        return rec
    finally:
        if own:
            store.close()


def _note_in_build_info(store: OxigraphStore) -> None:
    """Write the store's imports into its build record, so readers (the viewer) see the data changed."""
    from ..build import META_FILE, read_build_info

    if store.path is None:
        return
    info = read_build_info(store.path)
    info["imports"] = [r.id for r in list_imports(store)]
    tmp = store.path / f".{META_FILE}.tmp-{os.getpid()}"
    tmp.write_text(json.dumps(info, indent=1))
    tmp.replace(store.path / META_FILE)


def _read_nquads(path: Path) -> list:
    return list(ox.parse(path.read_bytes(), format=ox.RdfFormat.N_QUADS))


def remove_import(import_id: str, store_dir, data_dir: Path | None = None, progress: Progress | None = None,
                  root: Path | None = None) -> ImportRecord:
    """Take one import back: remove what it added and its files.

    What another import also states stays, and is handed over to that import, so taking every import
    back, in any order, returns the store to its state before the first.

    Refused, with nothing changed, when what is left would not validate (a later import builds on it).
    """
    progress = progress or Progress()
    store = open_for_writing(store_dir)
    try:
        records = {r.id: r for r in list_imports(store)}
        if import_id not in records:
            known = ", ".join(records) or "none yet"
            raise ConvergenceError(f"no import {import_id!r} in this store (imports: {known})", "remove-import")
        folder = imports_folder(data_dir)
        full, delta = folder / f"{import_id}.nq", folder / f"{import_id}.nq.added"
        if not delta.exists():
            raise ConvergenceError(f"the record of what this import added is missing ({delta}); rebuild with "
                                   "`convergence build --store DIR` after deleting its .nq file", import_id)
        added = set(_read_nquads(delta))
        handover = {}  # statements another import also states stay, and become that import's to take back
        for other in records:
            path = folder / f"{other}.nq"
            if other != import_id and path.exists():
                shared = added & set(_read_nquads(path))
                if shared:
                    handover[other] = shared
                    added -= shared
        progress.step(f"checking the graph without the {len(added)} statements it added (with its record)")
        mem = OxigraphStore()
        mem.raw.bulk_extend(q for q in store.raw.quads_for_pattern(None, None, None, None) if q not in added)
        from ..validate import validate

        report = validate(mem, root=root)
        if not report.conforms:
            v = report.violations[0]
            raise ConvergenceError(f"removing it would break the graph: {v.message} [{v.focus_short}]; "
                                   "remove the imports that build on it first", import_id)
        progress.step(f"removing {len(added)} statements in one transaction")
        parked = [(p, p.with_name(f".{p.name}.removing")) for p in (full, delta) if p.exists()]
        for p, tmp in parked:
            p.replace(tmp)
        try:
            buf = io.StringIO()
            buf.write("DELETE DATA {\n")
            for q in added:
                buf.write(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}\n")
            buf.write("}")
            store.raw.update(buf.getvalue())
        except BaseException:
            for p, tmp in parked:
                tmp.replace(p)
            raise
        for _, tmp in parked:
            tmp.unlink(missing_ok=True)
        for other, shared in handover.items():
            path = folder / f"{other}.nq.added"
            _write_nquads(path, _read_nquads(path) + sorted(shared, key=str))
        _note_in_build_info(store)
        return records[import_id]
    finally:
        store.close()

