"""The MRIO loader on pymrio's bundled test system, against a real Neo4j."""
from __future__ import annotations

import numpy as np
import pymrio
import pytest

from loader.mrio.read import MrioInputError, table_from_iosystem
from loader.mrio.load import load_mrio
from tests.support.mrio_reference import checksum, full_dump, reference_accounts, sector_years, supplies

YEAR = 2011
SOURCE = "testmrio"
CLS = "PYMRIO_TEST"
PROPS = ("output", "value_added", "va_coef", "final_demand", "exports", "backward_linkage",
         "forward_linkage", "upstreamness", "dva_exports", "fva_exports")


@pytest.fixture(scope="module")
def test_table():
    return table_from_iosystem(pymrio.load_test(), year=YEAR, source=SOURCE, classification=CLS)


def _count(driver, cypher, **params):
    return driver.execute_query(cypher, **params).records[0][0]


def _assert_year_matches_numpy(driver, table, year):
    ref = reference_accounts(table.Z, table.Y, table.x)
    keys = [f"{c}|{s}" for c, s in table.Z.index]
    pos = {k: i for i, k in enumerate(keys)}
    edges = supplies(driver, year)
    z = table.Z.to_numpy()
    assert len(edges) == int((z != 0).sum())
    np.testing.assert_allclose(edges["value"].sum(), z.sum(), rtol=1e-12)
    i = edges["s"].map(pos).to_numpy()
    j = edges["t"].map(pos).to_numpy()
    np.testing.assert_allclose(edges["value"], z[i, j], rtol=1e-12)
    np.testing.assert_allclose(edges["a"], ref["A"][i, j], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(edges["b"], ref["B"][i, j], rtol=1e-9, atol=1e-12)
    sy = sector_years(driver, year).set_index("sector").loc[keys]
    assert len(sy) == len(keys)
    for p in PROPS:
        np.testing.assert_allclose(sy[p].to_numpy(dtype=float), ref[p], rtol=1e-9, atol=1e-9, err_msg=p)


def test_counts_values_and_every_property_equal_numpy(empty_db, test_table):
    summary = load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False)
    z = test_table.Z.to_numpy()
    n = z.shape[0]
    assert _count(empty_db, "MATCH (n:Sector) RETURN count(n)") == n
    assert _count(empty_db, "MATCH (n:SectorYear) RETURN count(n)") == n
    assert _count(empty_db, "MATCH (n:Country) RETURN count(n)") == len(test_table.regions)
    assert _count(empty_db, "MATCH (n:Industry {classification: $c}) RETURN count(n)", c=CLS) == \
        len(test_table.industries)
    assert _count(empty_db, "MATCH (:Sector)-[r:LOCATED_IN]->(:Country) RETURN count(r)") == n
    assert _count(empty_db, "MATCH (:Sector)-[r:IN_INDUSTRY]->(:Industry) RETURN count(r)") == n
    assert _count(empty_db, "MATCH (:Sector)-[r:HAS_YEAR]->(:SectorYear) RETURN count(r)") == n
    assert _count(empty_db, "MATCH (s:Sector)-[r:SUPPLIES]->(s) RETURN count(r)") == int((np.diag(z) != 0).sum())
    assert _count(empty_db, "MATCH (d:Dataset {key: $k}) RETURN d.synthetic", k=SOURCE) is True
    assert summary.created["SUPPLIES"] == int((z != 0).sum())
    _assert_year_matches_numpy(empty_db, test_table, YEAR)


def test_second_load_changes_nothing(empty_db):
    load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False)
    before = full_dump(empty_db)
    again = load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False)
    assert full_dump(empty_db) == before
    assert sum(again.created.values()) == 0 and sum(again.updated.values()) == 0
    assert sum(again.deleted.values()) == 0


def test_two_years_coexist(empty_db, test_table):
    io_b = pymrio.load_test()
    io_b.Z = io_b.Z * 1.1          # a different year: 10% more intermediate trade
    load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False)
    load_mrio(io_b, YEAR + 1, SOURCE, CLS, progress=False)
    n, nnz = test_table.Z.shape[0], int((test_table.Z.to_numpy() != 0).sum())
    assert _count(empty_db, "MATCH (n:Sector) RETURN count(n)") == n
    assert _count(empty_db, "MATCH (n:SectorYear) RETURN count(n)") == 2 * n
    assert _count(empty_db, "MATCH ()-[r:SUPPLIES]->() RETURN count(r)") == 2 * nnz
    _assert_year_matches_numpy(empty_db, test_table, YEAR)
    _assert_year_matches_numpy(empty_db, table_from_iosystem(io_b, year=YEAR + 1, source=SOURCE,
                                                             classification=CLS), YEAR + 1)


