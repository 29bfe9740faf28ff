"""`python -m loader mrio` on saved pymrio folders: good and bad files, against a real Neo4j."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pymrio
import pytest

from loader.mrio.read import MrioInputError, read_mrio
from tests.support.mrio_reference import checksum

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def saved(tmp_path):
    """pymrio's test system saved in the load_all layout, as '<tmp>/testmrio-2011'."""
    io = pymrio.load_test()
    io.x = io.Z.sum(axis=1).to_frame("indout") + io.Y.sum(axis=1).to_frame("indout").values
    folder = tmp_path / "testmrio-2011"
    io.save(folder)          # core system only: Z, Y, x, file_parameters.json, metadata.json
    return folder


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "loader", "mrio", *map(str, args)], cwd=REPO,
                          env=dict(os.environ), capture_output=True, text=True, timeout=300)


def test_cli_loads_a_saved_folder_and_reports(empty_db, saved):
    r = _cli(saved, "--format", "pymrio", "--quiet")
    assert r.returncode == 0, r.stderr
    assert "SUPPLIES" in r.stdout and "relationships/s" in r.stdout
    n = empty_db.execute_query("MATCH (y:SectorYear {year: 2011}) RETURN count(y) AS n").records[0]["n"]
    assert n == 48                      # year taken from the folder name
    again = _cli(saved, "--format", "pymrio", "--quiet")
    assert again.returncode == 0 and "created         0" in again.stdout


def _rewrite(path: Path, edit):
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(edit(lines)))


def _set_cell(row: int, col: int, value: str):
    """Edit one cell of a pymrio text file (Z/Y: 3 header lines, x: 1; two index columns)."""
    def edit(lines):
        cells = lines[row].split("\t")
        cells[col] = value
        return lines[:row] + ["\t".join(cells)] + lines[row + 1:]
    return edit


BAD = {
    "no_parameters": (lambda d: (d / "file_parameters.json").unlink(), "file_parameters.json: missing"),
    "no_Z": (lambda d: (d / "Z.txt").unlink(), "Z.txt: missing"),
    "Z_not_square": (lambda d: _rewrite(d / "Z.txt", lambda l: [ln.rsplit("\t", 1)[0] + "\n" for ln in l]),
                     "Z.txt: Z must be square"),
    "Y_short": (lambda d: _rewrite(d / "Y.txt", lambda l: l[:-1]), "Y.txt: Y has 47 rows, expected 48"),
    "Z_nan": (lambda d: _rewrite(d / "Z.txt", _set_cell(3, 3, "nan")), "Z.txt: Z has 1 NaN/inf"),
    "x_negative": (lambda d: _rewrite(d / "x.txt", _set_cell(1, 2, "-5\n")), "x.txt: gross output x is negative"),
    "params_garbage": (lambda d: (d / "file_parameters.json").write_text("{not json"), "not a pymrio parameter"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_folder_names_the_file_and_leaves_database_unchanged(empty_db, saved, case):
    assert _cli(saved, "--format", "pymrio", "--quiet").returncode == 0
    before = checksum(empty_db)
    spoil, expected = BAD[case]
    spoil(saved)
    with pytest.raises(MrioInputError) as info:
        read_mrio(saved, "pymrio")
    assert expected in str(info.value)
    r = _cli(saved, "--format", "pymrio", "--quiet")
    assert r.returncode == 1 and expected in r.stderr
    assert checksum(empty_db) == before


def test_unknown_format_and_missing_year_are_explained(tmp_path, saved):
    with pytest.raises(MrioInputError, match="expected one of pymrio, oecd, wiod, exiobase"):
        read_mrio(saved, "csv")
    plain = saved.rename(tmp_path / "no-year-here")
    meta = json.loads((plain / "metadata.json").read_text())
    assert "20" not in meta["name"]
    with pytest.raises(MrioInputError, match="pass --year"):
        read_mrio(plain, "pymrio")
    assert read_mrio(plain, "pymrio", year=1999).year == 1999
