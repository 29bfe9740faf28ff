"""Atomic and batched commits write the same graph; an interrupted batched load is visible and a rerun completes it."""
from __future__ import annotations

import numpy as np
import pytest

from tests.support.tables_checksum import checksum

FIRMS = 1500


def without_load_time(cs: dict) -> dict:
    return {k: v for k, v in cs.items() if k[:3] != ("node", "Dataset", "loaded_at")}


@pytest.fixture(scope="module")
def firm_folder(tmp_path_factory):
    from bench.firm_files import write_tables_folder
    from bench.firm_graph import generate

    graph = generate(FIRMS, seed=7)
    folder = write_tables_folder(graph, tmp_path_factory.mktemp("firms") / "firms")
    return folder, graph


@pytest.fixture
def small_batches(monkeypatch):
    # many batches on a small graph, so "batched" really interleaves commits
    from loader.graph import write

    monkeypatch.setattr(write, "NODE_BATCH", 200)
    monkeypatch.setattr(write, "REL_BATCH", 500)


def load(folder, commit, **kw):
    from loader.tables.load import load_tables

    return load_tables(folder, source="modes", synthetic=True, progress=False, commit=commit, **kw)


def shares_in_db(driver) -> dict:
    recs = driver.execute_query("MATCH (s:Firm)-[r:SUPPLIES]->(b:Firm) RETURN s.key AS s, b.key AS b, r.a AS a, "
                                "r.b AS share_b")[0]
    return {(r["s"], r["b"]): (r["a"], r["share_b"]) for r in recs}


def test_choose_mode():
    from loader.graph.write import ATOMIC_MAX_ROWS, choose_mode

    assert choose_mode("auto", ATOMIC_MAX_ROWS) == "atomic"
    assert choose_mode("auto", ATOMIC_MAX_ROWS + 1) == "batched"
    assert choose_mode("batched", 10) == "batched"
    with pytest.raises(ValueError, match="expected one of auto, atomic, batched"):
        choose_mode("fast", 10)


def test_batched_equals_atomic_and_reload_writes_nothing(empty_db, firm_folder, small_batches):
    from tests.conftest import wipe

    folder, graph = firm_folder
    first = load(folder, "atomic")
    atomic = without_load_time(checksum(empty_db))
    assert first.created["SUPPLIES (Firm->Firm)"] == len(graph["firm_supply"])
    wipe(empty_db)
    from schema.apply import apply
    from connection import Settings

    apply(Settings.from_env())
    batched = load(folder, "batched")
    assert "commit mode: batched" in "\n".join(batched.notes)
    assert batched.created == first.created
    assert without_load_time(checksum(empty_db)) == atomic
    again = load(folder, "batched")
    assert sum(again.created.values()) == 0 and sum(again.updated.values()) == 0
    assert without_load_time(checksum(empty_db)) == atomic


def test_batched_shares_equal_numpy(empty_db, firm_folder, small_batches):
    folder, graph = firm_folder
    load(folder, "batched")
    idx, sup = graph["index"], graph["firm_supply"]
    got = shares_in_db(empty_db)
    want_a = dict(zip(zip(sup["supplier"], sup["buyer"]), idx["a"]))
    want_b = dict(zip(zip(sup["supplier"], sup["buyer"]), idx["b"]))
    assert set(got) == set(want_a)
    err_a = max(abs(got[k][0] - want_a[k]) for k in got)
    err_b = max(abs(got[k][1] - want_b[k]) for k in got)
    assert err_a < 1e-12 and err_b < 1e-12


