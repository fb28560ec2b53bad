"""A description of the machine and software a benchmark ran on, for its results file."""

import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

__all__ = ["describe_machine", "load_average"]

PACKAGES = ("pyoxigraph", "rdflib", "networkx", "pandas", "streamlit", "pyvis", "playwright", "pyshacl")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 ** 2, 1)
    except OSError:
        pass
    return None


def load_average() -> list:
    """The 1, 5 and 15 minute load averages (other work on the machine skews timings)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _commit(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                             timeout=10)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def describe_machine(root: Path) -> dict:
    """CPU model, cores, memory, OS, Python and library versions, the commit, the date and the load."""
    chromium = Path("/usr/bin/chromium")
    browser = None
    if chromium.exists():
        try:
            browser = subprocess.run([str(chromium), "--version"], capture_output=True, text=True,
                                     timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            browser = "chromium (version unknown)"
    return {
        "date": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "cpu": _cpu_model(), "cores": os.cpu_count(), "memory_gib": _memory_gib(),
        "os": platform.platform(), "python": sys.version.split()[0],
        "packages": {name: _version(name) for name in PACKAGES}, "browser": browser,
        "commit": _commit(root), "load_average_start": load_average(),
    }
