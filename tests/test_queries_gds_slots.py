"""The runner lets at most GDS_PARALLEL_RUNS projecting modules run at once per process."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from queries import runner


def _max_parallel(monkeypatch, module_name: str, callers: int = 8) -> int:
    lock, state = threading.Lock(), {"now": 0, "max": 0}

    def fake_run(module, params, timeout_s, row_cap, settings):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.2)
        with lock:
            state["now"] -= 1

    # only the database round trip is replaced; the slot logic under test is the real one
    monkeypatch.setattr(runner, "_run_module", fake_run)
    with ThreadPoolExecutor(callers) as pool:
        list(pool.map(lambda _: runner.run_module(module_name, {}), range(callers)))
    return state["max"]


def test_projecting_modules_are_bounded(monkeypatch):
    assert _max_parallel(monkeypatch, "centrality") == runner.GDS_PARALLEL_RUNS


def test_other_modules_are_not(monkeypatch):
    assert _max_parallel(monkeypatch, "sector-linkages") > runner.GDS_PARALLEL_RUNS
