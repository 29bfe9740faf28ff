"""Analysis audit: every query module on a hand-built graph, checked against pandas / numpy / networkx.

The graph (``tests/support/audit_graph.py``) is loaded through the product's loaders; the
expectations are computed here from the same input tables, with no product module or math
imported, so double counting, a wrong population, a mixed-in year or dataset, or a split over
only part of the paths fails a test. Where a number is small enough it is also written out by
hand beside the computation.
"""
from __future__ import annotations

import itertools
import math
from collections import defaultdict

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from queries import modules
from queries.errors import ParameterError
from queries.runner import run_module
from tests.support import audit_graph as audit

F = audit.frames(audit.REAL)
FIRMS = F["firms"].set_index("key")
COUNTRY = {**FIRMS["country"].to_dict(), **F["persons"].set_index("key")["nationality"].to_dict()}
THRESHOLD = 0.10   # direct investment (IMF BPM6 6.12, OECD BMD4 117)
CONTROL = 0.50


@pytest.fixture(scope="module")
def audit_db(driver, schema_applied, tmp_path_factory):
    from tests.conftest import wipe

    wipe(driver)
    audit.load(tmp_path_factory.mktemp("audit"))
    return driver


# ------------------------------------------------------------------ independent reference pieces

def econ(region: str) -> str | None:
    """The region a firm is compared at: its economic region, else its own region, else none."""
    return audit.ECONOMIC_REGION.get(region, region or None)


def region_relation(a: str, b: str) -> str:
    fa, fb = FIRMS.loc[a], FIRMS.loc[b]
    if fa["country"] != fb["country"]:
        return "other"
    ra, rb = econ(fa["region"]), econ(fb["region"])
    if ra is None or rb is None:
        return "unknown"
    return "same" if ra == rb else "other"


def foreign_affiliates() -> set[str]:
    """Foreign share >= 10%, or a chain from an owner in another country whose links all hold >= 10% and
    at most one of them 50% or less (OECD BMD4 framework), found by walking the stakes upwards."""
    own = F["ownership"]
    owners_of = defaultdict(list)
    for r in own.itertuples():
        owners_of[r.firm].append((r.owner, r.share))
    out = set(FIRMS.index[FIRMS["foreign_share"] >= THRESHOLD])
    for firm in FIRMS.index:
        stack = [(firm, [])]
        while stack:
            node, shares = stack.pop()
            for owner, share in owners_of[node]:
                chain = shares + [share]
                if len(chain) > 6 or share < THRESHOLD or sum(s <= CONTROL for s in chain) > 1:
                    continue
                if COUNTRY[owner] != FIRMS.at[firm, "country"]:
                    out.add(firm)
                stack.append((owner, chain))
    return out


AFFILIATES = foreign_affiliates()


def links(year: int = audit.YEAR) -> pd.DataFrame:
    """The year's firm network: products of a pair summed; a = value / buyer's purchases, b = / seller's sales."""
    s = F["firm_supply"]
    s = s[s["year"] == year].groupby(["supplier", "buyer"], as_index=False)["value"].sum()
    s["a"] = s["value"] / s.groupby("buyer")["value"].transform("sum")
    s["b"] = s["value"] / s.groupby("supplier")["value"].transform("sum")
    return s


def walks(edges: dict[tuple, float], start: str, depth: int, upstream: bool) -> dict[tuple, float]:
    """Every walk of 1..depth links from ``start`` (upstream: over suppliers) with its product of coefficients."""
    out, frontier = {}, [((start,), 1.0)]
    for _ in range(depth):
        nxt = []
        for path, v in frontier:
            end = path[0] if upstream else path[-1]
            for (i, j), c in edges.items():
                if (j if upstream else i) == end:
                    new = ((i,) + path) if upstream else (path + (j,))
                    out[new] = v * c
                    nxt.append((new, v * c))
        frontier = nxt
    return out


def io_reference(name: str) -> dict:
    source, year, synthetic, Z, Y = audit.io_table(name)
    x = Z.sum(axis=1) + Y.sum(axis=1)
    n = len(x)
    A, B = Z / x[None, :], Z / x[:, None]
    L, G = np.linalg.inv(np.eye(n) - A), np.linalg.inv(np.eye(n) - B)
    countries = [k.split("|")[0] for k in audit.IO_KEYS]
    fd = ["KOR", "JPN"]
    e = np.array([sum(Z[i, j] for j in range(n) if countries[j] != countries[i])
                  + sum(Y[i, c] for c in range(2) if fd[c] != countries[i]) for i in range(n)])
    v = 1 - A.sum(axis=0)
    return {"year": year, "source": source, "x": x, "A": A, "B": B, "Z": Z, "v": v, "e": e, "L": L,
            "countries": countries,
            "bl": n * L.sum(axis=0) / L.sum(), "fl": n * G.sum(axis=1) / G.sum(), "up": G.sum(axis=1),
            "va": x - Z.sum(axis=0)}


def provenance(df) -> tuple[set, set]:
    p = df.attrs["provenance"]
    return {d["key"] for d in p["datasets"]}, set(p["years"])


# ------------------------------------------------------------------ defaults: latest real year, one dataset

