"""Search answers the way people speak, on the real test Neo4j loaded the way the product loads it:
the reference data (countries with their names) plus the small explorer graph, and (slow) the
WIOD 1995 table through the MRIO loader."""
from __future__ import annotations

import pytest

from explorer.data import search
from tests.support import explorer_graph, wiod

KOR_ELECTRICAL = "KOR|Electrical and Optical Equipment"


def _refresh(driver) -> None:
    import streamlit as st

    st.cache_data.clear()
    driver.execute_query("CALL db.awaitIndexes(60)")
    driver.execute_query("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()")


@pytest.fixture(scope="module")
def graph(driver, schema_applied):
    from loader.reference.load import load_reference

    explorer_graph.load_fresh(driver)
    load_reference(progress=False)
    _refresh(driver)
    return driver


def first(text: str, labels=None) -> tuple[str, str]:
    hits = search.search(text) if labels is None else search.search(text, 20, labels)
    assert hits, text
    return hits[0]["label"], hits[0]["key"]


@pytest.mark.parametrize("text, code", [
    ("Korea", "KOR"), ("South Korea", "KOR"), ("Republic of Korea", "KOR"), ("korea", "KOR"),
    ("USA", "USA"), ("United States", "USA"), ("United States of America", "USA"),
    ("UK", "GBR"), ("United Kingdom", "GBR"), ("Germany", "DEU"), ("Viet Nam", "VNM"),
])
def test_country_names_and_aliases_find_the_country_first(graph, text, code):
    assert first(text) == ("Country", code)


def test_a_country_name_with_an_industry_word_finds_that_countrys_sector(graph):
    # the sector's key holds the ISO3 code only ('KOR|ELEC'); the name says which country
    assert first("South Korea elec", ("Sector",)) == ("Sector", "KOR|ELEC")
    assert first("China metal", ("Sector",)) == ("Sector", "CHN|METAL")
    found = search.find("Korea elec", 20, ("Sector",))
    assert found.countries == ("KOR",) and {h["key"] for h in found.hits} == {"KOR|ELEC"}


def test_codes_and_names_still_work_as_before(graph):
    assert first("KOR|METAL") == ("Sector", "KOR|METAL")
    assert first("hanbit") == ("Firm", "F1")
    assert first("Busn") == ("Region", "KR-26")


def test_a_cut_list_says_so_and_how_to_narrow_it(graph):
    everything = search.find("Korea", 100)
    assert not everything.cut and everything.total >= 4   # the country, its regions, sectors
    cut = search.find("Korea", 2)
    assert cut.cut and len(cut.hits) == 2 and cut.total == everything.total
    assert cut.summary == f"best 2 of {everything.total} matches"
    assert "add a word" in cut.note and "read as KOR" in cut.note
    none = search.find("Atlantis widgets")
    assert none.total == 0 and "No match" in none.note


@pytest.mark.slow
def test_wiod_sectors_answer_everyday_words(driver, schema_applied):
    from loader.mrio.load import write_table
    from loader.reference.load import load_reference

    load_reference(progress=False)
    # search reads the names of the full-text index's labels (Country, Region, Industry, Sector, Firm, Person):
    # every Sector, Industry and Country of the year is written whatever the flows and GVC accounts kept, so
    # the GVC accounting is skipped and only flows with a coefficient of 0.01 or more are written (a tenth)
    write_table(wiod.read(1995, source="WIOD2013", classification="WIOD35"), progress=False, gvc="off",
                min_coefficient=0.01)
    _refresh(driver)
    for text in ("Korea Electrical", "Korea electronics", "South Korea electrical and optical",
                 "Republic of Korea electronics"):
        assert first(text, ("Sector",)) == ("Sector", KOR_ELECTRICAL), text
    # without the label filter too: the sector outranks industries and other countries
    assert first("Korea Electrical") == ("Sector", KOR_ELECTRICAL)
    cut = search.find("electrical", 5)
    assert cut.cut and cut.total >= 40   # one sector per WIOD country, plus the industry
