"""A reload compares chunk digests instead of reading stored records back (loader/graph/fingerprint.py):
an unchanged folder reads no stored record, and a database changed behind the loader's back is still
found and repaired, property by property, link by link and share by share. The reloads here pass ``verify``:
without it a reload of the same rows that the writer's record says the store holds reads nothing at all
(tests/test_load_record.py), which is not what these tests are about."""
from __future__ import annotations

import numpy as np
import pytest

from tests.support.tables_checksum import checksum
from tests.support.tables_fixture import write_folder

# a Java float printed like Python's repr digits, in Java's layout (checked against the server below)
HAND = [(1.0, "1.0"), (0.1, "0.1"), (12.345, "12.345"), (1e-05, "1.0E-5"), (1e7, "1.0E7"),
        (12345678.9, "1.23456789E7"), (123456.0, "123456.0"), (0.001, "0.001"), (0.0001, "1.0E-4"), (-0.5, "-0.5"),
        (9999999.0, "9999999.0"), (950000.5, "950000.5"), (-0.0, "-0.0"), (0.0, "0.0"), (2.5e-300, "2.5E-300"),
        (float("inf"), "Infinity")]


def test_java_double_by_hand():
    from loader.graph.fingerprint import java_double

    assert [(x, java_double(x)) for x, _ in HAND] == HAND


def test_tokens_equal_the_servers_for_values_like_a_loads(driver):
    """Most values must give the server's own token (else every chunk would miss and a reload would
    read everything); a value printed differently may only miss, never match another value."""
    from loader.graph.fingerprint import _cypher_token, token

    rng = np.random.default_rng(7)
    floats = [float(v) for v in np.round(rng.lognormal(3.0, 2.5, 2000), 3)] + \
        [float(v) for v in rng.uniform(0, 1, 2000)] + [float(v) for v in rng.lognormal(0, 12, 2000)] + [x for x, _ in HAND]
    values = floats + [0, -7, 2020, 10 ** 15, "", "Alpha Electronics", "ISIC4|C26", "é 한국", None, True, False]
    got = driver.execute_query(f"UNWIND $v AS v RETURN {_cypher_token('v')} AS t", v=values).records
    server = [r["t"] for r in got]
    mine = [token(v) for v in values]
    differ = [(v, s, m) for v, s, m in zip(values, server, mine) if s != m]
    assert len(differ) <= len(values) // 1000, differ[:10]
    for v, s, _ in differ:   # only a float Java 17 prints with extra digits, which still reads back as v
        assert isinstance(v, float) and float(s[1:-1]) == v, (v, s)
    assert token([1]) == "?" and token(float("nan")) == "?"   # what the digest does not cover never matches


def test_tokens_of_negative_and_layout_edge_floats_equal_the_servers(driver):
    """Java's layout changes at 1e-3 and 1e7 and Python's repr at 1e-4 and 1e16: values on either side of each, and
    their negatives, give exactly the server's token."""
    from loader.graph.fingerprint import _cypher_token, token

    edges = [1e-05, 1.5e-05, 9.99e-05, 0.0001, 0.000123, 0.00099, 0.001, 0.0015, 9999999.5, 1e7, 12345678.9,
             123456789012345.6, 1e15, 1e16, 1.25e16, 3.5e200, 1e-200, float("inf")]
    values = edges + [-v for v in edges]
    got = driver.execute_query(f"UNWIND $v AS v RETURN {_cypher_token('v')} AS t", v=values).records
    assert [(v, token(v)) for v in values] == [(v, r["t"]) for v, r in zip(values, got)]


class ReadSpy:
    """Records the Cypher of every read the writer's sinks run."""

    def __init__(self, monkeypatch):
        from loader.graph import sinks

        self.queries: list[str] = []
        for cls in (sinks.AtomicSink, sinks.ParallelSink):
            real = cls.read

            def read(sink, cypher, bar=None, _real=real, **params):
                self.queries.append(cypher)
                return _real(sink, cypher, bar=bar, **params)

            monkeypatch.setattr(cls, "read", read)

    def full_reads(self) -> list[str]:
        """Reads that bring stored records' properties into Python."""
        return [q for q in self.queries if "properties(" in q]


def without_versions(cs: dict) -> dict:
    return {k: v for k, v in cs.items()
            if k[:3] not in {("node", "Dataset", "loaded_at"), ("node", "Dataset", "description"),
                             ("node", "Dataset", "data_version")}}


