"""The shipped WIOD 2013 extracts (data/wiod2013) and the Parquet table format that holds them."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pymrio
import pytest

from loader.mrio.extract import same_table
from loader.mrio.parquet import read_table, write_table
from loader.mrio.read import MrioInputError, read_mrio
from tests.support.mrio_reference import checksum

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "wiod2013"
YEARS = (1995, 2000, 2005, 2008)


def shared_wiod() -> Path | None:
    """The team's shared copy of the source tables: ../shared beside the checkout or a parent of it."""
    for parent in REPO.parents:
        candidate = parent / "shared" / "data" / "wiod2013"
        if candidate.is_dir():
            return candidate
    return None


SHARED = shared_wiod()


@pytest.mark.parametrize("year", YEARS)
def test_extract_in_the_repository_reads_as_a_wiod_table(year):
    t = read_mrio(DATA, "parquet", year=year)
    assert (t.year, t.classification, t.source, t.name) == (year, "WIOD35", "wiod-2013-release", "WIOD 2013 release")
    assert t.Z.shape == (1435, 1435) and t.Y.shape == (1435, 205) and len(t.x) == 1435
    assert len(t.regions) == 41 and len(t.industries) == 35 and "RoW" in t.regions
    assert t.units == "million US dollars, current prices"
    assert "Review of International Economics 23: 575-605" in t.citation
    # whole millions: the values keep their integer type, and rows of Z plus Y give x to within rounding
    assert t.Z.to_numpy().dtype == np.int64
    gap = np.abs(t.Z.sum(axis=1).to_numpy() + t.Y.sum(axis=1).to_numpy() - t.x.to_numpy())
    assert gap.max() <= 0.5 * (t.Z.shape[1] + t.Y.shape[1])
    size = sum(p.stat().st_size for p in (DATA / str(year)).iterdir())
    print(f"\ndata/wiod2013/{year}: {size:,} bytes, {int((t.Z.to_numpy() != 0).sum()):,} non-zero Z")
    assert size < 900_000


@pytest.mark.skipif(SHARED is None, reason="../shared/data/wiod2013 (the source pymrio folders) is not on this machine")
@pytest.mark.parametrize("year", YEARS)
def test_extract_equals_the_shared_pymrio_tables_bit_for_bit(year):
    io = pymrio.load_all(SHARED / str(year), subfolders=[])
    t = read_mrio(DATA, "parquet", year=year)
    for name, theirs, ours in (("Z", io.Z, t.Z), ("Y", io.Y, t.Y), ("x", io.x.iloc[:, 0], t.x)):
        a, b = theirs.to_numpy(), ours.to_numpy()
        assert a.dtype == b.dtype and a.shape == b.shape, name
        assert a.tobytes() == b.tobytes(), f"{name} {year}: not bitwise equal"
        assert theirs.index.equals(ours.index), name
    assert io.Z.columns.equals(t.Z.columns) and io.Y.columns.equals(t.Y.columns)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "loader", "mrio", *map(str, args)], cwd=REPO,
                          env=dict(os.environ), capture_output=True, text=True, timeout=300)


@pytest.fixture
def small(tmp_path):
    """pymrio's test system in both the pymrio layout and the Parquet table format."""
    io = pymrio.load_test()
    io.x = io.Z.sum(axis=1).to_frame("indout") + io.Y.sum(axis=1).to_frame("indout").values
    folder = tmp_path / "testmrio-2011"
    io.save(folder)
    t = read_mrio(folder, "pymrio")
    write_table(t, tmp_path / "pq", units="million EUR (made up)", citation="pymrio test system")
    return folder, tmp_path / "pq"


def test_parquet_round_trip_and_load_equal_the_pymrio_load(empty_db, small):
    folder, pq_folder = small
    a, b = read_mrio(folder, "pymrio"), read_mrio(pq_folder, "parquet")
    assert same_table(a, b) == []
    assert b.synthetic and b.units == "million EUR (made up)"
    r = _cli(folder, "--format", "pymrio", "--quiet")
    assert r.returncode == 0, r.stderr
    by_pymrio = checksum(empty_db)
    r = _cli(pq_folder, "--format", "parquet", "--quiet")
    assert r.returncode == 0, r.stderr
    assert "created         0" in r.stdout          # the same graph: nothing new to write
    assert checksum(empty_db) == by_pymrio


def _edit_parquet(file: Path, edit):
    t = pq.read_table(file)
    pq.write_table(edit(t), file)


def _set_json(folder: Path, **changes):
    meta = json.loads((folder / "table.json").read_text())
    meta.update(changes)
    (folder / "table.json").write_text(json.dumps(meta))


