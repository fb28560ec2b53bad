"""The gate every import passes: validate with the existing graph, then write all of it, or nothing.

An import is kept twice: in the disk store, and as N-Quads in ``data/imports/`` (``ID.nq``: everything it
stated plus its record; ``ID.nq.added``: the statements it added), so `convergence build` loads it again
and `remove_import` can take back exactly what it added.

Writing a disk store: a hard-linked copy of the store is bulk-loaded (while the checks run) and then
exchanged with the store in one atomic rename, so a process killed at any moment leaves the store with all
of the import or none of it; the N-Quads files wait under hidden ``.pending`` names until the store holds
the import, and the next writer settles what an interrupted import left.
"""

import hashlib
import io
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ..build import project_root
from ..errors import ConvergenceError
from ..namespaces import BASE, GRAPHS, PREFIXES
from ..store import OxigraphStore
from .atomic import exchange, fsync_dir
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
    Large files come as ``stage``, an in-memory pyoxigraph Store parsed without Python objects per statement
    (``quads`` is then empty); ``blank_nodes`` False says the file has none to name.
    """

    quads: list
    file: Path
    kind: str
    mapping: Path | None = None
    locate: object = None
    summary: dict = field(default_factory=dict)
    stage: ox.Store | None = None
    blank_nodes: bool = True

    def staged(self) -> ox.Store:
        """Return the batch's statements in an in-memory store (``stage``, or one made from ``quads``)."""
        if self.stage is None:
            self.stage = ox.Store()
            self.stage.extend(self.quads)
        return self.stage


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
    replaced = path.parent / f".{path.name}.replaced"
    if not path.exists() and (replaced / "CURRENT").exists():  # an import stopped between its two renames
        replaced.rename(path)
    if not (path / "CURRENT").exists():
        raise ConvergenceError("no store here; run `convergence build --store DIR` first", str(path))
    return OxigraphStore(path)


def dump(store: OxigraphStore) -> bytes:
    """Return the store's quads as sorted N-Quads (to compare two states byte for byte)."""
    lines = ox.serialize(store.quads(), format=ox.RdfFormat.N_QUADS).splitlines()
    return b"\n".join(sorted(lines)) + b"\n"


def _skolemise(stage: ox.Store, import_id: str) -> None:
    """Replace blank nodes by IRIs under ``genid/{import}/`` so an import can be removed exactly."""
    def sk(t):
        return ox.NamedNode(f"{GENID_NS}{import_id}/{t.value}") if isinstance(t, ox.BlankNode) else t

    found = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in stage.query(
        "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isBlank(?s) || isBlank(?o)) }")]
    for q in found:
        stage.remove(q)
    stage.extend(ox.Quad(sk(q.subject), q.predicate, sk(q.object), q.graph_name) for q in found)


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


class _Where:
    """Adapts a batch's ``locate`` for graph.validate (violations outside the import stay unlocated)."""

    def __init__(self, locate):
        self._locate = locate

    def locate(self, iri: str):
        return self._locate(iri) if self._locate else None


SCOPE_GRAPH = BASE + "graph/validation-scope"
#: Check only the nodes an import touches once the store holds this many times more statements than it adds.
SCOPE_FROM = 4

_MARK_SCOPE = """INSERT {{ GRAPH <{scope}> {{ ?x <{mark}> true }} }} WHERE {{
  {{ GRAPH ?g {{ ?x ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?x ?o }} }} UNION {{ GRAPH ?x {{ ?s ?p ?o }} }}
  UNION {{ GRAPH ?g {{ ?s ?p ?x }} FILTER(!isLiteral(?x)) }} }}"""
_MARK_HOLDERS = """INSERT {{ GRAPH <{scope}> {{ ?f <{mark}> true }} }} WHERE {{
  GRAPH <{scope}> {{ ?x <{mark}> true }} GRAPH ?h {{ ?f ?p ?x }} VALUES ?p {{ {paths} }} }}"""


def _nesting_paths(shapes_file: Path):
    """Return the predicates through which a shape checks another node's statements (sh:node and kin).

    None when one of them is not a plain predicate (then a scope cannot be drawn and everything is checked).
    """
    import rdflib

    from ..validate import _shapes_graph

    g, SH = _shapes_graph(shapes_file), rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = set()
    for name in ("node", "qualifiedValueShape", "or", "and", "not"):
        for shape in g.subjects(SH[name], None):
            path = g.value(shape, SH.path)
            if path is not None:
                if not isinstance(path, rdflib.URIRef):
                    return None
                out.add(str(path))
    return sorted(out)


