"""Timing and memory helpers: medians with their spread, peak memory, a time limit for pure-Python code."""

import os
import resource
import signal
import statistics
import time
from contextlib import contextmanager

__all__ = ["Timing", "timed", "peak_mb", "time_limit", "TimeLimit"]


class TimeLimit(Exception):
    """Raised inside code that ran past its time limit."""


@contextmanager
def time_limit(seconds: float | None):
    """Interrupt pure-Python work (rdflib) after ``seconds`` with TimeLimit; main thread only."""
    if not seconds:
        yield
        return

    def stop(signum, frame):
        raise TimeLimit(f"over {seconds:g} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


class Timing(dict):
    """Runs in milliseconds with their median, quartiles, min and max (a JSON-able dict)."""

    @classmethod
    def of(cls, runs_ms: list, **extra) -> "Timing":
        """Summarise runs (ms); an empty list (nothing finished) gives a median of None.

        >>> t = Timing.of([3.0, 1.0, 2.0, 10.0, 2.5])
        >>> (t["median_ms"], t["min_ms"], t["max_ms"], t["n"])
        (2.5, 1.0, 10.0, 5)
        """
        runs = [round(r, 3) for r in runs_ms]
        t = cls(runs_ms=runs, n=len(runs), **extra)
        if runs:
            q = statistics.quantiles(runs, n=4, method="inclusive") if len(runs) > 1 else [runs[0]] * 3
            t.update(median_ms=round(statistics.median(runs), 3), min_ms=min(runs), max_ms=max(runs),
                     q1_ms=round(q[0], 3), q3_ms=round(q[2], 3))
        else:
            t.update(median_ms=None)
        return t

    @property
    def median(self):
        return self.get("median_ms")


def timed(fn, repeats: int = 5, warmup: int = 1, budget_s: float | None = None) -> Timing:
    """Run ``fn`` ``warmup`` times untimed, then ``repeats`` times; return the Timing.

    With ``budget_s``, stop repeating (after at least one timed run) once that much time is spent.
    """
    for _ in range(warmup):
        fn()
    runs, spent = [], 0.0
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        runs.append(dt * 1000)
        spent += dt
        if budget_s is not None and spent > budget_s:
            break
    return Timing.of(runs)


def peak_mb() -> float:
    """This process's peak resident memory in MB (VmHWM, else ru_maxrss)."""
    try:
        with open(f"/proc/{os.getpid()}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