DEFAULT_PARAMS = {
    "upstream-paths": {"node": "A1"}, "downstream-paths": {"node": "S1"},
    "shortest-supply-path": {"source": "S2", "target": "N1"}, "firm-neighbourhood": {"firm": "A1"},
    "ownership-chain": {"firm": "A2"},
    "va-paths": {"origin": "KOR", "destination": "JPN", "threshold": 0.0}, "gvc-gap": {"subject": "KOR"},
    "path-shifts": {"node": "A1"},
    # every year of one dataset: a panel over years (KOR's projects and trade are in 2019 and 2020)
    "fdi-trade-panel": {"origin": "KOR"}, "fdi-trade-panel-fe": {"origin": "KOR", "regressors": ["exports_value"]},
}
# what each module reads by default: (datasets, years); [] = records without a year
DEFAULT_READS = {
    "sector-linkages": ({audit.IO_SOURCE}, {2016}), "key-sectors": ({audit.IO_SOURCE}, {2016}),
    "fva-share": ({audit.IO_SOURCE}, {2016}),
    "centrality": ({audit.IO_SOURCE}, {2016}), "communities": ({audit.IO_SOURCE}, {2016}),
    "ownership-chain": ({audit.REAL_SOURCE}, set()),
    **{m: ({audit.IO_SOURCE}, {2016}) for m in ("gvc-decomposition", "gvc-participation", "va-by-origin", "tiva",
                                                "va-generation", "va-paths")},
    # years compared: the latest year of the real dataset and its earliest
    "linkage-shifts": ({audit.IO_SOURCE}, {2015, 2016}), "va-shifts": ({audit.IO_SOURCE}, {2015, 2016}),
    "centrality-shifts": ({audit.IO_SOURCE}, {2015, 2016}), "path-shifts": ({audit.REAL_SOURCE}, {2019, 2020}),
    "fdi-trade-panel": ({audit.REAL_SOURCE}, {2019, 2020}), "fdi-trade-panel-fe": ({audit.REAL_SOURCE}, {2019, 2020}),
    "regional-va": ({audit.IRIO_SOURCE}, {2016}), "regional-tiva": ({audit.IRIO_SOURCE}, {2016}),
}


@pytest.mark.parametrize("name", modules.names())
def test_every_module_reads_the_latest_real_year_of_one_dataset_by_default(audit_db, name):
    df = run_module(name, DEFAULT_PARAMS.get(name, {}))
    assert len(df) > 0, name
    datasets, years = provenance(df)
    expected = DEFAULT_READS.get(name, ({audit.REAL_SOURCE}, {audit.YEAR}))
    if name == "firm-neighbourhood":   # stakes and FDI projects of other years are listed with their year
        assert datasets == expected[0] and audit.YEAR in years and audit.SYNTHETIC_SOURCE not in datasets
    else:
        assert (datasets, years) == expected, (name, df.attrs["provenance"])
    assert all(d["synthetic"] is False for d in df.attrs["provenance"]["datasets"]), name
    assert df.attrs["excluded"] == []
    for col in ("year", "source"):
        if col in df.columns and name != "firm-neighbourhood":
            assert set(df[col].dropna()) <= (years | datasets), (name, col)


def test_money_columns_carry_their_units(audit_db):
    units = run_module("fva-share", {}).attrs["provenance"]["units"]
    assert units == {"gross_exports": "table currency (the Dataset does not record it)",
                     "dva": "table currency (the Dataset does not record it)",
                     "fva": "table currency (the Dataset does not record it)"}
    assert run_module("fdi-by-motive", {}).attrs["provenance"]["units"]["amount"] == "million USD"
    assert run_module("centrality", {"layer": "firm"}).attrs["provenance"]["units"]["in_strength"] == "thousand USD"
    assert run_module("centrality", {"layer": "firm", "weight": "a"}).attrs["provenance"]["units"]["in_strength"] \
        == "share (a)"


def test_explicit_dataset_and_year_and_clear_refusals(audit_db):
    old = run_module("sector-linkages", {"year": 2015, "limit": 10})
    assert set(old["year"]) == {2015} and set(old["source"]) == {audit.IO_SOURCE}
    syn = run_module("fdi-statistics", {"source": audit.SYNTHETIC_SOURCE})
    assert syn["amount"].tolist() == [12345.0]
    assert provenance(syn) == ({audit.SYNTHETIC_SOURCE}, {2021})
    assert [d["synthetic"] for d in syn.attrs["provenance"]["datasets"]] == [True]
    with pytest.raises(ParameterError, match=r"no firm-level FDI projects \(INVESTS_IN\) in 1999; years held"):
        run_module("fdi-by-motive", {"year": 1999})
    with pytest.raises(ParameterError, match="datasets holding them"):
        run_module("trade-unit-values", {"source": "nope"})
    with pytest.raises(ParameterError, match="'\\*'"):
        run_module("upstream-paths", {"node": "KOR|ELEC", "source": "*"})
    every = run_module("trade-unit-values", {"source": "*", "all_years": True, "limit": 1000})
    assert set(zip(every["source"], every["year"])) == {(audit.REAL_SOURCE, 2019), (audit.REAL_SOURCE, 2020),
                                                        (audit.SYNTHETIC_SOURCE, 2021)}


