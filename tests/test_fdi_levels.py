"""FDI at two levels: firm projects (investments -> INVESTS_IN) and country statistics (fdi_statistics ->
FDI_STATISTIC), each validated with file:line:column messages, and the demo's statistics labelled synthetic."""
from __future__ import annotations

import pytest

from tests.support.tables_checksum import checksum
from tests.support.tables_fixture import add_line, replace_line, write_folder


CASES = [
    ("old investments format", {"investments": "investor,investor_kind,target,target_kind,year,amount,motive,mode\n"
                                               "F1,firm,F4,firm,2019,3.25,efficiency,joint_venture\n"},
     [("investments.csv", 1, "investor_kind", "no longer part of the format"),
      ("investments.csv", 1, "investor_kind", "fdi_statistics")]),
    ("a country as investor", {"investments": replace_line("investments", 2, "JPN,VNM,country,2019,12.5,market,"
                                                                             "greenfield")},
     [("investments.csv", 2, "investor", "Firm key")]),
    ("statistic into its own country", {"fdi_statistics": add_line("fdi_statistics",
                                                                   "KOR,KOR,country,2020,flow,5,Office,")},
     [("fdi_statistics.csv", 4, "destination", "outside the investing country")]),
    ("statistic into a region of its own country", {"fdi_statistics": add_line("fdi_statistics",
                                                                               "KOR,KR-11,region,2020,flow,5,Office,")},
     [("fdi_statistics.csv", 4, "destination", "lies in KOR, the origin")]),
    ("unknown measure", {"fdi_statistics": add_line("fdi_statistics", "JPN,KOR,country,2020,stock,5,Office,")},
     [("fdi_statistics.csv", 4, "measure", "one of flow, position")]),
    ("unknown motive", {"fdi_statistics": add_line("fdi_statistics", "JPN,KOR,country,2020,flow,5,Office,greed")},
     [("fdi_statistics.csv", 4, "motive", "one of market")]),
    ("no publisher", {"fdi_statistics": add_line("fdi_statistics", "JPN,KOR,country,2020,flow,5,,")},
     [("fdi_statistics.csv", 4, "reported_by", "may not be empty")]),
    ("one statistic twice", {"fdi_statistics": add_line("fdi_statistics",
                                                        "JPN,KOR,country,2020,flow,1,OECD FDI statistics (BMD4 "
                                                        "directional),")},
     [("fdi_statistics.csv", 4, "origin,destination,destination_kind,year,measure,reported_by", "duplicate key")]),
    ("unknown destination region", {"fdi_statistics": add_line("fdi_statistics", "JPN,KR-99,region,2020,flow,5,O,")},
     [("fdi_statistics.csv", 4, "destination", "Region key")]),
]


@pytest.fixture(scope="module")
def base(driver, schema_applied, tmp_path_factory):
    from tests.conftest import wipe
    from loader.tables.load import load_tables

    wipe(driver)
    load_tables(write_folder(tmp_path_factory.mktemp("valid")), source="fixture", progress=False)
    return checksum(driver)


@pytest.mark.parametrize("case,overrides,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_fdi_rows_name_file_line_column_and_write_nothing(driver, base, tmp_path, case, overrides, expected):
    from loader.tables.load import load_tables
    from loader.tables.problems import TablesError

    with pytest.raises(TablesError) as err:
        load_tables(write_folder(tmp_path / "bad", overrides), source="bad", progress=False)
    for file, line, column, fragment in expected:
        hits = [p for p in err.value.problems if (p.file, p.line, p.column) == (file, line, column)
                and fragment in p.message]
        assert hits, f"no problem {file}:{line} {column} ~ {fragment!r} among:\n{err.value}"
    assert len({(p.file, p.line, p.column) for p in err.value.problems}) == 1, str(err.value)
    assert checksum(driver) == base


def test_net_disinvestment_and_missing_motives_are_valid(driver, base, tmp_path):
    from loader.tables.load import load_tables

    folder = write_folder(tmp_path / "ok", {"fdi_statistics": add_line("fdi_statistics",
                                                                       "USA,KOR,country,2020,flow,-40.5,Office,")})
    load_tables(folder, source="fixture", progress=False)
    rows = driver.execute_query("MATCH (:Country {key: 'USA'})-[r:FDI_STATISTIC]->(:Country {key: 'KOR'}) "
                                "RETURN r.amount AS a, r.motive AS m, r.source AS s").records
    assert [(r["a"], r["m"], r["s"]) for r in rows] == [(-40.5, None, "fixture")]


def test_demo_statistics_are_the_projects_summed_and_say_so():
    from loader.demo.generate import generate
    from loader.tables.spec import SPECS

    f = generate(400, 7, "pymrio-test")
    inv, stats, firms = f["investments"], f["fdi_statistics"], f["firms"].set_index("key")
    assert list(inv.columns) == SPECS["investments"].names and inv["investor"].isin(firms.index).all()
    home = inv["investor"].map(firms["country"])
    host = inv["target"].map(firms["country"])
    ref = inv.assign(origin=home, destination=host).groupby(["origin", "destination", "year"])["amount"].sum()
    got = stats.set_index(["origin", "destination", "year"])["amount"]
    assert len(got) == len(ref) > 0
    assert got.sort_index().to_numpy() == pytest.approx(ref.sort_index().to_numpy(), abs=1e-3)
    assert stats["reported_by"].str.startswith("synthetic:").all() and stats["motive"].isna().all()
    assert set(stats["measure"]) == {"flow"} and set(stats["destination_kind"]) == {"country"}
    # the two levels describe the same money: a module adding them would double the total
    assert stats["amount"].sum() == pytest.approx(inv["amount"].sum(), rel=1e-6)
