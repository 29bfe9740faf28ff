"""The transactional writer plans and writes column-held rows (a large table folder's firms and supply links)
a chunk at a time, never holding them all as dicts: the graph it leaves equals the one the dict path leaves,
on a first load, a reload that changes nothing, a reload that changes a firm and a link, and a second folder
adding links to a year already stored (their years' shares recomputed from the stored links as columns).
Against a real Neo4j; shares checked with pandas from the files."""
from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import wipe
from tests.support.graph_dump import graph_dump

FIRMS_AT = 400


def _folder(path, n: int = FIRMS_AT, seed: int = 5, first: int = 0):
    """A generated firm folder; ``first`` shifts the firm keys so two folders hold different firms."""
    from bench.firm_graph import generate

    g = generate(n, seed)
    firms, supply = g["firms"].copy(), g["firm_supply"].copy()
    if first:
        def shift(k: pd.Series) -> pd.Series:
            return "F" + (k.str[1:].astype(int) + first).map("{:07d}".format)

        firms["key"] = shift(firms["key"])
        supply["supplier"], supply["buyer"] = shift(supply["supplier"]), shift(supply["buyer"])
    supply.loc[supply.index % 4 == 0, "year"] = 2021   # two years, each with its own shares
    path.mkdir(parents=True)
    firms.to_csv(path / "firms.csv", index=False)
    supply.to_csv(path / "firm_supply.csv", index=False)
    return path


class Materialized:
    """Which column-held rows were made into dicts all at once (what the streaming path avoids)."""

    def __init__(self, monkeypatch, streams: bool = True):
        from loader.graph.rows import NodeRows, RelRows

        self.names: list[str] = []
        for cls in (NodeRows, RelRows):
            real = cls.materialize

            def materialize(rows, _real=real):
                if rows.columns is not None:
                    self.names.append(getattr(rows, "label", None) or rows.name)
                return _real(rows)

            monkeypatch.setattr(cls, "materialize", materialize)
            if not streams:
                monkeypatch.setattr(cls, "streams", lambda rows: False)


@pytest.fixture
def small_batches(monkeypatch):
    """Chunks and batches of a few dozen rows, so a few hundred firms span many of them (and a start key's
    links meet a chunk's edge)."""
    from loader.graph import plan, write

    monkeypatch.setattr(plan, "DIGEST_BATCH", 37)
    monkeypatch.setattr(write, "NODE_BATCH", 29)
    monkeypatch.setattr(write, "REL_BATCH", 53)


def _load(folder, commit: str = "auto", verify: bool = False):
    from loader.tables.load import load_tables

    return load_tables(folder, source="stream-test", progress=False, commit=commit, bulk=False, verify=verify)


def _shares_from_files(*folders) -> pd.DataFrame:
    links = pd.concat([pd.read_csv(f / "firm_supply.csv", dtype={"supplier": str, "buyer": str})
                       for f in folders])
    links["a"] = links["value"] / links.groupby(["buyer", "year"])["value"].transform("sum")
    links["b"] = links["value"] / links.groupby(["supplier", "year"])["value"].transform("sum")
    return links.set_index(["supplier", "buyer", "year", "product"])[["a", "b"]].sort_index()


def _stored_shares(driver) -> pd.DataFrame:
    recs, _, _ = driver.execute_query("MATCH (s:Firm)-[r:SUPPLIES]->(b:Firm) RETURN s.key AS supplier, "
                                      "b.key AS buyer, r.year AS year, r.product AS product, r.a AS a, r.b AS b",
                                      database_="neo4j")
    return pd.DataFrame([dict(r) for r in recs]).set_index(["supplier", "buyer", "year", "product"]).sort_index()


