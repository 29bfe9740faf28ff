"""Tables are read in chunks (loader/tables/read.py): rows, line numbers and messages are those of reading
the whole file, whatever the chunk and block sizes (tiny ones here, so every boundary is crossed)."""
from __future__ import annotations

import pytest

from loader.tables import read
from loader.tables.validate import type_rows

PERSONS = ('key,name,nationality\n'
           'P1,Kim,KOR\n'
           'P2,"Lee\nSeo-yeon",KOR\n'      # a quoted field over two lines: the row starts on line 3
           '\n'
           'P3,Park,KOR\n'
           'P4,"Choi, Jr.",KOR\n'
           'P5,Jung,KOR\n'
           'P6,Kang,KOR,extra\n'
           'P7,Cho,KOR\n')


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setattr(read, "CHUNK_ROWS", 2)
    monkeypatch.setattr(read, "_BLOCK", 7)


def test_chunks_keep_lines_and_rows(tmp_path, tiny):
    (tmp_path / "persons.csv").write_text(PERSONS, encoding="utf-8")
    tables, problems = read.read_folder(tmp_path)
    assert problems == []
    chunks = list(tables["persons"].chunks())
    assert [len(c) for c in chunks] == [2, 2, 2]
    rows = [(line, r["key"], r["name"]) for c in chunks for line, r in c]
    assert rows == [(2, "P1", "Kim"), (3, "P2", "Lee\nSeo-yeon"), (6, "P3", "Park"), (7, "P4", "Choi, Jr."),
                    (8, "P5", "Jung"), (10, "P7", "Cho")]
    assert [str(p) for p in tables["persons"].problems] == ["persons.csv:9: has 4 fields; expected 3 like the header"]


def test_a_byte_that_is_not_utf8_is_found_across_blocks(tmp_path, tiny):
    data = PERSONS.encode("utf-8").replace(b"Jung", b"J\xe4ng")   # line 8, character 5
    (tmp_path / "persons.csv").write_bytes(data)
    _, problems = read.read_folder(tmp_path)
    assert [str(p) for p in problems] == [
        "persons.csv:8: byte 0xe4 at character 5 is not UTF-8; expected a UTF-8 encoded file"]


def test_broken_quoting_after_the_first_chunk_is_the_files_only_problem(tmp_path, tiny):
    (tmp_path / "persons.csv").write_text(PERSONS.replace("P7,Cho", 'P7,"Ch"o'), encoding="utf-8")
    tables, problems = read.read_folder(tmp_path)
    checked = type_rows(tables)
    assert "persons" not in checked.rows
    assert len(checked.problems) == 1 and "is not valid CSV" in str(checked.problems[0])


def test_parquet_rows_are_numbered_like_csv_lines(tmp_path, tiny):
    import pandas as pd

    pd.DataFrame({"key": [f"P{i}" for i in range(5)], "name": ["x"] * 5, "nationality": ["KOR"] * 5}
                 ).to_parquet(tmp_path / "persons.parquet")
    tables, problems = read.read_folder(tmp_path)
    assert problems == []
    chunks = list(tables["persons"].chunks())
    assert [len(c) for c in chunks] == [2, 2, 1]
    assert [line for c in chunks for line, _ in c] == [2, 3, 4, 5, 6]
