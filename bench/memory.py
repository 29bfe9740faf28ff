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
    """Run ``cmd``; returns (exit code, seconds, combined output, the child's peak RSS in MiB).

    The peak is the child's VmHWM, polled while it runs. wait4's ru_maxrss is not used: it
    also counts the forked copy of this process before exec, i.e. the benchmark's own memory.
    """
    import threading

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = [0.0]

    def poll() -> None:
        while proc.poll() is None:
            try:
                peak[0] = max(peak[0], proc_peak_rss_mib(proc.pid) or 0.0)
            except OSError:
                return
            time.sleep(0.2)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    out = proc.stdout.read()  # drains until the child closes its output
    proc.wait()
    watcher.join()
    seconds = time.perf_counter() - start
    return proc.returncode, seconds, out.decode(errors="replace"), peak[0]