# ------------------------------------------------------------------ FDI: projects and statistics, never added

def target_country(kind: str, key: str) -> str:
    return FIRMS.at[key, "country"] if kind == "firm" else (key if kind == "country" else audit.REGION_COUNTRY[key])


def projects(year: int | None = audit.YEAR) -> pd.DataFrame:
    inv = F["investments"].copy()
    if year is not None:
        inv = inv[inv["year"] == year]
    inv["origin"] = inv["investor"].map(FIRMS["country"])
    inv["destination"] = [target_country(k, t) for k, t in zip(inv["target_kind"], inv["target"])]
    return inv


def test_fdi_by_motive_counts_firm_projects_once(audit_db):
    got = run_module("fdi-by-motive", {}).set_index("motive")
    ref = projects().groupby("motive")["amount"].agg(["sum", "count"])
    assert dict(zip(got.index, got["amount"])) == pytest.approx(ref["sum"].to_dict())
    assert dict(zip(got.index, got["projects"])) == ref["count"].to_dict()
    # by hand: market 20 + 10 + 30, efficiency 50, resource 7; no statistic (85, 90, 900) and no 2019 project
    assert got["amount"].to_dict() == {"market": 60.0, "efficiency": 50.0, "resource": 7.0}
    assert got["share"].to_dict() == pytest.approx({"market": 60 / 117, "efficiency": 50 / 117, "resource": 7 / 117})
    for split in ("mode", "origin", "destination"):
        df = run_module("fdi-by-motive", {"split": split})
        ref = projects().groupby(["motive", split])["amount"].sum()
        assert dict(zip(zip(df["motive"], df["split"]), df["amount"])) == pytest.approx(ref.to_dict()), split
    kor = run_module("fdi-by-motive", {"destination": "KOR"})
    assert kor["amount"].sum() == pytest.approx(87.0)   # into A1, KR-11, KOR itself and KR-26
    every = run_module("fdi-by-motive", {"all_years": True, "split": "year"})
    ref = projects(None).groupby(["motive", "year"])["amount"].sum()
    assert dict(zip(zip(every["motive"], every["split"].astype(int)), every["amount"])) == pytest.approx(ref.to_dict())
    assert provenance(every) == ({audit.REAL_SOURCE}, {2019, 2020})


def test_fdi_statistics_one_publisher_one_measure_one_level(audit_db):
    stats = F["fdi_statistics"]

    def ref(measure="flow", by="Audit statistics office", kind="country"):
        s = stats[(stats["year"] == audit.YEAR) & (stats["measure"] == measure) & (stats["reported_by"] == by)
                  & (stats["destination_kind"] == kind)]
        return dict(zip(zip(s["origin"], s["destination"]), s["amount"]))

    df = run_module("fdi-statistics", {})
    assert dict(zip(zip(df["origin"], df["destination"]), df["amount"])) == ref()
    assert ref() == {("JPN", "KOR"): 85.0, ("KOR", "USA"): 30.0}   # not 85 + 90, not the position, not 2021
    assert df["share"].sum() == pytest.approx(1.0) and set(df["measure"]) == {"flow"}
    assert "Second publisher" in " ".join(df.attrs["provenance"]["notes"])
    other = run_module("fdi-statistics", {"reported_by": "Second publisher"})
    assert dict(zip(zip(other["origin"], other["destination"]), other["amount"])) == ref(by="Second publisher")
    pos = run_module("fdi-statistics", {"measure": "position"})
    assert dict(zip(zip(pos["origin"], pos["destination"]), pos["amount"])) == ref("position")
    regions = run_module("fdi-statistics", {"destination_kind": "region"})
    assert dict(zip(zip(regions["origin"], regions["destination"]), regions["amount"])) == ref(kind="region")
    motive = regions.set_index("destination")["motive"]   # a motive only where the publisher gives one
    assert motive["KR-26"] == "resource" and pd.isna(motive["KR-11"])
    by_origin = run_module("fdi-statistics", {"group_by": "origin"})
    assert dict(zip(by_origin["origin"], by_origin["amount"])) == {"JPN": 85.0, "KOR": 30.0}
    with pytest.raises(ParameterError, match="publishers there"):
        run_module("fdi-statistics", {"reported_by": "Nobody"})


# ------------------------------------------------------------------ foreign affiliates, one definition

def test_the_reference_finds_the_hand_worked_affiliates():
    # A1, HKR, X1, S4 by foreign share; A2 by JPN -> HKR (80%, control) -> A2 (30%, influence);
    # U1 by a JPN national's 50%; not N1 (two influence links), not S5 (5%), not the domestic parent D1
    assert AFFILIATES == {"A1", "HKR", "X1", "S4", "A2", "U1"}


