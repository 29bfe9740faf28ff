"""A basis's (dataset, year) pairs are listed once and served again only while the data is the same.

Each check counts the listing statements a request runs (``Counting``), so a kept listing that is
served, and one that must not be, are both seen; the pairs are the fixture's own (its supply links are
of 2020 and 2021, dataset ``fixture``).
"""
from __future__ import annotations

import pytest

from connection import read
from queries import listing
from queries.provenance import BASES
from queries.runner import ReadTx
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


@pytest.fixture
def loaded(empty_db, tmp_path):
    from loader.tables.load import load_tables

    listing.forget()
    folder = write_folder(tmp_path / "valid")
    load_tables(folder, source="fixture", progress=False)
    return folder


def test_a_listing_is_kept_until_a_load_or_a_new_link_changes_the_data(loaded, empty_db):
    from loader.tables.load import load_tables

    held = [("fixture", 2020), ("fixture", 2021)]
    assert _pairs() == (held, 1)
    assert _pairs() == (held, 0)          # served: no scan
    # a link written by hand: the count store's total moved
    empty_db.execute_query("MATCH (a:Firm {key: 'F1'}), (b:Firm {key: 'F3'}) "
                           "CREATE (a)-[:SUPPLIES {year: 2022, source: 'fixture', value: 1.0}]->(b)")
    assert _pairs() == (held + [("fixture", 2022)], 1)
    empty_db.execute_query("MATCH ()-[r:SUPPLIES {year: 2022}]->() DELETE r")
    assert _pairs() == (held, 0)          # the first state again, and its listing
    # a load that changes a value and no count: the dataset's data_version moved
    supply = loaded / "firm_supply.csv"
    supply.write_text(supply.read_text().replace("F2,F1,2020,100,", "F2,F1,2020,101,"))
    load_tables(loaded, source="fixture", progress=False)
    assert _pairs() == (held, 1)
    assert _pairs() == (held, 0)


def test_a_database_emptied_and_loaded_again_is_listed_again(loaded, empty_db, tmp_path):
    from loader.tables.load import load_tables
    from tests.conftest import wipe

    assert _pairs()[1] == 1
    wipe(empty_db)
    # the same counts and data_version 1 again, with supply links of another year
    other = write_folder(tmp_path / "other")
    supply = other / "firm_supply.csv"
    supply.write_text(supply.read_text().replace(",2020,", ",2018,").replace(",2021,", ",2019,"))
    load_tables(other, source="fixture", progress=False)
    assert _pairs() == ([("fixture", 2018), ("fixture", 2019)], 1)


def test_records_no_load_versioned_are_listed_every_time(loaded, empty_db):
    empty_db.execute_query("MATCH (a:Firm {key: 'F1'}), (b:Firm {key: 'F3'}) "
                           "CREATE (a)-[:SUPPLIES {year: 2020, source: 'by-hand', value: 1.0}]->(b)")
    held = [("by-hand", 2020), ("fixture", 2020), ("fixture", 2021)]
    assert _pairs() == (held, 1)
    assert _pairs() == (held, 1)   # not kept: nothing would see a change


def test_firms_are_listed_once_until_a_firm_is_added(loaded, empty_db):
    firms = BASES["firms"]
    assert _pairs(firms) == ([("fixture", None)], 1)
    assert _pairs(firms) == ([("fixture", None)], 0)
    empty_db.execute_query("CREATE (:Firm {key: 'F9', source: 'fixture'})")   # the count store's node total moved
    assert _pairs(firms) == ([("fixture", None)], 1)
