"""The column-wise path for large tables (loader/tables/columns.py) against the row-wise checker, without a database.

It may only ever make a load faster: on a clean table it gives exactly the row-wise checker's typed values and
graph rows; on anything it is not sure of it answers "check row by row"; the row-wise checker stays the one that
words problems (tests/test_tables_errors.py runs every bad-input case through the whole load).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from loader.graph.bulk import write_import_files
from loader.graph.rows import GraphRows
from loader.graph.shares import _shares, shares_by_codes
from loader.tables import columns
from loader.tables.read import read_folder
from loader.tables.rows import tables_graph
from loader.tables.validate import type_rows
from tests.support.tables_fixture import VALID

FIRMS = VALID["firms"]
SUPPLY = VALID["firm_supply"]
HEAD = FIRMS.splitlines()[0]


def _tables(folder, files: dict[str, str | bytes]):
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / (name if "." in name else f"{name}.csv")
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    tables, problems = read_folder(folder)
    assert problems == []
    return tables


def _both(tables, stem):
    """(the column-wise typed rows or None, the row-wise typed rows)."""
    typed = columns.type_table(tables[stem])
    rows = type_rows({stem: tables[stem]})
    return (typed.to_pylist() if typed is not None else None), rows


def _generated(n: int = 300, seed: int = 3) -> dict[str, str]:
    from bench.firm_graph import generate

    g = generate(n, seed)
    firms = g["firms"].copy()
    firms.loc[firms.index % 7 == 0, "region"] = "KR-11"
    firms.loc[firms.index % 7 == 0, "country"] = "KOR"
    firms.loc[3, "name"] = 'Firm "Three", Ltd'          # quotes and a comma: quoted by the CSV writer
    firms.loc[5, "name"] = "Firm\nover two lines"
    supply = g["firm_supply"]
    supply.loc[supply.index % 5 == 0, "year"] = 2021
    return {"firms": firms.to_csv(index=False), "firm_supply": supply.to_csv(index=False)}


CLEAN = {
    "fixture": {"firms": FIRMS, "firm_supply": SUPPLY},
    "crlf and bom": {"firms": b"\xef\xbb\xbf" + FIRMS.replace("\n", "\r\n").encode(), "firm_supply": SUPPLY},
    "numbers in all their plain forms": {"firms": FIRMS.replace("950000.5", "9.500005e5").replace("0.1,", ".1,")
                                         .replace(",2100,", ",2100.,").replace(",12000,", ",0012000,")},
}


@pytest.mark.parametrize("case", sorted(CLEAN))
def test_clean_tables_give_the_row_wise_values(tmp_path, case):
    tables = _tables(tmp_path, CLEAN[case])
    for stem in CLEAN[case]:
        fast, rows = _both(tables, stem)
        assert rows.problems == []
        assert fast == [r for _, r in rows.rows[stem]], stem


def test_generated_tables_give_the_row_wise_values_and_graph_rows(tmp_path):
    tables = _tables(tmp_path, _generated())
    typed = {stem: columns.type_table(tables[stem]) for stem in ("firms", "firm_supply")}
    assert all(t is not None for t in typed.values())
    rows = type_rows(tables)
    assert rows.problems == []
    for stem, t in typed.items():
        assert t.to_pylist() == [r for _, r in rows.rows[stem]]
    by_rows = tables_graph(rows.rows, "src")
    by_columns = tables_graph({}, "src", typed)
    assert by_columns.rels[("SUPPLIES", "Firm", "Firm")].columns is not None   # held as columns until asked
    by_columns.materialize()
    assert set(by_rows.nodes) == set(by_columns.nodes) and set(by_rows.rels) == set(by_columns.rels)
    for label in by_rows.nodes:
        assert by_columns.nodes[label].rows == by_rows.nodes[label].rows, label
    for k in by_rows.rels:
        assert by_columns.rels[k].rows == by_rows.rels[k].rows, k


def test_parquet_tables_give_the_row_wise_values(tmp_path):
    src = _tables(tmp_path / "csv", _generated(120))
    folder = tmp_path / "pq"
    folder.mkdir()
    for stem, table in src.items():
        df = pd.read_csv(table.path, keep_default_na=False)
        if "region" in df:
            df["region"] = df["region"].replace("", None)
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), folder / f"{stem}.parquet")
    tables, _ = read_folder(folder)
    for stem in ("firms", "firm_supply"):
        fast, rows = _both(tables, stem)
        assert rows.problems == []
        assert fast is not None and fast == [r for _, r in rows.rows[stem]], stem


def _line(stem: str, i: int, new: str) -> str:
    lines = VALID[stem].splitlines()
    lines[i] = new
    return "\n".join(lines) + "\n"


# tables the column-wise path must hand to the row-wise checker (which may accept or refuse them)
DOUBTFUL = {
    "space at a cell's edge": ("firms", _line("firms", 1, "F1, Alpha Electronics,KOR,KR-11,ISIC4|C26,tnc,12000,950000.5,0.1,1969")),
    "non-breaking space": ("firms", _line("firms", 1, "F1,Alpha Electronics\u00a0,KOR,KR-11,ISIC4|C26,tnc,12000,950000.5,0.1,1969")),
    "signed whole number": ("firms", _line("firms", 1, "F1,Alpha,KOR,KR-11,ISIC4|C26,tnc,+12000,950000.5,0.1,1969")),
    "decimal in a whole-number column": ("firms", _line("firms", 1, "F1,Alpha,KOR,KR-11,ISIC4|C26,tnc,12000.0,950000.5,0.1,1969")),
    "underscore in a number": ("firm_supply", _line("firm_supply", 1, "F2,F1,2020,1_000,parts")),
    "non-ASCII digits": ("firm_supply", _line("firm_supply", 1, "F2,F1,2020,\u0661\u0662,parts")),
    "text after a closing quote": ("firm_supply", _line("firm_supply", 1, 'F2,F1,2020,100,"parts"x')),
    "nan": ("firm_supply", _line("firm_supply", 1, "F2,F1,2020,nan,parts")),
    "overflowing number": ("firm_supply", _line("firm_supply", 1, "F2,F1,2020,1e999,parts")),
    "empty required cell": ("firm_supply", _line("firm_supply", 1, "F2,F1,2020,,parts")),
    "blank record": ("firm_supply", SUPPLY + ",,,,\n"),
    "not a choice": ("firms", _line("firms", 1, "F1,Alpha,KOR,KR-11,ISIC4|C26,giant,12000,950000.5,0.1,1969")),
    "below the minimum": ("firms", _line("firms", 1, "F1,Alpha,KOR,KR-11,ISIC4|C26,tnc,12000,-1,0.1,1969")),
    "above the maximum": ("firms", _line("firms", 1, "F1,Alpha,KOR,KR-11,ISIC4|C26,tnc,12000,5,1.5,1969")),
    "duplicate key": ("firm_supply", SUPPLY + "F2,F1,2020,7,parts\n"),
    "ragged record": ("firm_supply", _line("firm_supply", 1, "F2,F1,2020,100,parts,extra")),
    "retired or unknown column": ("firms", FIRMS.replace("founded", "founded_in")),
}


@pytest.mark.parametrize("case", sorted(DOUBTFUL))
def test_doubtful_tables_are_checked_row_by_row(tmp_path, case):
    stem, text = DOUBTFUL[case]
    tables = _tables(tmp_path, {stem: text})
    assert columns.type_table(tables[stem]) is None


def test_parquet_nan_and_other_types(tmp_path):
    base = pd.read_csv(pd.io.common.StringIO(SUPPLY))
    cases = {"nan": base.assign(value=[1.0, np.nan, 3.0, 4.0, 5.0]),
             "float year": base.assign(year=base["year"].astype(float)),
             "text year": base.assign(year=base["year"].astype(str))}
    for name, df in cases.items():
        folder = tmp_path / name.replace(" ", "-")
        folder.mkdir()
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), folder / "firm_supply.parquet")
        tables, _ = read_folder(folder)
        fast, rows = _both(tables, "firm_supply")
        if name == "text year":   # text cells are read as a CSV's are, by both
            assert fast == [r for _, r in rows.rows["firm_supply"]]
        else:                     # row by row: a NaN is a problem here; a whole float is a year there
            assert fast is None, name


def test_references_and_row_rules(tmp_path):
    tables = _tables(tmp_path, {"firms": FIRMS, "firm_supply": SUPPLY})
    firms, supply = columns.type_table(tables["firms"]), columns.type_table(tables["firm_supply"])
    firm_keys = firms.column("key").combine_chunks()
    exists = {"firm": firm_keys, "country": pa.array(["KOR", "JPN", "VNM"]),
              "region": pa.array(["KR-11", "KR-26", "JP-13"]), "industry": pa.array(["ISIC4|C26", "ISIC4|C29", "DEMO|X1"])}
    where = {"KR-11": "KOR", "KR-26": "KOR", "JP-13": "JPN"}
    assert columns.check_rules("firms", firms, exists, where)
    assert columns.check_rules("firm_supply", supply, exists, where)
    assert not columns.check_rules("firms", firms, exists, {**where, "KR-26": "JPN"})        # region elsewhere
    assert not columns.check_rules("firms", firms, {**exists, "country": pa.array(["KOR", "JPN"])}, where)
    assert not columns.check_rules("firm_supply", supply, {**exists, "firm": firm_keys.slice(1)}, where)
    self_supply = _tables(tmp_path / "self", {"firm_supply": SUPPLY + "F3,F3,2020,1,parts\n"})
    assert not columns.check_rules("firm_supply", columns.type_table(self_supply["firm_supply"]), exists, where)
    # what the table names beyond the keys column-held tables define
    assert columns.references("firm_supply", supply, {"firm": firm_keys.slice(0, 2)}) == {"firm": {"F3", "F4"}}


def test_shares_by_codes_are_the_same_bits():
    rng = np.random.default_rng(5)
    n = 20_000
    sellers, buyers = rng.integers(0, 900, n), rng.integers(0, 900, n)
    years = rng.choice([2019, 2020, 2021], n)
    values = rng.lognormal(3, 1.5, n)
    a, b = _shares([f"F{s}" for s in sellers], [f"F{x}" for x in buyers], years.tolist(), values)
    a2, b2 = shares_by_codes(sellers, buyers, years, values)
    assert np.array_equal(a, a2) and np.array_equal(b, b2)
    # and against an independent sum: every buyer's a over a year adds to 1
    frame = pd.DataFrame({"buyer": buyers, "year": years, "a": a2})
    assert np.allclose(frame.groupby(["buyer", "year"])["a"].sum(), 1.0, rtol=0, atol=1e-12)


def _import_data(folder) -> dict[str, list]:
    """Each import file's rows (header names with types), sorted: what the import would store."""
    import json

    manifest = json.loads((folder / "manifest.json").read_text())
    out = {}
    for group in ("nodes", "relationships"):
        for name, head, data in manifest[group]:
            header = open(head).read().strip().split(",")
            t = pcsv.read_csv(data, read_options=pcsv.ReadOptions(column_names=header),
                              convert_options=pcsv.ConvertOptions(column_types={h: pa.string() for h in header},
                                                                  strings_can_be_null=True))
            out[f"{group}:{name}"] = sorted(tuple(sorted((k, v) for k, v in r.items() if v is not None))
                                            for r in t.to_pylist())
    return out


