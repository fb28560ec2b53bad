"""The one exception users see: a located, one-line message."""

__all__ = ["ConvergenceError"]


class ConvergenceError(Exception):
    """A user-facing failure: ``where`` names the file, line, parameter or query at fault.

    >>> str(ConvergenceError("unexpected end of file", "data/x.trig:3:11"))
    'data/x.trig:3:11: unexpected end of file'
    """

    def __init__(self, message: str, where: str | None = None):
        self.message = " ".join(str(message).split())
        self.where = where
        super().__init__(f"{where}: {self.message}" if where else self.message)
