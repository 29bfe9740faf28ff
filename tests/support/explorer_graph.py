"""A small graph in the shape schema/model.py describes for the explorer tests, written with parameterized Cypher.

Two Korean regions, four countries, three industries, sectors with input-output flows and
yearly accounts, firms with supply links, FDI, ownership and a person. Numbers are chosen so
tests can check them by hand: e.g. upstream path KOR|METAL -> KOR|ELEC has value a = 0.2.
``hub(n)`` adds one firm with n suppliers (the 300-node neighbourhood of the browser test).
"""
from __future__ import annotations

from schema.model import check_label, check_rel_type

SRC = "TEST-SYN"


def _nodes(driver, label, rows):
    driver.execute_query(
        f"UNWIND $rows AS row MERGE (n:{check_label(label)} {{key: row.key}}) SET n += row",
        rows=[{"source": SRC, **r} for r in rows])


def _rels(driver, a_label, rel, b_label, rows):
    # rows: {a, b, props}; CREATE keeps parallel yearly flows apart (the fixture is written once)
    driver.execute_query(
        f"UNWIND $rows AS row MATCH (a:{check_label(a_label)} {{key: row.a}}) "
        f"MATCH (b:{check_label(b_label)} {{key: row.b}}) "
        f"CREATE (a)-[r:{check_rel_type(rel)}]->(b) SET r = row.props",
        rows=[{"a": a, "b": b, "props": {"source": SRC, **props}} for a, b, props in rows])


SECTORS = ["KOR|ELEC", "KOR|METAL", "CHN|ELEC", "CHN|METAL", "USA|SERV"]
# (supplier, buyer, value z, a = z / x_buyer); outputs x: KOR|ELEC 100, KOR|METAL 50, CHN|ELEC 80, CHN|METAL 40, USA|SERV 60
OUTPUT = {"KOR|ELEC": 100.0, "KOR|METAL": 50.0, "CHN|ELEC": 80.0, "CHN|METAL": 40.0, "USA|SERV": 60.0}
FLOWS = [("KOR|METAL", "KOR|ELEC", 20.0), ("CHN|ELEC", "KOR|ELEC", 10.0), ("CHN|METAL", "CHN|ELEC", 16.0),
         ("CHN|METAL", "KOR|METAL", 10.0), ("USA|SERV", "KOR|ELEC", 5.0), ("KOR|ELEC", "KOR|ELEC", 10.0),
         ("KOR|METAL", "CHN|ELEC", 8.0)]