@pytest.mark.parametrize("commit", ["atomic", "batched"])
def test_unchanged_reload_reads_no_stored_record(empty_db, tmp_path, monkeypatch, commit):
    from loader.tables.load import load_tables

    folder = write_folder(tmp_path / "fixture")
    load_tables(folder, source="digest", progress=False)
    spy = ReadSpy(monkeypatch)
    again = load_tables(folder, source="digest", progress=False, commit=commit, verify=True)
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert any("apoc.util.md5" in q for q in spy.queries)
    # the firm links' shares are checked on the server; no node or link is read back
    assert spy.full_reads() == [], spy.full_reads()
    assert any("every stored share equals the recomputed one" in n for n in again.notes)


def test_a_changed_database_is_found_and_repaired(empty_db, tmp_path, monkeypatch):
    from loader.tables.load import load_tables

    folder = write_folder(tmp_path / "fixture")
    load_tables(folder, source="digest", progress=False)
    clean = without_versions(checksum(empty_db))
    edits = [
        "MATCH (f:Firm {key: 'F2'}) SET f.name = 'Beta Parts Ltd'",             # a text property
        "MATCH (f:Firm {key: 'F4'}) REMOVE f.output",                           # a property gone
        "MATCH (:Firm {key: 'F1'})-[r:IN_INDUSTRY]->() DELETE r",               # a link gone
        "MATCH (:Firm {key: 'F2'})-[r:SUPPLIES {year: 2020}]->(:Firm {key: 'F3'}) SET r.value = 55.0",
        "MATCH (:Firm {key: 'F4'})-[r:SUPPLIES]->() SET r.a = 0.5",              # a share alone
    ]
    for cypher in edits:
        empty_db.execute_query(cypher)
    spy = ReadSpy(monkeypatch)
    again = load_tables(folder, source="digest", progress=False, verify=True)
    assert again.updated.get("Firm") == 2 and again.created.get("IN_INDUSTRY (Firm->Industry)") == 1
    assert again.updated.get("SUPPLIES (Firm->Firm)") == 1
    assert spy.full_reads(), "the changed chunks were read back and diffed"
    assert without_versions(checksum(empty_db)) == clean
    # and a reload after the repair is a digest-only one again
    spy.queries.clear()
    third = load_tables(folder, source="digest", progress=False)
    assert sum(third.created.values()) == sum(third.updated.values()) == 0 and spy.full_reads() == []


def _loaded_then_edited(folder):
    """Load ``folder``, then another client edits a firm: returns that client's bookmark manager."""
    from connection import causal, write
    from loader.tables.load import load_tables

    load_tables(folder, source="digest", progress=False)
    theirs = causal()
    write("MATCH (f:Firm {key: 'F2'}) SET f.name = 'Beta Parts Ltd'", bookmarks=theirs)
    return theirs


def _read_bookmarks(monkeypatch, driver, recording: list) -> list:
    """The bookmarks each READ session on ``driver`` carries (None: no manager) while ``recording`` is not empty."""
    reads, real = [], type(driver).session

    def session(drv, **config):
        if recording and config.get("default_access_mode") == "READ" and drv is driver:
            bm = config.get("bookmark_manager")
            reads.append(None if bm is None else bm.get_bookmarks())
        return real(drv, **config)

    monkeypatch.setattr(type(driver), "session", session)
    return reads


@pytest.mark.parametrize("commit", ["atomic", "batched"])
def test_a_loads_reads_carry_the_bookmark_of_the_commits_before_its_locks(empty_db, tmp_path, monkeypatch, commit):
    """In a cluster a READ session may land on a secondary that lags behind. Every session a load reads on
    carries the bookmark of the newest commit the leader had once the load held its locks (here: another
    client's edit), so a secondary waits until it has that edit; and the edit is found and repaired."""
    from loader.graph import write as writer
    from loader.tables.load import load_tables

    folder = write_folder(tmp_path / "fixture")
    theirs = _loaded_then_edited(folder)
    writing, scope = [], writer.load_scope

    def load_scope(graph):
        writing.append(True)   # the writer's reads from here (validation's are the next test's)
        return scope(graph)

    monkeypatch.setattr(writer, "load_scope", load_scope)
    # after the load, dropping cached projections reads on the analytics server (maybe another one): no bookmark
    monkeypatch.setattr(writer, "_drop_cached_projections", lambda settings: writing.clear())
    reads = _read_bookmarks(monkeypatch, empty_db, writing)
    # --verify: a property edited by hand moves no count, so the writer's record alone would hold the rows
    again = load_tables(folder, source="digest", progress=False, commit=commit, verify=True)
    assert again.updated.get("Firm") == 1
    assert reads, "the load read on sessions of its own"
    # nothing commits between the edit and the end of the load's reads (its locks are held by open transactions)
    assert reads[0] == theirs.get_bookmarks(), reads[:3]
    assert all(r for r in reads), reads


