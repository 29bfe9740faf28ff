"""Concurrent GDS centrality: 20 clients run the ``centrality`` module at once.

Found while measuring concurrent use: with a 1 GB heap (the local server's default), a
burst of concurrent ``centrality`` requests (each projects a temporary GDS graph and runs
several algorithms) made the Neo4j process exit within seconds, twice, without a line in
its logs; every client then got ServiceUnavailable (docs/reliability.md). This test runs
the same burst on the spare server with the test heap (2 GB): no request may fail and the
server must still be up afterwards.
"""
from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests import reliability_mrio as tiny
from tests.reliability_db import spare_server, spare_settings, wipe_all

pytestmark = pytest.mark.slow

CLIENTS = 20
SECONDS = 10.0


def test_twenty_concurrent_centrality_requests_leave_the_server_up():
    from connection import get_driver
    from queries.runner import run_module
    from schema.apply import apply

    server = spare_server()
    settings = spare_settings()
    apply(settings)
    wipe_all(get_driver(settings))
    with tempfile.TemporaryDirectory() as tmp:
        tiny.read_and_load(tiny.TinyMrio().write(Path(tmp) / "mrio"), settings)
    errors: list[str] = []
    done = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def client():
        while time.monotonic() < deadline:
            try:
                run_module("centrality", {"layer": "sector", "limit": 5}, settings=settings, timeout_s=30)
                with lock:
                    done[0] += 1
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
                return

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 120)
    alive = server.running()
    assert alive and not errors, f"server up: {alive}; {done[0]} requests done; {len(errors)} failed: {errors[:1]}"
