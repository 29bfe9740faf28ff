"""Peak resident memory of one benchmark step: this Python process, the Neo4j JVM, or a child process.

Linux keeps a per-process high-water mark (VmHWM); writing "5" to /proc/PID/clear_refs
resets it to the current RSS, so the peak of each step is measured on its own.
"""
from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass

from bench.machine import proc_peak_rss_mib


def reset_peak(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


@dataclass
class Peaks:
    python_mib: float | None = None
    jvm_mib: float | None = None


class PeakWatch:
    """``with PeakWatch(jvm_pid) as w: ...`` then ``w.peaks`` (MiB)."""

    def __init__(self, jvm_pid: int | None):
        self.jvm_pid = jvm_pid
        self.peaks = Peaks()

    def __enter__(self) -> "PeakWatch":
        reset_peak(os.getpid())
        reset_peak(self.jvm_pid)
        return self

    def __exit__(self, *exc) -> None:
        self.peaks = Peaks(python_mib=proc_peak_rss_mib(os.getpid()),
                           jvm_mib=proc_peak_rss_mib(self.jvm_pid) if self.jvm_pid else None)


def run_child(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None
              ) -> tuple[int, float, str, float]:
    """Run ``cmd``; returns (exit code, seconds, combined output, the child's peak RSS in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read()  # drains until the child closes its output
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, seconds, out.decode(errors="replace"), usage.ru_maxrss / 1024