def linkages_reference() -> dict[str, dict]:
    net = links()
    out = {}
    for t in sorted(AFFILIATES):
        home = FIRMS.loc[t]

        def domestic_sme(k):
            return FIRMS.at[k, "size_class"] == "sme" and k not in AFFILIATES and FIRMS.at[k, "country"] == home["country"]

        bought = net[net["buyer"] == t]
        sme = bought[[domestic_sme(k) for k in bought["supplier"]]]
        sold = net[net["supplier"] == t]
        sme_b = sold[[domestic_sme(k) for k in sold["buyer"]]]
        if len(sme) + len(sme_b) == 0:
            continue
        local = sme[[region_relation(t, k) == "same" for k in sme["supplier"]]]["value"].sum()
        out[t] = {"purchases": bought["value"].sum(), "sme_suppliers": len(sme),
                  "purchases_from_smes": sme["value"].sum(), "sme_buyers": len(sme_b),
                  "sales_to_smes": sme_b["value"].sum(),
                  "local_purchase_share": local / sme["value"].sum() if len(sme) else 0.0}
    return out


def test_tnc_sme_linkages_are_about_foreign_affiliates_and_domestic_smes(audit_db):
    df = run_module("tnc-sme-linkages", {}).set_index("affiliate")
    ref = linkages_reference()
    assert set(df.index) == set(ref) == {"A1", "A2", "X1"}   # not D1, the domestic parent with SME suppliers
    for t, r in ref.items():
        for col, v in r.items():
            assert df.at[t, col] == pytest.approx(v), (t, col)
    # by hand for A1: it bought S1 100 + 20, S2 50, S4 30, S3 40, U1 60, PJP 80, K0 5 = 385; from domestic
    # SMEs S1, S2, S3 (not S4: 15% foreign) 210, of which 170 in its economic region (S1 KR-11, S2 KR-41)
    assert df.at["A1", "purchases"] == 385.0 and df.at["A1", "purchases_from_smes"] == 210.0
    assert df.at["A1", "local_purchase_share"] == pytest.approx(170 / 210)
    assert df["foreign_parent"].to_dict() == {"A1": "PJP", "A2": "PJP", "X1": "PJP"}
    assert df.at["A2", "affiliate_by"] == "ownership_chain" and df.at["A1", "affiliate_by"] == "foreign_share, ownership_chain"


def test_ownership_chains_say_who_is_a_direct_investor(audit_db):
    a2 = run_module("ownership-chain", {"firm": "A2"}).set_index("owner")
    assert a2["effective_share"].to_dict() == pytest.approx({"HKR": 0.3, "PJP": 0.8 * 0.3})
    assert a2["direct_investment"].to_dict() == {"HKR": True, "PJP": True}
    assert a2["foreign"].to_dict() == {"HKR": False, "PJP": True}
    n1 = run_module("ownership-chain", {"firm": "N1"}).set_index("owner")
    assert n1["effective_share"].to_dict() == pytest.approx({"X1": 0.3, "PJP": 0.09})
    assert n1["direct_investment"].to_dict() == {"X1": True, "PJP": False}   # two influence links: no


def test_gvc_stages_by_ownership(audit_db):
    st = F["gvc_stages"]
    st = st[st["year"] == audit.YEAR]
    for ownership, keep in (("any", lambda k: True), ("foreign_affiliate", lambda k: k in AFFILIATES),
                            ("domestic", lambda k: k not in AFFILIATES)):
        mine = st[[keep(k) for k in st["firm"]]]
        ref = mine.groupby("stage")["value_added"].sum()
        df = run_module("gvc-stages", {"ownership": ownership}).set_index("stage")
        assert df["value_added"].to_dict() == pytest.approx(ref.to_dict()), ownership
        assert df["firms"].to_dict() == mine.groupby("stage")["firm"].nunique().to_dict()
        assert df["share"].sum() == pytest.approx(1.0)
    assert run_module("gvc-stages", {"ownership": "foreign_affiliate"})["value_added"].sum() == 300 + 100 + 120
    assert list(run_module("gvc-stages", {})["stage"]) == ["rnd", "design", "parts", "assembly", "marketing"]


# ------------------------------------------------------------------ regions: one level at a time, ranked

def region_reference(level: str) -> pd.DataFrame:
    f = FIRMS.reset_index()
    if level == "economic_region":
        f["group"] = [audit.ECONOMIC_REGION.get(r) for r in f["region"]]
    elif level == "subdivision":
        f["group"] = [r or None for r in f["region"]]
    else:
        f["group"] = ["OECD" if c in audit.OECD else None for c in f["country"]]
    f = f[f["group"].notna()].copy()
    f["affiliate"] = f["key"].isin(AFFILIATES)
    f["foreign_output"] = f["output"] * f["foreign_share"]
    g = f.groupby("group").agg(firms=("key", "count"), sme=("size_class", lambda s: (s == "sme").sum()),
                               foreign_affiliates=("affiliate", "sum"), employees=("employees", "sum"),
                               output=("output", "sum"), foreign_output=("foreign_output", "sum"))
    g["foreign_output_share"] = g["foreign_output"] / g["output"]
    inv = projects()
    fdi = {}
    for grp in g.index:
        members = set(f.loc[f["group"] == grp, "key"])
        into = inv[((inv["target_kind"] == "firm") & inv["target"].isin(members))
                   | ((inv["target_kind"] == "region") & ((inv["target"] == grp)
                                                          | (inv["target"].map(audit.ECONOMIC_REGION) == grp)))
                   | ((grp == "OECD") & inv["destination"].isin(audit.OECD) & (inv["target_kind"] != "firm"))]
        fdi[grp] = into["amount"].sum()
    g["inward_fdi"] = pd.Series(fdi)
    return g.sort_values("output", ascending=False)