def test_min_coefficient_reload_leaves_no_stale_edges(empty_db, test_table):
    ref = reference_accounts(test_table.Z, test_table.Y, test_table.x)
    z = test_table.Z.to_numpy()
    c = 0.05
    keep = int(((z != 0) & (np.maximum(ref["A"], ref["B"]) >= c)).sum())
    assert 0 < keep < (z != 0).sum()
    load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False)
    thin = load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, min_coefficient=c, progress=False)
    assert _count(empty_db, "MATCH ()-[r:SUPPLIES {year: $y}]->() RETURN count(r)", y=YEAR) == keep
    assert _count(empty_db, "MATCH ()-[r:SUPPLIES]->() WHERE r.a < $c AND r.b < $c RETURN count(r)", c=c) == 0
    assert thin.deleted["SUPPLIES"] == (z != 0).sum() - keep
    assert thin.dropped_below_min == (z != 0).sum() - keep
    load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False)   # and back
    _assert_year_matches_numpy(empty_db, test_table, YEAR)


@pytest.mark.parametrize("spoil, expected", [
    (lambda io: io.Z.iloc.__setitem__((0, 1), np.nan), "NaN/inf"),
    (lambda io: setattr(io, "Y", io.Y.iloc[:-1]), "expected 48"),
    (lambda io: setattr(io, "Z", io.Z.iloc[:, :-1]), "square"),
    (lambda io: setattr(io, "x", (io.Z.sum(axis=1) + io.Y.sum(axis=1)).to_frame("indout").mul(-1)), "negative"),
])
def test_bad_system_is_refused_and_database_unchanged(empty_db, spoil, expected):
    load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False)
    before = checksum(empty_db)
    io = pymrio.load_test()
    spoil(io)
    with pytest.raises(MrioInputError, match=expected):
        load_mrio(io, YEAR, SOURCE, CLS, progress=False)
    assert checksum(empty_db) == before


# ---------------------------------------------------------------- commit modes, interruption, the loading mark

@pytest.fixture
def small_batches(monkeypatch):
    # many batches on the 48-sector test system, so "batched" really interleaves commits
    from loader.graph import write

    monkeypatch.setattr(write, "NODE_BATCH", 10)
    monkeypatch.setattr(write, "REL_BATCH", 200)


def _clean(driver):
    from tests.conftest import wipe

    wipe(driver)


def _mark(driver, key=SOURCE) -> dict:
    return driver.execute_query("MATCH (d:Dataset {key: $k}) RETURN d['loading'] IS NOT NULL AS loading, "
                                "d['loading_years'] AS years", k=key).records[0].data()


def _fail_supplies_batch(monkeypatch, number: int, statement: str = "CREATE"):
    """The ``number``-th SUPPLIES batch whose statement contains ``statement`` fails like a lost connection."""
    from loader.graph import sinks

    real_one = sinks.ParallelSink._one
    calls = {"n": 0}

    def failing_one(self, cypher, chunk, on_batch, params):
        if "SUPPLIES" in cypher and statement in cypher:
            calls["n"] += 1
            if calls["n"] == number:
                raise ConnectionError("simulated connection loss")
        return real_one(self, cypher, chunk, on_batch, params)

    monkeypatch.setattr(sinks.ParallelSink, "_one", failing_one)
    return lambda: monkeypatch.setattr(sinks.ParallelSink, "_one", real_one)


def test_atomic_and_batched_write_the_same_graph(empty_db, small_batches):
    atomic = load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False, commit="atomic")
    want, want_sums = full_dump(empty_db, without=("loaded_at",)), checksum(empty_db)
    assert "commit mode: atomic" in atomic.notes
    _clean(empty_db)
    batched = load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False, commit="batched")
    assert "commit mode: batched (2 parallel writers)" in batched.notes
    assert batched.created == atomic.created
    assert full_dump(empty_db, without=("loaded_at",)) == want
    assert checksum(empty_db) == want_sums
    assert _mark(empty_db) == {"loading": False, "years": None}


