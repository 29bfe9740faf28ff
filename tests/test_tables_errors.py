"""Every kind of bad input gives its own error (file, line, column) and leaves the database unchanged."""
from __future__ import annotations

import pandas as pd
import pytest

from tests.support.tables_checksum import checksum
from tests.support.tables_fixture import VALID, add_line, replace_line, write_folder

F = VALID["firms"].splitlines()

# (case id, overrides, expected problems as (file, line, column, fragment of the message))
CASES = [
    ("missing column", {"firms": "\n".join(",".join(l.split(",")[:-1]) for l in F) + "\n"},
     [("firms.csv", 1, "founded", "missing column")]),
    ("unexpected column", {"persons": "key,name,nationality,age\nP1,Kim,KOR,40\nP2,Sato,JPN,50\n"},
     [("persons.csv", 1, "age", "unexpected column")]),
    ("wrong type int", {"firms": replace_line("firms", 3, "F2,Beta Parts,KOR,KR-26,ISIC4|C29,sme,many,2100,0,2001")},
     [("firms.csv", 3, "employees", "expected a whole number")]),
    ("wrong type float", {"gvc_stages": replace_line("gvc_stages", 2, "F1,rnd,2020,lots")},
     [("gvc_stages.csv", 2, "value_added", "expected a number")]),
    ("negative amount", {"firms": replace_line("firms", 4, "F3,Gamma Works,JPN,JP-13,DEMO|X1,large,800,-56000,0.25,1950")},
     [("firms.csv", 4, "output", "may not be negative")]),
    ("nan amount", {"firm_supply": replace_line("firm_supply", 3, "F4,F1,2020,nan,chips")},
     [("firm_supply.csv", 3, "value", "finite number")]),
    ("infinite amount", {"trade_flows": replace_line("trade_flows", 2, "KOR,VNM,2020,ISIC4|C26,5000,inf,intermediate")},
     [("trade_flows.csv", 2, "weight", "finite number")]),
    ("share above one", {"firms": replace_line("firms", 5, "F4,Delta Assembly,VNM,,ISIC4|C26,sme,120,3300.25,1.6,2012")},
     [("firms.csv", 5, "foreign_share", "<= 1")]),
    ("bad choice", {"firms": replace_line("firms", 2, "F1,Alpha Electronics,KOR,KR-11,ISIC4|C26,giant,12000,950000.5,0.1,1969")},
     [("firms.csv", 2, "size_class", "one of sme, large, tnc")]),
    ("empty required cell", {"persons": replace_line("persons", 3, "P2,,JPN")},
     [("persons.csv", 3, "name", "may not be empty")]),
    ("unknown country", {"firms": replace_line("firms", 5, "F4,Delta Assembly,ZZZ,,ISIC4|C26,sme,120,3300.25,0.6,2012")},
     [("firms.csv", 5, "country", "ISO3 code known to pycountry")]),
    ("unknown region", {"firms": replace_line("firms", 3, "F2,Beta Parts,KOR,KR-99,ISIC4|C29,sme,40,2100,0,2001")},
     [("firms.csv", 3, "region", "Region key")]),
    ("region of another country", {"firms": replace_line("firms", 4, "F3,Gamma Works,JPN,KR-11,DEMO|X1,large,800,56000,0.25,1950")},
     [("firms.csv", 4, "region", "expected a region of JPN")]),
    ("unknown industry", {"trade_flows": replace_line("trade_flows", 3, "VNM,USA,2020,ISIC4|C99,8000,20,final")},
     [("trade_flows.csv", 3, "industry", "Industry key")]),
    ("unknown subdivision code", {"regions": add_line("regions", "JP-99,Nowhere,subdivision,JPN,")},
     [("regions.csv", 4, "key", "ISO 3166-2 code")]),
    ("bad country key", {"countries": add_line("countries", "QQQ,Not a country,QQ,,")},
     [("countries.csv", 3, "key", "ISO 3166-1 alpha-3")]),
    ("duplicate key", {"firms": VALID["firms"] + F[1] + "\n"},
     [("firms.csv", 6, "key", "duplicate key F1 (first on line 2)")]),
    ("duplicate composite key", {"employment": add_line("employment", "P1,F1,founder,1970")},
     [("employment.csv", 5, "person,firm,role", "duplicate key P1|F1|founder (first on line 2)")]),
    ("missing firm", {"firm_supply": replace_line("firm_supply", 4, "F2,F999,2020,50,parts")},
     [("firm_supply.csv", 4, "buyer", "Firm key")]),
    ("missing person", {"employment": replace_line("employment", 4, "P9,F3,expatriate_manager,2015")},
     [("employment.csv", 4, "person", "Person key")]),
    ("missing polymorphic owner", {"ownership": replace_line("ownership", 3, "P7,person,F1,0.2")},
     [("ownership.csv", 3, "owner", "Person key")]),
    ("self supply", {"firm_supply": replace_line("firm_supply", 2, "F1,F1,2020,100,parts")},
     [("firm_supply.csv", 2, "buyer", "two different firms")]),
    ("ownership over 100%", {"ownership": add_line("ownership", "P2,person,F4,0.5")},
     [("ownership.csv", 4, "share", "add up to 1.1000")]),
    ("ragged row", {"persons": replace_line("persons", 2, "P1,Kim Min-jun,KOR,extra")},
     [("persons.csv", 2, None, "has 4 fields; expected 3")]),
    ("bad encoding", {"persons": "key,name,nationality\nP1,Kim,KOR\nP2,S\xe4to,JPN\n".encode("latin-1")},
     [("persons.csv", 3, None, "byte 0xe4 at character 5 is not UTF-8")]),
    ("empty file", {"gvc_stages": b""}, [("gvc_stages.csv", None, None, "is empty")]),
    ("header only", {"gvc_stages": "firm,stage,year,value_added\n"}, [("gvc_stages.csv", None, None, "no data rows")]),
    ("unexpected file", {"firm.csv": "key\nX\n"}, [("firm.csv", None, None, "unexpected file")]),
    ("two problems in two files",
     {"firms": replace_line("firms", 3, "F2,Beta Parts,KOR,KR-26,ISIC4|C29,sme,40,-1,0,2001"),
      "trade_flows": replace_line("trade_flows", 4, "KOR,RoW,2020,ISIC4|J62,300,0,both")},
     [("firms.csv", 3, "output", "may not be negative"), ("trade_flows.csv", 4, "use", "one of intermediate, final")]),
]


