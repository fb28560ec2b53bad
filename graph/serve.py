"""``convergence serve``: the Oxigraph SPARQL server (PyPI package ``oxigraph``) over a disk store."""

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .errors import ConvergenceError

__all__ = ["OxigraphServer", "ensure_store", "serve_forever", "free_port"]


def _oxigraph_binary() -> str:
    """Return the ``oxigraph`` command installed beside this Python, or on the PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise ConvergenceError("the `oxigraph` command is missing; install it with `pip install oxigraph`",
                               "serve")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free on ``host`` now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def ensure_store(store_dir, data_dir=None, progress=None) -> Path:
    """Return the disk store folder, building it (from data/, or ``data_dir``) first when it holds no store."""
    path = Path(store_dir)
    if not (path / "CURRENT").exists():
        from .build import build

        if path.is_dir() and any(path.iterdir()):
            raise ConvergenceError("folder exists and is not a Convergence store; choose another --store", str(path))

        store, _ = build(path, data_dir=Path(data_dir) if data_dir else None, progress=progress)
        store.close()
    return path


class OxigraphServer:
    """A child ``oxigraph serve-read-only`` (or writable ``serve``) process on one port.

    The default graph is the union of the named graphs; ``timeout`` stops long queries.
    """

    def __init__(self, location, host: str = "127.0.0.1", port: int = 7878, timeout: int | None = 30,
                 cors: bool = False, read_only: bool = True):
        self.location, self.host, self.port = Path(location), host, int(port)
        self.timeout, self.cors, self.read_only = timeout, cors, read_only
        self.process = None
        self._log = None

    @property
    def base(self) -> str:
        """Return ``http://HOST:PORT``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """Return the SPARQL query endpoint's URL."""
        return self.base + "/query"

    def command(self) -> list:
        """Return the server's command line."""
        bind = f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"
        cmd = [_oxigraph_binary(), "serve-read-only" if self.read_only else "serve",
               "--location", str(self.location), "--bind", bind, "--union-default-graph"]
        if self.timeout:
            cmd += ["--timeout-s", str(int(self.timeout))]
        return cmd + (["--cors"] if self.cors else [])

    def start(self, wait: float = 15.0) -> "OxigraphServer":
        """Start the server and return once it accepts connections (a one-line error if it exits)."""
        self._check_port()
        self._log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        probe = "127.0.0.1" if self.host in ("0.0.0.0", "") else ("::1" if self.host == "::" else self.host)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                msg = self.last_message()
                self.stop()
                raise ConvergenceError(f"the Oxigraph server stopped at once: {msg}", f"serve {self.host}:{self.port}")
            try:
                with socket.create_connection((probe, self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise ConvergenceError(f"the Oxigraph server did not answer within {wait:.0f} s",
                               f"serve {self.host}:{self.port}")

    def last_message(self) -> str:
        """Return the server's error line (``Error: ...``), else its last line, else 'no message'."""
        if self._log is None:
            return "no message"
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        errors = [x[len("Error:"):].strip() for x in lines if x.startswith("Error:")]
        return errors[0] if errors else (lines[-1] if lines else "no message")

    def _check_port(self) -> None:
        """Raise a one-line error when something already listens on the port."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        with socket.socket(family) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((self.host, self.port))
            except OSError as exc:
                raise ConvergenceError(f"cannot listen here ({exc.strerror}); choose another --port or --host",
                                       f"serve {self.host}:{self.port}") from None

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s) and wait for it."""
        p, self.process = self.process, None
        if p is None:
            return
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start() if self.process is None else self

    def __exit__(self, *exc):
        self.stop()


def serve_forever(server: OxigraphServer, echo=print, ready=None) -> int:
    """Run the started server in the foreground until SIGINT or SIGTERM; return the exit status.

    ``ready`` is called once the signal handlers are in place (e.g. to print the endpoint's URL).
    """
    stopping = []

    def _stop(signum, frame):
        stopping.append(signum)
        if server.process is not None and server.process.poll() is None:
            server.process.terminate()

    old = {s: signal.signal(s, _stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if ready is not None:
            ready()
        code = server.process.wait()
        if stopping:
            echo("stopped")
            return 0
        raise ConvergenceError(f"the Oxigraph server exited with status {code}: {server.last_message()}", "serve")
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        server.stop()
