"""The in-memory shape of a load: node rows and relationship rows, ready for UNWIND.

Every loader (reference data, table folders, the demo generator) builds one
``GraphRows`` with pure code and hands it to ``loader.graph.write.write_graph``; so
the Cypher that touches the database lives in one place and every source gets
the same batching, transaction and counting behaviour.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from schema.model import NODE_LABELS, REL_TYPES, check_label, check_rel_type

_IDENT = re.compile(r"^[a-z][a-z_]*$")


@dataclass
class NodeRows:
    """Nodes of one label: rows are {"key": str, "props": {...}} (props may not hold `key`)."""
    label: str
    rows: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self):
        check_label(self.label)

    def add(self, key: str, **props: Any) -> None:
        self.rows.append({"key": key, "props": props})


@dataclass
class RelRows:
    """Relationships of one type between two labels.

    Rows are {"from": key, "to": key, "id": {...}, "props": {...}}; `identity`
    names the properties that together with the two end nodes make a
    relationship's natural key (they go into the MERGE pattern, so a second
    load with the same identity updates instead of duplicating).
    """
    type: str
    from_label: str
    to_label: str
    identity: tuple[str, ...] = ()
    rows: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self):
        check_rel_type(self.type)
        check_label(self.from_label)
        check_label(self.to_label)
        if (self.from_label, self.to_label) not in REL_TYPES[self.type].pairs:
            raise ValueError(f"{self.from_label}-[:{self.type}]->{self.to_label} is not in schema.model")
        for name in self.identity:
            # identity names are spliced into the MERGE pattern: code constants only
            if not _IDENT.match(name):
                raise ValueError(f"bad identity property name {name!r}")

    def add(self, frm: str, to: str, **props: Any) -> None:
        ident = {k: props[k] for k in self.identity}
        rest = {k: v for k, v in props.items() if k not in self.identity}
        self.rows.append({"from": frm, "to": to, "id": ident, "props": rest})


@dataclass
class GraphRows:
    """All nodes and relationships of one load, in write order (nodes first)."""
    nodes: dict[str, NodeRows] = field(default_factory=dict)
    rels: dict[tuple, RelRows] = field(default_factory=dict)

    def node_rows(self, label: str) -> NodeRows:
        if label not in self.nodes:
            self.nodes[label] = NodeRows(label)
        return self.nodes[label]

    def rel_rows(self, type_: str, from_label: str, to_label: str, identity: tuple[str, ...] = ()) -> RelRows:
        k = (type_, from_label, to_label)
        if k not in self.rels:
            self.rels[k] = RelRows(type_, from_label, to_label, identity)
        elif self.rels[k].identity != identity:
            raise ValueError(f"{k}: identity {identity} differs from {self.rels[k].identity}")
        return self.rels[k]

    def extend(self, other: "GraphRows") -> "GraphRows":
        for label, nr in other.nodes.items():
            self.node_rows(label).rows.extend(nr.rows)
        for (t, f, to), rr in other.rels.items():
            self.rel_rows(t, f, to, rr.identity).rows.extend(rr.rows)
        return self

    def total_rows(self) -> int:
        return sum(len(n.rows) for n in self.nodes.values()) + sum(len(r.rows) for r in self.rels.values())


def dataset_rows(key: str, name: str, synthetic: bool, description: str, loaded_at: str) -> NodeRows:
    """The Dataset node every record's `source` points at (loaded_at is kept from the first load)."""
    nr = NodeRows("Dataset")
    nr.add(key, name=name, synthetic=synthetic, description=description, source=key)
    # outside props: the writer sets it only when missing, so reloading changes nothing
    nr.rows[-1]["loaded_at"] = loaded_at
    return nr


assert "Dataset" in NODE_LABELS