@pytest.mark.parametrize("kind", ["economic_region", "subdivision", "grouping"])
def test_region_profile_is_one_level_ranked_and_counts_each_firm_once(audit_db, kind):
    df = run_module("region-profile", {"kind": kind, "limit": 1000})
    ref = region_reference(kind)
    if kind == "grouping":
        df = df[df["region"] == "OECD"]
        ref = ref.loc[["OECD"]]
    else:
        assert list(df["region"]) == list(ref.index)            # ranked by output, one level only
        assert set(df["kind"]) == {kind} and list(df["rank"]) == list(range(1, len(df) + 1))
    got = df.set_index("region")
    for col in ("firms", "sme", "foreign_affiliates", "employees", "output", "foreign_output_share", "inward_fdi"):
        assert got[col].to_dict() == pytest.approx(ref[col].to_dict()), (kind, col)
    if kind == "economic_region":
        # 11 Korean firms of the real dataset have a region (not K0); none counted twice, no synthetic SY1, SY2
        assert got["firms"].sum() == 11 and got.at["KR-ECON-CAPITAL", "inward_fdi"] == 70.0   # A1 50 + KR-11 20
        assert got.at["KR-ECON-CAPITAL", "foreign_affiliates"] == 4                         # A1, HKR, X1, S4
    if kind == "grouping":
        assert got.at["OECD", "firms"] == len(FIRMS)


def test_region_profile_of_one_region_takes_its_level(audit_db):
    one = run_module("region-profile", {"region": "KR-26"})
    assert one["kind"].tolist() == ["subdivision"] and one["firms"].tolist() == [2]   # A2, S3


# ------------------------------------------------------------------ trade

def test_trade_unit_values_equal_pandas(audit_db):
    t = F["trade_flows"]
    t = t[t["year"] == audit.YEAR]
    ref = t.groupby(["exporter", "importer", "industry"]).agg(value=("value", "sum"), weight=("weight", "sum"))
    df = run_module("trade-unit-values", {}).set_index(["exporter", "importer", "industry"])
    assert df["value"].to_dict() == ref["value"].to_dict()
    for k, r in ref.iterrows():
        if r["weight"] > 0:
            assert df.at[k, "unit_value"] == pytest.approx(r["value"] / r["weight"]), k
        else:
            assert pd.isna(df.at[k, "unit_value"]), k
    assert df.at[("KOR", "JPN", "ISIC4|C26"), "unit_value"] == pytest.approx(6000 / 110)   # not 2019's 777 / 7


# ------------------------------------------------------------------ spillovers: channels and Javorcik measures

def test_spillover_channels_of_a_firm_equal_pandas(audit_db):
    net = F["firm_supply"]
    net = net[net["year"] == audit.YEAR]
    me = "A1"
    rows = [("horizontal", k, FIRMS.at[k, "output"]) for k in FIRMS.index
            if FIRMS.at[k, "industry"] == FIRMS.at[me, "industry"] and k != me]
    rows += [("backward", r.supplier, r.value) for r in net[net["buyer"] == me].itertuples()]
    rows += [("forward", r.buyer, r.value) for r in net[net["supplier"] == me].itertuples()]
    ref = defaultdict(lambda: [set(), 0.0, 0.0])
    for channel, other, value in rows:
        scope = {"same": "same_region", "other": "other_regions", "unknown": "unknown_region"}[region_relation(me, other)]
        cell = ref[(channel, scope)]
        cell[0].add(other)
        cell[1] += value
        cell[2] += value if FIRMS.at[other, "country"] == FIRMS.at[me, "country"] else 0.0
    df = run_module("spillover-channels", {"firm": me})
    got = {(r.channel, r.scope): (r.firms, r.value, r.value_same_country) for r in df.itertuples()}
    assert got == {k: (len(v[0]), pytest.approx(v[1]), pytest.approx(v[2])) for k, v in ref.items()}
    # by hand: A1's suppliers in its economic region S1 (120), S2 (50), S4 (30); elsewhere S3 (Busan), U1, PJP;
    # K0 is Korean without a region: unknown, not "other"
    assert got[("backward", "same_region")][:2] == (3, 200.0) and got[("backward", "unknown_region")][:2] == (1, 5.0)
    assert set(df["foreign_affiliate"]) == {True}
    assert run_module("spillover-channels", {"firm": "D1"})["foreign_affiliate"].tolist()[0] is False


