"""Results computed once per graph: in memory keyed by the build's data hash, optionally on disk.

A Graph opened from a built store (or from data/) carries ``info["data_hash"]``, the hash of the files
it was built from; results are kept under that hash, so they are shared by every Graph over the same
data and recomputed as soon as the data changes. A Graph without a hash (a remote endpoint) keeps its
results on itself for its lifetime.

Slow results (bridges, communities) can also be kept on disk as JSON under ``CONVERGENCE_CACHE_DIR``
(default ``~/.cache/convergence-graph/analytics``) so that a second command-line run is instant; set
``CONVERGENCE_CACHE_DIR=off`` to disable it.
"""

import functools
import gc
import hashlib
import inspect
import json
import os
from contextlib import contextmanager
from pathlib import Path

__all__ = ["memo", "disk_memo", "memo_result", "cache_dir", "gc_paused", "VERSION"]

#: Bump when a computation changes, so results cached on disk by older code are not reused.
VERSION = "2"

_SHARED: dict = {}
_KEEP = 4


def _slot(kg) -> dict:
    """The dict holding this graph's results (shared by data hash when the graph has one)."""
    key = (kg.info or {}).get("data_hash")
    if key is None:
        slot = getattr(kg, "_analytics_cache", None)
        if slot is None:
            slot = kg._analytics_cache = {}
        return slot
    if key not in _SHARED:
        while len(_SHARED) >= _KEEP:
            _SHARED.pop(next(iter(_SHARED)))
        _SHARED[key] = {}
    return _SHARED[key]


@contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector while building large results, then restore it.

    Building the 1M-statement projection creates millions of dicts, sets and tuples; each of them
    triggers the collector's full passes over everything alive (a third of the build time). Nothing
    built here is freed by the cycle collector, reference counting frees the rest as usual.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def memo(kg, name: str, params: tuple, compute):
    """Return ``compute()`` for this graph's data and these parameters, computing it at most once."""
    slot = _slot(kg)
    key = (name,) + tuple(params)
    if key not in slot:
        with gc_paused():
            slot[key] = compute()
    return slot[key]


def _hashable(value):
    """The value as a cache key part: lists and tuples as tuples, sets sorted."""
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(_hashable(v) for v in value))
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def _fresh(value):
    """A copy of a cached result for one caller: DataFrames (copy-on-write, so cheap), dicts, lists, tuples."""
    if hasattr(value, "columns") and hasattr(value, "copy"):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(_fresh(v) for v in value)
    if isinstance(value, (dict, list)):
        return value.copy()
    return value


def memo_result(fn):
    """Decorate a measure ``fn(kg, ...)``: its result is computed once per data and arguments (see memo()).

    Every call gets its own copy of the cached DataFrames, so a caller that changes one changes
    nothing for the next.
    """
    signature = inspect.signature(fn)
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def cached(kg, *args, **kwargs):
        bound = signature.bind(kg, *args, **kwargs)
        bound.apply_defaults()
        params = tuple(_hashable(v) for k, v in bound.arguments.items() if k != "kg")
        return _fresh(memo(kg, name, params, lambda: fn(kg, *args, **kwargs)))

    return cached


def cache_dir() -> Path | None:
    """The folder for results kept on disk, or None when disabled."""
    value = os.environ.get("CONVERGENCE_CACHE_DIR")
    if value and value.lower() in ("off", "0", "no", "none"):
        return None
    return Path(value) if value else Path.home() / ".cache" / "convergence-graph" / "analytics"


def disk_memo(kg, name: str, params: tuple, compute, to_json, from_json):
    """Like memo(), and also kept on disk (JSON) when the graph has a data hash."""
    def load_or_compute():
        data_hash = (kg.info or {}).get("data_hash")
        folder = cache_dir() if data_hash else None
        if folder is None:
            return compute()
        digest = hashlib.sha256(json.dumps([VERSION, data_hash, name, [str(p) for p in params]])
                                .encode()).hexdigest()[:32]
        path = folder / f"{name}-{digest}.json"
        try:
            return from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        value = compute()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(to_json(value)), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # a read-only home is no reason to fail: the result is still kept in memory
        return value

    return memo(kg, name, params, load_or_compute)
