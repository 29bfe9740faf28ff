"""centrality (GDS) against networkx: pymrio's test system, and a hand-built network for sampled betweenness."""
from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pymrio
import pytest

from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from queries.runner import run_module
from tests.support.flows import sector_keys, write_flows

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


def test_the_top_rows_are_networkxs_degree_ranking_cut_at_the_limit_with_ties_by_key(graph):
    # cuts that fall inside a run of equal degrees: every node scoring the limit-th degree must be looked
    # at for the key order to pick the right ones
    ranked = sorted(graph, key=lambda k: (-graph.degree(k), k))
    cuts = [n for n in range(1, len(ranked)) if graph.degree(ranked[n - 1]) == graph.degree(ranked[n])]
    assert len(cuts) >= 3
    for limit in [1] + cuts[:4]:
        df = run_module("centrality", {"year": YEAR, "order_by": "degree", "limit": limit}, timeout_s=120)
        assert list(df["key"]) == ranked[:limit], limit
        assert list(df["degree"]) == [graph.degree(k) for k in ranked[:limit]]


def test_filters_and_no_graph_left_behind(graph, driver):
    df = run_module("centrality", {"year": YEAR, "country": "reg3", "limit": 3})
    assert len(df) == 3 and set(df["country"]) == {"reg3"}
    left = driver.execute_query("CALL gds.graph.list() YIELD graphName RETURN graphName").records
    assert [r["graphName"] for r in left if r["graphName"].startswith("gvn_tmp_")] == []


# A small hand-built supply network for the sampled betweenness: two clusters joined through a
# bridge (C|b1 -> C|b2), a cycle, a dead end and a pair with two equally short paths.
SAMPLED_YEAR = 2002
SAMPLED_EDGES = [("A|a1", "A|a2"), ("A|a2", "A|a3"), ("A|a3", "A|a1"), ("A|a1", "A|a4"), ("A|a4", "C|b1"),
                 ("A|a3", "C|b1"), ("C|b1", "C|b2"), ("C|b2", "D|d1"), ("C|b2", "D|d2"), ("D|d1", "D|d3"),
                 ("D|d2", "D|d3"), ("D|d3", "D|d4"), ("D|d4", "C|b2"), ("D|d3", "E|e1"), ("E|e1", "E|e2")]


@pytest.fixture(scope="module")
def small(driver, graph):
    keys = sorted({k for e in SAMPLED_EDGES for k in e})
    pos = {k: i for i, k in enumerate(keys)}
    Z = np.zeros((len(keys), len(keys)))
    for s, t in SAMPLED_EDGES:
        Z[pos[s], pos[t]] = 1.0 + pos[s]   # weights do not matter: betweenness counts hops
    write_flows(driver, keys, Z, Z.sum(axis=1) + 10.0, SAMPLED_YEAR)
    g = nx.DiGraph(SAMPLED_EDGES)
    assert g.number_of_nodes() == len(keys) == 12
    return g


def _betweenness(sampling: int, **extra) -> pd.DataFrame:
    df = run_module("centrality", {"year": SAMPLED_YEAR, "betweenness_sampling": sampling, "limit": 1000,
                                   "measures": "pagerank,betweenness", **extra},
                    timeout_s=120)
    return df.set_index("key")


@pytest.mark.parametrize("sampling", [0, 12, 1000])
def test_betweenness_sampling_with_every_node_is_exact(small, sampling):
    df = _betweenness(sampling)
    exact = nx.betweenness_centrality(small, normalized=False, weight=None)
    assert set(df.index) == set(exact)
    for k, v in exact.items():
        assert df.at[k, "betweenness"] == pytest.approx(v, rel=1e-12, abs=1e-12), k
    assert set(df["betweenness_sources"]) == {12}
    assert exact["C|b1"] > 0 and exact["C|b2"] > exact["C|b1"]  # the bridge matters: a real check, not zeros