def test_interrupted_batched_load_is_marked_and_a_rerun_completes_it(empty_db, firm_folder, small_batches,
                                                                    monkeypatch):
    from loader.graph import sinks
    from loader.graph.sinks import BatchFailed

    folder, graph = firm_folder
    clean = None
    load(folder, "atomic")
    clean = without_load_time(checksum(empty_db))
    from tests.conftest import wipe
    from schema.apply import apply
    from connection import Settings

    wipe(empty_db)
    apply(Settings.from_env())

    real_one = sinks.ParallelSink._one
    calls = {"n": 0}

    def failing_one(self, cypher, chunk, on_batch, params):
        # let the nodes and some SUPPLIES batches commit, then fail like a lost connection would
        if "SUPPLIES" in cypher and "CREATE" in cypher:
            calls["n"] += 1
            if calls["n"] == 3:
                raise ConnectionError("simulated connection loss")
        return real_one(self, cypher, chunk, on_batch, params)

    monkeypatch.setattr(sinks.ParallelSink, "_one", failing_one)
    with pytest.raises(BatchFailed, match="run the same load again to complete it"):
        load(folder, "batched")
    partial = empty_db.execute_query("MATCH (:Firm)-[r:SUPPLIES]->(:Firm) RETURN count(r) AS n")[0][0]["n"]
    assert 0 < partial < len(graph["firm_supply"])
    marked = empty_db.execute_query("MATCH (d:Dataset {key: 'modes'}) RETURN d['loading'] IS NOT NULL AS m")[0]
    assert marked[0]["m"] is True

    monkeypatch.setattr(sinks.ParallelSink, "_one", real_one)
    summary = load(folder, "batched")
    assert any("had not finished; this run completed it" in n for n in summary.notes)
    assert summary.created["SUPPLIES (Firm->Firm)"] == len(graph["firm_supply"]) - partial
    assert without_load_time(checksum(empty_db)) == clean
    dupes = empty_db.execute_query("MATCH (a:Firm)-[r:SUPPLIES]->(b:Firm) WITH a, b, r.year AS y, r.product AS p, "
                                   "count(*) AS c WHERE c > 1 RETURN count(*) AS n")[0][0]["n"]
    assert dupes == 0


def test_reference_data_of_an_interrupted_load_is_completed(empty_db, firm_folder, small_batches, monkeypatch):
    """The first load into an empty database writes the reference data too; if it stops, the rerun rewrites it."""
    from loader.graph import sinks
    from loader.reference.load import load_reference
    from loader.graph.sinks import BatchFailed

    load_reference(progress=False)
    want = without_load_time(checksum(empty_db))
    region_links = "MATCH (:Region)-[r:LOCATED_IN]->(:Country) RETURN count(r) AS n"
    want_region_links = empty_db.execute_query(region_links)[0][0]["n"]
    from tests.conftest import wipe
    from schema.apply import apply
    from connection import Settings

    wipe(empty_db)
    apply(Settings.from_env())
    real_one = sinks.ParallelSink._one

    def fail_on_relationships(self, cypher, chunk, on_batch, params):
        if "CREATE" in cypher:
            raise ConnectionError("simulated connection loss")
        return real_one(self, cypher, chunk, on_batch, params)

    monkeypatch.setattr(sinks.ParallelSink, "_one", fail_on_relationships)
    with pytest.raises(BatchFailed):
        load(folder := firm_folder[0], "batched")
    monkeypatch.setattr(sinks.ParallelSink, "_one", real_one)
    load(folder, "batched")
    got = without_load_time(checksum(empty_db))
    reference_part = {k: v for k, v in got.items() if k in want and k[1] not in ("Firm", "Dataset", "LOCATED_IN",
                                                                                   "IN_INDUSTRY", "SUPPLIES")}
    assert reference_part == {k: v for k, v in want.items() if k[1] not in ("Firm", "Dataset", "LOCATED_IN",
                                                                           "IN_INDUSTRY", "SUPPLIES")}
    assert empty_db.execute_query(region_links)[0][0]["n"] == want_region_links > 0
    assert empty_db.execute_query("MATCH (d:Dataset) WHERE d['loading'] IS NOT NULL RETURN count(d) AS n"
                                  )[0][0]["n"] == 0


# ---------------------------------------------------------------- the loading mark: years, other datasets

@pytest.fixture(scope="module")
def split(tmp_path_factory):
    from tests.support.tables_split import split_folders

    return split_folders(600, 11, tmp_path_factory.mktemp("split"))


def _fail_nth(monkeypatch, number: int, statement: str):
    from loader.graph import sinks

    real_one = sinks.ParallelSink._one
    calls = {"n": 0}

    def failing_one(self, cypher, chunk, on_batch, params):
        if statement in cypher:
            calls["n"] += 1
            if calls["n"] == number:
                raise ConnectionError("simulated connection loss")
        return real_one(self, cypher, chunk, on_batch, params)

    monkeypatch.setattr(sinks.ParallelSink, "_one", failing_one)
    return lambda: monkeypatch.setattr(sinks.ParallelSink, "_one", real_one)