def test_import_files_of_columns_equal_those_of_rows(tmp_path):
    tables = _tables(tmp_path / "in", _generated(200))
    typed = {stem: columns.type_table(tables[stem]) for stem in ("firms", "firm_supply")}
    rows = type_rows(tables)
    by_rows = GraphRows().extend(tables_graph(rows.rows, "src"))
    by_columns = GraphRows().extend(tables_graph({}, "src", typed))
    assert by_columns.nodes["Firm"].columns is not None
    # the reference nodes both need (the import checks every end)
    for g in (by_rows, by_columns):
        for label, keys in (("Country", {"KOR", *map(str, typed["firms"].column("country").to_pylist())}),
                            ("Industry", set(typed["firms"].column("industry").to_pylist())), ("Region", {"KR-11"})):
            for k in sorted(keys):
                g.node_rows(label).add(k, name=k)
    write_import_files(by_rows, tmp_path / "rows")
    write_import_files(by_columns, tmp_path / "columns")
    assert _import_data(tmp_path / "rows") == _import_data(tmp_path / "columns")


def test_column_held_rows_keep_their_order_when_rows_are_added_after_them():
    from loader.graph.rows import Columns, RelRows

    rr = RelRows("SUPPLIES", "Firm", "Firm", ("year", "product"))
    rr.columns = Columns(pa.table({"from": ["A", "B"], "to": ["B", "C"], "year": [2020, 2020],
                                   "product": ["x", None], "value": [1.5, 2.0]}),
                         {"source": "s"}, ("year", "product", "value", "source"), unique=True)
    assert rr.count() == 2 and rr.rows == []
    rr.add("C", "A", year=2021, product="y", value=3.0, source="s")
    assert rr.columns is None and [r["from"] for r in rr.rows] == ["A", "B", "C"]
    assert rr.rows[1] == {"from": "B", "to": "C", "id": {"year": 2020, "product": None},
                          "props": {"value": 2.0, "source": "s"}}