BAD = {
    "no_table_json": (lambda d: (d / "table.json").unlink(), "table.json: missing"),
    "json_garbage": (lambda d: (d / "table.json").write_text("{oops"), "table.json: not valid JSON"),
    "wrong_format": (lambda d: _set_json(d, format="csv"), "field 'format' is 'csv'"),
    "no_units": (lambda d: _set_json(d, units=""), "field 'units' is ''"),
    "no_Z": (lambda d: (d / "Z.parquet").unlink(), "Z.parquet: missing"),
    "Z_not_parquet": (lambda d: (d / "Z.parquet").write_text("row,col,value\n"), "Z.parquet: not a readable Parquet"),
    "Z_row_out_of_range": (lambda d: _edit_parquet(d / "Z.parquet", lambda t: t.set_column(
        0, "row", pa.array(np.r_[[60000], t.column("row").to_numpy()[1:]].astype(np.uint16)))),
        "Z.parquet: line 1: row 60000 is outside 0..47"),
    "Z_repeated_cell": (lambda d: _edit_parquet(d / "Z.parquet", lambda t: t.set_column(
        1, "col", pa.array(np.r_[t.column("col").to_numpy()[:1], t.column("col").to_numpy()[:-1]]))),
        "is listed again"),
    "Y_text_values": (lambda d: _edit_parquet(d / "Y.parquet", lambda t: t.set_column(
        2, "value", pa.array([str(v) for v in t.column("value").to_pylist()]))),
        "Y.parquet: column 'value' has type string"),
    "nnz_mismatch": (lambda d: _set_json(d, nnz_Z=3), "Z.parquet: holds"),
    "sector_count": (lambda d: _set_json(d, n_sectors=47), "sectors.parquet: has 48 rows, table.json says n_sectors = 47"),
    "x_negative": (lambda d: _edit_parquet(d / "sectors.parquet", lambda t: t.set_column(
        2, "x", pa.array(-t.column("x").to_numpy()))), "sectors.parquet: gross output x is negative"),
    "pipe_in_name": (lambda d: _edit_parquet(d / "sectors.parquet", lambda t: t.set_column(
        1, "sector", pa.array(["a|b"] + t.column("sector").to_pylist()[1:]))), "contains '|'"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_parquet_table_names_the_file_and_writes_nothing(empty_db, small, case):
    folder, pq_folder = small
    assert _cli(pq_folder, "--format", "parquet", "--quiet").returncode == 0
    before = checksum(empty_db)
    spoil, expected = BAD[case]
    spoil(pq_folder)
    with pytest.raises(MrioInputError) as info:
        read_mrio(pq_folder, "parquet")
    assert expected in str(info.value)
    r = _cli(pq_folder, "--format", "parquet", "--quiet")
    assert r.returncode == 1 and expected in r.stderr
    assert checksum(empty_db) == before


def test_year_selection_in_a_data_set_folder(tmp_path):
    with pytest.raises(MrioInputError, match=r"years 1995, 2000, 2005, 2008: pass --year"):
        read_mrio(DATA, "parquet")
    with pytest.raises(MrioInputError, match=r"no table for 2001 .*years here: 1995, 2000, 2005, 2008"):
        read_mrio(DATA, "parquet", year=2001)
    copy = tmp_path / "1995"
    shutil.copytree(DATA / "1995", copy)
    with pytest.raises(MrioInputError, match="field 'year' is 1995, but --year 1996"):
        read_table(copy, year=1996)


def test_extract_command_rebuilds_a_year_exactly(tmp_path, small):
    folder, _ = small
    r = subprocess.run([sys.executable, "-m", "loader.mrio.extract", str(folder), str(tmp_path / "out"),
                        "--format", "pymrio", "--units", "M.EUR", "--citation", "test"],
                       cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "read back identical" in r.stdout
    assert same_table(read_mrio(folder, "pymrio"), read_mrio(tmp_path / "out", "parquet")) == []


@pytest.mark.slow
@pytest.mark.long
def test_shipped_2008_extract_loads_every_flow(empty_db):
    """The real table from the repository alone: every non-zero flow becomes one SUPPLIES edge."""
    from tests.support.mrio_reference import supplies

    r = _cli(DATA, "--format", "parquet", "--year", "2008", "--quiet")
    assert r.returncode == 0, r.stderr
    t = read_mrio(DATA, "parquet", year=2008)
    z = t.Z.to_numpy()
    edges = supplies(empty_db, 2008)
    assert len(edges) == int((z != 0).sum()) == 429_265
    pos = {f"{c}|{s}": i for i, (c, s) in enumerate(t.Z.index)}
    i, j = edges["s"].map(pos).to_numpy(), edges["t"].map(pos).to_numpy()
    np.testing.assert_array_equal(edges["value"].to_numpy(), z[i, j].astype(float))
    ds = empty_db.execute_query("MATCH (d:Dataset {key: 'wiod-2013-release'}) RETURN d.name AS n",
                                database_="neo4j").records
    assert ds[0]["n"] == "WIOD 2013 release"
