"""20 concurrent clients run reports for 60 s against one Neo4j: no errors; latencies recorded.

Each client is a thread of one process sharing the process's one driver (as the explorer's
Streamlit server does: one driver, a session per request). A client picks a report from a
fixed mix (library modules with sector and firm parameters, path tracing and a saved Cypher
report; not the GDS centrality module, whose concurrent use brought the server down: see
``tests/test_reliability_gds.py`` and docs/reliability.md), runs it through ``queries.runner`` / ``queries.reports`` (READ
transaction, 30 s limit, row cap) and records the latency. The test asserts that no request
failed and that every client completed requests; it never asserts on time. The latency
distribution (p50/p95/p99 per report and overall, throughput) goes to
``test-output/reliability-concurrency.json`` and ``.md``; docs/reliability.md quotes a run.
"""
from __future__ import annotations

import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
import traceback

import numpy as np
import pytest

from queries.reports import run_report, save_report
from queries.runner import run_module
from tests.conftest import OUTPUT_DIR, REPO
from tests.support.reliability_db import wipe_all

pytestmark = [pytest.mark.slow, pytest.mark.long]

CLIENTS = int(os.environ.get("GVN_RELIABILITY_CLIENTS", "20"))
SECONDS = float(os.environ.get("GVN_RELIABILITY_SECONDS", "60"))
DEMO_FIRMS = 1000


@pytest.fixture(scope="module")
def demo(driver, schema_applied):
    wipe_all(driver)
    out = subprocess.run([sys.executable, "-m", "loader", "demo", "--firms", str(DEMO_FIRMS), "--seed", "11", "--table", "pymrio-test", "--quiet"],
                         cwd=REPO, env=dict(os.environ), capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    q = driver.execute_query
    sectors = [r[0] for r in q("MATCH (s:Sector)-[:SUPPLIES]-() RETURN DISTINCT s.key ORDER BY s.key").records]
    firms = [r[0] for r in q("MATCH (f:Firm)<-[:SUPPLIES]-(:Firm) RETURN DISTINCT f.key ORDER BY f.key LIMIT 200").records]
    countries = [r[0] for r in q("MATCH (s:Sector) RETURN DISTINCT s.country ORDER BY s.country").records]
    save_report("reliability-top-suppliers", "Top firm suppliers of a country",
                "MATCH (s:Firm)-[r:SUPPLIES]->(b:Firm) WHERE b.country = $country "
                "RETURN s.key AS supplier, sum(r.value) AS value ORDER BY value DESC LIMIT $n",
                {"country": "KOR", "n": 20})
    assert sectors and firms and countries
    return {"sectors": sectors, "firms": firms, "countries": countries}


def _mix(d: dict, rng: random.Random):
    """(label, callable) of one request; labels group the latency figures."""
    country = rng.choice(d["countries"])
    return rng.choice([
        ("sector-linkages", lambda: run_module("sector-linkages", {"country": country, "limit": 50})),
        ("key-sectors", lambda: run_module("key-sectors", {})),
        ("fva-share", lambda: run_module("fva-share", {})),
        ("upstream-paths", lambda: run_module("upstream-paths", {"node": rng.choice(d["sectors"]), "depth": 3,
                                                                  "threshold": 0.001, "limit": 100})),
        ("downstream-paths", lambda: run_module("downstream-paths", {"node": rng.choice(d["sectors"]), "depth": 2,
                                                                      "threshold": 0.001, "limit": 100})),
        ("firm-neighbourhood", lambda: run_module("firm-neighbourhood", {"firm": rng.choice(d["firms"])})),
        ("fdi-by-motive", lambda: run_module("fdi-by-motive", {"split": "mode"})),
        ("trade-unit-values", lambda: run_module("trade-unit-values", {"limit": 100})),
        ("gvc-stages", lambda: run_module("gvc-stages", {})),
        ("tnc-sme-linkages", lambda: run_module("tnc-sme-linkages", {"country": country})),
        ("spillover-channels", lambda: run_module("spillover-channels", {"level": "both"})),
        ("saved report", lambda: run_report("reliability-top-suppliers", {"country": country})),
    ])


def _percentiles(ms: list[float]) -> dict:
    a = np.asarray(ms)
    return {"n": int(a.size), "p50_ms": float(np.percentile(a, 50)), "p95_ms": float(np.percentile(a, 95)),
            "p99_ms": float(np.percentile(a, 99)), "max_ms": float(a.max())}


def test_twenty_clients_for_sixty_seconds_without_errors(demo):
    from connection import Settings, get_driver

    # one warm-up round so the figures are about concurrency, not about first-time query planning
    rng0 = random.Random(0)
    for _ in range(13):
        _mix(demo, rng0)[1]()
    pool = get_driver(Settings.from_env())
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    per_client = [0] * CLIENTS
    lock = threading.Lock()
    start_gate = threading.Barrier(CLIENTS)
    deadline = [0.0]

    def client(i: int) -> None:
        rng = random.Random(1000 + i)
        start_gate.wait()
        while time.monotonic() < deadline[0]:
            label, call = _mix(demo, rng)
            t0 = time.perf_counter()
            try:
                df = call()
                assert df is not None
            except Exception as exc:  # noqa: BLE001 - every failure is a finding
                with lock:
                    errors.append(f"client {i} {label}: {type(exc).__name__}: {exc}\n{traceback.format_exc()[-800:]}")
                continue
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.setdefault(label, []).append(ms)
                per_client[i] += 1

    deadline[0] = time.monotonic() + SECONDS
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
    wall0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 300)
    wall = time.perf_counter() - wall0
    assert not any(t.is_alive() for t in threads), "a client never returned"

    every = [v for vs in latencies.values() for v in vs]
    result = {
        "clients": CLIENTS, "seconds": SECONDS, "wall_seconds": wall, "requests": len(every),
        "errors": len(errors), "throughput_per_s": len(every) / wall,
        "overall": _percentiles(every) if every else {},
        "by_report": {k: _percentiles(v) for k, v in sorted(latencies.items())},
        "per_client_requests": per_client, "demo_firms": DEMO_FIRMS,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "driver_pool": pool.__class__.__name__,
    }
    (OUTPUT_DIR / "reliability-concurrency.json").write_text(json.dumps(result, indent=2))
    lines = [f"{CLIENTS} clients x {SECONDS:.0f} s: {len(every)} requests, {len(errors)} errors, "
             f"{result['throughput_per_s']:.1f} requests/s", "",
             "| report | n | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|"]
    for k, p in [("all", result["overall"])] + list(result["by_report"].items()):
        lines.append(f"| {k} | {p['n']} | {p['p50_ms']:.0f} | {p['p95_ms']:.0f} | {p['p99_ms']:.0f} | {p['max_ms']:.0f} |")
    (OUTPUT_DIR / "reliability-concurrency.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))

    assert not errors, f"{len(errors)} failed requests; first: {errors[0]}"
    assert all(n > 0 for n in per_client), per_client
    assert len(latencies) >= 10, sorted(latencies)  # the mix really ran