def javorcik_reference(level: str) -> dict[tuple, dict]:
    f = FIRMS.reset_index()
    f["g"] = f["country"] if level == "country" else [econ(r) for r in f["region"]]
    f["fy"] = f["output"] * f["foreign_share"]
    grp = f[f["g"].notna()].groupby(["g", "industry"]).agg(y=("output", "sum"), fy=("fy", "sum"), n=("key", "count"))
    H = (grp["fy"] / grp["y"]).to_dict()
    net = links()
    net["sg"] = [FIRMS.at[k, "country"] if level == "country" else econ(FIRMS.at[k, "region"]) for k in net["supplier"]]
    net["bg"] = [FIRMS.at[k, "country"] if level == "country" else econ(FIRMS.at[k, "region"]) for k in net["buyer"]]
    net["j"] = net["supplier"].map(FIRMS["industry"])
    net["k"] = net["buyer"].map(FIRMS["industry"])
    sales = net.groupby(["sg", "j"], dropna=False)["value"].sum().to_dict()
    bought = net.groupby(["bg", "k"], dropna=False)["value"].sum().to_dict()
    back, fwd = defaultdict(lambda: [0.0, 0.0]), defaultdict(lambda: [0.0, 0.0])
    for r in net.itertuples():
        if r.j == r.k or r.sg is None or r.bg is None or (isinstance(r.sg, float) or isinstance(r.bg, float)):
            continue
        inside = 0 if r.sg == r.bg else 1
        back[(r.sg, r.j)][inside] += r.value / sales[(r.sg, r.j)] * H.get((r.bg, r.k), 0.0)
        fwd[(r.bg, r.k)][inside] += r.value / bought[(r.bg, r.k)] * H.get((r.sg, r.j), 0.0)
    return {key: {"horizontal": H[key], "output": grp.at[key, "y"], "firms": grp.at[key, "n"],
                  "backward_inside": back[key][0], "backward_outside": back[key][1],
                  "forward_inside": fwd[key][0], "forward_outside": fwd[key][1]} for key in H}


@pytest.mark.parametrize("level", ["country", "region"])
def test_javorcik_measures_equal_pandas(audit_db, level):
    df = run_module("spillover-channels", {"level": level})
    ref = javorcik_reference(level)
    got = {(r["group"], r["industry"]): r for r in df.to_dict("records")}
    assert set(got) == set(ref)
    for key, r in ref.items():
        for col, v in r.items():
            assert got[key][col] == pytest.approx(v, abs=1e-12), (key, col)
        assert got[key]["backward"] == pytest.approx(r["backward_inside"] + r["backward_outside"])
    if level == "region":   # the economic regions, with Tokyo standing for itself; no firm twice
        assert {g for g, _ in got} == {"KR-ECON-CAPITAL", "KR-ECON-SOUTHEAST", "JP-13"}
        assert sum(r["firms"] for r in got.values()) == 12


# ------------------------------------------------------------------ paths: every path in the split

def check_paths(df, expected: dict[tuple, float], relation, firms: bool):
    by_depth = defaultdict(list)
    for path, v in expected.items():
        by_depth[len(path) - 1].append((path, v))
    assert set(df["depth"]) == set(by_depth)
    for d, items in by_depth.items():
        rows = df[df["depth"] == d]
        first = rows.iloc[0]
        total = sum(v for _, v in items)
        assert first["depth_total"] == pytest.approx(total) and first["depth_paths"] == len(items)
        assert len(rows) == 1   # one path listed per depth; the split below still covers every path
        split = defaultdict(float)
        for path, v in items:
            country, region = relation(path)
            split[f"depth_{country}_country"] += v
            if firms:
                split[f"depth_{region}_region"] += v
        for col in ("depth_same_country", "depth_other_country") + (
                ("depth_same_region", "depth_other_region", "depth_unknown_region") if firms else ()):
            assert first[col] == pytest.approx(split[col], abs=1e-15), (d, col)
        if firms:
            assert first["depth_same_region"] + first["depth_other_region"] + first["depth_unknown_region"] == \
                pytest.approx(total)
        else:
            assert pd.isna(first["depth_same_region"])
        assert first["depth_same_country"] + first["depth_other_country"] == pytest.approx(total)


@pytest.mark.parametrize("module,start,coef", [("upstream-paths", "A1", "a"), ("downstream-paths", "S1", "b")])
def test_firm_paths_and_their_region_and_country_split_equal_python(audit_db, module, start, coef):
    net = links()
    edges = {(r.supplier, r.buyer): getattr(r, coef) for r in net.itertuples()}
    up = module == "upstream-paths"
    expected = walks(edges, start, 3, upstream=up)
    df = run_module(module, {"node": start, "depth": 3, "threshold": 0.0, "limit": 1})

    def relation(path):
        far = path[0] if up else path[-1]
        same_country = FIRMS.at[far, "country"] == FIRMS.at[start, "country"]
        return ("same" if same_country else "other"), region_relation(start, far)

    check_paths(df, expected, relation, firms=True)
    assert df.attrs["provenance"]["datasets"][0]["key"] == audit.REAL_SOURCE