def test_a_loads_validation_reads_carry_the_bookmark_of_the_newest_commit(empty_db, tmp_path, monkeypatch):
    """Validation looks up the keys a folder names but does not define: on a secondary that lags behind, a firm
    another client committed a moment ago would be "unknown". Each of those reads carries the bookmark of the
    leader's newest commit (here: that client's)."""
    from loader.tables import load
    from loader.tables.load import load_tables

    folder = write_folder(tmp_path / "fixture")
    theirs = _loaded_then_edited(folder)
    checking, check = [], load.check_folder

    def check_folder(*args, **kwargs):
        checking.append(True)
        try:
            return check(*args, **kwargs)
        finally:
            checking.clear()

    monkeypatch.setattr(load, "check_folder", check_folder)
    reads = _read_bookmarks(monkeypatch, empty_db, checking)
    load_tables(folder, source="digest", progress=False)
    assert reads, "validation read the database"
    assert all(r == theirs.get_bookmarks() for r in reads), reads


def test_a_share_alone_out_of_line_is_recomputed(empty_db, tmp_path):
    """Links equal to the rows but a stored b that the year's links do not give: the server's share check
    catches it and the full path (numpy shares) sets it right."""
    from loader.tables.load import load_tables

    folder = write_folder(tmp_path / "fixture")
    load_tables(folder, source="digest", progress=False)
    want = {r["k"]: r["b"] for r in empty_db.execute_query(
        "MATCH (a:Firm)-[r:SUPPLIES]->(b:Firm) RETURN a.key + '>' + b.key + '/' + r.year AS k, r.b AS b").records}
    empty_db.execute_query("MATCH (:Firm {key: 'F2'})-[r:SUPPLIES {year: 2020}]->(:Firm {key: 'F1'}) SET r.b = 0.9")
    again = load_tables(folder, source="digest", progress=False, verify=True)
    assert again.updated.get("SUPPLIES (Firm->Firm)", 0) == 0   # share-only updates are not counted as loaded
    got = {r["k"]: r["b"] for r in empty_db.execute_query(
        "MATCH (a:Firm)-[r:SUPPLIES]->(b:Firm) RETURN a.key + '>' + b.key + '/' + r.year AS k, r.b AS b").records}
    assert got == pytest.approx(want, rel=1e-12)
    # F2 sells 100 (to F1) and 50 (to F3) in 2020: b of F2->F1 is 100/150, by hand
    assert got["F2>F1/2020"] == pytest.approx(100 / 150, rel=1e-12)


def _slice_reads(queries: list[str]) -> list[str]:
    """Reads that bring a replaced slice's stored relationships into Python (whole, or by start keys)."""
    return [q for q in queries if "WHERE r.source = $slice.source" in q and "AS eid" in q]


@pytest.mark.parametrize("commit", ["atomic", "batched"])
def test_unchanged_mrio_year_reads_no_stored_relationship_of_its_slices(empty_db, monkeypatch, commit):
    """An MRIO year's SUPPLIES (and GVC relationships) are replaced slices: a reload compares them by chunk
    digests restricted to the slice and one count of it, and reads none of them back."""
    import pymrio
    from loader.mrio.load import load_mrio

    load_mrio(pymrio.load_test(), 2010, "digest-mrio", "PYMRIO_TEST", progress=False)
    spy = ReadSpy(monkeypatch)
    again = load_mrio(pymrio.load_test(), 2010, "digest-mrio", "PYMRIO_TEST", progress=False, commit=commit,
                      verify=True)
    assert sum(again.created.values()) == sum(again.updated.values()) == sum(again.deleted.values()) == 0
    assert again.unchanged["SUPPLIES"] > 1000
    assert any("apoc.util.md5" in q and "$slice" in q for q in spy.queries)
    assert _slice_reads(spy.queries) == []


