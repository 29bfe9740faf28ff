"""Loads at the same time, as separate processes on the real server: they serialize on the locks
the database holds, so the second one reads the store after the first one committed.

To make sure two loads really compete, the test itself holds the contended lock first, starts both
loads, waits until each says on stderr that it waits for another load, and only then lets go.
"""
from __future__ import annotations

import threading

import pytest

from bench.firm_graph import YEAR
from tests.support.reliability_procs import Watched
from tests.support.tables_checksum import checksum
from tests.support.tables_split import expected_shares, share_sums, split_folders, stored_shares

WAITING = "waiting for another load of"


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    return split_folders(600, 5, tmp_path_factory.mktemp("locks"))


def tables(folder, commit="auto") -> Watched:
    return Watched("-m", "loader", "tables", str(folder), "--commit", commit, "--quiet")


def without_load_time(cs: dict) -> dict:
    return {k: v for k, v in cs.items() if k[:3] != ("node", "Dataset", "loaded_at")}


def load_firms(folders) -> None:
    from loader.tables.load import load_tables

    load_tables(folders["firms"], progress=False)


def assert_shares_of_the_whole_year(driver, graph) -> None:
    a_sum, b_sum = share_sums(driver)
    assert max(abs(v - 1) for v in a_sum.values()) < 1e-12
    assert max(abs(v - 1) for v in b_sum.values()) < 1e-12
    got, want = stored_shares(driver), expected_shares(graph)
    assert set(got) == set(want)
    assert max(max(abs(got[k][0] - want[k][0]), abs(got[k][1] - want[k][1])) for k in got) < 1e-12


def assert_listing_current(driver) -> None:
    """The firm links' stored listing is current and holds exactly the (dataset, year) pairs of the links."""
    import json

    rec = driver.execute_query("MATCH (l:Listing {key: 'firm_flows'}) RETURN l.pairs AS pairs, "
                               "l.listed_stamp = l.changed_stamp AS current").records[0]
    links = driver.execute_query("MATCH (:Firm)-[r:SUPPLIES]->(:Firm) RETURN DISTINCT r.source AS s, r.year AS y"
                                 ).records
    assert rec["current"]
    assert sorted(map(tuple, json.loads(rec["pairs"]))) == sorted((r["s"], r["y"]) for r in links)
    assert len(links) == 2   # one year, two datasets


def lock_nodes(driver) -> int:
    return driver.execute_query("MATCH (l:LoadLock) RETURN count(l) AS n").records[0]["n"]


@pytest.mark.parametrize("commit", ["atomic", "batched"])
def test_two_folders_into_one_year_at_once(empty_db, settings, split, commit):
    from loader.graph.locks import LockHolder

    graph, folders = split
    load_firms(folders)
    with LockHolder(settings, [f"firm-supplies:{YEAR}"]):
        a, b = tables(folders["links-a"], commit), tables(folders["links-b"], commit)
        a.wait_for(WAITING)
        b.wait_for(WAITING)
    out_a, out_b = a.finish(), b.finish()
    assert f"firm-supplies:{YEAR}" in out_a and f"firm-supplies:{YEAR}" in out_b
    assert_shares_of_the_whole_year(empty_db, graph)
    assert lock_nodes(empty_db) == 0
    assert empty_db.execute_query("MATCH (d:Dataset) WHERE d['loading'] IS NOT NULL RETURN count(d) AS n"
                                  ).records[0]["n"] == 0
    assert_listing_current(empty_db)


