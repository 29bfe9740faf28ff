"""Compare the rows of a load with what the database holds (pure).

Loads write only what differs, so a reload writes nothing and new relationships
can be CREATEd instead of MERGEd: a relationship MERGE must look for an existing
link first, which between hub nodes costs a scan of their links per row.
Semantics follow ``SET x += props``: a later row for the same identity overrides
an earlier one property by property, and a None value means "no such property".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _differs(old: dict[str, Any], props: dict[str, Any]) -> bool:
    return any(old.get(k) != v for k, v in props.items())


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


def merge_rel_rows(rows: list[dict], identity: tuple[str, ...]) -> dict[tuple, dict]:
    """identity -> row, one per (from, to, identity values), props of repeats merged in order."""
    out: dict[tuple, dict] = {}
    for row in rows:
        ident = row["id"]
        k = (row["from"], row["to"], *(ident[p] for p in identity))
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


def plan_nodes(rows: list[dict], existing: dict[str, dict]) -> NodePlan:
    """``existing``: key -> properties of the node in the database."""
    plan = NodePlan()
    for row in merge_node_rows(rows):
        old = existing.get(row["key"])
        if old is None:
            plan.create.append(row)
        elif _differs(old, row["props"]):
            plan.update.append(row)
        else:
            plan.unchanged += 1
    return plan


@dataclass
class RelPlan:
    # [from key, to key, all properties]: the shape the CREATE statement takes, so no copy is needed
    create: list[list] = field(default_factory=list)
    # rows with "eid" (the element id of the relationship to update) and "props"
    update: list[dict] = field(default_factory=list)
    unchanged: int = 0


def plan_rels(rows: list[dict], identity: tuple[str, ...], existing: list[tuple[str, str, str, dict]]) -> RelPlan:
    """``existing``: (from key, to key, element id, properties) of the type's relationships in the database.

    Two stored links with one identity (only possible after concurrent loads) are
    treated as one: the first is updated, as a MERGE would have matched it.
    """
    have: dict[tuple, tuple[str, dict]] = {}
    for frm, to, eid, props in existing:
        k = (frm, to, *(props.get(p) for p in identity))
        have.setdefault(k, (eid, props))
    plan = RelPlan()
    for k, row in merge_rel_rows(rows, identity).items():
        old = have.get(k) if have else None
        if old is None:
            plan.create.append([row["from"], row["to"], {**row["id"], **row["props"]}])
        else:
            if _differs(old[1], row["props"]):
                # a copy: later passes (firm shares) add to it, and the caller's rows stay as they were
                plan.update.append({"eid": old[0], "props": dict(row["props"])})
            else:
                plan.unchanged += 1
    return plan
