"""A reload of the same rows that the store holds as their last load left them reads and writes nothing
(loader/graph/unchanged.py); any change of records since (another load, a load under way or dead, records
added or deleted by hand) sends it down the comparing path again, and ``verify`` always does."""
from __future__ import annotations

import pytest

from tests.support.tables_checksum import checksum
from tests.support.tables_fixture import add_line, write_folder


def _rows(value: float, loaded_at: str = "2026-01-01T00:00:00+00:00"):
    from loader.graph.rows import GraphRows, dataset_rows

    g = GraphRows()
    g.node_rows("Dataset").rows += dataset_rows("d", "d", False, "test", loaded_at).rows
    firms = g.node_rows("Firm")
    firms.add("F1", name="A", output=value)
    firms.add("F2", name="B", output=2.0)
    g.rel_rows("SUPPLIES", "Firm", "Firm", ("year",)).add("F1", "F2", year=2020, value=value, source="d")
    return g


def test_rows_digest_follows_every_value_and_not_the_load_time():
    from loader.graph.unchanged import rows_digest

    assert rows_digest(_rows(1.5)) == rows_digest(_rows(1.5, loaded_at="2027-05-05T00:00:00+00:00"))
    assert rows_digest(_rows(1.5)) != rows_digest(_rows(1.5000000000000002))   # one ulp
    assert rows_digest(_rows(1.0)) != rows_digest(_rows(1))                    # a float is not a whole number
    g = _rows(1.5)
    g.rel_rows("SUPPLIES", "Firm", "Firm", ("year",)).add("F2", "F1", year=2020, value=1.0, source="d")
    assert rows_digest(g) != rows_digest(_rows(1.5))


def test_rows_digest_of_column_held_rows_follows_every_cell():
    import pyarrow as pa

    from loader.graph.rows import Columns, GraphRows
    from loader.graph.unchanged import rows_digest

    def graph(values):
        g = GraphRows()
        rr = g.rel_rows("SUPPLIES", "Firm", "Firm", ("year",))
        table = pa.table({"from": ["F1", "F2", "F3"], "to": ["F2", "F3", "F1"], "year": [2020] * 3, "value": values})
        rr.columns = Columns(table, {"source": "d"}, ("year", "value", "source"), unique=True)
        return g

    assert rows_digest(graph([1.0, 2.0, 3.0])) == rows_digest(graph([1.0, 2.0, 3.0]))
    assert rows_digest(graph([1.0, 2.0, 3.0])) != rows_digest(graph([1.0, 2.0, 3.5]))
    assert rows_digest(graph([1.0, 2.0, 3.0])) != rows_digest(graph([1.0, None, 3.0]))


class ReadSpy:
    """Every Cypher the writer's sinks read."""

    def __init__(self, monkeypatch):
        from loader.graph import sinks

        self.queries: list[str] = []
        for cls in (sinks.AtomicSink, sinks.ParallelSink):
            real = cls.read

            def read(sink, cypher, bar=None, _real=real, **params):
                self.queries.append(cypher)
                return _real(sink, cypher, bar=bar, **params)

            monkeypatch.setattr(cls, "read", read)


@pytest.fixture
def db(empty_db):
    """An empty database with the reference data: a folder's loads hold only the folder's rows."""
    from loader.reference.load import load_reference

    load_reference(progress=False)
    return empty_db


def _load(folder, **kw):
    from loader.tables.load import load_tables

    return load_tables(folder, source="rec", progress=False, **kw)


def _firm_links(driver) -> int:
    return driver.execute_query("MATCH (:Firm)-[r:SUPPLIES]->(:Firm) RETURN count(r) AS c").records[0]["c"]


@pytest.mark.parametrize("commit", ["atomic", "batched"])
def test_a_reload_of_the_same_rows_reads_nothing(db, tmp_path, monkeypatch, commit):
    folder = write_folder(tmp_path / "a")
    first = _load(folder, commit=commit)
    assert first.recorded and not first.held
    clean = checksum(db)
    spy = ReadSpy(monkeypatch)
    again = _load(folder, commit=commit)
    assert again.held and again.recorded is False
    from loader.graph.unchanged import LOOKUP

    # no stored record read, neither digests nor records: only the record and the count store's totals
    assert all(q == LOOKUP or q.endswith("AS totals") for q in spy.queries), spy.queries
    assert sum(again.created.values()) == sum(again.updated.values()) == sum(again.deleted.values()) == 0
    assert again.unchanged["SUPPLIES (Firm->Firm)"] == _firm_links(db)
    assert checksum(db) == clean
    # verify compares every record (the digest path) and finds the same
    checked = _load(folder, commit=commit, verify=True)
    assert not checked.held and any("apoc.util.md5" in q for q in spy.queries)
    assert sum(checked.created.values()) == sum(checked.updated.values()) == 0
    assert checksum(db) == clean


def test_another_loads_change_makes_the_reload_compare(db, tmp_path):
    a = write_folder(tmp_path / "a")
    # a second folder into the same year: new firm links move the shares of the first folder's firms
    b = write_folder(tmp_path / "b", {"firm_supply": add_line("firm_supply", "F3,F4,2020,7.5,parts")})
    assert _load(a).recorded
    from loader.tables.load import load_tables

    other = load_tables(b, source="other", progress=False)
    assert sum(other.created.values()) > 0
    again = _load(a)
    assert not again.held and again.recorded   # compared (the store stamp moved) and recorded
    assert again.updated["Firm"] == 4          # the firms' source was the other folder's
    assert _load(a).held