def test_without_the_locks_the_same_loads_get_the_shares_wrong(empty_db, split, monkeypatch):
    """The check above can fail: with no lock keys, two loads that both read the store before
    either writes compute their shares without the other's links (every shared buyer's a sums to 2)."""
    from loader.graph import write
    from loader.graph.scope import LoadScope
    from loader.tables.load import load_tables

    graph, folders = split
    load_firms(folders)
    monkeypatch.setattr(LoadScope, "lock_keys", lambda self: [])
    both_planned = threading.Barrier(2, timeout=300)
    real_plan = write.plan_load

    def plan_then_wait(*args, **kwargs):
        plan = real_plan(*args, **kwargs)
        both_planned.wait()
        return plan

    monkeypatch.setattr(write, "plan_load", plan_then_wait)
    errors = []

    def run(folder):
        try:
            load_tables(folder, progress=False, commit="batched")
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(folders[k],)) for k in ("links-a", "links-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not errors, errors
    a_sum, _ = share_sums(empty_db)
    assert max(a_sum.values()) == pytest.approx(2.0, rel=1e-9)


def test_the_same_folder_twice_at_once_equals_one_load(empty_db, settings, split):
    from loader.graph.locks import LockHolder
    from loader.tables.load import load_tables
    from tests.conftest import wipe

    graph, folders = split
    load_firms(folders)
    load_tables(folders["links-a"], progress=False)
    once = without_load_time(checksum(empty_db))
    wipe(empty_db)
    load_firms(folders)
    with LockHolder(settings, ["dataset:tables:links-a"]):
        first, second = tables(folders["links-a"]), tables(folders["links-a"])
        first.wait_for(WAITING)
        second.wait_for(WAITING)
    outs = [first.finish(), second.finish()]
    assert without_load_time(checksum(empty_db)) == once
    # one of them wrote the links, the other found them all
    created = sorted(int(line.split()[3].replace(",", "")) for out in outs for line in out.splitlines()
                     if line.startswith("SUPPLIES (Firm->Firm)"))
    assert created == [0, (len(graph["firm_supply"]) + 1) // 2]


def test_a_killed_lock_holder_frees_its_lock(empty_db, split):
    graph, folders = split
    load_firms(folders)
    holder = Watched("-m", "tests.support.reliability_load", "hold", f"firm-supplies:{YEAR}")
    try:
        holder.wait_for("holding")
        load = tables(folders["links-a"], "batched")
        load.wait_for(WAITING)
        assert load.proc.poll() is None   # still waiting
        holder.kill()                      # SIGKILL: the server rolls its transaction back
    finally:
        if holder.proc.poll() is None:
            holder.kill()
    load.finish(timeout=300)
    a_sum, b_sum = share_sums(empty_db)
    assert max(abs(v - 1) for v in a_sum.values()) < 1e-12 and max(abs(v - 1) for v in b_sum.values()) < 1e-12
    assert lock_nodes(empty_db) == 0


def test_two_mrio_loads_of_one_year_at_once_equal_one_load(empty_db, settings, tmp_path):
    from loader.graph.locks import LockHolder
    from tests.conftest import wipe
    from tests.support.mrio_reference import full_dump
    from tests.support.reliability_mrio import CLASSIFICATION, SOURCE, YEAR as TINY_YEAR, TinyMrio, read_and_load

    folder = TinyMrio().write(tmp_path / "tiny")
    read_and_load(folder, settings)
    once = full_dump(empty_db, without=("loaded_at",))
    wipe(empty_db)
    args = ("-m", "loader", "mrio", str(folder), "--format", "pymrio", "--year", str(TINY_YEAR), "--source", SOURCE,
            "--classification", CLASSIFICATION, "--quiet")
    with LockHolder(settings, [f"dataset:{SOURCE}"]):
        first, second = Watched(*args), Watched(*args, "--commit", "batched")
        first.wait_for(WAITING)
        second.wait_for(WAITING)
    first.finish()
    second.finish()
    assert full_dump(empty_db, without=("loaded_at",)) == once


def terminate_lock_holders(driver) -> int:
    """End, server-side, every open transaction that holds locks (here: only a lock holder's)."""
    recs = driver.execute_query("SHOW TRANSACTIONS YIELD transactionId, currentQuery, activeLockCount "
                                "WHERE activeLockCount > 0 AND NOT currentQuery CONTAINS 'UNWIND $rows' "
                                "RETURN transactionId").records
    ids = [r["transactionId"] for r in recs]
    if ids:
        driver.execute_query("TERMINATE TRANSACTIONS $ids", ids=ids)
    return len(ids)


def test_a_holder_whose_transaction_the_server_ends_says_so_and_frees_the_lock(empty_db, settings, monkeypatch):
    import time

    from loader.graph import locks

    monkeypatch.setattr(locks, "HEARTBEAT_S", 0.2)
    with pytest.raises(locks.LockLost, match="dataset:x"):
        with locks.LockHolder(settings, ["dataset:x"]) as holder:
            assert terminate_lock_holders(empty_db) == 1
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    holder.check()
                except locks.LockLost:
                    break
                time.sleep(0.1)
            else:
                pytest.fail("the holder never noticed")
    with locks.LockHolder(settings, ["dataset:x"]):   # free again at once
        pass
    assert lock_nodes(empty_db) == 0


def test_a_batched_load_stops_when_its_lock_holder_is_gone(empty_db, split, monkeypatch):
    import time

    from loader.graph import locks, sinks, write
    from loader.graph.sinks import BatchFailed
    from loader.tables.load import load_tables

    graph, folders = split
    load_firms(folders)
    monkeypatch.setattr(locks, "HEARTBEAT_S", 0.2)
    monkeypatch.setattr(write, "REL_BATCH", 200)
    real_one = sinks.ParallelSink._one
    calls = {"n": 0}

    def one(self, cypher, chunk, on_batch, params):
        if "CREATE (a)-[r:SUPPLIES]" in cypher:
            calls["n"] += 1
            if calls["n"] == 2:
                terminate_lock_holders(empty_db)
                time.sleep(1.5)   # several heartbeats
        return real_one(self, cypher, chunk, on_batch, params)

    monkeypatch.setattr(sinks.ParallelSink, "_one", one)
    with pytest.raises(BatchFailed) as failed:
        load_tables(folders["links-a"], progress=False, commit="batched")
    assert isinstance(failed.value.__cause__, locks.LockLost)
    written = empty_db.execute_query("MATCH (:Firm)-[r:SUPPLIES]->(:Firm) RETURN count(r) AS n").records[0]["n"]
    assert written < len(graph["firm_supply"]) // 2   # it stopped; the Dataset stays marked for a rerun
    assert empty_db.execute_query("MATCH (d:Dataset {key: 'tables:links-a'}) RETURN d.loading_years AS y"
                                  ).records[0]["y"] == [YEAR]
