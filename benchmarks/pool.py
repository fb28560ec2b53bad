"""The parent's side of the workers: start one per engine, send commands with a time limit, restart on overrun."""

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

from .measure import Timing

__all__ = ["EngineProcess", "Overrun", "interleaved"]

ROOT = Path(__file__).resolve().parent.parent


class Overrun(Exception):
    """A command ran past its time limit (the worker was stopped) or the worker died."""


class EngineProcess:
    """One ``benchmarks.worker`` process; ``call`` sends a command and waits at most ``limit`` seconds."""

    def __init__(self, engine: str, data: Path, store: Path | None = None, load_limit: float = 1800):
        self.engine, self.data, self.store, self.load_limit = engine, data, store, load_limit
        self.proc, self.load_s = None, None

    def start(self) -> "EngineProcess":
        """Start the worker and wait until its engine is loaded."""
        return self.spawn().wait_ready()

    def spawn(self) -> "EngineProcess":
        """Start the worker without waiting (several engines then load side by side)."""
        env = dict(os.environ, CONVERGENCE_CACHE_DIR="off", PYTHONPATH=str(ROOT))
        env.pop("CONVERGENCE_STORE", None)
        self.proc = subprocess.Popen([sys.executable, "-m", "benchmarks.worker", self.engine, str(self.data),
                                      str(self.store) if self.store else "-"], cwd=ROOT, env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     bufsize=1)
        return self

    def wait_ready(self) -> "EngineProcess":
        """Wait for the worker's ready line."""
        ready = self._read(self.load_limit)
        self.load_s = ready.get("ready")
        return self

    def _read(self, limit: float) -> dict:
        deadline = time.monotonic() + limit
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                raise Overrun(f"over {limit:g} s")
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                line = self.proc.stdout.readline()
                if not line:
                    err = self.proc.stderr.read()[-400:] if self.proc.stderr else ""
                    self.stop()
                    raise Overrun(f"worker exited: {' '.join(err.split())[-300:]}")
                if line.startswith("{"):
                    return json.loads(line)

    def call(self, cmd: dict, limit: float) -> dict:
        """Run one command; on overrun the worker is stopped and restarted for the next command."""
        if self.proc is None:
            self.start()
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        return self._read(limit)

    def timed(self, cmd: dict, repeats: int, limit: float, warmup: int = 1, budget_s: float | None = None) -> Timing:
        """Median of ``repeats`` runs after ``warmup``; an overrun or error ends the series and is recorded."""
        extra = {}
        try:
            for _ in range(warmup):
                first = self.call(cmd, limit)
                if "error" in first:
                    return Timing.of([], error=first["error"])
            runs, spent, last = [], 0.0, {}
            for _ in range(repeats):
                last = self.call(cmd, limit)
                if "error" in last:
                    return Timing.of(runs, error=last["error"])
                runs.append(last["ms"])
                spent += last["ms"] / 1000
                if budget_s is not None and spent > budget_s:
                    break
            extra = {k: v for k, v in last.items() if k != "ms"}
            return Timing.of(runs, **extra)
        except Overrun as exc:
            self.proc = None
            return Timing.of([], timeout=str(exc), limit_s=limit)

    def stop(self) -> None:
        p, self.proc = self.proc, None
        if p is not None and p.poll() is None:
            p.kill()
            p.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def interleaved(procs: dict, cmd: dict, repeats: int, limit: float) -> dict:
    """Time one command on several engines in turns (warm-up each, then run 1 on each, run 2 on each...).

    Taking turns spreads any load from other work on the machine evenly over the engines. An engine
    that errs or overruns drops out of the turns with that recorded. Returns {engine: Timing}.
    """
    runs = {name: [] for name in procs}
    last, out = {}, {}
    for name, proc in procs.items():
        try:
            first = proc.call(cmd, limit)
        except Overrun as exc:
            proc.proc = None
            out[name] = Timing.of([], timeout=str(exc), limit_s=limit)
            continue
        if "error" in first:
            out[name] = Timing.of([], error=first["error"])
    for _ in range(repeats):
        for name, proc in procs.items():
            if name in out:
                continue
            try:
                reply = proc.call(cmd, limit)
            except Overrun as exc:
                proc.proc = None
                out[name] = Timing.of(runs[name], timeout=str(exc), limit_s=limit)
                continue
            if "error" in reply:
                out[name] = Timing.of(runs[name], error=reply["error"])
                continue
            runs[name].append(reply["ms"])
            last[name] = reply
    for name in procs:
        if name not in out:
            out[name] = Timing.of(runs[name], **{k: v for k, v in last.get(name, {}).items() if k != "ms"})
    return out
