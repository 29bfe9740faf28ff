"""A reload that writes nothing shows its work: a progress bar counts the stored records read and
the load's rows compared (loader/graph/plan.py, sinks.collect)."""
from __future__ import annotations

import io

import pytest
from tqdm import tqdm

from tests.support.tables_fixture import write_folder


class Recorder(tqdm):
    """A tqdm that remembers, per bar, its description, final count and postfix."""
    seen: list[dict] = []

    def close(self):
        if not getattr(self, "_recorded", False):   # tqdm closes again when it is garbage-collected
            self._recorded = True
            Recorder.seen.append({"desc": self.desc, "n": self.n, "postfix": self.postfix or "",
                                  "updates": getattr(self, "_updates", 0)})
        super().close()

    def update(self, n=1):
        self._updates = getattr(self, "_updates", 0) + 1
        return super().update(n)


def test_collect_counts_every_record_in_ticks():
    from loader.graph.sinks import TICK, collect

    with tqdm(file=io.StringIO()) as bar:   # a disabled bar would not count
        got = collect(iter(range(2 * TICK + 7)), bar)
        assert got == list(range(2 * TICK + 7))
        assert bar.n == 2 * TICK + 7
    assert collect(iter([1, 2])) == [1, 2]


@pytest.mark.parametrize("commit", ["atomic", "batched"])
def test_reload_bar_counts_records_read_and_rows_compared(empty_db, tmp_path, monkeypatch, commit):
    from loader.graph import write
    from loader.tables.load import load_tables

    folder = write_folder(tmp_path / "fixture")
    load_tables(folder, source="progress", progress=False)
    monkeypatch.setattr(write, "tqdm", Recorder)
    Recorder.seen = []
    # --verify: compare every row even though the store's record says it holds them (tests/test_load_record.py)
    again = load_tables(folder, source="progress", progress=True, commit=commit, verify=True)
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    reading = [b for b in Recorder.seen if b["desc"] == "reading stored records"]
    assert len(reading) == 1, Recorder.seen
    bar = reading[0]
    # every row of a reload is matched by at least one stored record, and every one read is counted
    assert bar["n"] >= again.rows > 30
    assert bar["postfix"] == f"{again.rows:,} of {again.rows:,} rows compared"
    assert bar["updates"] > 10               # it moved while reading, not once at the end