def test_sampled_betweenness_sums_over_some_k_sources_and_repeats(small):
    k = 4
    first = _betweenness(k)
    again = _betweenness(k)
    assert len(first) == 12 and set(first.index) == set(small)   # every node is returned, not only the sources
    assert set(first["betweenness_sources"]) == {k}
    assert first["betweenness"].to_dict() == again["betweenness"].to_dict()   # fixed seed: the same sources
    got = first["betweenness"].to_dict()
    # independent check: networkx's Brandes restricted to some k sources (all targets) gives exactly these scores
    nodes = sorted(small)
    matches = []
    for sources in itertools.combinations(nodes, k):
        ref = nx.betweenness_centrality_subset(small, sources=list(sources), targets=nodes, normalized=False)
        if all(abs(ref[n] - got[n]) < 1e-9 for n in nodes):
            matches.append(sources)
    assert matches, f"no set of {k} sources reproduces the sampled scores {got}"
    exact = nx.betweenness_centrality(small, normalized=False, weight=None)
    assert sum(got.values()) < sum(exact.values())   # a partial sum, not rescaled
    # other columns are unaffected by the sampling
    assert first["pagerank"].to_dict() == pytest.approx(_betweenness(0)["pagerank"].to_dict())


@pytest.mark.parametrize("bad, match", [(-1, "minimum"), (2.5, "valid int"), ("3.5", "valid int"),
                                        ("ten", "valid int"), (True, "valid int"), (10**9, "maximum")])
def test_betweenness_sampling_refuses_bad_values(bad, match):
    from queries import modules
    from queries.errors import ParameterError

    with pytest.raises(ParameterError, match=f"betweenness_sampling.*{match}"):
        modules.get("centrality").coerce_params({"betweenness_sampling": bad})
    with pytest.raises(ParameterError, match="betweenness_sampling"):
        run_module("centrality", {"betweenness_sampling": bad})
    assert modules.get("centrality").coerce_params({"betweenness_sampling": "250"})["betweenness_sampling"] == 250


# Weighted ("strongest chain") betweenness: shortest = largest product of coefficients, distance -ln c.
WEIGHTED_YEAR = 2003
# a small network where the strongest chain and the fewest-links path differ: g1 -> g4 directly is weak,
# g1 -> g2 -> g3 -> g4 strong; values chosen so no two chains tie
WEIGHTED_Z = {("W|g1", "W|g4"): 1.0, ("W|g1", "W|g2"): 40.0, ("W|g2", "W|g3"): 35.0, ("W|g3", "W|g4"): 30.0,
              ("W|g4", "W|g5"): 20.0, ("W|g2", "W|g5"): 2.0, ("W|g5", "W|g1"): 9.0, ("W|g3", "W|g6"): 12.0,
              ("W|g6", "W|g4"): 7.0, ("W|g6", "W|g6"): 5.0}


@pytest.fixture(scope="module")
def weighted(driver, graph):
    keys = sorted({k for e in WEIGHTED_Z for k in e})
    pos = {k: i for i, k in enumerate(keys)}
    Z = np.zeros((len(keys), len(keys)))
    for (s, t), z in WEIGHTED_Z.items():
        Z[pos[s], pos[t]] = z
    x = Z.sum(axis=1) + np.arange(1, len(keys) + 1) * 10.0   # output: sales to others plus final demand
    write_flows(driver, keys, Z, x, WEIGHTED_YEAR)
    return keys, Z, x


@pytest.mark.parametrize("weight", ["a", "b", "value"])
def test_strongest_chain_betweenness_equals_networkx_with_minus_ln_distances(weighted, weight):
    keys, Z, x = weighted
    coef = "b" if weight == "b" else "a"   # weight value measures chains by a: -ln of money means nothing
    g = nx.DiGraph()
    g.add_nodes_from(keys)
    for i, j in zip(*np.nonzero(Z)):
        c = Z[i, j] / (x[i] if coef == "b" else x[j])
        g.add_edge(keys[i], keys[j], distance=-np.log(c))
    expected = nx.betweenness_centrality(g, weight="distance", normalized=False)
    hops = nx.betweenness_centrality(g, weight=None, normalized=False)
    assert expected != hops   # the test network tells the two apart
    df = run_module("centrality", {"year": WEIGHTED_YEAR, "weight": weight, "betweenness": "strongest_chain",
                                   "limit": 100, "measures": "betweenness"}).set_index("key")
    assert set(df.index) == set(keys)
    for k in keys:
        assert df.at[k, "betweenness"] == pytest.approx(expected[k], abs=1e-9), k
    assert set(df["betweenness_distance"]) == {f"-ln {coef}"}
    plain = run_module("centrality", {"year": WEIGHTED_YEAR, "weight": weight, "limit": 100,
                                      "measures": "betweenness"}).set_index("key")
    assert set(plain["betweenness_distance"]) == {"hops"}
    for k in keys:
        assert plain.at[k, "betweenness"] == pytest.approx(hops[k], abs=1e-9), k
