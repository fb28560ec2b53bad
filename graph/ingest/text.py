"""Reading an incoming file as UTF-8: the byte-order mark dropped, a located error for anything else."""

from pathlib import Path

from ..errors import ConvergenceError

__all__ = ["read_utf8_bytes", "read_utf8"]


def read_utf8_bytes(path: Path, advice: str = "save the file as UTF-8") -> bytes:
    """Return the file's bytes without a BOM, or raise ``FILE:LINE:COLUMN: not UTF-8 ...``.

    >>> import tempfile, os
    >>> f = tempfile.NamedTemporaryFile(suffix=".txt", delete=False); _ = f.write(b"ok\\ncaf\\xe9"); f.close()
    >>> try: read_utf8_bytes(Path(f.name))
    ... except ConvergenceError as e: print(str(e).split(": ", 1)[1])
    not UTF-8 (byte 0xe9); save the file as UTF-8
    >>> os.unlink(f.name)
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConvergenceError(f"cannot read file: {exc.strerror}", path.name) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConvergenceError(f"not UTF-8 (byte 0x{data[exc.start]:02x}); {advice}",
                               f"{path.name}:{line}:{col}") from None
    return data


def read_utf8(path: Path, advice: str = "save the file as UTF-8") -> str:
    """Return the file's text (see read_utf8_bytes)."""
    return read_utf8_bytes(path, advice).decode("utf-8")