def load(driver) -> None:
    _nodes(driver, "Dataset", [{"key": SRC, "name": "Explorer test graph", "synthetic": True,
                                "description": "hand-made for tests"}])
    _nodes(driver, "Country", [{"key": k, "name": n, "iso2": i} for k, n, i in
                               [("KOR", "Korea", "KR"), ("CHN", "China", "CN"), ("USA", "United States", "US"),
                                ("JPN", "Japan", "JP")]])
    _nodes(driver, "Region", [{"key": "KR-ECON-CAPITAL", "name": "Greater Seoul", "kind": "economic_region"},
                              {"key": "KR-ECON-SOUTHEAST", "name": "Southeast", "kind": "economic_region"},
                              {"key": "KR-11", "name": "Seoul", "kind": "subdivision"},
                              {"key": "KR-26", "name": "Busan", "kind": "subdivision"}])
    _rels(driver, "Region", "PART_OF", "Region", [("KR-11", "KR-ECON-CAPITAL", {}), ("KR-26", "KR-ECON-SOUTHEAST", {})])
    _rels(driver, "Region", "LOCATED_IN", "Country", [(r, "KOR", {}) for r in
                                                      ("KR-11", "KR-26", "KR-ECON-CAPITAL", "KR-ECON-SOUTHEAST")])
    _nodes(driver, "Industry", [{"key": f"TEST|{c}", "name": n, "code": c, "classification": "TEST"} for c, n in
                                [("ELEC", "Electrical equipment"), ("METAL", "Basic metals"), ("SERV", "Business services")]])
    _nodes(driver, "Sector", [{"key": s, "name": s, "country": s.split("|")[0], "industry": s.split("|")[1],
                               "classification": "TEST"} for s in SECTORS])
    _rels(driver, "Sector", "LOCATED_IN", "Country", [(s, s.split("|")[0], {}) for s in SECTORS])
    _rels(driver, "Sector", "IN_INDUSTRY", "Industry", [(s, "TEST|" + s.split("|")[1], {}) for s in SECTORS])
    _rels(driver, "Sector", "SUPPLIES", "Sector",
          [(i, j, {"year": 2020, "value": z, "a": z / OUTPUT[j], "b": z / OUTPUT[i]}) for i, j, z in FLOWS])
    _nodes(driver, "SectorYear", [{"key": f"{s}|2020", "sector": s, "country": s.split("|")[0],
                                   "industry": s.split("|")[1], "year": 2020, "output": OUTPUT[s],
                                   "value_added": OUTPUT[s] * 0.4, "backward_linkage": bl, "forward_linkage": fl,
                                   "upstreamness": 1.0 + fl / 2, "exports": OUTPUT[s] * 0.3,
                                   "dva_exports": OUTPUT[s] * 0.2, "fva_exports": OUTPUT[s] * 0.1}
                                  for s, bl, fl in zip(SECTORS, [1.4, 0.9, 1.1, 0.7, 0.9], [1.2, 1.3, 0.8, 1.1, 0.6])])
    _rels(driver, "Sector", "HAS_YEAR", "SectorYear", [(s, f"{s}|2020", {}) for s in SECTORS])
    firms = [("F1", "Hanbit Electronics", "KOR", "KR-11", "TEST|ELEC", "tnc", 900.0, 0.6),
             ("F2", "Busan Steel Works", "KOR", "KR-26", "TEST|METAL", "large", 400.0, 0.0),
             ("F3", "Seoul Metal Parts", "KOR", "KR-11", "TEST|METAL", "sme", 50.0, 0.0),
             ("F4", "Shenzhen Components", "CHN", None, "TEST|ELEC", "large", 300.0, 0.2),
             ("F5", "Ohio Services", "USA", None, "TEST|SERV", "tnc", 700.0, 0.0)]
    _nodes(driver, "Firm", [{"key": k, "name": n, "country": c, "region": r, "industry": i, "size_class": s,
                             "output": o, "foreign_share": fs, "employees": int(o)} for k, n, c, r, i, s, o, fs in firms])
    _rels(driver, "Firm", "LOCATED_IN", "Country", [(f[0], f[2], {}) for f in firms])
    _rels(driver, "Firm", "LOCATED_IN", "Region", [(f[0], f[3], {}) for f in firms if f[3]])
    _rels(driver, "Firm", "IN_INDUSTRY", "Industry", [(f[0], f[4], {}) for f in firms])
    # F3 -> F1 (a 0.1), F2 -> F3 (a 0.5), F4 -> F1 (a 0.2), F2 -> F1 (a 0.3): F1's upstream
    _rels(driver, "Firm", "SUPPLIES", "Firm",
          [("F3", "F1", {"year": 2020, "value": 30.0, "a": 0.1, "b": 0.6, "product": "brackets"}),
           ("F2", "F3", {"year": 2020, "value": 20.0, "a": 0.5, "b": 0.05, "product": "steel sheet"}),
           ("F4", "F1", {"year": 2020, "value": 60.0, "a": 0.2, "b": 0.2, "product": "chips"}),
           ("F2", "F1", {"year": 2020, "value": 90.0, "a": 0.3, "b": 0.225, "product": "steel"})])
    _rels(driver, "Firm", "INVESTS_IN", "Firm",
          [("F5", "F1", {"year": 2020, "amount": 120.0, "motive": "strategic_asset", "mode": "acquisition"}),
           ("F1", "F4", {"year": 2019, "amount": 40.0, "motive": "efficiency", "mode": "joint_venture"})])
    _rels(driver, "Firm", "INVESTS_IN", "Country",
          [("F1", "CHN", {"year": 2020, "amount": 75.0, "motive": "market", "mode": "greenfield"})])
    _rels(driver, "Firm", "OWNS", "Firm", [("F5", "F1", {"share": 0.6})])
    _nodes(driver, "Person", [{"key": "P1", "name": "Kim Minji", "nationality": "KOR"}])
    _rels(driver, "Person", "WORKS_FOR", "Firm", [("P1", "F1", {"role": "founder", "since": 2001})])
    _rels(driver, "Country", "EXPORTS", "Country",
          [("KOR", "CHN", {"year": 2020, "industry": "TEST|ELEC", "value": 5000.0, "weight": 100.0,
                           "unit_value": 50.0, "use": "intermediate"}),
           ("CHN", "KOR", {"year": 2020, "industry": "TEST|METAL", "value": 2000.0, "weight": 2000.0,
                           "unit_value": 1.0, "use": "intermediate"}),
           ("KOR", "USA", {"year": 2020, "industry": "TEST|ELEC", "value": 3000.0, "weight": 30.0,
                           "unit_value": 100.0, "use": "final"})])


def hub(driver, n: int) -> str:
    """One firm ('HUB') with ``n`` supplier firms; returns its node id."""
    _nodes(driver, "Firm", [{"key": "HUB", "name": "Hub Assembly Corp", "country": "KOR", "region": "KR-11",
                             "industry": "TEST|ELEC", "size_class": "tnc", "output": 1e4, "foreign_share": 0.3}]
           + [{"key": f"S{i:04d}", "name": f"Supplier {i:04d}", "country": "KOR", "industry": "TEST|METAL",
               "size_class": "sme", "output": float(i + 1), "foreign_share": 0.0} for i in range(n)])
    _rels(driver, "Firm", "SUPPLIES", "Firm",
          [(f"S{i:04d}", "HUB", {"year": 2020, "value": float(i + 1), "a": (i + 1) / 1e5, "b": 0.5,
                                  "product": "part"}) for i in range(n)])
    return "Firm:HUB"


def load_fresh(driver) -> None:
    """Wipe, load the test graph and wait until the full-text index has caught up."""
    import streamlit as st

    from tests.conftest import wipe

    st.cache_data.clear()  # results cached by earlier tests in this process belong to another graph

    wipe(driver)
    load(driver)
    driver.execute_query("CALL db.awaitIndexes(60)")
    # the full-text index is eventually consistent: wait until it has caught up
    driver.execute_query("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()")
