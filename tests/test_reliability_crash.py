"""Crashes in the middle of a large load: SIGKILL the Neo4j server, or the loader process.

Runs on a spare server (its own port and data directory, ``tests.support.reliability_db``) so that
killing it does not disturb the other tests. The large load is the real WIOD 1995 table
(1,435 sectors; SUPPLIES with --min-coefficient 0.001, ~79,000 relationships, written in
batches of separate transactions), loaded by a child process exactly as ``loader mrio`` does.

For each crash: start the load, wait until part of the year's SUPPLIES is committed, kill,
(restart the server), record what a reader would see, rerun the same load, and compare the
database fingerprint with that of a clean load of the same table: equal, with no duplicate
relationship and no Sector/SectorYear key twice. The table loader writes a whole folder in
ONE transaction: killed in the middle, it must leave the database exactly as before.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import OUTPUT_DIR, REPO
from tests.support.reliability_db import spare_server, spare_settings, wiod_folder, wipe_all
from tests.support.tables_checksum import checksum

pytestmark = [pytest.mark.slow, pytest.mark.long]

YEAR = 1995
MIN_COEFFICIENT = "0.001"
FIGURES: dict = {}


def _env() -> dict:
    s = spare_settings()
    return dict(os.environ, NEO4J_URI=s.uri, NEO4J_PASSWORD=s.password, PYTHONPATH=str(REPO))


def start_load(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.support.reliability_load", *args], cwd=REPO, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_load(*args: str, timeout: float = 600) -> str:
    p = start_load(*args)
    out, err = p.communicate(timeout=timeout)
    assert p.returncode == 0 and "done" in out, err[-3000:]
    return out


def wiod_args() -> tuple[str, ...]:
    return ("wiod", str(wiod_folder()), str(YEAR), MIN_COEFFICIENT, "batched")


def supplies_count(drv) -> int:
    return drv.execute_query("MATCH ()-[r:SUPPLIES]->() RETURN count(r) AS c").records[0]["c"]


def wait_until_partly_written(drv, proc: subprocess.Popen, total: int, timeout: float = 600) -> int:
    """Poll the committed SUPPLIES count until some, but not all, of the year is written."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = supplies_count(drv)
        if 0 < n < total:
            return n
        assert proc.poll() is None, "the load ended before it could be interrupted: " + proc.stderr.read()[-2000:]
        time.sleep(0.1)
    raise AssertionError("the load never got going")


def duplicates(drv) -> dict:
    q = drv.execute_query
    return {
        "parallel SUPPLIES of one year": q("MATCH (a:Sector)-[r:SUPPLIES]->(b:Sector) WITH a, b, r.year AS y, "
                                           "count(*) AS c WHERE c > 1 RETURN count(*) AS n").records[0]["n"],
        "Sector keys twice": q("MATCH (s:Sector) WITH s.key AS k, count(*) AS c WHERE c > 1 "
                               "RETURN count(*) AS n").records[0]["n"],
        "SectorYear keys twice": q("MATCH (s:SectorYear) WITH s.key AS k, count(*) AS c WHERE c > 1 "
                                   "RETURN count(*) AS n").records[0]["n"],
        "HAS_YEAR twice": q("MATCH (s:Sector)-[h:HAS_YEAR]->(y) WITH s, y, count(h) AS c WHERE c > 1 "
                            "RETURN count(*) AS n").records[0]["n"],
    }


def mark(drv) -> dict:
    """The Dataset mark that tells readers the year is being written (loader.graph.marks)."""
    rec = drv.execute_query("MATCH (d:Dataset {key: 'wiod-2013-release'}) RETURN d['loading'] IS NOT NULL AS loading, "
                            "d['loading_years'] AS years").records
    return rec[0].data() if rec else {}


def year_state(drv) -> dict:
    """What a reader sees of the year: its SectorYear nodes and SUPPLIES relationships."""
    q = drv.execute_query
    return {
        "sector_years": q("MATCH (y:SectorYear {year: $y}) RETURN count(y) AS n", y=YEAR).records[0]["n"],
        "supplies": q("MATCH ()-[r:SUPPLIES {year: $y}]->() RETURN count(r) AS n", y=YEAR).records[0]["n"],
    }


@pytest.fixture(scope="module")
def spare():
    if not (wiod_folder() / "table.json").is_file():
        pytest.skip(f"WIOD 1995 table not found at {wiod_folder()}")
    server = spare_server()
    from connection import get_driver
    from schema.apply import apply

    apply(spare_settings())
    drv = get_driver(spare_settings())
    yield server, drv
    (OUTPUT_DIR / "reliability-crash.json").write_text(json.dumps(FIGURES, indent=2, default=str))


@pytest.fixture(scope="module")
def clean(spare):
    """Fingerprint and counts of a clean load of the table on an empty database."""
    _, drv = spare
    wipe_all(drv)
    t0 = time.perf_counter()
    run_load(*wiod_args())
    FIGURES["clean load seconds"] = round(time.perf_counter() - t0, 1)
    FIGURES["clean year"] = year_state(drv)
    return checksum(drv), year_state(drv)


