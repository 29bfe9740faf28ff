"""centrality (GDS) against networkx on the same weighted graph (pymrio's test system)."""
from __future__ import annotations

import networkx as nx
import numpy as np
import pymrio
import pytest

from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from queries.runner import run_module
from tests.test_queries_helpers import sector_keys, write_flows

YEAR = 2001


@pytest.fixture(scope="module")
def graph(driver, schema_applied):
    from tests.conftest import wipe

    wipe(driver)
    io = pymrio.load_test()
    Z = io.Z.to_numpy(dtype=float)
    x = Z.sum(axis=1) + io.Y.to_numpy(dtype=float).sum(axis=1)
    keys = sector_keys(io.Z.index)
    Z[Z < np.quantile(Z[Z > 0], 0.4)] = 0.0   # a sparser network, so degrees and betweenness differ
    write_flows(driver, keys, Z, x, YEAR)
    g = nx.DiGraph()
    g.add_nodes_from(keys)
    for i, j in zip(*np.nonzero(Z)):
        g.add_edge(keys[i], keys[j], weight=float(Z[i, j]))
    assert all(g.out_degree(n) > 0 for n in g)  # no dangling nodes (GDS and networkx treat those differently)
    return g


def test_pagerank_agrees_with_networkx(graph):
    df = run_module("centrality", {"layer": "sector", "year": YEAR, "weight": "value", "tolerance": 1e-11,
                                   "max_iterations": 1000, "limit": 1000}, timeout_s=120)
    # networkx's pure-Python power iteration (nx.pagerank itself needs scipy, not installed here)
    expected = _pagerank_python(graph, alpha=0.85, weight="weight", tol=1e-13, max_iter=10000)
    got = dict(zip(df["key"], df["pagerank"]))
    assert set(got) == set(expected)
    for k, v in expected.items():
        assert got[k] == pytest.approx(v, abs=1e-6)
    assert list(df["rank"]) == list(range(1, len(df) + 1))
    assert list(df["pagerank"]) == sorted(df["pagerank"], reverse=True)


def test_degree_strength_betweenness_agree_with_networkx(graph):
    df = run_module("centrality", {"year": YEAR, "order_by": "betweenness", "limit": 1000},
                    timeout_s=120).set_index("key")
    bc = nx.betweenness_centrality(graph, normalized=False, weight=None)
    for k in graph:
        assert df.at[k, "out_strength"] == pytest.approx(graph.out_degree(k, weight="weight"), rel=1e-9)
        assert df.at[k, "in_strength"] == pytest.approx(graph.in_degree(k, weight="weight"), rel=1e-9)
        assert df.at[k, "out_degree"] == graph.out_degree(k)
        assert df.at[k, "in_degree"] == graph.in_degree(k)
        assert df.at[k, "betweenness"] == pytest.approx(bc[k], rel=1e-9, abs=1e-9)


def test_filters_and_no_graph_left_behind(graph, driver):
    df = run_module("centrality", {"year": YEAR, "country": "reg3", "limit": 3})
    assert len(df) == 3 and set(df["country"]) == {"reg3"}
    left = driver.execute_query("CALL gds.graph.list() YIELD graphName RETURN graphName").records
    assert [r["graphName"] for r in left if r["graphName"].startswith("gvn_tmp_")] == []