@pytest.mark.parametrize("module", ["upstream-paths", "downstream-paths"])
def test_sector_paths_equal_numpy_and_split_by_country(audit_db, module):
    ref = io_reference("2016")
    up = module == "upstream-paths"
    M = ref["A"] if up else ref["B"]
    keys = audit.IO_KEYS
    edges = {(keys[i], keys[j]): M[i, j] for i in range(4) for j in range(4) if M[i, j] > 0}
    start = "KOR|ELEC"
    expected = walks(edges, start, 3, upstream=up)
    df = run_module(module, {"node": start, "depth": 3, "threshold": 0.0, "limit": 1})
    check_paths(df, expected, lambda p: ("same" if (p[0] if up else p[-1]).split("|")[0] == "KOR" else "other", None),
                firms=False)
    for m in (1, 2, 3):   # with threshold 0 the totals are the column sums of A^m (row sums of B^m)
        power = np.linalg.matrix_power(M, m)
        total = power[:, 0].sum() if up else power[0, :].sum()
        assert df[df["depth"] == m]["depth_total"].iloc[0] == pytest.approx(total)


def test_path_work_is_estimated_and_refused_with_what_fits(audit_db, monkeypatch):
    from queries.modules import paths

    # a budget of 3,750 paths in the 30 s limit (the speed is the only thing changed; the estimate is real)
    monkeypatch.setattr(paths, "PATHS_PER_SECOND", 125)
    with pytest.raises(ParameterError) as err:
        run_module("upstream-paths", {"node": "KOR|ELEC", "depth": 6, "threshold": 0.0})
    # 4 + 16 + 64 + 256 + 1024 + 4096 walks: depth 5 (1,364 in all) fits, depth 6 does not
    msg = str(err.value)
    assert "up to 5,460 paths" in msg and "depth 5 fits at threshold 0" in msg and "about 3,750 fit" in msg
    fit = float(msg.split("threshold ")[-1].split(" fits")[0])
    ok = run_module("upstream-paths", {"node": "KOR|ELEC", "depth": 6, "threshold": fit})
    assert 0 < ok["depth_paths"].groupby(ok["depth"]).first().sum() <= 3750
    assert len(run_module("upstream-paths", {"node": "KOR|ELEC", "depth": 5, "threshold": 0.0, "limit": 0})) == 1364


# ------------------------------------------------------------------ centrality

# betweenness is computed only when asked for (the module's default is the linear-time measures)
ALL_MEASURES = "degree,strength,pagerank,betweenness"


def check_centrality(df, g: nx.DiGraph):
    df = df.set_index("key")
    assert set(df.index) == set(g)
    pr = _pagerank_python(g, alpha=0.85, weight="weight", tol=1e-13, max_iter=10000)
    hops = nx.betweenness_centrality(g, normalized=False, weight=None)
    for k in g:
        assert df.at[k, "out_strength"] == pytest.approx(g.out_degree(k, weight="weight"))
        assert df.at[k, "in_strength"] == pytest.approx(g.in_degree(k, weight="weight"))
        assert df.at[k, "in_degree"] == g.in_degree(k) and df.at[k, "out_degree"] == g.out_degree(k)
        assert df.at[k, "pagerank"] == pytest.approx(pr[k], abs=1e-6)
        assert df.at[k, "betweenness"] == pytest.approx(hops[k], abs=1e-9)


def test_firm_centrality_equals_networkx(audit_db):
    net = links()
    g = nx.DiGraph()
    for r in net.itertuples():   # S1 -> A1 trades two products: one edge of 120
        g.add_edge(r.supplier, r.buyer, weight=r.value, distance=-math.log(r.a))
    df = run_module("centrality", {"layer": "firm", "tolerance": 1e-11, "max_iterations": 1000, "limit": 100,
                                   "measures": ALL_MEASURES})
    check_centrality(df, g)
    chain = run_module("centrality", {"layer": "firm", "betweenness": "strongest_chain", "limit": 100,
                                      "measures": ALL_MEASURES}).set_index("key")
    strongest = nx.betweenness_centrality(g, normalized=False, weight="distance")
    assert chain["betweenness"].to_dict() == pytest.approx(strongest, abs=1e-9)


def test_sector_centrality_equals_networkx(audit_db):
    ref = io_reference("2016")
    g = nx.DiGraph()
    for i, j in itertools.product(range(4), range(4)):
        g.add_edge(audit.IO_KEYS[i], audit.IO_KEYS[j], weight=ref["Z"][i, j])
    df = run_module("centrality", {"tolerance": 1e-11, "max_iterations": 1000, "measures": ALL_MEASURES})
    check_centrality(df, g)
    assert set(df["year"]) == {2016}


# ------------------------------------------------------------------ sector tables

def test_sector_modules_equal_numpy(audit_db):
    for name, year in (("2016", None), ("2015", 2015)):
        ref = io_reference(name)
        df = run_module("sector-linkages", {"year": year} if year else {}).set_index("sector")
        for col, key in (("output", "x"), ("value_added", "va"), ("va_coef", "v"), ("backward_linkage", "bl"),
                         ("forward_linkage", "fl"), ("upstreamness", "up")):
            got = df[col].reindex(audit.IO_KEYS).to_numpy(dtype=float)
            np.testing.assert_allclose(got, ref[key], rtol=1e-9, err_msg=f"{name} {col}")
        keyset = {audit.IO_KEYS[i] for i in range(4) if ref["bl"][i] > 1 and ref["fl"][i] > 1}
        assert set(run_module("key-sectors", {"year": year} if year else {})["sector"]) == keyset
        fva = run_module("fva-share", {"year": year} if year else {}).set_index("country")
        VA = ref["v"][:, None] * ref["L"] * ref["e"][None, :]
        c = np.array(ref["countries"])
        for country in ("KOR", "JPN"):
            mine = c == country
            assert fva.at[country, "gross_exports"] == pytest.approx(ref["e"][mine].sum())
            assert fva.at[country, "dva"] == pytest.approx(VA[np.ix_(mine, mine)].sum())
            assert fva.at[country, "fva"] == pytest.approx(VA[np.ix_(~mine, mine)].sum())
        assert set(fva["year"]) == {ref["year"]}