def _validate(store: OxigraphStore, stage: ox.Store, locate, root=None, progress: Progress | None = None) -> list:
    """Return the violations the staged statements bring to the store's graph (shapes and violation queries).

    The checks run in memory on the store's graph plus the staged statements. When the store is much larger
    than the import, only the nodes the import touches (and the nodes that point to them) are checked: the
    store was valid before, and statements are only added.
    """
    from ..shapes_sparql import SCOPE_PREDICATE
    from ..validate import _ontology_dir, query_violations, shacl_violations, Violation

    onto = _ontology_dir(root)
    progress = progress or Progress()
    touches_ontology = stage.query(f"ASK {{ {{ GRAPH <{GRAPHS['ontology']}> {{ ?s ?p ?o }} }} UNION "
                                   f"{{ GRAPH ?g {{ ?s <{PREFIXES['rdfs']}subClassOf> ?o }} }} }}")
    paths = _nesting_paths(onto / "shapes.ttl")
    scope = None
    if not touches_ontology and paths is not None and len(store.raw) >= SCOPE_FROM * len(stage):
        scope = SCOPE_GRAPH
        stage.update(_MARK_SCOPE.format(scope=scope, mark=SCOPE_PREDICATE))
    progress.step("adding the store's graph to the checks")
    stage.load(store.raw.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    if scope and paths:
        stage.update(_MARK_HOLDERS.format(scope=scope, mark=SCOPE_PREDICATE, paths=" ".join(f"<{p}>" for p in paths)))
    mem = OxigraphStore(_store=stage)
    progress.step("checking the SHACL shapes and running the violation queries"
                  + (" on the nodes the import touches" if scope else ""))
    with ThreadPoolExecutor(1) as pool:
        shapes = pool.submit(shacl_violations, mem, onto / "shapes.ttl", scope=scope)
        more, _ = query_violations(mem, onto / "checks", scope=scope)
        found = shapes.result()
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


def _overlap(store: OxigraphStore, stage: ox.Store) -> list:
    """Return the staged quads the store already holds (walking whichever side of each shared graph is smaller)."""
    from itertools import islice

    out = []
    for g in stage.named_graphs():
        if not isinstance(g, ox.NamedNode) or not store.raw.contains_named_graph(g):
            continue
        n = int(next(iter(stage.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g.value}> {{ ?s ?p ?o }} }}")))["n"].value)
        old = list(islice(store.raw.quads_for_pattern(None, None, None, g), n + 1))
        if len(old) <= n:
            out += [q for q in old if q in stage]
        else:
            out += [q for q in stage.quads_for_pattern(None, None, None, g) if q in store.raw]
    return out


def _pending(folder: Path, import_id: str) -> tuple:
    """The names an import's N-Quads files have until the store holds the import (`build` does not read them)."""
    return folder / f".{import_id}.nq.pending", folder / f".{import_id}.nq.added.pending"


def _finish_pending(store: OxigraphStore, folder: Path) -> None:
    """Settle what an interrupted import left: its files take their place if the store holds it, else go.

    Also removes the copies of the store that an interrupted import was preparing.
    """
    if store.path is not None and (store.path / "CURRENT").exists():
        for tmp in store.path.parent.glob(f".{store.path.name}.import-*"):
            shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(store.path.parent / f".{store.path.name}.replaced", ignore_errors=True)
    pending = sorted(folder.glob(".*.nq.pending")) + sorted(folder.glob(".*.nq.added.pending"))
    if not pending:
        return
    done = {r.id for r in list_imports(store)}
    for p in pending:
        name = p.name[1:-len(".pending")]
        if name.split(".nq")[0] in done:
            p.replace(folder / name)
        else:
            p.unlink(missing_ok=True)


def _prepare_copy(store: OxigraphStore, delta_file: Path, record: list) -> Path:
    """Return a copy of the disk store (RocksDB hard links: no data copied) with the delta file and the record
    bulk-loaded, closed and ready to take the store's place. Nothing the store's readers see changes.

    Runs in a worker thread, so it reports no progress (a Streamlit status box is written from its own thread).
    """
    from ..build import META_FILE

    path = store.path
    tmp = path.parent / f".{path.name}.import-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    store.raw.flush()
    store.raw.backup(str(tmp))
    try:
        if (path / META_FILE).exists():
            shutil.copy2(path / META_FILE, tmp / META_FILE)
        copy = ox.Store(str(tmp))
        copy.bulk_load(path=str(delta_file), format=ox.RdfFormat.N_QUADS)
        copy.extend(record)
        copy.flush()
        _note_in_build_info(OxigraphStore(tmp, _store=copy))
        del copy
        fsync_dir(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def _switch(store: OxigraphStore, tmp: Path) -> Path:
    """Put the prepared copy in the store's place in one atomic step; return the folder now holding the old store.

    On failure the store is as it was (and open again), and the copy is gone.
    """
    path = store.path
    store._store = None  # close the old database before its folder moves (its lock goes with it)
    try:
        if exchange(tmp, path):
            return tmp
        old = path.parent / f".{path.name}.replaced"  # two renames; open_for_writing settles a stop in between
        path.rename(old)
        tmp.rename(path)
        return old
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        store._store = ox.Store(str(path))
        raise


def commit(batch: Batch, store_dir, data_dir: Path | None = None, progress: Progress | None = None,
           root: Path | None = None) -> ImportRecord:
    """Validate the batch with the store's graph and write it, with its record, all or nothing.

    ``store_dir`` is a disk store folder, or an OxigraphStore already open for writing (left open, on the
    new state).

    Raises a located ConvergenceError (and writes nothing) on a duplicate import, an import that adds
    nothing, or any SHACL or violation-query problem. A process killed at any moment leaves the store
    with all of the import or none of it.
    """
    progress = progress or Progress()
    label = batch.file.name
    stage = batch.staged()
    if not len(stage):
        raise ConvergenceError("the file holds no statements; nothing was imported", label)
    loose = next(iter(stage.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
    if loose is not None:
        raise ConvergenceError(f"statement outside any named graph ({loose.subject} {loose.predicate} ...); "
                               "nothing was imported", label)
    sha = file_sha256(batch.file)
    import_id = f"{slug(batch.file.stem)[:40].strip('-') or 'import'}-{sha[:8]}"
    own = not isinstance(store_dir, OxigraphStore)
    store = open_for_writing(store_dir) if own else store_dir
    folder = imports_folder(data_dir)
    full_tmp, delta_tmp = _pending(folder, import_id)
    violations, switched = None, False
    try:
        _finish_pending(store, folder)
        for rec in list_imports(store):
            if rec.sha256 == sha:
                raise ConvergenceError(f"this file was already imported as {rec.id} on {rec.when}; "
                                       f"`convergence remove-import {rec.id}` takes it back first", label)
        if batch.blank_nodes:
            _skolemise(stage, import_id)
        progress.step(f"comparing {len(stage)} statements with the store")
        new_graphs = {g.value for g in stage.named_graphs()
                      if isinstance(g, ox.NamedNode) and not store.raw.contains_named_graph(g)}
        kept = _overlap(store, stage)
        for q in kept:
            stage.remove(q)
        added = len(stage)
        if not added:
            raise ConvergenceError("every statement in the file is already in the graph; nothing was imported",
                                   label)
        source_graphs = sorted(g for g in new_graphs if not g.startswith(BASE + "graph/"))
        mapping_sha = file_sha256(batch.mapping) if batch.mapping else None
        rec = ImportRecord(import_id, IMPORT_NS + import_id,
                           datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
                           batch.file.name, sha, batch.kind, added, tuple(source_graphs),
                           batch.mapping.name if batch.mapping else None, mapping_sha)
        record = _record_quads(rec)
        folder.mkdir(parents=True, exist_ok=True)
        progress.step(f"writing the {added} new statements aside")
        stage.dump(str(delta_tmp), format=ox.RdfFormat.N_QUADS)
        with open(delta_tmp, "ab") as f:
            ox.serialize(record, f, format=ox.RdfFormat.N_QUADS)
        if store.path:
            progress.step("loading the new statements into a copy of the store, alongside the checks")
        with ThreadPoolExecutor(1) as pool:  # both release the GIL: the copy loads while the checks run
            copy = pool.submit(_prepare_copy, store, delta_tmp, record) if store.path else None
            try:
                violations = _validate(store, stage, batch.locate, root, progress)
            finally:
                try:
                    tmp = copy.result() if copy else None
                except (OSError, RuntimeError) as exc:
                    raise ConvergenceError(f"cannot write to the store ({exc}); nothing was imported",
                                           str(store.path)) from None
                if tmp is not None and (violations is None or violations):
                    shutil.rmtree(tmp, ignore_errors=True)
        if violations:
            raise _first_error(violations, label)
        if kept:
            shutil.copyfile(delta_tmp, full_tmp)
            with open(full_tmp, "ab") as f:
                ox.serialize(kept, f, format=ox.RdfFormat.N_QUADS)
        else:
            full_tmp.unlink(missing_ok=True)
            os.link(delta_tmp, full_tmp)
        if tmp is None:  # an in-memory store (tests, scripts): one transaction
            store.raw.load(path=str(delta_tmp), format=ox.RdfFormat.N_QUADS)
        else:
            progress.step("switching to the new store")
            try:
                old = _switch(store, tmp)
            except OSError as exc:
                raise ConvergenceError(f"cannot write to the store ({exc}); nothing was imported",
                                       str(store.path)) from None
        switched = True  # from here on the store holds the import: its files must take their place
        fsync_dir(store.path.parent) if store.path else None
        full_tmp.replace(folder / f"{import_id}.nq")
        delta_tmp.replace(folder / f"{import_id}.nq.added")
        if tmp is not None:
            shutil.rmtree(old, ignore_errors=True)
            try:
                store._store = ox.Store(str(store.path))
            except OSError as exc:  # another writer got in first: the import is done all the same
                store._store = ox.Store()
                raise ConvergenceError(f"imported as {import_id}, but the store could not be opened again "
                                       f"({exc})", str(store.path)) from None
        return rec
    finally:
        if not switched:  # (once switched, an interrupted import's files are settled by the next writer)
            full_tmp.unlink(missing_ok=True)
            delta_tmp.unlink(missing_ok=True)
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
        _finish_pending(store, imports_folder(data_dir))
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

