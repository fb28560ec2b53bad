"""ontology/ + data/ -> a validated store: parse every file, check it, then load it atomically."""

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from .errors import ConvergenceError
from .namespaces import GRAPHS
from .store import OxigraphStore

__all__ = ["project_root", "input_files", "parse_file", "load_files", "build", "Locator", "BuildInfo"]

_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
            ".nq": ox.RdfFormat.N_QUADS}
META_FILE = "convergence-build.json"
#: Largest data file the build reads: data/ is curated by hand; bulk data comes in with `convergence import`.
MAX_DATA_FILE = 64 * 1024 * 1024


def project_root() -> Path:
    """Return the folder holding ontology/ and data/ (``CONVERGENCE_ROOT`` overrides)."""
    env = os.environ.get("CONVERGENCE_ROOT")
    return Path(env) if env else Path(__file__).resolve().parent.parent


def input_files(root: Path | None = None, data_dir: Path | None = None) -> list:
    """Return the ontology file then every data file (.trig, .ttl, .nq), in a stable order."""
    root = Path(root) if root else project_root()
    data = Path(data_dir) if data_dir else root / "data"
    onto = root / "ontology" / "convergence.ttl"
    if not data.is_dir():
        raise ConvergenceError("data folder not found", str(data))
    files = sorted(p for p in data.rglob("*") if p.suffix in (".trig", ".ttl", ".nq") and p.is_file())
    return [onto] + files


def _rel(path: Path) -> str:
    """Return the path relative to the working folder where that is shorter."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parse_file(path: Path, graph: str | None = None) -> list:
    """Parse one RDF file without network access; triples land in ``graph`` (required for Turtle data).

    Raises ConvergenceError located as ``FILE:LINE:COLUMN`` on a syntax error.
    """
    path = Path(path)
    fmt = _FORMATS.get(path.suffix)
    if fmt is None:
        raise ConvergenceError(f"unknown RDF file type {path.suffix!r}; use .ttl, .trig, .nt or .nq", _rel(path))
    try:
        size = path.stat().st_size
        if size > MAX_DATA_FILE and path.parent.name != "imports":  # imports are checked when they come in
            raise ConvergenceError(f"file is {size // (1 << 20)} MB, over the {MAX_DATA_FILE >> 20} MB a curated data "
                                   "file may have; bring bulk data in with `convergence import`", _rel(path))
        stream = path.open("rb")
    except OSError as exc:
        raise ConvergenceError(f"cannot read file: {exc.strerror}", _rel(path)) from None
    with stream:
        if stream.read(3) != b"\xef\xbb\xbf":
            stream.seek(0)
        try:
            target = ox.NamedNode(graph) if graph else None
            quads = []
            for q in ox.parse(stream, format=fmt, base_iri=None):
                if target is not None:
                    q = ox.Quad(q.subject, q.predicate, q.object, target)
                elif isinstance(q.graph_name, ox.DefaultGraph):
                    raise ConvergenceError(
                        f"triple outside any named graph ({q.subject} {q.predicate} ...): put identity in "
                        "cgg:entities and facts in the graph of their source", _rel(path))
                quads.append(q)
        except SyntaxError as exc:
            loc = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], tuple) else None
            msg = re.sub(r"^Parser error [^:]*:\s*", "", str(exc.args[0]))
            msg = re.sub(r"\s*\([^()]*, line \d+\)$", "", msg)
            if "Invalid UTF-8" in msg:
                msg = "file is not valid UTF-8 (save it as UTF-8): " + msg
            where = f"{_rel(path)}:{loc[1]}:{loc[2]}" if loc else _rel(path)
            raise ConvergenceError(f"syntax error: {msg}", where) from None
        except (ValueError, OSError) as exc:
            raise ConvergenceError(f"cannot parse: {exc}", _rel(path)) from None
    return quads


class Locator:
    """Finds the FILE:LINE where an IRI is described, for error messages."""

    _PREFIX = re.compile(r"@prefix\s+([\w-]*):\s*<([^>]*)>", re.I)

    def __init__(self):
        self._subjects = {}
        self._objects = {}
        self._files = {}

    def add(self, path: Path, quads) -> None:
        """Remember which files describe which subjects, and which objects each file uses."""
        self._files[path] = None
        for q in quads:
            if isinstance(q.subject, ox.NamedNode):
                files = self._subjects.setdefault(q.subject.value, [])
                if path not in files:
                    files.append(path)
            if isinstance(q.object, ox.NamedNode):
                self._objects.setdefault(path, set()).add(q.object.value)

    def _lines(self, path: Path) -> list:
        if self._files.get(path) is None:
            self._files[path] = path.read_text(encoding="utf-8", errors="replace").splitlines()
        return self._files[path]

    def _pattern(self, lines, iri: str):
        """A regex matching the IRI written in full or with any prefix the file declares."""
        forms = [f"<{iri}>"]
        for line in lines:
            for m in self._PREFIX.finditer(line):
                if iri.startswith(m.group(2)) and len(iri) > len(m.group(2)):
                    forms.append(f"{m.group(1)}:{iri[len(m.group(2)):]}")
        return re.compile("|".join(re.escape(f) + r"(?![\w-])" for f in forms))

    def locate(self, iri: str, other: str | None = None) -> str | None:
        """Return ``FILE:LINE`` where the IRI is described (with ``other`` on the line, when given)."""
        files = self._subjects.get(iri)
        if not files:
            return None
        if other:
            files = [f for f in files if other in self._objects.get(f, ())] or files
        path = files[-1] if other else files[0]
        lines = self._lines(path)
        pattern = self._pattern(lines, iri)
        both = self._pattern(lines, other) if other else None
        first = None
        for no, line in enumerate(lines, 1):
            text = line.split("#", 1)[0] if not line.lstrip().startswith("<") else line
            if pattern.search(text):
                if both is None or both.search(text):
                    return f"{_rel(path)}:{no}"
                first = first or no
        return f"{_rel(path)}:{first}" if first else _rel(path)


def load_files(files, locator: Locator | None = None) -> OxigraphStore:
    """Parse the files into a new in-memory store (the first, the ontology, into cgg:ontology)."""
    store = OxigraphStore()
    for i, path in enumerate(files):
        quads = parse_file(path, GRAPHS["ontology"] if i == 0 else None)
        if locator is not None:
            locator.add(path, quads)
        store.add_quads(quads)
    return store


@dataclass
class BuildInfo:
    """What a build read and wrote: files, their hash, counts and the validation report."""

    files: list
    data_hash: str
    quads: int
    built: str
    store: str | None = None
    report: object = None
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """Return the JSON-able summary written beside a disk store."""
        return {"files": self.files, "data_hash": self.data_hash, "quads": self.quads,
                "built": self.built, "store": self.store}


def _hash(files) -> str:
    """Return a SHA-256 over the files' names and bytes."""
    h = hashlib.sha256()
    for p in files:
        h.update(_rel(p).encode())
        with Path(p).open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def _is_store(path: Path) -> bool:
    return (path / "CURRENT").exists() or (path / META_FILE).exists()