# ------------------------------------------------------------------ one firm: neighbourhood, shortest path

def test_firm_neighbourhood_lists_one_dataset_with_years(audit_db):
    df = run_module("firm-neighbourhood", {"firm": "A1"})
    net = F["firm_supply"]
    sup = net[(net["buyer"] == "A1") & (net["year"] == audit.YEAR)]
    got = df[df["relation"] == "supplier"]
    assert sorted(zip(got["key"], got["value"])) == sorted(zip(sup["supplier"], sup["value"]))   # S1 twice
    assert set(df["source"]) == {audit.REAL_SOURCE}   # not SY2's synthetic project into A1
    inv = df[df["relation"] == "investor"]
    assert inv[["key", "value", "year"]].values.tolist() == [["PJP", 50.0, 2020]]
    assert df[df["relation"] == "owner"][["key", "share"]].values.tolist() == [["PJP", 0.6]]
    every = run_module("firm-neighbourhood", {"firm": "A1", "source": "*"})
    assert ("SY2", 999.0, 2021, audit.SYNTHETIC_SOURCE) in set(
        every[every["relation"] == "investor"][["key", "value", "year", "source"]].itertuples(index=False, name=None))


def test_shortest_supply_path_equals_networkx(audit_db):
    net = links()
    g = nx.DiGraph()
    for r in net.itertuples():
        g.add_edge(r.supplier, r.buyer, a=r.a)
    for source, target in (("S3", "D1"), ("S2", "N1"), ("S5", "A2")):
        df = run_module("shortest-supply-path", {"source": source, "target": target})
        expected = sorted((math.prod(g[u][v]["a"] for u, v in zip(p, p[1:])), p)
                          for p in nx.all_shortest_paths(g, source, target))[::-1]
        assert [list(p) for p in df["path"]] == [list(p) for _, p in expected]
        assert df["value"].tolist() == pytest.approx([v for v, _ in expected])
        assert set(df["year"]) == {audit.YEAR}


# ------------------------------------------------------------------ loads in progress

def mark(driver, years):
    driver.execute_query("MATCH (d:Dataset {key: $k}) SET d.loading = datetime(), d.loading_years = $years",
                         k=audit.REAL_SOURCE, years=years)


def unmark(driver):
    driver.execute_query("MATCH (d:Dataset {key: $k}) REMOVE d.loading, d.loading_years", k=audit.REAL_SOURCE)


def test_a_year_being_loaded_is_skipped_and_said_so(audit_db):
    mark(audit_db, [2020])
    try:
        fdi = run_module("fdi-by-motive", {})
        assert provenance(fdi) == ({audit.REAL_SOURCE}, {2019})       # the latest real year not being written
        assert fdi["amount"].tolist() == [5.0]
        (ex,) = fdi.attrs["excluded"]
        assert ex["dataset"] == audit.REAL_SOURCE and ex["years"] == [2020] and "being loaded" in ex["reason"]
        assert run_module("trade-unit-values", {})["year"].unique().tolist() == [2019]
        up = run_module("upstream-paths", {"node": "A1", "threshold": 0.0})
        assert up["year"].unique().tolist() == [2019] and up["value"].tolist() == [1.0]   # S1 -> A1 alone
        asked = run_module("fdi-by-motive", {"year": 2020})
        assert asked.empty and asked.attrs["excluded"][0]["years"] == [2020]
        # the firm population of a dataset under load may be incomplete: skipped, and said so
        regions = run_module("region-profile", {})
        assert {d["key"] for d in regions.attrs["provenance"]["datasets"]} >= {audit.SYNTHETIC_SOURCE}
        assert any(e["without_year"] for e in regions.attrs["excluded"])
        assert set(regions["firms"]) <= {1}   # SY1 (KR-11) and SY2 (KR-26): the only complete population
        # a table not being loaded is unaffected
        assert run_module("sector-linkages", {}).attrs["excluded"] == []
    finally:
        unmark(audit_db)


def test_a_mark_without_years_skips_the_whole_dataset(audit_db):
    mark(audit_db, None)
    try:
        fdi = run_module("fdi-by-motive", {})
        assert provenance(fdi) == ({audit.SYNTHETIC_SOURCE}, {2021})
        assert [d["synthetic"] for d in fdi.attrs["provenance"]["datasets"]] == [True]
        assert fdi.attrs["excluded"][0]["years"] == [2019, 2020]
        owners = run_module("ownership-chain", {"firm": "A2"})
        assert owners.empty and owners.attrs["excluded"][0]["without_year"]
    finally:
        unmark(audit_db)