def test_records_added_or_deleted_by_hand_make_the_reload_compare_and_repair(db, tmp_path):
    folder = write_folder(tmp_path / "a")
    _load(folder)
    clean = checksum(db)
    db.execute_query("MATCH (:Firm {key: 'F1'})-[r:IN_INDUSTRY]->() DELETE r")
    fixed = _load(folder)
    assert not fixed.held and fixed.created.get("IN_INDUSTRY (Firm->Industry)") == 1
    assert checksum(db) == clean
    db.execute_query("CREATE (:Firm {key: 'stray', name: 'by hand'})")
    assert not _load(folder).held     # the Firm total moved
    assert _load(folder).held         # recorded with the stray firm, which no row names
    db.execute_query("MATCH (f:Firm {key: 'stray'}) DELETE f")
    assert not _load(folder).held
    assert _load(folder).held


def test_a_value_edited_by_hand_is_what_verify_is_for(db, tmp_path):
    """The documented limit: a property changed outside the loader, no count moved, no stamp renewed; the
    reload trusts its record. ``verify`` finds and repairs it."""
    folder = write_folder(tmp_path / "a")
    _load(folder)
    clean = checksum(db)
    db.execute_query("MATCH (f:Firm {key: 'F2'}) SET f.name = 'Beta Parts Ltd'")
    assert _load(folder).held
    assert checksum(db) != clean
    fixed = _load(folder, verify=True)
    assert fixed.updated.get("Firm") == 1 and fixed.recorded
    assert checksum(db) == clean


def test_a_load_under_way_or_dead_makes_the_reload_compare(db, tmp_path):
    folder = write_folder(tmp_path / "a")
    _load(folder)
    # what a batched load leaves on its Dataset until its last batch (and a dead one for good)
    db.execute_query("MATCH (d:Dataset {key: 'rec'}) SET d.loading = datetime(), d.loading_years = [2020]")
    completed = _load(folder)
    assert not completed.held and completed.recorded
    assert db.execute_query("MATCH (d:Dataset) WHERE d.loading IS NOT NULL RETURN count(d) AS c"
                                  ).records[0]["c"] == 0
    assert _load(folder).held


def test_no_record_when_another_load_changed_records_meanwhile(db, tmp_path, settings):
    """The record's own protocol (with rows it does not write): a load that read the store stamp, then saw another
    load commit a change before its end, records nothing, as its own reading of the store may predate that
    change; with the stamp it read still current, it records."""
    from connection import write
    from loader.graph.unchanged import LABEL, LoadRecord

    folder = write_folder(tmp_path / "a")
    _load(folder)
    rec = LoadRecord.of(_rows(3.0))
    assert not rec.held(lambda c, **p: db.execute_query(c, **p).records)
    from loader.tables.load import load_tables

    load_tables(write_folder(tmp_path / "b", {"firm_supply": add_line("firm_supply", "F3,F4,2020,7.5,parts")}),
                source="other", progress=False)   # renews the stamp
    assert write(lambda tx: rec.finish(tx, renew=False), settings=settings) is False
    keys = {r["k"] for r in db.execute_query(f"MATCH (r:{LABEL}) RETURN r.key AS k").records}
    assert rec.digest not in keys and "store" in keys
    # with the stamp it read being the current one, the same call records
    assert not rec.held(lambda c, **p: db.execute_query(c, **p).records)
    assert write(lambda tx: rec.finish(tx, renew=False), settings=settings) is True


def test_a_first_load_that_brought_the_reference_data_records_the_folders_own_rows(empty_db, tmp_path):
    """Into a database without the reference data a folder's load brings it along; its reload builds only the
    folder's own rows, which the first load recorded as held too."""
    folder = write_folder(tmp_path / "a")
    first = _load(folder)
    assert first.created.get("Industry", 0) > 100     # the reference data came with it
    again = _load(folder)
    assert again.held and sum(again.unchanged.values()) < sum(first.unchanged.values()) + sum(first.created.values())


def test_a_bulk_loads_listings_from_its_rows_equal_the_listed_records(db, tmp_path, settings):
    """A bulk first load stores the (dataset, year) listings from its rows instead of reading the imported records
    back (loader/graph/listings.py ``listed_from_rows``): the same pairs as listing the records of the same rows
    written by the normal writer, kind by kind, with the folder's big tables held as columns and the rest as dicts."""
    import json

    from loader.graph.listings import listed_from_rows
    from loader.tables.load import check_folder
    from loader.tables.rows import tables_graph

    folder = write_folder(tmp_path / "a", {"firm_supply": add_line("firm_supply", "F3,F4,2019,7.5,parts")})
    _load(folder)
    stored = {r["k"]: [tuple(p) for p in json.loads(r["p"])] for r in db.execute_query(
        "MATCH (l:Listing) WHERE l.listed_stamp = l.changed_stamp RETURN l.key AS k, l.pairs AS p").records}
    checked, _ = check_folder(folder, settings)
    graph = tables_graph(checked.rows, "rec", checked.columns)
    assert any(rows.columns is not None for rows in graph.rels.values())   # both forms are covered
    got = listed_from_rows(graph.nodes, list(graph.rels.values()))
    assert got == {k: v for k, v in stored.items() if k in got}
    assert got["firm_flows"] == [("rec", 2019), ("rec", 2020), ("rec", 2021)]
    assert got["firms"] == [("rec", None)] and set(got) >= {"fdi_projects", "trade", "gvc_stages", "ownership"}
