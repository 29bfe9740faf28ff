"""Cached GDS projections: a warm run equals a cold one, and a change of the data is never served stale.

The data is the tables fixture loaded through the real loader (so its Dataset carries the writer's
data_version); the expected strengths are the fixture's own numbers: F1 buys 100 from F2 and 300
from F4 in 2020, F3 buys 50 from F2 and 200 from F1.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from queries.runner import run_module
from tests.support.tables_fixture import write_folder

ALL = "degree,strength,pagerank,betweenness,eigenvector"


@pytest.fixture
def loaded(empty_db, tmp_path):
    from loader.tables.load import load_tables

    folder = write_folder(tmp_path / "valid")
    load_tables(folder, source="fixture", progress=False)
    return folder


def _run(**extra) -> pd.DataFrame:
    return run_module("centrality", {"layer": "firm", "year": 2020, "limit": 100, "measures": ALL,
                                     "tolerance": 1e-10, "max_iterations": 1000, **extra})


def _cached(driver) -> list[str]:
    rows = driver.execute_query("CALL gds.graph.list() YIELD graphName WHERE graphName STARTS WITH 'gvn_cache_' "
                                "RETURN graphName ORDER BY graphName").records
    return [r["graphName"] for r in rows]


def _note(df) -> str:
    return next(n for n in df.attrs["provenance"]["notes"] if n.startswith("GDS projection"))


def _version(driver) -> str:
    return driver.execute_query("MATCH (d:Dataset {key: 'fixture'}) RETURN d.data_version AS v").records[0]["v"]


def test_a_cached_run_equals_a_cold_run(loaded, empty_db):
    from connection import read
    from queries import gds_cache

    cold = _run().set_index("key")
    assert _note(cold).endswith("kept for later requests")
    first = _cached(empty_db)
    assert len(first) == 1 and first[0].startswith("gvn_cache_firm_2020_value_")
    warm = _run().set_index("key")
    assert _note(warm).endswith("reused from the cache")
    assert _cached(empty_db) == first
    pd.testing.assert_frame_equal(cold, warm)
    # the hand-checked numbers (not only equal to each other)
    assert warm.at["F1", "in_strength"] == pytest.approx(400.0) and warm.at["F3", "in_strength"] == pytest.approx(250.0)
    assert warm.at["F2", "out_degree"] == 2 and warm.at["F1", "degree"] == 3
    assert warm["pagerank"].sum() == pytest.approx(1.0)
    # the projection keeps one result per measure and settings (7: two degrees, two strengths, PageRank,
    # betweenness, eigenvector), no property of a single request
    schema = empty_db.execute_query("CALL gds.graph.list($g) YIELD schemaWithOrientation RETURN schemaWithOrientation "
                                    "AS s", g=first[0]).records[0]["s"]
    kept = {p for props in schema["nodes"].values() for p in props}
    assert len(kept) == 7 and all(p.startswith("gvn_keep_") for p in kept)
    # other settings: computed (and kept) apart, not taken from the first run
    damped = _run(damping=0.5).set_index("key")
    assert (damped["pagerank"] - warm["pagerank"]).abs().max() > 1e-3
    assert damped["in_strength"].equals(warm["in_strength"])
    # dropped, the next run projects again and gets the same numbers
    assert read(gds_cache.drop_all) == 1
    again = _run().set_index("key")
    assert _note(again).endswith("kept for later requests")
    pd.testing.assert_frame_equal(cold, again)


def _relationship_properties(driver, graph: str) -> set[str]:
    schema = driver.execute_query("CALL gds.graph.list($g) YIELD schemaWithOrientation "
                                  "RETURN schemaWithOrientation AS s", g=graph).records[0]["s"]
    return {p for rel in schema["relationships"].values() for p in rel["properties"]}


def test_distances_are_projected_only_for_strongest_chain_betweenness_and_then_serve_every_request(loaded, empty_db):
    cheap = _run(measures="degree,strength,pagerank").set_index("key")
    plain = _cached(empty_db)
    assert len(plain) == 1 and _relationship_properties(empty_db, plain[0]) == {"w"}
    # unweighted betweenness needs no distance either
    _run(measures="betweenness")
    assert _cached(empty_db) == plain
    chain = _run(betweenness="strongest_chain").set_index("key")
    assert _note(chain).endswith("kept for later requests")
    both = _cached(empty_db)
    assert len(both) == 1 and both != plain and _relationship_properties(empty_db, both[0]) == {"w", "d"}
    assert set(chain["betweenness_distance"]) == {"-ln a"}
    # the request without distances now reads the projection with them: same numbers as on its own
    again = _run(measures="degree,strength,pagerank").set_index("key")
    assert _note(again).endswith("reused from the cache") and _cached(empty_db) == both
    pd.testing.assert_frame_equal(cheap, again)
    assert chain["in_strength"].equals(cheap["in_strength"])


def test_a_load_that_changes_the_data_is_not_served_from_the_old_projection(loaded, empty_db, tmp_path):
    from loader.tables.load import load_tables
    from tests.support.tables_fixture import replace_line

    before = _run().set_index("key")
    old, version = _cached(empty_db), _version(empty_db)
    # F4 -> F1 in 2020: 300 -> 500 thousand USD, loaded through the writer
    changed = write_folder(tmp_path / "changed", {"firm_supply": replace_line("firm_supply", 3,
                                                                              "F4,F1,2020,500,chips")})
    load_tables(changed, source="fixture", progress=False)
    assert _version(empty_db) != version
    after = _run().set_index("key")
    assert before.at["F1", "in_strength"] == pytest.approx(400.0)
    assert after.at["F1", "in_strength"] == pytest.approx(600.0)
    assert _note(after).endswith("kept for later requests")
    new = _cached(empty_db)
    assert len(new) == 1 and new != old   # the stale projection was dropped by the request that missed
    # the same load again writes nothing: the data version stays and the projection is reused
    version = _version(empty_db)
    load_tables(changed, source="fixture", progress=False)
    assert _version(empty_db) == version
    assert _note(_run()).endswith("reused from the cache") and _cached(empty_db) == new


def test_a_new_data_stamp_alone_is_a_new_state(loaded, empty_db):
    """A database emptied and loaded again counts data_version from 1 again, with the same counts if the
    data is alike: the stamp the writer renews with every change tells the states apart."""
    stamp = empty_db.execute_query("MATCH (d:Dataset {key: 'fixture'}) RETURN d.data_stamp AS s").records[0]["s"]
    assert stamp
    _run()
    old = _cached(empty_db)
    empty_db.execute_query("MATCH (d:Dataset {key: 'fixture'}) SET d.data_stamp = 'another'")
    assert _note(_run()).endswith("kept for later requests") and _cached(empty_db) != old


def test_links_written_by_hand_change_the_count_and_are_seen(loaded, empty_db):
    assert _run().set_index("key").at["F4", "in_strength"] == pytest.approx(0.0)
    empty_db.execute_query("MATCH (a:Firm {key: 'F3'}), (b:Firm {key: 'F4'}) "
                           "CREATE (a)-[:SUPPLIES {year: 2020, value: 30.0, a: 1.0, b: 1.0, source: 'fixture'}]->(b)")
    df = _run().set_index("key")
    assert _note(df).endswith("kept for later requests")
    assert df.at["F4", "in_strength"] == pytest.approx(30.0)


def test_data_no_load_versioned_gets_a_temporary_projection(empty_db):
    import numpy as np

    from tests.support.flows import write_flows

    keys = ["A|x", "A|y", "B|z"]
    write_flows(empty_db, keys, np.array([[0, 2.0, 1.0], [1.0, 0, 3.0], [4.0, 0, 0]]), np.array([10.0, 10, 10]), 2001)
    df = run_module("centrality", {"year": 2001})
    assert _note(df).endswith("temporary (data without a load version cannot be cached)")
    assert df.set_index("key").at["B|z", "in_strength"] == pytest.approx(4.0)
    assert empty_db.execute_query("CALL gds.graph.list() YIELD graphName RETURN count(*) AS n").records[0]["n"] == 0


def test_only_asked_measures_are_computed_and_convergence_is_reported(loaded):
    df = run_module("centrality", {"layer": "firm", "year": 2020, "tolerance": 1e-10, "max_iterations": 1000})
    assert df["betweenness"].isna().all() and df["eigenvector"].isna().all()
    assert df["betweenness_sources"].isna().all() and df["eigenvector_converged"].isna().all()
    assert df["pagerank"].notna().all() and set(df["pagerank_converged"]) == {True}
    notes = df.attrs["provenance"]["notes"]
    assert any(n.startswith("PageRank converged to tolerance 1e-10") for n in notes)
    # one iteration cannot reach 1e-12: the column and the note say so
    short = run_module("centrality", {"layer": "firm", "year": 2020, "measures": "eigenvector,pagerank",
                                      "tolerance": 1e-12, "max_iterations": 1})
    assert set(short["pagerank_converged"]) == {False} and set(short["eigenvector_converged"]) == {False}
    assert any("Eigenvector centrality did NOT converge" in n for n in short.attrs["provenance"]["notes"])


def test_ranking_on_the_server_returns_the_top_rows_with_ties_by_key(loaded):
    full = _run(order_by="degree")
    top = _run(order_by="degree", limit=2)
    assert list(top["key"]) == list(full["key"])[:2]
    # by hand: degrees F1 3 (F2, F4 in; F3 out), F2 2, F3 2, F4 1; F2 before F3 on the key
    assert list(full["key"]) == ["F1", "F2", "F3", "F4"] and list(full["degree"]) == [3, 2, 2, 1]
    assert list(_run(order_by="degree", country="KOR")["key"]) == ["F1", "F2"]


def test_a_run_far_beyond_its_time_limit_is_refused_with_what_fits(loaded, monkeypatch):
    from queries.errors import ParameterError
    from queries.modules import centrality_cost

    # as if every Brandes search over a link took a second: exact betweenness on 4 nodes x 4 links = 16 s
    monkeypatch.setitem(centrality_cost.RATES, "betweenness_per_source_rel_s", 1.0)
    with pytest.raises(ParameterError, match=r"betweenness_sampling = 1\b.*measures without betweenness"):
        run_module("centrality", {"layer": "firm", "year": 2020, "measures": "betweenness"}, timeout_s=3)
    # the suggestion fits: one source x 4 links = 4 s, within twice the limit
    df = run_module("centrality", {"layer": "firm", "year": 2020, "measures": "betweenness",
                                   "betweenness_sampling": 1}, timeout_s=3)
    assert set(df["betweenness_sources"]) == {1}


def test_a_result_the_projection_keeps_costs_only_its_ranking(loaded, monkeypatch):
    from queries.modules import centrality, centrality_cost

    request = {"order_by": "betweenness", "measures": ["betweenness"], "betweenness": "unweighted",
               "betweenness_sampling": 0, "limit": 100, "weight": "value"}
    assert centrality.preview("firm", 2020, params=request)["projected"] is False
    first = run_module("centrality", {"layer": "firm", "year": 2020, **request})
    size = centrality.preview("firm", 2020, params=request)
    assert size["projected"] and (size["nodes"], size["rels"]) == (4, 4) and size["kept"] == ["betweenness"]
    assert centrality.preview("firm", 2020, params={**request, "betweenness_sampling": 1})["kept"] == []
    # no year: the one the module chooses (the fixture's latest, 2021, not yet projected)
    assert centrality.preview("firm", None, params=request)["projected"] is False
    run_module("centrality", {"layer": "firm", **request})
    assert centrality.preview("firm", None, params=request)["kept"] == ["betweenness"]
    # as slow as in the test above: refused if it had to run, served since it need not
    monkeypatch.setitem(centrality_cost.RATES, "betweenness_per_source_rel_s", 1.0)
    est = centrality_cost.estimate(4, 4, ["betweenness"], projected=True, kept=size["kept"])
    assert set(est) == {"projection", "ranking", "total"}
    again = run_module("centrality", {"layer": "firm", "year": 2020, **request}, timeout_s=3)
    pd.testing.assert_frame_equal(first, again)


def test_estimate_adds_up_the_measured_rates():
    from queries.modules.centrality_cost import RATES, estimate, fitting_sampling

    est = estimate(1000, 5000, ["pagerank", "betweenness"], sampling=10, max_iterations=20, projected=True)
    assert est["projection"] == 0.0
    assert est["pagerank"] == pytest.approx(RATES["call_s"] + 20 * 5000 * RATES["iteration_per_rel_s"])
    assert est["betweenness"] == pytest.approx(RATES["call_s"] + 10 * 5000 * RATES["betweenness_per_source_rel_s"])
    assert est["total"] == pytest.approx(sum(v for k, v in est.items() if k != "total"))
    cold = estimate(1000, 5000, ["degree"])
    assert cold["projection"] == pytest.approx(RATES["project_fixed_s"] + 5000 * RATES["project_per_rel_s"])
    k = fitting_sampling(10**6, 5 * 10**6, 10.0)
    assert 1 <= k < 10**6
    assert estimate(10**6, 5 * 10**6, ["betweenness"], sampling=k, projected=True)["betweenness"] <= 10.0


@pytest.mark.parametrize("damping,tolerance", [(0.85, 1e-7), (0.85, 1e-10), (0.5, 1e-7), (0.95, 1e-6)])
def test_pagerank_iterations_follow_a_power_iteration_run_as_gds_runs_it(damping, tolerance):
    """GDS's PageRank: scores start at 1 - d, each iteration sets PR(v) = (1 - d) + d * sum over in-links of
    PR(u) w_uv / W_u, and it stops once no score moved by tolerance or more. Counted here with numpy on
    random graphs, uniform and with hubs buying from much of the network: the count with the largest score
    as ``scale`` is within a few iterations or a tenth, the one with the node count a bound."""
    from queries.modules.centrality_cost import pagerank_iterations

    rng = np.random.default_rng(11)
    for n, m, zipf in ((50, 200, 1.6), (2000, 10000, 1.6), (2000, 10000, None), (20000, 100000, 3.0)):
        src = rng.integers(0, n, m)
        dst = (rng.zipf(zipf, m) - 1) % n if zipf else rng.integers(0, n, m)
        w = rng.lognormal(0.0, 2.0, m)
        share = w / np.bincount(src, weights=w, minlength=n)[src]
        pr, ran = np.full(n, 1.0 - damping), 0
        while True:
            ran += 1
            new = (1.0 - damping) + damping * np.bincount(dst, weights=pr[src] * share, minlength=n)
            moved = np.abs(new - pr).max()
            pr = new
            if moved < tolerance:
                break
        assert ran <= pagerank_iterations(tolerance, damping, 10**6, scale=n), (n, zipf, ran)
        modelled = pagerank_iterations(tolerance, damping, 10**6, scale=pr.max())
        assert 0.9 * modelled <= ran <= modelled + 3, (n, zipf, ran, modelled)
    assert pagerank_iterations(1e-7, 0.85, 50) == 50        # never past max_iterations


def test_threads_are_chosen_from_the_graph_when_the_request_leaves_them_open():
    from queries.modules.centrality_cost import EIGENVECTOR_TWO_THREADS_FROM, threads

    # eigenvector's iterations pay for two threads' hand-over below millions of links (docs/scaling.md)
    assert threads("eigenvector", 5) == 1 and threads("eigenvector", EIGENVECTOR_TWO_THREADS_FROM - 1) == 1
    assert threads("eigenvector", EIGENVECTOR_TWO_THREADS_FROM) == 2
    assert {threads(a, n) for a in ("degree", "pageRank", "betweenness") for n in (5, 10**7)} == {2}
