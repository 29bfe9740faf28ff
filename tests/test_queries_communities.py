"""The communities module (GDS Louvain and Leiden) against networkx on the same graphs, on the real test Neo4j.

Two graphs: four cliques joined by single light links (the partition is obvious: each clique), and a
planted-partition random graph (seeded) whose best partition is not obvious, where GDS's modularity
must be at least networkx's ``louvain_communities`` (seeded) on the same weighted undirected graph.
The modularity the module reports is checked against ``networkx.community.modularity`` of its own
partition; the temporary projection must be gone afterwards.
"""
from __future__ import annotations

import networkx as nx
import pytest

from queries import catalogue
from tests.conftest import wipe


def load(driver, g: nx.Graph, label: str = "Firm", year: int = 2020) -> None:
    """The undirected weighted graph as SUPPLIES edges (one direction each, sometimes both halves)."""
    driver.execute_query(f"UNWIND $keys AS k CREATE (:{label} {{key: k, name: 'node ' + k}})",
                         keys=[str(n) for n in g])
    rows = []
    for i, (a, b, w) in enumerate(sorted(g.edges(data="weight"))):
        if i % 3 == 0:   # split some weights over both directions: the module must add them up
            rows += [{"a": str(a), "b": str(b), "w": w * 0.25}, {"a": str(b), "b": str(a), "w": w * 0.75}]
        else:
            rows.append({"a": str(a), "b": str(b), "w": w})
    driver.execute_query(f"UNWIND $rows AS r MATCH (a:{label} {{key: r.a}}), (b:{label} {{key: r.b}}) "
                         "CREATE (a)-[:SUPPLIES {year: $year, source: 'test', value: r.w}]->(b)", rows=rows, year=year)


def partition(df) -> list[set[str]]:
    return [set(part["key"]) for _, part in df.groupby("community")]


def cliques() -> nx.Graph:
    g = nx.Graph()
    for c in range(4):
        members = [f"c{c}n{i}" for i in range(6)]
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                g.add_edge(a, b, weight=5.0 + (i % 3))
    for c in range(4):   # a ring of light links between the cliques
        g.add_edge(f"c{c}n0", f"c{(c + 1) % 4}n1", weight=1.0)
    return g


@pytest.fixture
def clean(driver, schema_applied):
    wipe(driver)
    yield driver
    left = driver.execute_query("CALL gds.graph.list() YIELD graphName RETURN collect(graphName) AS g").records[0]["g"]
    assert not [g for g in left if g.startswith("gvn_tmp_")], left


@pytest.mark.parametrize("algorithm", ["louvain", "leiden"])
def test_obvious_communities_are_found_exactly(clean, algorithm):
    g = cliques()
    load(clean, g)
    df = catalogue.run("communities", {"layer": "firm", "year": 2020, "algorithm": algorithm})
    expected = [{f"c{c}n{i}" for i in range(6)} for c in range(4)]
    assert sorted(partition(df), key=min) == expected
    assert set(df["community_size"]) == {6} and set(df["communities"]) == {4}
    q = nx.community.modularity(g, expected, weight="weight")
    assert df["modularity"].iloc[0] == pytest.approx(q, rel=1e-9)
    nx_parts = nx.community.louvain_communities(g, weight="weight", seed=1)
    assert sorted(nx_parts, key=min) == expected   # networkx agrees on this graph


@pytest.mark.parametrize("algorithm", ["louvain", "leiden"])
def test_modularity_at_least_networkx_on_a_planted_partition(clean, algorithm):
    g = nx.planted_partition_graph(6, 15, 0.35, 0.04, seed=11)
    for a, b in g.edges:
        g[a][b]["weight"] = 1.0 + ((a * 7 + b * 13) % 5)
    load(clean, g, "Sector", 2015)
    df = catalogue.run("communities", {"layer": "sector", "algorithm": algorithm})   # latest year: 2015
    assert set(df["key"]) == {str(n) for n in g if g.degree(n)} and len(df) == df["nodes"].iloc[0]
    mine = [{int(k) for k in part} for part in partition(df)]
    q_mine = nx.community.modularity(g, mine, weight="weight")
    assert df["modularity"].iloc[0] == pytest.approx(q_mine, rel=1e-9)
    q_nx = max(nx.community.modularity(g, nx.community.louvain_communities(g, weight="weight", seed=s),
                                       weight="weight") for s in range(5))
    assert q_mine >= q_nx - 1e-9, (q_mine, q_nx)


def test_the_nodes_of_a_drawing_and_the_relationship_types_among_them(clean):
    g = cliques()
    load(clean, g)
    # only two cliques drawn: communities among those nodes only, the other cliques' links ignored
    drawn = [f"Firm:c{c}n{i}" for c in (0, 1) for i in range(6)]
    df = catalogue.run("communities", {"nodes": drawn, "types": ["SUPPLIES"], "weight": "count"})
    assert sorted(partition(df), key=min) == [{f"c0n{i}" for i in range(6)}, {f"c1n{i}" for i in range(6)}]
    assert set(df["id"]) == set(drawn)
    # OWNS is not drawn between them: nothing to group
    assert catalogue.run("communities", {"nodes": drawn, "types": ["OWNS"]}).empty
    with pytest.raises(Exception, match="parameter 'nodes': 'c0n1' is not a node id"):
        catalogue.run("communities", {"nodes": ["c0n1"]})


def test_polishing_never_lowers_modularity_and_splits_communities_that_fall_apart():
    from queries.modules.communities import modularity, refine

    g = nx.planted_partition_graph(4, 10, 0.5, 0.08, seed=3)
    edges = [(a, b, 1.0) for a, b in g.edges] + [(b, a, 1.0) for a, b in g.edges]
    for start in ({n: n % 3 for n in g}, {n: 0 for n in g}, {n: n for n in g}):
        after = refine(edges, start)
        assert modularity(edges, after) >= modularity(edges, start) - 1e-12
        for c in set(after.values()):   # every community is connected
            assert nx.is_connected(g.subgraph([n for n, x in after.items() if x == c]))
    # two separate triangles put in one community come apart
    tri = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5)]
    both = [(a, b, 1.0) for a, b in tri] + [(b, a, 1.0) for a, b in tri]
    split = refine(both, {n: 7 for n in range(6)})
    assert len({split[n] for n in (0, 1, 2)}) == 1 and split[0] != split[3]
    assert modularity(both, split) == pytest.approx(0.5)
