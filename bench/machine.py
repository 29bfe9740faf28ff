"""What the benchmark ran on: cores, memory, CPU model, and the versions that matter."""
from __future__ import annotations

import os
import platform
from importlib import metadata


def _cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_gib() -> float:
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe(server_versions: dict[str, str] | None = None) -> dict:
    info = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": round(_mem_gib(), 1),
        "python": platform.python_version(),
        "os": platform.platform(),
    }
    for dist in ("neo4j", "networkx", "igraph", "numpy", "pandas", "py2neo", "pymrio", "pyvis", "streamlit"):
        info[dist] = _version(dist)
    info.update(server_versions or {})
    return info


def proc_peak_rss_mib(pid: int) -> float | None:
    """Peak resident memory (VmHWM) of a process, e.g. the Neo4j JVM."""
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
