"""A load outlives the server's default transaction timeout.

A server's ``db.transaction.timeout`` ends every transaction whose client sets no limit of its own. A batched
load's lock holder and an atomic load's transaction live as long as the load, which the data decide (a million
firms took 10 minutes on a busy two-core machine, and the old 10-minute default ended the lock holder): they ask
for no limit. Here a server of its own has a 2-second default; each load is slowed to last several seconds and
must complete with the whole year's shares right, while an ordinary read that sets no limit is still stopped.
"""
from __future__ import annotations

import os
import shutil
import time

import pytest

from tests.conftest import TEST_DIR, TEST_PASSWORD, TEST_PORT
from tests.support.tables_split import expected_shares, share_sums, split_folders, stored_shares

pytestmark = pytest.mark.long   # a server of its own

PORT = TEST_PORT + 2
SLOW_S = 0.6   # per write batch: a load of several batches lasts well beyond the 2-second default


@pytest.fixture(scope="module")
def short_timeout_server():
    from connection import Settings
    from neo4j_local import LocalNeo4j, LocalSettings
    from schema.apply import apply

    data_dir = TEST_DIR.parent / f"timeout-{PORT}"
    shutil.rmtree(data_dir, ignore_errors=True)
    server = LocalNeo4j(LocalSettings.from_env(bolt_port=PORT, data_dir=data_dir, heap="1g", pagecache="128m",
                                               password=TEST_PASSWORD, tx_timeout="2s"))
    server.start()
    settings = Settings(uri=f"bolt://127.0.0.1:{PORT}", user="neo4j", password=TEST_PASSWORD, database="neo4j")
    apply(settings)
    yield settings
    if os.environ.get("GVN_TEST_KEEP") != "1":
        server.stop()


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    return split_folders(300, 5, tmp_path_factory.mktemp("timeout"))


def _slow(monkeypatch, cls) -> list:
    """Every write batch of ``cls`` (a sink) waits ``SLOW_S`` first; returns the list of batch times."""
    real = cls.write
    seen = []

    def write(self, cypher, chunks, on_batch, **params):
        def slowed():
            for chunk in chunks:
                time.sleep(SLOW_S)
                seen.append(time.monotonic())
                yield chunk
        return real(self, cypher, slowed(), on_batch, **params)

    monkeypatch.setattr(cls, "write", write)
    return seen


def _driver(settings):
    from neo4j import GraphDatabase

    return GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password))


def _wipe(settings) -> None:
    with _driver(settings) as d:
        d.execute_query("MATCH (n) DETACH DELETE n")


def test_the_server_stops_a_read_that_sets_no_limit(short_timeout_server):
    # what makes the loads below a real check: this server ends a 4-second transaction that asks for no limit
    from neo4j.exceptions import ClientError

    from connection import read

    with pytest.raises(ClientError, match="(?i)timeout|terminated"):
        read("CALL apoc.util.sleep(4000) RETURN 1 AS one", timeout_s=None, settings=short_timeout_server)


@pytest.mark.parametrize("commit", ["batched", "atomic"])
def test_a_load_longer_than_the_default_timeout_completes(short_timeout_server, split, monkeypatch, commit):
    from loader.graph import sinks
    from loader.graph import write as write_mod
    from loader.tables.load import load_tables

    graph, folders = split
    _wipe(short_timeout_server)
    load_tables(folders["firms"], progress=False, settings=short_timeout_server)
    monkeypatch.setattr(write_mod, "REL_BATCH", 100)
    seen = _slow(monkeypatch, sinks.ParallelSink if commit == "batched" else sinks.AtomicSink)
    started = time.monotonic()
    load_tables(folders["links-a"], progress=False, settings=short_timeout_server, commit=commit)
    load_tables(folders["links-b"], progress=False, settings=short_timeout_server, commit=commit)
    assert time.monotonic() - started > 4 and len(seen) > 8   # each load ran well past the server's 2 s
    with _driver(short_timeout_server) as d:
        a_sum, b_sum = share_sums(d)
        got, want = stored_shares(d), expected_shares(graph)
        locks_left = d.execute_query("MATCH (l:LoadLock) RETURN count(l) AS n").records[0]["n"]
    assert set(got) == set(want)   # every link of both folders
    assert max(abs(v - 1) for v in a_sum.values()) < 1e-12 and max(abs(v - 1) for v in b_sum.values()) < 1e-12
    assert max(max(abs(got[k][0] - want[k][0]), abs(got[k][1] - want[k][1])) for k in got) < 1e-12
    assert locks_left == 0