def test_mrio_slice_changed_behind_the_loaders_back_is_repaired(empty_db, driver, monkeypatch):
    """A changed value, a deleted link and a repeated link inside the slice make their chunks' digests differ:
    those chunks are read back and diffed (one update, one create, one delete) and the graph is as before;
    a stray link from a sector the rows have no link from makes the whole slice be read."""
    import pymrio
    from loader.mrio.load import load_mrio

    load = lambda: load_mrio(pymrio.load_test(), 2010, "digest-mrio", "PYMRIO_TEST", progress=False,  # noqa: E731
                             verify=True)
    load()
    before = checksum(driver)
    q = lambda cypher: driver.execute_query(cypher, database_="neo4j").records
    q("MATCH (a:Sector)-[r:SUPPLIES {source: 'digest-mrio'}]->(b:Sector) WITH r ORDER BY a.key, b.key LIMIT 1 "
      "SET r.value = r.value + 1")
    q("MATCH (a:Sector)-[r:SUPPLIES {source: 'digest-mrio'}]->(b:Sector) WITH r ORDER BY a.key DESC, b.key LIMIT 1 "
      "DELETE r")
    # a second copy of a stored link (the test table has a link between every two sectors): one too many
    q("MATCH (a:Sector)-[r:SUPPLIES {source: 'digest-mrio'}]->(b:Sector) WITH a, b, r ORDER BY a.key, b.key "
      "SKIP 5 LIMIT 1 CREATE (a)-[c:SUPPLIES]->(b) SET c = properties(r)")
    spy = ReadSpy(monkeypatch)
    fixed = load()
    assert (fixed.updated["SUPPLIES"], fixed.created["SUPPLIES"], fixed.deleted["SUPPLIES"]) == (1, 1, 1), fixed.render()
    assert checksum(driver) == before
    reads = _slice_reads(spy.queries)
    assert reads and all(q.startswith("UNWIND $keys") for q in reads), reads   # by chunk, not the whole slice

    # a stray link from a node that no row starts from: only the whole slice shows it
    q("CREATE (s:Sector {key: 'stray-sector'}) "
      "WITH s MATCH (b:Sector) WHERE b.key <> 'stray-sector' WITH s, b ORDER BY b.key LIMIT 1 "
      "CREATE (s)-[:SUPPLIES {source: 'digest-mrio', year: 2010, value: 2.0}]->(b)")
    spy.queries.clear()
    fixed = load()
    assert fixed.deleted["SUPPLIES"] == 1, fixed.render()
    assert any(not q.startswith("UNWIND") for q in _slice_reads(spy.queries))
    q("MATCH (s:Sector {key: 'stray-sector'}) DETACH DELETE s")
    assert checksum(driver) == before


def test_read_each_keeps_order_and_runs_queries_ahead(monkeypatch):
    """ParallelSink.read_each: results in the order asked, whatever order the queries finish in, with several
    in flight at once; a consumer that stops early leaves no query running (no database: ``read`` is replaced)."""
    import random
    import threading
    import time

    from connection import Settings
    from loader.graph.sinks import AtomicSink, ParallelSink

    running, most = [0], [0]
    guard = threading.Lock()

    def read(self, cypher, bar=None, **params):
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(random.uniform(0.0, 0.02))
        with guard:
            running[0] -= 1
        return [{"i": params["i"]}]

    monkeypatch.setattr(ParallelSink, "read", read)
    sink = ParallelSink(Settings(uri="bolt://127.0.0.1:1", user="u", password="p", database="neo4j"), workers=2)
    got = [r[0]["i"] for r in sink.read_each("RETURN 1", ({"i": i} for i in range(40)))]
    assert got == list(range(40)) and most[0] == 2
    first = sink.read_each("RETURN 1", ({"i": i} for i in range(40)))
    assert [next(first)[0]["i"] for _ in range(3)] == [0, 1, 2]
    first.close()
    assert running[0] == 0
    # an atomic load's digests run ahead on the parallel sink's sessions, in order too
    most[0] = 0
    got = [r[0]["i"] for r in AtomicSink(tx=None, ahead=sink).read_each("RETURN 1", ({"i": i} for i in range(40)))]
    assert got == list(range(40)) and most[0] == 2
    monkeypatch.setattr(AtomicSink, "read", read)
    assert [r[0]["i"] for r in AtomicSink(tx=None).read_each("RETURN 1", ({"i": i} for i in range(5)))] == list(range(5))