@pytest.mark.parametrize("commit", ["atomic", "batched"])
def test_streamed_first_load_and_reload_equal_the_dict_path(empty_db, tmp_path, monkeypatch, small_batches, commit):
    import gc

    from loader.graph import plan, write

    folder = _folder(tmp_path / "firms")
    seen = Materialized(monkeypatch)
    collecting, real_apply = [], write._apply
    made, real_iter = [], plan._Lazy.__iter__

    def lazy_iter(chunk):
        made.append(len(chunk))
        return real_iter(chunk)

    monkeypatch.setattr(plan._Lazy, "__iter__", lazy_iter)

    def apply(*args):
        collecting.append(gc.isenabled())
        return real_apply(*args)

    monkeypatch.setattr(write, "_apply", apply)
    was = gc.isenabled()
    first = _load(folder, commit)
    # the load pauses the collector while it builds rows, and runs it while it writes (the driver's garbage)
    assert collecting == [True] and gc.isenabled() == was
    assert seen.names == [], seen.names
    # nothing of a first load was stored: no chunk was made into dicts to be compared
    assert made == [], made
    assert first.created["Firm"] == FIRMS_AT and first.created["SUPPLIES"] > 4 * FIRMS_AT
    streamed = graph_dump(empty_db)
    pd.testing.assert_frame_equal(_stored_shares(empty_db), _shares_from_files(folder), rtol=1e-13, atol=0)

    again = _load(folder, commit, verify=True)   # compare every row, not the load's record
    assert seen.names == []
    assert sum(made) >= 2 * FIRMS_AT   # a reload compares every chunk: firms and their links, chunk by chunk
    assert sum(again.created.values()) + sum(again.updated.values()) + sum(again.deleted.values()) == 0, \
        again.render()
    assert graph_dump(empty_db) == streamed

    wipe(empty_db)
    Materialized(monkeypatch, streams=False)
    as_dicts = _load(folder, commit)
    assert dict(as_dicts.created) == dict(first.created)
    assert graph_dump(empty_db) == streamed


@pytest.mark.parametrize("order", ["by supplier", "shuffled"])
def test_streamed_reload_with_changes_and_a_second_folder(empty_db, tmp_path, monkeypatch, small_batches, order):
    """A changed firm name and link value, then a second folder's firms and links into the same years (its links
    reach the first folder's firms): what is written, and the graph, equal the dict path's. ``loader tables``
    hands the links over by supplier; "shuffled" hands them over in any order (as another producer might): the
    writer then groups them itself and sums created links' shares in the order given, as the dict path does."""
    import numpy as np

    if order == "shuffled":
        from loader.tables import rows as table_rows

        # the same order for the same folder in both runs below, so both sum in one order
        monkeypatch.setattr(table_rows, "_by_supplier", lambda links: links.take(
            np.random.default_rng(links.num_rows).permutation(links.num_rows)))
    base = _folder(tmp_path / "base")
    changed = tmp_path / "changed"
    changed.mkdir()
    firms = pd.read_csv(base / "firms.csv", dtype=str, keep_default_na=False)
    firms.loc[17, "name"] = "Renamed Firm"
    firms.to_csv(changed / "firms.csv", index=False)
    links = pd.read_csv(base / "firm_supply.csv", dtype={"supplier": str, "buyer": str})
    links.loc[23, "value"] = links.loc[23, "value"] * 3
    links.to_csv(changed / "firm_supply.csv", index=False)
    other = _folder(tmp_path / "other", n=150, seed=9, first=FIRMS_AT)
    more = pd.read_csv(other / "firm_supply.csv", dtype={"supplier": str, "buyer": str})
    more.loc[:9, "buyer"] = [f"F{i:07d}" for i in range(10)]   # links into the first folder's firms
    more = more.drop_duplicates(["supplier", "buyer", "year", "product"])
    more.to_csv(other / "firm_supply.csv", index=False)

    def run(streams: bool):
        seen = Materialized(monkeypatch, streams)
        _load(base)
        summaries = [_load(changed), _load(other)]
        return seen.names, summaries, graph_dump(empty_db)

    names, streamed, dump = run(True)
    # the changed link and the second folder's links into stored years are diffed chunk by chunk and their
    # years' shares recomputed from the stored links as columns: no row becomes a dict all at once
    assert names == [], names
    assert streamed[0].updated["Firm"] == 1 and streamed[0].updated["SUPPLIES"] == 1
    assert streamed[1].created["Firm"] == 150
    assert any("shares a/b recomputed" in n for n in streamed[1].notes), streamed[1].notes
    pd.testing.assert_frame_equal(_stored_shares(empty_db), _shares_from_files(changed, other), rtol=1e-13, atol=0)
    again = _load(other)
    assert sum(again.created.values()) + sum(again.updated.values()) == 0, again.render()
    assert graph_dump(empty_db) == dump

    wipe(empty_db)
    _, as_dicts, dict_dump = run(False)
    for s, d in zip(streamed, as_dicts):
        assert (dict(s.created), dict(s.updated), s.shares_set) == (dict(d.created), dict(d.updated), d.shares_set)
    # the second folder's links move the shares of stored links it does not carry; the summary says how many
    assert streamed[1].shares_set > 0
    assert f"shares a/b set on {streamed[1].shares_set:,} more stored links" in streamed[1].render()
    assert dump == dict_dump