def marks_in_db(driver) -> dict:
    recs = driver.execute_query("MATCH (d:Dataset) WHERE d['loading'] IS NOT NULL "
                                "RETURN d.key AS k, d['loading_years'] AS y")[0]
    return {r["k"]: r["y"] for r in recs}


def test_interrupted_load_marks_its_years_and_an_atomic_rerun_clears_them(empty_db, firm_folder, small_batches,
                                                                         monkeypatch):
    from bench.firm_graph import YEAR
    from loader.graph.sinks import BatchFailed

    folder, graph = firm_folder
    restore = _fail_nth(monkeypatch, 3, "CREATE (a)-[r:SUPPLIES]")
    with pytest.raises(BatchFailed):
        load(folder, "batched")
    restore()
    # the first load into an empty database writes the reference data too: marked, without years
    assert marks_in_db(empty_db) == {"modes": [YEAR], "reference": []}
    summary = load(folder, "atomic")
    assert any("modes: an earlier batched load" in n and "this run completed it" in n for n in summary.notes)
    assert marks_in_db(empty_db) == {}
    assert len(shares_in_db(empty_db)) == len(graph["firm_supply"])


def test_shares_moved_on_another_datasets_links_mark_that_dataset(empty_db, split, small_batches, monkeypatch):
    from bench.firm_graph import YEAR
    from loader.graph.sinks import BatchFailed
    from loader.tables.load import load_tables
    from tests.support.tables_split import expected_shares, share_sums, stored_shares

    graph, folders = split
    load_tables(folders["firms"], progress=False)
    load_tables(folders["links-a"], progress=False, commit="batched")
    assert marks_in_db(empty_db) == {}
    # links-b adds links to the same year and firms: shares of links-a's links move; stop it half-way
    restore = _fail_nth(monkeypatch, 2, "SET r += row.props")
    with pytest.raises(BatchFailed):
        load_tables(folders["links-b"], progress=False, commit="batched")
    restore()
    assert marks_in_db(empty_db) == {"tables:links-a": [YEAR], "tables:links-b": [YEAR]}
    again = load_tables(folders["links-b"], progress=False, commit="batched")
    # it had to hold links-a's lock too, to mark it
    assert f"locks held: dataset:tables:links-a, dataset:tables:links-b, firm-supplies:{YEAR}" in again.notes
    assert marks_in_db(empty_db) == {}
    a_sum, b_sum = share_sums(empty_db)
    assert max(abs(v - 1) for v in a_sum.values()) < 1e-12 and max(abs(v - 1) for v in b_sum.values()) < 1e-12
    got, want = stored_shares(empty_db), expected_shares(graph)
    assert set(got) == set(want)
    assert max(max(abs(got[k][0] - want[k][0]), abs(got[k][1] - want[k][1])) for k in got) < 1e-12


def test_a_dead_loads_share_marks_go_with_the_next_load_of_that_year(empty_db, split, small_batches, monkeypatch):
    """The load of links-b dies after every write, before it removes the marks: links-a's links have their
    final shares but carry the mark; the rerun of links-b has nothing to write and still removes both."""
    from bench.firm_graph import YEAR
    from loader.graph.sinks import BatchFailed
    from loader.tables.load import load_tables

    graph, folders = split
    load_tables(folders["firms"], progress=False)
    load_tables(folders["links-a"], progress=False, commit="batched")
    restore = _fail_nth(monkeypatch, 1, "REMOVE d.loading")
    with pytest.raises(BatchFailed):
        load_tables(folders["links-b"], progress=False, commit="batched")
    restore()
    assert marks_in_db(empty_db) == {"tables:links-a": [YEAR], "tables:links-b": [YEAR]}
    again = load_tables(folders["links-b"], progress=False, commit="batched")
    assert sum(again.created.values()) == 0 and sum(again.updated.values()) == 0
    assert marks_in_db(empty_db) == {}