@pytest.fixture(scope="module")
def base(driver, schema_applied, tmp_path_factory):
    """A database holding reference data and one valid folder, so 'unchanged' has something to keep."""
    from tests.conftest import wipe
    from loader.tables.load import load_tables

    wipe(driver)
    load_tables(write_folder(tmp_path_factory.mktemp("valid")), source="fixture", progress=False)
    return checksum(driver)


@pytest.mark.parametrize("case,overrides,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_names_file_line_column_and_writes_nothing(driver, base, tmp_path, case, overrides, expected):
    from loader.tables.load import load_tables
    from loader.tables.problems import TablesError

    folder = write_folder(tmp_path / "bad", overrides)
    with pytest.raises(TablesError) as err:
        load_tables(folder, source="bad", progress=False)
    problems = err.value.problems
    for file, line, column, fragment in expected:
        hits = [p for p in problems if (p.file, p.line, p.column) == (file, line, column) and fragment in p.message]
        assert hits, f"no problem {file}:{line} {column} ~ {fragment!r} among:\n{err.value}"
        assert f"{file}:{line}" in str(err.value) if line else file in str(err.value)
    # only the planted problems: a report full of knock-on noise would bury the real one
    assert len(problems) == len(expected), str(err.value)
    assert checksum(driver) == base


def test_parquet_wrong_type_and_nan(driver, base, tmp_path):
    from loader.tables.load import load_tables
    from loader.tables.problems import TablesError

    folder = write_folder(tmp_path / "pq", {"firms": None})
    frame = pd.DataFrame([{"key": "F1", "name": "A", "country": "KOR", "region": "KR-11", "industry": "ISIC4|C26",
                           "size_class": "tnc", "employees": 10, "output": 1.5, "foreign_share": 0.0, "founded": 1990},
                          {"key": "F2", "name": "B", "country": "KOR", "region": None, "industry": "ISIC4|C29",
                           "size_class": "sme", "employees": 10, "output": float("nan"), "foreign_share": 0.0,
                           "founded": 2000}])
    bad = frame.astype({"employees": object})
    bad.loc[1, "employees"] = "ten"
    bad["employees"] = bad["employees"].astype(str)
    bad.to_parquet(folder / "firms.parquet")
    with pytest.raises(TablesError) as err:
        load_tables(folder, progress=False)
    msgs = {(p.file, p.line, p.column) for p in err.value.problems}
    assert ("firms.parquet", 3, "employees") in msgs and ("firms.parquet", 3, "output") in msgs
    # F3 and F4, which other files name, are absent from the parquet file but exist in the database: fine
    assert len(err.value.problems) == 2, str(err.value)
    assert checksum(driver) == base


def test_csv_and_parquet_of_one_table(driver, base, tmp_path):
    from loader.tables.load import load_tables
    from loader.tables.problems import TablesError

    folder = write_folder(tmp_path / "both")
    pd.read_csv(folder / "persons.csv").to_parquet(folder / "persons.parquet")
    with pytest.raises(TablesError) as err:
        load_tables(folder, progress=False)
    assert [p.file for p in err.value.problems] == ["persons.parquet"]
    assert "one file per table" in str(err.value)
    assert checksum(driver) == base


def test_cli_prints_every_problem_and_exits_nonzero(driver, base, tmp_path):
    import subprocess
    import sys

    from tests.conftest import REPO

    folder = write_folder(tmp_path / "cli", CASES[-1][1])
    run = subprocess.run([sys.executable, "-m", "loader", "tables", str(folder), "--quiet"], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "firms.csv:3: column 'output'" in run.stderr and "trade_flows.csv:4: column 'use'" in run.stderr
    assert "nothing was written" in run.stderr
    assert checksum(driver) == base
