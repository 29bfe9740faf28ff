"""py2neo 2021.2.4's bulk functions (`py2neo.bulk.merge_nodes` / `merge_relationships`) as a baseline.

Each function sends one UNWIND ... MERGE statement per batch; every batch is its own
transaction (py2neo's documented pattern: ``tx = graph.begin(); merge_...(tx, ...);
graph.commit(tx)``). py2neo is end-of-life: the product never uses it; it talks to Neo4j only
through the official driver, in connection/ (docs/architecture.md).
"""
from __future__ import annotations

import time

from bench.memory import PeakWatch
from connection import Settings

BATCH = 10_000


def _graph():
    from py2neo import Graph

    s = Settings.from_env()
    return Graph(s.uri, auth=(s.user, s.password), name=s.database)


def _batched(graph, fn, data: list, *args, **kwargs) -> None:
    for start in range(0, len(data), BATCH):
        tx = graph.begin()
        fn(tx, data[start:start + BATCH], *args, **kwargs)
        graph.commit(tx)


def firms(graph_frames: dict, source: str, jvm_pid: int | None) -> dict:
    from py2neo.bulk import merge_nodes, merge_relationships

    firms, supply, idx = graph_frames["firms"], graph_frames["firm_supply"], graph_frames["index"]
    g = _graph()
    with PeakWatch(jvm_pid) as w:
        t0 = time.perf_counter()
        keys = ["key", "name", "country", "region", "industry", "size_class", "employees", "output",
                "foreign_share", "founded", "source"]
        node_rows = [[r[0], r[1], r[2], None, r[4], r[5], int(r[6]), float(r[7]), float(r[8]), int(r[9]), source]
                     for r in firms[keys[:-1]].itertuples(index=False, name=None)]
        _batched(g, merge_nodes, node_rows, ("Firm", "key"), keys=keys)
        located = [(k, {}, c) for k, c in zip(firms["key"], firms["country"])]
        _batched(g, merge_relationships, located, ("LOCATED_IN",), start_node_key=("Firm", "key"),
                 end_node_key=("Country", "key"))
        inds = [(k, {}, i) for k, i in zip(firms["key"], firms["industry"])]
        _batched(g, merge_relationships, inds, ("IN_INDUSTRY",), start_node_key=("Firm", "key"),
                 end_node_key=("Industry", "key"))
        sup = [(s, [int(y), p, float(v), float(a), float(b), source], t)
               for s, t, y, p, v, a, b in zip(supply["supplier"], supply["buyer"], supply["year"], supply["product"],
                                              supply["value"], idx["a"], idx["b"])]
        _batched(g, merge_relationships, sup, ("SUPPLIES", "year", "product"), start_node_key=("Firm", "key"),
                 end_node_key=("Firm", "key"), keys=["year", "product", "value", "a", "b", "source"])
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "python_peak_mib": w.peaks.python_mib, "jvm_peak_mib": w.peaks.jvm_mib}


def wiod(rows, year: int, jvm_pid: int | None) -> dict:
    """The same Sector nodes, LOCATED_IN/IN_INDUSTRY and SUPPLIES the MRIO loader writes (not the
    SectorYear accounts, which py2neo would only copy from numpy): a lower bound of its cost."""
    from py2neo.bulk import merge_nodes, merge_relationships

    g = _graph()
    src = rows.dataset["key"]
    with PeakWatch(jvm_pid) as w:
        t0 = time.perf_counter()
        _batched(g, merge_nodes, [[c["key"], c["props"]["name"], src] for c in rows.countries], ("Country", "key"),
                 keys=["key", "name", "source"])
        _batched(g, merge_nodes, [[i["key"], i["props"]["name"], src] for i in rows.industries], ("Industry", "key"),
                 keys=["key", "name", "source"])
        skeys = ["key", "name", "country", "industry", "classification", "source"]
        _batched(g, merge_nodes, [[s["key"]] + [s["props"][k] for k in skeys[1:]] for s in rows.sectors],
                 ("Sector", "key"), keys=skeys)
        _batched(g, merge_relationships, [(s["key"], {}, s["country"]) for s in rows.sectors], ("LOCATED_IN",),
                 start_node_key=("Sector", "key"), end_node_key=("Country", "key"))
        _batched(g, merge_relationships, [(s["key"], {}, s["industry"]) for s in rows.sectors], ("IN_INDUSTRY",),
                 start_node_key=("Sector", "key"), end_node_key=("Industry", "key"))
        e = rows.edges
        data = [(s, [year, v, a, b, src], t) for s, t, v, a, b in zip(e["s"], e["t"], e["value"], e["a"], e["b"])]
        _batched(g, merge_relationships, data, ("SUPPLIES", "year"), start_node_key=("Sector", "key"),
                 end_node_key=("Sector", "key"), keys=["year", "value", "a", "b", "source"])
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "python_peak_mib": w.peaks.python_mib, "jvm_peak_mib": w.peaks.jvm_mib}
