"""Write a ``GraphRows`` to Neo4j by difference: read what is stored, write only what differs.

New relationships are CREATEd (the diff proved them absent), changed ones are
updated by element id, unchanged rows cost nothing, so a reload writes nothing.

Two commit modes (``commit=``):
* ``atomic``: everything, reads included, in ONE managed write transaction; the
  driver retries it on transient errors and a failure leaves the database as it
  was. The default for loads up to ``ATOMIC_MAX_ROWS`` rows.
* ``batched``: each batch commits on its own, ``workers`` at once; for large
  loads, where one transaction would outgrow the server's memory. The Dataset
  nodes carry ``loading`` while it runs, so a crashed load is visible; running
  the same load again completes it.

Labels and types come from ``schema.model`` (checked by ``tables_rows``); every
value travels as a parameter.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import os

from tqdm import tqdm

from connection import Settings, write
from loader.graph.shares import plan_firm_shares
from loader.graph.rows import GraphRows, RelRows
from loader.graph.diff import NodePlan, RelPlan, plan_nodes, plan_rels
from loader.graph.sinks import AtomicSink, ParallelSink, batches

NODE_BATCH = 5_000
REL_BATCH = 10_000
READ_BATCH = 20_000
ATOMIC_MAX_ROWS = int(os.environ.get("GVN_ATOMIC_MAX_ROWS", "250000"))
WORKERS = int(os.environ.get("GVN_LOAD_WORKERS", "2"))
COMMIT_MODES = ("auto", "atomic", "batched")


@dataclass
class LoadSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rows: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, created: int, updated: int, total: int) -> None:
        self.created[name] = self.created.get(name, 0) + created
        self.updated[name] = self.updated.get(name, 0) + updated
        self.unchanged[name] = self.unchanged.get(name, 0) + total - created - updated

    def render(self) -> str:
        names = list(self.created)
        width = max([len(n) for n in names] + [10])
        lines = [f"{'label/type':<{width}}  {'created':>9}  {'updated':>9}  {'unchanged':>9}"]
        for n in names:
            lines.append(f"{n:<{width}}  {self.created[n]:>9}  {self.updated[n]:>9}  {self.unchanged[n]:>9}")
        rate = self.rows / self.seconds if self.seconds else 0.0
        lines.append(f"{self.rows} rows in {self.seconds:.2f} s ({rate:,.0f} rows/s)")
        return "\n".join(lines + self.notes)


def _node_cypher(label: str) -> str:
    # MERGE, not CREATE: cheap for nodes (a unique-index seek) and safe if another load adds the key meanwhile
    return (f"UNWIND $rows AS row "
            f"MERGE (n:{label} {{key: row.key}}) "
            f"SET n += row.props "
            f"SET n.loaded_at = coalesce(n.loaded_at, datetime(row.loaded_at)) "
            f"RETURN count(*) AS seen")


def _existing_nodes_cypher(label: str) -> str:
    return f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) RETURN n.key AS key, properties(n) AS props"


def _create_rels_cypher(rr: RelRows) -> str:
    # rows are [from key, to key, props]: lists pack smaller and faster than maps
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{rr.from_label} {{key: row[0]}}) "
            f"MATCH (b:{rr.to_label} {{key: row[1]}}) "
            f"CREATE (a)-[r:{rr.type}]->(b) SET r = row[2] "
            f"RETURN count(*) AS seen")


def _update_rels_cypher(rr: RelRows) -> str:
    return (f"UNWIND $rows AS row "
            f"MATCH ()-[r:{rr.type}]->() WHERE elementId(r) = row.eid "
            f"SET r += row.props "
            f"RETURN count(*) AS seen")


def _existing_rels_cypher(rr: RelRows) -> str:
    return (f"UNWIND $keys AS k MATCH (a:{rr.from_label} {{key: k}})-[r:{rr.type}]->(b:{rr.to_label}) "
            f"RETURN a.key AS from, b.key AS to, elementId(r) AS eid, properties(r) AS props")


# firm SUPPLIES shares need every link of the touched years, whichever firms the load names
FIRM_SUPPLIES_OF_YEARS = ("MATCH (a:Firm)-[r:SUPPLIES]->(b:Firm) WHERE r.year IN $years "
                          "RETURN a.key AS from, b.key AS to, elementId(r) AS eid, properties(r) AS props")
MARK_LOADING = "UNWIND $rows AS k MERGE (d:Dataset {key: k}) SET d.loading = datetime() RETURN count(*) AS n"
UNMARK_LOADING = "UNWIND $rows AS k MATCH (d:Dataset {key: k}) REMOVE d.loading RETURN count(*) AS n"
UNFINISHED = ("UNWIND $keys AS k MATCH (d:Dataset {key: k}) WHERE d['loading'] IS NOT NULL "
              "RETURN d.key AS key, toString(d['loading']) AS since")


def _is_firm_supplies(rr: RelRows) -> bool:
    return (rr.type, rr.from_label, rr.to_label) == ("SUPPLIES", "Firm", "Firm")


def _read_keyed(sink, cypher: str, keys: list[str]) -> list:
    out = []
    for chunk in batches(sorted(set(keys)), READ_BATCH):
        out += sink.read(cypher, keys=chunk)
    return out


def _plan_label(sink, label: str, rows: list[dict]) -> NodePlan:
    found = _read_keyed(sink, _existing_nodes_cypher(label), [r["key"] for r in rows])
    return plan_nodes(rows, {r["key"]: r["props"] for r in found})


def _plan_type(sink, rr: RelRows, summary: "LoadSummary") -> RelPlan:
    if _is_firm_supplies(rr):
        years = sorted({row["id"]["year"] for row in rr.rows})
        stored = [tuple(r.values()) for r in sink.read(FIRM_SUPPLIES_OF_YEARS, years=years)]
        plan = plan_rels(rr.rows, rr.identity, stored)
        shares = plan_firm_shares(stored, plan)
        by_eid = {u["eid"]: u for u in plan.update}
        for eid, change in shares.updates.items():
            if eid in by_eid:
                by_eid[eid]["props"].update(change)
            else:
                plan.update.append({"eid": eid, "props": change, "share_only": True})
        summary.notes.append(f"firm SUPPLIES shares a/b recomputed for years {years}: "
                             f"{shares.a_set} a and {shares.b_set} b values set or changed")
        return plan
    stored = [tuple(r.values()) for r in _read_keyed(sink, _existing_rels_cypher(rr), [r["from"] for r in rr.rows])]
    return plan_rels(rr.rows, rr.identity, stored)


def _plan(sink, graph: GraphRows, summary: "LoadSummary") -> tuple[dict, dict]:
    nodes = {label: _plan_label(sink, label, nr.rows) for label, nr in graph.nodes.items()}
    rels = {k: _plan_type(sink, rr, summary) for k, rr in graph.rels.items()}
    return nodes, rels


def _rel_name(rr: RelRows) -> str:
    return f"{rr.type} ({rr.from_label}->{rr.to_label})"


def _expect_all(name: str):
    def check(chunk, rec):
        if rec["seen"] != len(chunk):
            # validation guarantees both ends exist; if not, stop (atomic mode: nothing is written)
            raise RuntimeError(f"{name}: {len(chunk) - rec['seen']} of {len(chunk)} rows found no end node "
                               "or relationship")
    return check


def _apply(sink, graph: GraphRows, nodes: dict, rels: dict, summary: "LoadSummary", bar) -> None:
    def counted(name):
        check = _expect_all(name)

        def on_batch(chunk, rec):
            check(chunk, rec)
            bar.update(len(chunk))
        return on_batch

    for label, plan in nodes.items():
        sink.write(_node_cypher(label), batches(plan.create + plan.update, NODE_BATCH), counted(label))
        summary.add(label, len(plan.create), len(plan.update), len(plan.create) + len(plan.update) + plan.unchanged)
    for k, plan in rels.items():
        rr = graph.rels[k]
        name = _rel_name(rr)
        sink.write(_create_rels_cypher(rr), batches(plan.create, REL_BATCH), counted(name))
        sink.write(_update_rels_cypher(rr), batches(plan.update, REL_BATCH), counted(name))
        loaded = [u for u in plan.update if not u.get("share_only")]
        summary.add(name, len(plan.create), len(loaded), len(plan.create) + len(loaded) + plan.unchanged)


def _to_write(nodes: dict, rels: dict) -> int:
    return sum(len(p.create) + len(p.update) for p in (*nodes.values(), *rels.values()))


def choose_mode(commit: str, rows: int) -> str:
    if commit not in COMMIT_MODES:
        raise ValueError(f"commit={commit!r}; expected one of {', '.join(COMMIT_MODES)}")
    if commit != "auto":
        return commit
    return "atomic" if rows <= ATOMIC_MAX_ROWS else "batched"


def write_graph(graph: GraphRows, settings: Settings | None = None, *, commit: str = "auto",
                workers: int = WORKERS, progress: bool = True, description: str = "writing") -> LoadSummary:
    settings = settings or Settings.from_env()
    mode = choose_mode(commit, graph.total_rows())
    start = time.perf_counter()

    def run(sink, before_writing=lambda: None) -> LoadSummary:
        # a retried transaction starts again from scratch, with a fresh summary and a fresh read of the store
        summary = LoadSummary(rows=graph.total_rows())
        nodes, rels = _plan(sink, graph, summary)
        before_writing()
        with tqdm(total=_to_write(nodes, rels), desc=description, unit="row", disable=not progress,
                  leave=False) as bar:
            _apply(sink, graph, nodes, rels, summary, bar)
        summary.notes.append(f"commit mode: {mode}" + (f" ({workers} parallel writers)" if mode == "batched" else ""))
        return summary

    if mode == "atomic":
        summary = write(lambda tx: run(AtomicSink(tx)), settings=settings)
    else:
        summary = _write_batched(graph, settings, workers, run)
    summary.seconds = time.perf_counter() - start
    return summary


def _write_batched(graph: GraphRows, settings: Settings, workers: int, run) -> LoadSummary:
    sink = ParallelSink(settings, workers)
    keys = [r["key"] for r in graph.nodes["Dataset"].rows] if "Dataset" in graph.nodes else []
    unfinished = sink.read(UNFINISHED, keys=keys) if keys else []

    def mark():
        if keys:
            sink.write(MARK_LOADING, [keys], lambda chunk, rec: None)

    summary = run(sink, mark)
    if keys:
        sink.write(UNMARK_LOADING, [keys], lambda chunk, rec: None)
    for r in unfinished:
        summary.notes.append(f"{r['key']}: an earlier batched load started {r['since']} had not finished; "
                             "this run completed it")
    return summary
