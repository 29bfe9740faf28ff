"""The (dataset, year) listings the writer keeps in the database, one ``Listing`` node each.

A module that names no dataset chooses one from the (dataset, year) pairs its records hold; listing
them reads every record (every firm supply link: 7.7 s at 1M firms and 5M links, docs/scaling.md).
The pairs move only when records of that kind are written, and only the writer (``loader.graph``)
writes them, so the writer keeps each listing:

* in the transaction that changes records of a kind (a batched load: the one after its last batch),
  it renews the ``changed_stamp`` of that kind's ``Listing`` (``MARK_CHANGED``);
* after the load it lists the pairs again (``pairs``) and stores them with the ``changed_stamp`` it
  read before listing (``STORE``); a load that changed the kind meanwhile has renewed the stamp, so the
  stale listing is not stored, and that load stores its own.

Readers (``queries.listing``) use a stored listing only when its ``listed_stamp`` equals its
``changed_stamp``, no load is under way (a Dataset with ``loading``) and the count store's total of the
kind's relationship type or node label is the one stored with it (records written or deleted by hand);
otherwise they list the pairs themselves. ``python -m loader listings`` lists them all again.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from schema.model import check_label, check_rel_type

LISTING = check_label("Listing")
_DATASET = check_label("Dataset")


def pairs_cypher(pattern: str, var: str, yearly: bool) -> str:
    """Cypher returning the distinct (source, year) of the records ``pattern`` binds to ``var``."""
    year = f"{var}.year" if yearly else "null"
    # records without a source (hand-written data) form the dataset '' so that they can still be chosen
    return f"MATCH {pattern} RETURN DISTINCT coalesce({var}.source, '') AS source, {year} AS year"


@dataclass(frozen=True)
class Kept:
    name: str
    pattern: str    # Cypher pattern binding the records to ``var``
    var: str
    yearly: bool
    counted: tuple[str, str]   # ("relationship", TYPE) or ("node", LABEL): what a write of it changes
    # relationships: the start label and the end label of the pattern (None: any); what rows of it a load holds
    ends: tuple[str | None, str | None] = (None, None)

    @property
    def pairs(self) -> str:
        return pairs_cypher(self.pattern, self.var, self.yearly)

    @property
    def count(self) -> str:
        """Cypher: the count store's total of the kind's type or label (constant time)."""
        kind, name = self.counted
        if kind == "node":
            return f"MATCH (n:{check_label(name)}) RETURN count(n) AS c"
        return f"MATCH ()-[r:{check_rel_type(name)}]->() RETURN count(r) AS c"


def _rel(name: str, start: str, rel: str, end: str = "") -> Kept:
    end_pattern = f":{check_label(end)}" if end else ""
    return Kept(name, f"(:{check_label(start)})-[r:{check_rel_type(rel)}]->({end_pattern})", "r", True,
                ("relationship", rel), (start, end or None))


KEPT: dict[str, Kept] = {k.name: k for k in [
    _rel("firm_flows", "Firm", "SUPPLIES", "Firm"),
    _rel("fdi_projects", "Firm", "INVESTS_IN"),
    _rel("fdi_statistics", "Country", "FDI_STATISTIC"),
    _rel("trade", "Country", "EXPORTS", "Country"),
    _rel("gvc_stages", "Firm", "PERFORMS", "Stage"),
    Kept("firms", f"(f:{check_label('Firm')})", "f", False, ("node", "Firm")),
    Kept("ownership", f"()-[r:{check_rel_type('OWNS')}]->(:{check_label('Firm')})", "r", False,
         ("relationship", "OWNS"), (None, "Firm")),
]}


def touched(labels: set[str], types: set[str]) -> list[str]:
    """The kept listings a write of nodes of ``labels`` and relationships of ``types`` may change."""
    return sorted(k.name for k in KEPT.values()
                  if (k.counted[0] == "node" and k.counted[1] in labels)
                  or (k.counted[0] == "relationship" and k.counted[1] in types))


def distinct(records) -> list[tuple[str, Any]]:
    """The distinct (source, year) of records with those two fields, sorted (source, then year; None first)."""
    found = {(r["source"], r["year"]) for r in records}
    return sorted(found, key=lambda p: (p[0], -1 if p[1] is None else p[1]))


def encode(pairs: list[tuple[str, Any]]) -> str:
    # a property list may hold no null (a record without a year): the pairs are stored as JSON text
    return json.dumps([[s, y] for s, y in pairs])


def decode(text: str) -> list[tuple[str, Any]]:
    return [(s, y) for s, y in json.loads(text)]


# in the load's own transaction: every listing of $rows is stale from its commit on
MARK_CHANGED = (f"UNWIND $rows AS k MERGE (l:{LISTING} {{key: k}}) SET l.changed_stamp = randomUUID() "
                "RETURN count(*) AS seen")
# before listing: the stamp of the last change (a missing node: none yet)
CHANGED = f"OPTIONAL MATCH (l:{LISTING} {{key: $key}}) RETURN l.changed_stamp AS stamp"
# after listing: stored only if no change was marked meanwhile; the first SET takes the node's write
# lock, so the stamp compared is the last one committed. $count: the count store's total read before
# listing (a record written by hand during the listing then makes it not current)
STORE = (f"MERGE (l:{LISTING} {{key: $key}}) SET l.refreshed_at = datetime() "
         "WITH l WHERE l.changed_stamp IS NULL AND $seen IS NULL OR l.changed_stamp = $seen "
         "SET l.changed_stamp = coalesce(l.changed_stamp, randomUUID()) "
         "SET l.listed_stamp = l.changed_stamp, l.pairs = $pairs, l.count = $count "
         "RETURN count(l) AS stored")
# what a reader checks: the stored listing, whether it is current, and whether a load is under way
STORED = (f"OPTIONAL MATCH (l:{LISTING} {{key: $key}}) "
          f"OPTIONAL MATCH (d:{_DATASET}) WHERE d['loading'] IS NOT NULL "
          "RETURN l.pairs AS pairs, l.count AS count, "
          "l.listed_stamp IS NOT NULL AND l.listed_stamp = l.changed_stamp AS current, count(d) AS loading")