def build(store_dir: str | Path | None = None, root: Path | None = None, data_dir: Path | None = None,
          validate: bool = True, progress=None):
    """Parse, validate and load the graph; with ``store_dir`` write it there atomically.

    Returns ``(store, info)``. Nothing is written when parsing or validation fails.
    """
    from .validate import validate as run_validation

    say = progress or (lambda msg: None)
    files = input_files(root, data_dir)
    locator = Locator()
    say(f"parsing {len(files)} files")
    store = load_files(files, locator)
    info = BuildInfo(files=[_rel(p) for p in files], data_hash=_hash(files), quads=len(store),
                     built=datetime.now(timezone.utc).replace(microsecond=0).isoformat())
    if validate:
        say("validating (SHACL shapes and violation queries)")
        report = run_validation(store, locator=locator, root=root)
        info.report = report
        if not report.conforms:
            first = report.violations[0]
            raise ConvergenceError(f"{len(report.violations)} validation error(s); first: {first.message}"
                                   f" [{first.focus_short}]; run `convergence validate` for all",
                                   first.where or "validation")
    if store_dir is None:
        return store, info
    target = Path(store_dir)
    if target.exists() and any(target.iterdir()) and not _is_store(target):
        raise ConvergenceError("folder exists and is not a Convergence store; choose another --store",
                               str(target))
    say(f"writing store to {target}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.building-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    disk = ox.Store(str(tmp))
    try:
        disk.bulk_extend(store.raw.quads_for_pattern(None, None, None, None))
        disk.flush()
        disk.optimize()
    finally:
        del disk
    info.store = str(target)
    (tmp / META_FILE).write_text(json.dumps(info.to_json(), indent=1))
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return OxigraphStore(target, read_only=True), info


def read_build_info(store_dir: str | Path) -> dict:
    """Return the build summary stored beside a disk store, or an empty dict."""
    try:
        return json.loads((Path(store_dir) / META_FILE).read_text())
    except (OSError, ValueError):
        return {}
