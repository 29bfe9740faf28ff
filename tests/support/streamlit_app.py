"""The explorer served by a real Streamlit process for the browser tests: one way to start, wait and stop it."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import OUTPUT_DIR, REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(log_name: str, cwd: Path = REPO):
    """``streamlit run`` of the explorer on a free loopback port (its output in test-output/``log_name``),
    started from ``cwd`` (the app must not depend on it); yields the URL once its health check answers."""
    port = free_port()
    log = open(OUTPUT_DIR / log_name, "w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "streamlit"), "run", str(REPO / "explorer" / "app.py"),
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"streamlit did not answer within 60 s; see test-output/{log_name}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