def test_neo4j_killed_mid_load_then_rerun_equals_a_clean_load(spare, clean):
    server, drv = spare
    fingerprint, state = clean
    wipe_all(drv)
    proc = start_load(*wiod_args())
    seen = wait_until_partly_written(drv, proc, state["supplies"])
    server.kill()  # SIGKILL, as a power cut or the OOM killer would
    try:
        proc.wait(timeout=180)  # the driver retries, then gives up with an error
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    assert proc.returncode != 0, "the loader said it finished although its server was killed"
    t0 = time.perf_counter()
    server.start()
    FIGURES["neo4j kill: restart seconds"] = round(time.perf_counter() - t0, 1)
    # the same driver: its pool drops the dead connections and reconnects by itself
    after = year_state(drv)
    FIGURES["neo4j kill: SUPPLIES committed when killed (at least)"] = seen
    FIGURES["neo4j kill: year after restart, before rerun"] = after
    FIGURES["neo4j kill: Dataset mark before rerun"] = mark(drv)
    assert after["supplies"] >= seen  # committed batches survived the crash (recovery from the log)
    assert mark(drv) == {"loading": True, "years": [YEAR]}   # readers can tell the year is incomplete
    assert duplicates(drv) == dict.fromkeys(duplicates(drv), 0)
    t0 = time.perf_counter()
    run_load(*wiod_args())
    FIGURES["neo4j kill: rerun seconds"] = round(time.perf_counter() - t0, 1)
    assert year_state(drv) == state
    assert mark(drv) == {"loading": False, "years": None}
    assert duplicates(drv) == dict.fromkeys(duplicates(drv), 0)
    assert checksum(drv) == fingerprint


def test_loader_killed_mid_load_then_rerun_equals_a_clean_load(spare, clean):
    server, drv = spare
    from connection import get_driver

    drv = get_driver(spare_settings())
    fingerprint, state = clean
    wipe_all(drv)
    proc = start_load(*wiod_args())
    seen = wait_until_partly_written(drv, proc, state["supplies"])
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    time.sleep(1.0)  # a batch in flight when the client died is rolled back by the server
    after = year_state(drv)
    FIGURES["loader kill: SUPPLIES committed when killed (at least)"] = seen
    FIGURES["loader kill: year after the kill, before rerun"] = after
    assert seen <= after["supplies"] < state["supplies"]
    assert duplicates(drv) == dict.fromkeys(duplicates(drv), 0)
    FIGURES["loader kill: Dataset mark before rerun"] = mark(drv)
    assert mark(drv) == {"loading": True, "years": [YEAR]}
    assert drv.execute_query("MATCH (l:LoadLock) RETURN count(l) AS n").records[0]["n"] == 0   # freed by the server
    run_load(*wiod_args())
    assert mark(drv) == {"loading": False, "years": None}
    assert year_state(drv) == state
    assert duplicates(drv) == dict.fromkeys(duplicates(drv), 0)
    assert checksum(drv) == fingerprint


def test_table_loader_killed_mid_transaction_leaves_the_database_as_it_was(spare):
    """The table loader commits a folder in one transaction: a kill in the middle writes nothing."""
    _, drv = spare
    from connection import get_driver
    from loader.demo.generate import generate, write_demo_folder

    drv = get_driver(spare_settings())
    wipe_all(drv)
    # what the demo's firms point at: reference data and the demo's MRIO table (industries, sectors)
    from loader.demo import iotable
    from loader.mrio.read import table_from_iosystem
    from loader.mrio.load import load_mrio
    from loader.reference.load import load_reference

    load_reference(spare_settings(), progress=False)
    table = table_from_iosystem(iotable.demo_iosystem(), year=iotable.YEAR, source="demo:pymrio-test",
                                classification=iotable.CLASSIFICATION)
    load_mrio(table, iotable.YEAR, "demo:pymrio-test", iotable.CLASSIFICATION, settings=spare_settings(),
              progress=False)
    before = checksum(drv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_demo_folder(generate(3000, 5, "pymrio-test"), Path(tmp) / "firms")
        proc = start_load("tables", str(folder), "reliability-firms")
        # wait until the write transaction runs on the server (its first statement merges nodes)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            rows = drv.execute_query("SHOW TRANSACTIONS YIELD currentQuery, clientAddress "
                                     "WHERE currentQuery CONTAINS 'MERGE (n:' RETURN count(*) AS n").records
            if rows[0]["n"]:
                break
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail("the table load ended before it could be interrupted: " + (err or out)[-2000:])
            time.sleep(0.05)
        else:
            pytest.fail("the table load never started writing")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        time.sleep(1.0)
        FIGURES["table loader kill: nodes after the kill vs before"] = "equal" if checksum(drv) == before else "DIFFERENT"
        assert checksum(drv) == before
        run_load("tables", str(folder), "reliability-firms")
    assert drv.execute_query("MATCH (f:Firm) RETURN count(f) AS n").records[0]["n"] == 3000
