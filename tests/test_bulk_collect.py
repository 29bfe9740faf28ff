"""The collection of several loads for one bulk import (loader/graph/collect.py), without a database:
nodes and relationships merged across loads as sequential ``SET += props`` writes would leave them
(worked by hand below), Dataset versions counted per load, load order kept across threads, and a
replaced slice collected twice refused."""
from __future__ import annotations

import threading
import time

import pytest

from loader.graph.bulk import BulkRefused
from loader.graph.collect import Collector, collecting
from loader.graph.rows import GraphRows, dataset_rows


def _load(source: str, at: str) -> GraphRows:
    g = GraphRows()
    g.nodes["Dataset"] = dataset_rows(source, source, False, f"{source} at {at}", at)
    return g


def test_nodes_merge_across_loads_in_order():
    c = Collector()
    a = _load("ref", "2026-01-01T00:00:00+00:00")
    a.node_rows("Country").add("KOR", name="Korea", iso2="KR")
    a.node_rows("Country").add("JPN", name="Japan", iso2="JP")
    c.add(a, "a")
    b = _load("table", "2026-01-02T00:00:00+00:00")
    b.node_rows("Country", fill_only=True).add("KOR", name="Korea (table)")   # stored: left as it is
    b.node_rows("Country", fill_only=True).add("ROW", name="Rest of world")    # new: created
    b.node_rows("Region", fill_only=True).add("KR-11", name="Seoul", kind="subdivision", country="KOR")
    b.node_rows("Region", fill_only=True).add("KR-ECON-CAPITAL", name="Capital", kind="economic_region")
    b.rel_rows("PART_OF", "Region", "Region").add("KR-11", "KR-ECON-CAPITAL")
    c.add(b, "b")
    d = _load("ref", "2026-01-03T00:00:00+00:00")
    d.node_rows("Country").add("JPN", name="Nippon", iso2=None)                 # += : None removes iso2
    c.add(d, "d")
    nodes, rels = c.merged()
    country = {r["key"]: r["props"] for r in nodes["Country"].rows}
    assert country == {"KOR": {"name": "Korea", "iso2": "KR"}, "JPN": {"name": "Nippon", "iso2": None},
                       "ROW": {"name": "Rest of world"}}
    datasets = {r["key"]: r for r in nodes["Dataset"].rows}
    # loaded_at: the first load's; description: the last load's; data_version: loads that changed records
    assert datasets["ref"]["loaded_at"] == "2026-01-01T00:00:00+00:00"
    assert datasets["ref"]["props"]["description"] == "ref at 2026-01-03T00:00:00+00:00"
    assert datasets["ref"]["props"]["data_version"] == 2 and datasets["table"]["props"]["data_version"] == 1
    assert c.props("Country", "JPN") == {"name": "Nippon"} and c.keys("Country") == {"KOR", "JPN", "ROW"}
    assert c.rel_ends("PART_OF", "Region", "Region") == [("KR-11", "KR-ECON-CAPITAL")]


def test_a_load_that_changes_nothing_keeps_the_version():
    c = Collector()
    a = _load("ref", "t1")
    a.node_rows("Country").add("KOR", name="Korea")
    c.add(a, "a")
    b = _load("ref", "t2")
    b.node_rows("Country").add("KOR", name="Korea")
    c.add(b, "b")
    nodes, _ = c.merged()
    assert nodes["Dataset"].rows[0]["props"]["data_version"] == 1


def test_relationships_of_one_identity_merge_in_load_order():
    c = Collector()
    for value, extra in ((1.0, {"note": "first"}), (2.0, {})):
        g = _load("s", "t")
        g.node_rows("Country").add("A", name="A")
        g.node_rows("Country").add("B", name="B")
        g.rel_rows("EXPORTS", "Country", "Country", ("year",)).add("A", "B", year=2000, value=value, **extra)
        c.add(g, "g")
    _, rels = c.merged()
    (rr,) = rels
    from loader.graph.bulk import _rel_columns

    frm, to, cols = _rel_columns(rr)
    assert (frm, to) == (["A"], ["B"])
    assert cols == {"year": [2000], "value": [2.0], "note": ["first"]}


def test_years_in_common_properties_stay_separate_files():
    c = Collector()
    for year in (2000, 2001):
        g = _load("s", "t")
        g.node_rows("Country").add("A", name="A")
        g.rel_rows("EXPORTS", "Country", "Country", ("source", "year"), common={"source": "s", "year": year},
                   replace=("source", "year")).add("A", "A", value=1.0)
        c.add(g, "g")
    _, rels = c.merged()
    assert [r.common["year"] for r in rels] == [2000, 2001]


def test_a_replaced_slice_collected_twice_is_refused():
    c = Collector()
    for _ in range(2):
        g = _load("s", "t")
        g.node_rows("Country").add("A", name="A")
        g.rel_rows("EXPORTS", "Country", "Country", ("source", "year"), common={"source": "s", "year": 2000},
                   replace=("source", "year")).add("A", "A", value=1.0)
        if not c.rels:
            c.add(g, "first")
        else:
            with pytest.raises(BulkRefused, match="already collected"):
                c.add(g, "again")


def test_turns_keep_load_order_whatever_finishes_first():
    with collecting() as c:
        def one(i: int, delay: float):
            time.sleep(delay)
            g = _load(f"s{i}", "t")
            g.node_rows("Country").add("A", name=f"from {i}")
            with c.turn(i):
                c.add(g, f"load {i}")

        threads = [threading.Thread(target=one, args=(0, 0.3)), threading.Thread(target=one, args=(1, 0.0))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert c.titles == ["load 0", "load 1"]
    assert c.props("Country", "A") == {"name": "from 1"}


def test_a_turn_whose_rows_fail_does_not_hold_up_the_later_ones():
    with collecting() as c:
        def one(i: int):
            with c.turn(i):
                if i == 0:
                    time.sleep(0.2)
                    raise ValueError("bad table")
                g = _load(f"s{i}", "t")
                c.add(g, f"load {i}")

        errors = []

        def run(i):
            try:
                one(i)
            except ValueError as e:
                errors.append(str(e))

        threads = [threading.Thread(target=run, args=(i,)) for i in (1, 0, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=10)
        assert not any(t.is_alive() for t in threads)
    assert errors == ["bad table"] and c.titles == ["load 1", "load 2"]
