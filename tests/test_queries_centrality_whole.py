"""A firm layer read whole is projected by GDS's store scan, and gives what the Cypher aggregation gives.

The links are a table folder's, loaded by the loader (so the writer's listing is stored): one dataset, one
year, with two links of one pair (summed), a link of value 0 (left out) and a firm without any link (no
node of the projection); a table folder holds no firm self-loop (validation refuses one). Each request runs both ways (the store scan, and the aggregation with the
scan switched off) and is checked against networkx on the same links, read from the CSV file.
"""
from __future__ import annotations

import csv

import networkx as nx
import pandas as pd
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from queries.runner import run_module
from tests.support.tables_fixture import write_folder

LINKS = """supplier,buyer,year,value,product
F2,F1,2020,100,parts
F2,F1,2020,40,chips
F4,F1,2020,300,chips
F2,F3,2020,50,parts
F1,F3,2020,200,modules
F3,F2,2020,0,parts
F1,F4,2020,10,service
F3,F4,2020,70,parts
"""
LONE = "F5,Epsilon Idle,KOR,KR-11,ISIC4|C26,sme,10,100,0,2010\n"
STORE_SCAN = "every link of the layer is read: projected by GDS's own store scan"


@pytest.fixture
def whole(empty_db, tmp_path):
    from loader.tables.load import load_tables

    folder = write_folder(tmp_path / "whole")
    (folder / "firm_supply.csv").write_text(LINKS)
    firms = folder / "firms.csv"
    firms.write_text(firms.read_text() + LONE)
    load_tables(folder, source="whole", progress=False)
    return folder


def _reference(folder, min_weight: float = 0.0, self_loops: bool = True, year: int = 2020) -> nx.DiGraph:
    """The projection worked out from the CSV: the year's links of a pair summed, kept above the filter."""
    summed: dict[tuple[str, str], float] = {}
    with open(folder / "firm_supply.csv") as f:
        for r in csv.DictReader(f):
            if int(r["year"]) != year:
                continue
            summed[(r["supplier"], r["buyer"])] = summed.get((r["supplier"], r["buyer"]), 0.0) + float(r["value"])
    g = nx.DiGraph()
    for (s, t), w in summed.items():
        if w > 0 and w >= min_weight and (self_loops or s != t):
            g.add_edge(s, t, weight=w)
    return g


def _both(monkeypatch, **params):
    """The request made by the store scan, then by the aggregation (the cached projection dropped between)."""
    from connection import analytics
    from queries import gds_cache
    from queries.modules import centrality

    args = {"layer": "firm", "year": 2020, "limit": 100, "tolerance": 1e-12, "max_iterations": 1000, **params}
    analytics(gds_cache.drop_all)
    scanned = run_module("centrality", args, timeout_s=120)
    analytics(gds_cache.drop_all)
    with monkeypatch.context() as m:
        m.setattr(centrality, "_whole", lambda *a: False)
        aggregated = run_module("centrality", args, timeout_s=120)
    return scanned, aggregated


def _notes(df) -> list[str]:
    return df.attrs["provenance"]["notes"]


def test_the_store_scan_equals_the_aggregation_and_networkx(whole, monkeypatch):
    scanned, aggregated = _both(monkeypatch)
    assert STORE_SCAN in _notes(scanned) and STORE_SCAN not in _notes(aggregated)
    g = _reference(whole)
    assert sorted(scanned["key"]) == sorted(g) == ["F1", "F2", "F3", "F4"]   # F5 has no link: no node
    cols = ["key", "out_degree", "in_degree", "out_strength", "in_strength", "pagerank"]
    pd.testing.assert_frame_equal(scanned[cols], aggregated[cols], rtol=1e-12)
    rank = _pagerank_python(g, alpha=0.85, weight="weight", tol=1e-14, max_iter=10000)
    by_key = scanned.set_index("key")
    for k in g:
        assert by_key.at[k, "out_degree"] == g.out_degree(k)   # F2 -> F1 twice: one link of weight 140
        assert by_key.at[k, "in_degree"] == g.in_degree(k)
        assert by_key.at[k, "out_strength"] == pytest.approx(g.out_degree(k, weight="weight"), rel=1e-12)
        assert by_key.at[k, "in_strength"] == pytest.approx(g.in_degree(k, weight="weight"), rel=1e-12)
        assert by_key.at[k, "pagerank"] == pytest.approx(rank[k], abs=1e-9)


def test_a_weight_filter_leaves_the_same_links_and_nodes(whole, monkeypatch):
    scanned, aggregated = _both(monkeypatch, min_weight=60.0)
    assert STORE_SCAN in _notes(scanned)
    g = _reference(whole, min_weight=60.0)
    assert sorted(scanned["key"]) == sorted(g) == ["F1", "F2", "F3", "F4"]
    cols = ["key", "out_degree", "in_degree", "out_strength", "in_strength"]
    pd.testing.assert_frame_equal(scanned[cols], aggregated[cols], rtol=1e-12)
    by_key = scanned.set_index("key")
    assert {k: by_key.at[k, "out_strength"] for k in g} == {k: g.out_degree(k, weight="weight") for k in g}
    # a filter that leaves a firm without any link: it is no node, as in the aggregation
    scanned, aggregated = _both(monkeypatch, min_weight=150.0)
    assert sorted(scanned["key"]) == sorted(aggregated["key"]) == sorted(_reference(whole, min_weight=150.0))


def test_self_loops_left_out_or_a_second_year_go_through_the_aggregation(whole, monkeypatch):
    from loader.tables.load import load_tables

    df = run_module("centrality", {"layer": "firm", "year": 2020, "self_loops": False}, timeout_s=120)
    assert STORE_SCAN not in _notes(df)
    g = _reference(whole, self_loops=False)
    assert dict(zip(df["key"], df["out_degree"])) == {k: g.out_degree(k) for k in g}
    supply = whole / "firm_supply.csv"
    supply.write_text(LINKS + "F1,F2,2021,5,parts\n")
    load_tables(whole, source="whole", progress=False)
    df = run_module("centrality", {"layer": "firm", "year": 2020}, timeout_s=120)
    assert STORE_SCAN not in _notes(df)   # the 2021 link is of the layer but not of the request
    g = _reference(whole)
    assert ("F1", "F2") not in g.edges
    assert dict(zip(df["key"], df["out_degree"])) == {k: g.out_degree(k) for k in g}
