"""Every query module runs on the demo graph (``python -m loader demo``) and returns rows."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from queries import modules
from queries.runner import run_module

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def demo(driver, schema_applied):
    from tests.conftest import wipe

    wipe(driver)
    out = subprocess.run([sys.executable, "-m", "loader", "demo", "--firms", "300", "--seed", "3", "--table", "pymrio-test", "--quiet"],
                         cwd=REPO, env=dict(os.environ), capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    q = driver.execute_query

    def one(cypher):
        recs = q(cypher).records
        assert recs, f"demo graph has nothing for: {cypher}"
        return recs[0][0]

    return {
        "sector": one("MATCH (s:Sector)-[r:SUPPLIES]-() RETURN s.key ORDER BY s.key LIMIT 1"),
        "firm_tnc": one("MATCH (f:Firm) WHERE f.foreign_share > 0 AND EXISTS { (f)<-[:SUPPLIES]-(:Firm) } "
                        "RETURN f.key ORDER BY f.output DESC LIMIT 1"),
        "owned": one("MATCH (:Firm|Person)-[:OWNS]->(f:Firm) RETURN f.key ORDER BY f.key LIMIT 1"),
        "pair": q("MATCH (a:Firm)-[:SUPPLIES]->(:Firm)-[:SUPPLIES]->(b:Firm) WHERE a <> b "
                  "RETURN a.key AS a, b.key AS b ORDER BY a, b LIMIT 1").records[0],
    }


def _params(name: str, d: dict) -> dict:
    return {
        "upstream-paths": {"node": d["sector"], "depth": 2, "threshold": 0.001},
        "downstream-paths": {"node": d["sector"], "depth": 2, "threshold": 0.001},
        "shortest-supply-path": {"source": d["pair"]["a"], "target": d["pair"]["b"]},
        "firm-neighbourhood": {"firm": d["firm_tnc"]},
        "ownership-chain": {"firm": d["owned"]},
        "va-paths": {"origin": "KOR", "destination": "USA", "depth": 2, "threshold": 0.0},
        "gvc-gap": {"subject": "KOR"},
        "fdi-trade-panel": {"origin": "KOR"},
        "fdi-trade-panel-fe": {"origin": "KOR", "regressors": ["gdp_per_capita", "wage"]},
    }.get(name, {})


# the small test table has one year: the years-compared modules refuse it (tested below)
COMPARE = {m.name for m in __import__("queries.modules.compare", fromlist=["MODULES"]).MODULES}


# the pymrio-test demo has no inter-regional table (only the WIOD demo loads Korea's provinces): the regional
# modules run on it in test_demo_wiod, on a loaded table in test_regional and on the audit graph
REGIONAL = {m.name for m in __import__("queries.modules.regional", fromlist=["MODULES"]).MODULES}


@pytest.mark.parametrize("name", [n for n in modules.names() if n not in COMPARE | REGIONAL])
def test_module_returns_rows_on_the_demo_graph(demo, name):
    df = run_module(name, _params(name, demo), timeout_s=120)
    assert len(df) > 0, f"{name} returned no rows on the demo graph"
    declared = set(modules.get(name).column_names)
    assert set(df.columns) <= declared, f"{name}: undeclared columns {set(df.columns) - declared}"


def test_firm_layer_variants_on_the_demo_graph(demo):
    assert len(run_module("centrality", {"layer": "firm", "limit": 10}, timeout_s=120)) == 10
    assert len(run_module("spillover-channels", {"firm": demo["firm_tnc"]})) > 0
    up = run_module("upstream-paths", {"node": demo["firm_tnc"], "depth": 3, "threshold": 0.0001})
    assert len(up) > 0 and all(p[-1] == demo["firm_tnc"] for p in up["path"])


@pytest.mark.parametrize("layer", ["firm", "sector"])
def test_pagerank_converges_with_the_default_settings(demo, layer):
    from queries.modules.centrality_cost import pagerank_iterations

    df = run_module("centrality", {"layer": layer, "limit": 5}, timeout_s=120)
    assert df["pagerank_converged"].all()
    notes = df.attrs["provenance"]["notes"]
    ran = int(re.search(r"converged to tolerance 1e-07 in (\d+) iterations", " ".join(notes)).group(1))
    assert ran <= pagerank_iterations(1e-7, 0.85, 10**6)   # the estimate counts no fewer


def test_demo_saves_example_reports_that_return_rows(demo):
    from queries.examples import EXAMPLES, save_examples
    from queries.reports import list_reports, run_report

    names = {r["name"]: r for r in list_reports()}
    for example in EXAMPLES:
        assert example["name"] in names, "loader demo did not save the example reports"
        assert len(run_report(example["name"])) > 0, f"{example['name']} returned no rows on the demo graph"
    before = {n: r["versions"] for n, r in names.items()}
    save_examples()  # running the demo again must not add versions
    assert {r["name"]: r["versions"] for r in list_reports()} == before


def test_fdi_levels_on_the_demo_are_never_added(demo):
    """fdi-by-motive sums the generated firm projects only; fdi-statistics the generated country aggregate."""
    from loader.demo.generate import generate

    f = generate(300, 3, "pymrio-test")
    firms = f["firms"].set_index("key")
    inv = f["investments"].assign(origin=lambda d: d["investor"].map(firms["country"]))
    for origin in ("KOR", ""):
        mine = inv[inv["origin"] == origin] if origin else inv
        df = run_module("fdi-by-motive", {"origin": origin, "all_years": True}).set_index("motive")
        assert df["amount"].to_dict() == pytest.approx(mine.groupby("motive")["amount"].sum().to_dict())
        assert df["projects"].to_dict() == mine.groupby("motive").size().to_dict()
    stats = run_module("fdi-statistics", {"all_years": True, "group_by": "origin", "limit": 100000})
    ref = f["fdi_statistics"].groupby("origin")["amount"].sum()
    assert stats.groupby("origin")["amount"].sum().to_dict() == pytest.approx(ref.to_dict())
    assert stats["reported_by"].str.startswith("synthetic:").all()
    assert all(d["synthetic"] for d in stats.attrs["provenance"]["datasets"])


def test_demo_defaults_name_one_synthetic_dataset_and_year(demo):
    df = run_module("fva-share", {})
    prov = df.attrs["provenance"]
    assert [(d["key"], d["synthetic"], d["years"]) for d in prov["datasets"]] == [("demo:pymrio-test", True, [2020])]
    assert prov["units"]["fva"] == "million USD" and "no real" in prov["notes"][0]
    assert set(df["source"]) == {"demo:pymrio-test"}


def test_tnc_sme_linkages_on_the_demo_list_foreign_affiliates_not_parents(demo):
    from loader.demo.generate import generate

    f = generate(300, 3, "pymrio-test")
    firms, own = f["firms"].set_index("key"), f["ownership"]
    df = run_module("tnc-sme-linkages", {"limit": 100000})
    assert len(df) > 0
    # the generator's affiliates: 10% or more foreign equity, or a stake of 10% or more held from another country
    # (demo parents are not owned by firms, so one link is the whole chain)
    abroad = own[(own["owner_kind"] == "firm") & (own["share"] >= 0.1)
                 & (own["owner"].map(firms["country"]) != own["firm"].map(firms["country"]))]
    affiliates = set(firms.index[firms["foreign_share"] >= 0.1]) | set(abroad["firm"])
    assert set(df["affiliate"]) <= affiliates
    assert not (firms.loc[list(df["affiliate"]), "size_class"] == "tnc").any()   # no domestic TNC parent


@pytest.mark.parametrize("name", sorted(COMPARE))
def test_years_compared_refuse_a_single_year_with_a_clear_message(demo, name):
    from queries.errors import ParameterError

    params = {"path-shifts": {"node": demo["sector"]}}.get(name, {})
    with pytest.raises(ParameterError, match="holds no .* before 2020; nothing to compare"):
        run_module(name, params, timeout_s=120)
