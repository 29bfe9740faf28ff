"""A basis's (dataset, year) pairs come from the writer's stored listing while it is current, and from
the records themselves whenever it may not be.

Each check counts the listing statements a request runs (``Counting``), so a stored listing that is
served, and one that must not be, are both seen; the pairs are the fixture's own (its supply links are
of 2020 and 2021, dataset ``fixture``), written in its CSV file.
"""
from __future__ import annotations

import pytest

from connection import read, write
from loader.graph.listings import refresh_all
from queries import listing
from queries.provenance import BASES
from queries.runner import ReadTx
from schema.listings import CHANGED, MARK_CHANGED, STORE
from tests.support.tables_fixture import write_folder

FIRM_FLOWS = BASES["firm_flows"]


class Counting(ReadTx):
    scans = 0

    def run(self, cypher, params=None, *, cap=None):
        if cypher in (b.pairs for b in BASES.values()):
            Counting.scans += 1
        return super().run(cypher, params, cap=cap)


def _pairs(basis=FIRM_FLOWS) -> tuple[list, int]:
    before = Counting.scans
    found = read(lambda tx: listing.pairs(Counting(tx, 1000), basis))
    return found, Counting.scans - before


def _years_in_file(folder) -> list:
    """(source, year) of the fixture's supply links, read from its CSV, not from the database."""
    import csv

    with open(folder / "firm_supply.csv") as f:
        return sorted({("fixture", int(r["year"])) for r in csv.DictReader(f)})


@pytest.fixture
def loaded(empty_db, tmp_path):
    from loader.tables.load import load_tables

    folder = write_folder(tmp_path / "valid")
    load_tables(folder, source="fixture", progress=False)
    return folder


def test_a_load_leaves_its_listing_stored_and_a_hand_written_link_is_seen(loaded, empty_db):
    held = _years_in_file(loaded)
    assert held == [("fixture", 2020), ("fixture", 2021)]
    assert _pairs() == (held, 0)          # the load listed them: no scan
    # a link written by hand: the count store's total moved, the records are read
    empty_db.execute_query("MATCH (a:Firm {key: 'F1'}), (b:Firm {key: 'F3'}) "
                           "CREATE (a)-[:SUPPLIES {year: 2022, source: 'fixture', value: 1.0}]->(b)")
    assert _pairs() == (held + [("fixture", 2022)], 1)
    assert _pairs() == (held + [("fixture", 2022)], 1)   # and again: nothing would see a further change
    empty_db.execute_query("MATCH ()-[r:SUPPLIES {year: 2022}]->() DELETE r")
    assert _pairs() == (held, 0)          # the stored state again


def test_a_load_of_a_new_year_lists_it(loaded, empty_db):
    from loader.tables.load import load_tables

    supply = loaded / "firm_supply.csv"
    lines = supply.read_text().splitlines()
    extra = [l.replace(",2021,", ",2023,") for l in lines[1:] if ",2021," in l]
    supply.write_text("\n".join(lines + extra) + "\n")
    load_tables(loaded, source="fixture", progress=False)
    assert _pairs() == (_years_in_file(loaded), 0)
    assert ("fixture", 2023) in _pairs()[0]


def test_a_change_not_listed_again_is_read_from_the_records_until_listed(loaded, empty_db):
    held = _years_in_file(loaded)
    # what a load that dies between its commit and its listing leaves: the listing marked changed
    write(MARK_CHANGED, {"rows": ["firm_flows"]})
    assert _pairs() == (held, 1)
    assert _pairs(BASES["firms"]) == ([("fixture", None)], 0)   # other kinds keep theirs
    refresh_all(progress=False)            # python -m loader listings
    assert _pairs() == (held, 0)


def test_a_listing_made_while_a_change_was_marked_is_not_stored(loaded, empty_db):
    seen = read(CHANGED, {"key": "firm_flows"})[0]["stamp"]
    write(MARK_CHANGED, {"rows": ["firm_flows"]})   # another load's change, committed during the listing
    stored = write(STORE, {"key": "firm_flows", "seen": seen, "count": 0, "pairs": "[]"})
    assert stored == [{"stored": 0}]
    assert _pairs() == (_years_in_file(loaded), 1)  # not the empty listing: the records


def test_no_stored_listing_is_served_while_a_load_is_under_way(loaded, empty_db):
    empty_db.execute_query("MATCH (d:Dataset {key: 'fixture'}) SET d.loading = datetime(), d.loading_years = [2020]")
    assert _pairs()[1] == 1
    empty_db.execute_query("MATCH (d:Dataset {key: 'fixture'}) REMOVE d.loading, d.loading_years")
    assert _pairs()[1] == 0


def test_a_database_emptied_and_loaded_again_is_listed_again(loaded, empty_db, tmp_path):
    from loader.tables.load import load_tables
    from tests.conftest import wipe

    assert _pairs()[1] == 0
    wipe(empty_db)
    assert _pairs() == ([], 1)
    other = write_folder(tmp_path / "other")
    supply = other / "firm_supply.csv"
    supply.write_text(supply.read_text().replace(",2020,", ",2018,").replace(",2021,", ",2019,"))
    load_tables(other, source="fixture", progress=False)
    assert _pairs() == ([("fixture", 2018), ("fixture", 2019)], 0)


def test_records_of_no_dataset_are_listed_every_time(loaded, empty_db):
    empty_db.execute_query("MATCH (a:Firm {key: 'F1'}), (b:Firm {key: 'F3'}) "
                           "CREATE (a)-[:SUPPLIES {year: 2020, source: 'by-hand', value: 1.0}]->(b)")
    held = [("by-hand", 2020), ("fixture", 2020), ("fixture", 2021)]
    assert _pairs() == (held, 1)
    assert _pairs() == (held, 1)
    refresh_all(progress=False)            # listed by the writer: served from then on
    assert _pairs() == (held, 0)


def test_firms_are_listed_until_a_firm_is_added_by_hand(loaded, empty_db):
    firms = BASES["firms"]
    assert _pairs(firms) == ([("fixture", None)], 0)
    empty_db.execute_query("CREATE (:Firm {key: 'F9', source: 'by-hand'})")   # the count store's node total moved
    assert _pairs(firms) == ([("by-hand", None), ("fixture", None)], 1)