def test_interrupted_batched_load_is_marked_and_a_rerun_completes_it(empty_db, test_table, small_batches,
                                                                    monkeypatch):
    from loader.graph.sinks import BatchFailed

    load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False, commit="atomic")
    clean = full_dump(empty_db, without=("loaded_at",))
    nnz = int((test_table.Z.to_numpy() != 0).sum())
    _clean(empty_db)
    restore = _fail_supplies_batch(monkeypatch, 3)
    with pytest.raises(BatchFailed, match="run the same load again to complete it"):
        load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False, commit="batched")
    partial = _count(empty_db, "MATCH ()-[r:SUPPLIES]->() RETURN count(r)")
    assert 0 < partial < nnz
    assert _mark(empty_db) == {"loading": True, "years": [YEAR]}
    restore()
    again = load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False, commit="batched")
    assert any("had not finished; this run completed it" in n for n in again.notes)
    assert again.created["SUPPLIES"] == nnz - partial
    assert full_dump(empty_db, without=("loaded_at",)) == clean
    assert _mark(empty_db) == {"loading": False, "years": None}


def test_interrupted_deletions_of_a_thinner_reload_are_completed(empty_db, test_table, small_batches, monkeypatch):
    from loader.graph.sinks import BatchFailed

    c = 0.05
    load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, min_coefficient=c, progress=False)
    # data_version counts the loads that changed the dataset: three here against one, whatever the data
    thin = full_dump(empty_db, without=("loaded_at", "data_version"))
    _clean(empty_db)
    load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False)
    full = _count(empty_db, "MATCH ()-[r:SUPPLIES]->() RETURN count(r)")
    restore = _fail_supplies_batch(monkeypatch, 2, statement="DELETE r")
    with pytest.raises(BatchFailed):
        load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, min_coefficient=c, progress=False, commit="batched")
    between = _count(empty_db, "MATCH ()-[r:SUPPLIES]->() RETURN count(r)")
    assert len(thin[1]) < between < full
    assert _mark(empty_db) == {"loading": True, "years": [YEAR]}
    restore()
    again = load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, min_coefficient=c, progress=False, commit="batched")
    assert again.created["SUPPLIES"] == 0 and again.deleted["SUPPLIES"] == between - len(
        [r for r in thin[1] if r[0] == "SUPPLIES"])
    assert full_dump(empty_db, without=("loaded_at", "data_version")) == thin
    assert _mark(empty_db) == {"loading": False, "years": None}


def test_a_year_left_unfinished_stays_marked_until_its_own_rerun(empty_db, small_batches, monkeypatch):
    from loader.graph.sinks import BatchFailed

    restore = _fail_supplies_batch(monkeypatch, 2)
    with pytest.raises(BatchFailed):
        load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False, commit="batched")
    restore()
    other = load_mrio(pymrio.load_test(), YEAR + 1, SOURCE, CLS, progress=False, commit="batched")
    assert any(f"[{YEAR}] stay marked" in n for n in other.notes)
    assert _mark(empty_db) == {"loading": True, "years": [YEAR]}
    load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False, commit="atomic")   # an atomic rerun completes it
    assert _mark(empty_db) == {"loading": False, "years": None}
    assert _count(empty_db, "MATCH (n:LoadLock) RETURN count(n)") == 0


def test_a_failing_atomic_load_writes_nothing(empty_db, small_batches, monkeypatch):
    from loader.graph import sinks

    load_mrio(pymrio.load_test(), YEAR, SOURCE, CLS, progress=False)
    before = full_dump(empty_db)
    io_b = pymrio.load_test()
    io_b.Z = io_b.Z * 1.1
    real_write = sinks.AtomicSink.write
    calls = {"n": 0}

    def failing_write(self, cypher, chunks, on_batch, **params):
        def counted():
            for chunk in chunks:
                if "SUPPLIES" in cypher and "CREATE" in cypher:
                    calls["n"] += 1
                    if calls["n"] == 3:   # some SUPPLIES of the new year already sent in this transaction
                        raise ConnectionError("simulated connection loss")
                yield chunk
        return real_write(self, cypher, counted(), on_batch, **params)

    monkeypatch.setattr(sinks.AtomicSink, "write", failing_write)
    with pytest.raises(ConnectionError):
        load_mrio(io_b, YEAR + 1, SOURCE, CLS, progress=False, commit="atomic")
    assert calls["n"] == 3
    assert full_dump(empty_db) == before
