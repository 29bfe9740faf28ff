"""Loader processes a test can watch line by line (stdout and stderr) and kill."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from tests.conftest import REPO


class Watched:
    """``python ARGS...`` in REPO with the test's environment; its output lines are collected as they come."""

    def __init__(self, *args: str, env: dict | None = None):
        self.proc = subprocess.Popen([sys.executable, *args], cwd=REPO, env=env or dict(os.environ),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [threading.Thread(target=self._read, args=(s, into), daemon=True)
                         for s, into in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for t in self._readers:
            t.start()

    @staticmethod
    def _read(stream, into: list[str]) -> None:
        for line in stream:
            into.append(line)

    def text(self) -> str:
        return "".join(self.out) + "".join(self.err)

    def wait_for(self, text: str, timeout: float = 300) -> None:
        """Until ``text`` appears in its output; fails if the process ends first or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.text():
                return
            if self.proc.poll() is not None:
                time.sleep(0.2)   # let the readers catch up with the last lines
                if text in self.text():
                    return
                raise AssertionError(f"ended (exit {self.proc.returncode}) before printing {text!r}:\n"
                                     + self.text()[-3000:])
            time.sleep(0.1)
        raise AssertionError(f"no {text!r} within {timeout} s:\n" + self.text()[-3000:])

    def finish(self, timeout: float = 600) -> str:
        """Wait for a successful end; returns the whole output."""
        self.proc.wait(timeout=timeout)
        for t in self._readers:
            t.join(timeout=10)
        assert self.proc.returncode == 0, f"exit {self.proc.returncode}:\n" + self.text()[-3000:]
        return self.text()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=60)
