"""Read what the store holds for a load's rows and plan the writes (the I/O half of ``diff``).

Stored relationships are read three ways: the Firm->Firm SUPPLIES of every year the load
touches (their shares a/b depend on all of them), the whole slice of a replaced slice
(so what the load no longer contains can be deleted), otherwise the relationships of
the type leaving the rows' start nodes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from loader.graph import statements as cy
from loader.graph.diff import NodePlan, RelPlan, plan_nodes, plan_rels, stale_keys
from loader.graph.rows import GraphRows, NodeRows, RelRows
from loader.graph.scope import LoadScope, is_firm_supplies
from loader.graph.shares import plan_firm_shares

READ_BATCH = 20_000


@dataclass
class LoadPlan:
    nodes: dict[str, NodePlan] = field(default_factory=dict)
    rels: dict[tuple, RelPlan] = field(default_factory=dict)
    # datasets other than the load's own whose stored firm links get new shares -> years
    other_datasets: dict[str, set[int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_write(self) -> int:
        return sum(len(p.create) + len(p.update) + len(p.delete)
                   for p in (*self.nodes.values(), *self.rels.values()))


# Reads return the driver's Records, which are tuples: (from, to, element id, props) unpack as they are.

def _read_keyed(sink, cypher: str, keys: list[str], bar=None) -> list:
    out = []
    for chunk in _chunks(sorted(set(keys)), READ_BATCH):
        out += sink.read(cypher, bar=bar, keys=chunk)
    return out


def _chunks(rows: list, size: int):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _slice(common: dict, replace: tuple[str, ...]) -> dict:
    return {p: common[p] for p in replace}


def _plan_label(sink, nr: NodeRows, bar=None) -> NodePlan:
    found = _read_keyed(sink, cy.existing_nodes(nr.label), [r["key"] for r in nr.rows], bar)
    plan = plan_nodes(nr.rows, {r["key"]: r["props"] for r in found}, common=nr.common, fill_only=nr.fill_only)
    if nr.replace:
        stored = [r["key"] for r in sink.read(cy.slice_node_keys(nr), bar=bar, slice=_slice(nr.common, nr.replace))]
        plan.delete = stale_keys(nr.rows, stored)
    return plan


def _compared_props(rr: RelRows) -> list[str]:
    """The properties a slice's stored relationships must return: what the rows set, minus the slice's own."""
    names = set(rr.identity) | set(rr.common)
    for row in rr.rows:
        names.update(row["props"])
    return sorted(names - set(rr.replace))


def _plan_firm_supplies(sink, rr: RelRows, years: list[int], own: set[str], lp: LoadPlan, bar=None) -> RelPlan:
    stored = sink.read(cy.FIRM_SUPPLIES_OF_YEARS, bar=bar, years=years)
    plan = plan_rels(rr.rows, rr.identity, stored)
    shares = plan_firm_shares(stored, plan)
    by_eid = {u["eid"]: u for u in plan.update}
    for eid, change in shares.updates.items():
        if eid in by_eid:
            by_eid[eid]["props"].update(change)
        else:
            plan.update.append({"eid": eid, "props": change, "share_only": True})
    # links other datasets stored whose shares move: those datasets are being written too
    moved = {u["eid"] for u in plan.update if u.get("share_only")}
    for _, _, eid, props in stored:
        if eid in moved and props.get("source") not in own and props.get("source") is not None:
            lp.other_datasets.setdefault(props["source"], set()).add(int(props["year"]))
    lp.notes.append(f"firm SUPPLIES shares a/b recomputed for years {years}: "
                    f"{shares.a_set} a and {shares.b_set} b values set or changed")
    return plan


def _plan_type(sink, rr: RelRows, scope: LoadScope, lp: LoadPlan, bar=None) -> RelPlan:
    if is_firm_supplies(rr):
        return _plan_firm_supplies(sink, rr, scope.firm_years, set(scope.datasets), lp, bar)
    if rr.replace:
        fixed = _slice(rr.common, rr.replace)
        stored = sink.read(cy.slice_rels(rr, _compared_props(rr)), bar=bar, slice=fixed)
        return plan_rels(rr.rows, rr.identity, stored, common=rr.common, fixed=fixed, unmatched=True)
    stored = _read_keyed(sink, cy.existing_rels(rr), [r["from"] for r in rr.rows], bar)
    return plan_rels(rr.rows, rr.identity, stored, common=rr.common)


def plan_load(sink, graph: GraphRows, scope: LoadScope, bar=None) -> LoadPlan:
    """``bar``: a tqdm (or None) counting the stored records as they are read; its postfix counts the
    load's rows compared with them."""
    lp = LoadPlan()
    total, compared = graph.total_rows(), 0

    def note(n: int) -> None:
        nonlocal compared
        compared += n
        if bar is not None:
            bar.set_postfix_str(f"{compared:,} of {total:,} rows compared")

    for label, nr in graph.nodes.items():
        lp.nodes[label] = _plan_label(sink, nr, bar)
        note(len(nr.rows))
    for k, rr in graph.rels.items():
        lp.rels[k] = _plan_type(sink, rr, scope, lp, bar)
        note(len(rr.rows))
    return lp
