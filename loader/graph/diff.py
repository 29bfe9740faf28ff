"""Compare the rows of a load with what the database holds (pure).

Loads write only what differs, so a reload writes nothing and new relationships
can be CREATEd instead of MERGEd: a relationship MERGE must look for an existing
link first, which between hub nodes costs a scan of their links per row.
Semantics follow ``SET x += props``: a later row for the same identity overrides
an earlier one property by property, and a None value means "no such property".
``common`` holds properties every row has (``NodeRows.common``/``RelRows.common``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from loader.graph.records import ShareUpdates
from loader.graph.rows import Span


def _differs(old: dict[str, Any], props: dict[str, Any]) -> bool:
    # a plain loop: any() over a generator costs twice as much per row, and loads diff 10^5-10^6 rows
    for k, v in props.items():
        if old.get(k) != v:
            return True
    return False


def merge_node_rows(rows: list[dict]) -> list[dict]:
    """One row per key, props of repeated keys merged in order (reference data and files may overlap)."""
    out: dict[str, dict] = {}
    for row in rows:
        have = out.get(row["key"])
        if have is None:
            out[row["key"]] = {**row, "props": dict(row["props"])}
        else:
            have["props"].update(row["props"])
            if row.get("loaded_at") is not None:
                have["loaded_at"] = row["loaded_at"]
    return list(out.values())


def _varying(identity: tuple[str, ...], common: dict) -> tuple[str, ...]:
    """Identity properties whose values differ per row (those in ``common`` are the same for all)."""
    return tuple(p for p in identity if p not in common)


def _row_key(varying: tuple[str, ...]):
    """row -> (from, to[, identity value or tuple of values]): itemgetter, not a generator per row
    (firm links are keyed by year and product, and a load diffs 10^5-10^6 of them)."""
    if not varying:
        return lambda row: (row["from"], row["to"])
    ident = itemgetter(*varying)   # one name: its value; several: a tuple
    return lambda row: (row["from"], row["to"], ident(row["id"]))


def _stored_key(varying: tuple[str, ...], fixed: dict):
    """(from, to, props) -> the same key shape as ``_row_key``'s, from a stored relationship."""
    if not varying:
        return lambda frm, to, props: (frm, to)
    get = [(lambda props, v=fixed[p]: v) if p in fixed else (lambda props, p=p: props.get(p)) for p in varying]
    if len(get) == 1:
        (one,) = get
        return lambda frm, to, props: (frm, to, one(props))
    return lambda frm, to, props: (frm, to, tuple(g(props) for g in get))


def merge_rel_rows(rows: list[dict], identity: tuple[str, ...], common: dict | None = None) -> dict[tuple, dict]:
    """identity -> row, one per (from, to, identity values), props of repeats merged in order."""
    key = _row_key(_varying(identity, common or {}))
    out: dict[tuple, dict] = {}
    for row in rows:
        k = key(row)
        have = out.get(k)
        if have is None:
            out[k] = row
        else:
            # copy before merging: the caller's rows stay as they were
            out[k] = {**have, "props": {**have["props"], **row["props"]}}
    return out


@dataclass
class NodePlan:
    create: list[dict] = field(default_factory=list)
    update: list[dict] = field(default_factory=list)
    unchanged: int = 0
    # keys of stored nodes of a replaced slice that no row names (see stale_keys)
    delete: list[str] = field(default_factory=list)
    # column-held rows to create as they are (none of their keys is stored)
    fresh: list[Span] = field(default_factory=list)

    def created(self) -> int:
        return len(self.create) + sum(map(len, self.fresh))


def plan_nodes(rows: list[dict], existing: dict[str, dict], *, common: dict | None = None,
               fill_only: bool = False) -> NodePlan:
    """``existing``: key -> properties of the node in the database.

    ``fill_only``: a stored node is left as it is (another loader owns it) and counts as unchanged.
    """
    common = common or {}
    plan = NodePlan()
    for row in merge_node_rows(rows):
        old = existing.get(row["key"])
        if old is None:
            plan.create.append(row)
        elif not fill_only and (_differs(old, row["props"]) or _differs(old, common)):
            plan.update.append(row)
        else:
            plan.unchanged += 1
    return plan


def stale_keys(rows: list[dict], slice_keys: list[str]) -> list[str]:
    """Stored keys of a replaced slice that the load no longer contains."""
    keep = {r["key"] for r in rows}
    return sorted(k for k in slice_keys if k not in keep)


@dataclass
class RelPlan:
    # [from key, to key, all properties but the common ones]: the shape the CREATE statement
    # takes, so no copy is needed
    create: list[list] = field(default_factory=list)
    # rows with "eid" (the element id of the relationship to update) and "props"
    update: list[dict] = field(default_factory=list)
    unchanged: int = 0
    # element ids of stored relationships no row matched (asked for by replaced slices only)
    delete: list[str] = field(default_factory=list)
    # column-held rows to create as they are (no stored relationship leaves their start nodes)
    fresh: list[Span] = field(default_factory=list)
    # stored firm links whose shares alone change (not rows of the load), as columns
    share_updates: ShareUpdates | None = None

    def created(self) -> int:
        return len(self.create) + sum(map(len, self.fresh))


def plan_rels(rows: list[dict], identity: tuple[str, ...], existing: list[tuple[str, str, str, dict]], *,
              common: dict | None = None, fixed: dict | None = None, unmatched: bool = False) -> RelPlan:
    """``existing``: (from key, to key, element id, properties) of the stored relationships the rows may match.

    ``fixed``: properties every stored relationship is known to have (the read selected them by
    these values) and that its ``properties`` therefore leave out. ``unmatched``: list the stored
    relationships no row matched in ``delete``. Two stored links with one identity (only possible
    after concurrent loads) are treated as one: the first is updated, as a MERGE would have
    matched it, and the other is unmatched. A create row holds the caller's props map itself when
    the row has no identity values of its own (a copy costs 10^5 allocations on an MRIO year).
    """
    common = common or {}
    fixed = fixed or {}
    compared = {k: v for k, v in common.items() if k not in fixed}
    key = _stored_key(_varying(identity, common), fixed)
    # identity values common to the rows: a stored link matches only if it has them too
    same = {p: common[p] for p in identity if p in common and p not in fixed}
    have: dict[tuple, tuple[str, dict]] = {}
    extra: list[str] = []
    for frm, to, eid, props in existing:
        if same and any(props.get(p) != v for p, v in same.items()):
            extra.append(eid)
            continue
        k = key(frm, to, props)
        if k in have:
            extra.append(eid)
        else:
            have[k] = (eid, props)
    plan = RelPlan()
    create, update = plan.create, plan.update
    for k, row in merge_rel_rows(rows, identity, common).items():
        old = have.pop(k, None) if have else None
        if old is None:
            ident = row["id"]
            create.append([row["from"], row["to"], {**ident, **row["props"]} if ident else row["props"]])
        elif _differs(old[1], row["props"]) or (compared and _differs(old[1], compared)):
            # a copy: later passes (firm shares) add to it, and the caller's rows stay as they were
            update.append({"eid": old[0], "props": dict(row["props"])})
        else:
            plan.unchanged += 1
    if unmatched:
        plan.delete = extra + [eid for eid, _ in have.values()]
    return plan
