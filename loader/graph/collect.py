"""Several loads, one bulk import: the writer's collecting mode.

Inside ``with collecting() as c:`` every ``write_graph`` call hands its ``GraphRows`` to ``c`` instead
of writing them; ``c.write(settings)`` then imports all of them in ONE ``neo4j-admin database import``
(``loader.graph.bulk``: one server stop and start, one schema application) into the empty database of
the local server. The demo (``loader/demo/load.py``) uses it for its first load: every step builds its
rows with the same code as a normal load, and the graph is the one the same loads would have written
one after the other through transactions:

* nodes merge by key across loads in load order, as ``SET n += props`` does: a later load's property
  overrides an earlier one's, a None value removes it; a ``fill_only`` load (an MRIO table's countries)
  sets its properties only on nodes no earlier load created; ``common`` properties are folded in;
* ``loaded_at`` is the first load's (the writer sets it only when missing); ``data_version`` of each
  Dataset counts the loads that changed records and named it, and its ``data_stamp`` is a new random token
  (``NEW_DATA_VERSION``: a first load of an empty store changes records whenever it holds a relationship
  or a new or changed node besides its Dataset); no ``loading`` mark (nothing is visible before the import is complete);
* relationships of one type whose loads cannot share an identity (a common identity property, e.g. a
  table's ``year``, differs, or both are replaced slices of different sources) go to one file each; otherwise the loads' rows are folded into one and
  merged by identity in order (``diff.plan_rels``); firm supply shares a/b are computed once over
  every collected firm link of each year (``shares._shares``), which is what the last load of a year
  leaves after sequential loads;
* a load whose replaced slice (``replace``) holds records of an earlier collected load (a reload of
  one table year within the same collection) is refused: sequential loads would delete what the new
  rows no longer contain, which one import of merged rows cannot express.

Readers of the database that row building needs (the table loader's look-up of stored keys, the
inter-regional loader's Region nodes) answer from the collection instead while it is active
(``active()``): the database "as the loads before this one leave it".

The collection is process-wide, not per thread: the demo builds table years in worker threads.
``turn(i)`` makes a thread's load take the i-th place (0, 1, ...) in load order whatever order the
threads finish in, so the merged graph does not depend on timing.
"""
from __future__ import annotations

import threading
import uuid
from concurrent.futures import Future
from contextlib import contextmanager

from loader.graph.bulk import BulkRefused
from loader.graph.diff import merge_node_rows
from loader.graph.rows import GraphRows, NodeRows, RelRows
from loader.graph.scope import is_firm_supplies, load_scope
from loader.graph.summary import LoadSummary

_ACTIVE: "Collector | None" = None


def active() -> "Collector | None":
    """The collection ``write_graph`` hands its rows to, or None (writes go to the database)."""
    return _ACTIVE


@contextmanager
def collecting():
    global _ACTIVE
    if _ACTIVE is not None:
        raise RuntimeError("a collection of loads is already active")
    _ACTIVE = c = Collector()
    try:
        yield c
    finally:
        _ACTIVE = None


class Collector:
    def __init__(self):
        self.titles: list[str] = []
        # label -> key -> {"props": {...}, "loaded_at": str|None}: the nodes as the loads so far leave them
        self.nodes: dict[str, dict[str, dict]] = {}
        # (type, from, to) -> the loads' RelRows of that type, in load order
        self.rels: dict[tuple, list[RelRows]] = {}
        self.versions: dict[str, int] = {}
        self._stopping: Future | None = None
        self._server = None
        self._cond = threading.Condition()
        self._next = 0
        self._mine = threading.local()

    # ------------------------------------------------------------ order

    @contextmanager
    def turn(self, index: int):
        """Loads made in this block take place ``index`` in load order (0, 1, ...; one load per turn)."""
        self._mine.turn = index
        try:
            yield
        finally:
            if self._mine.turn is not None:
                # no load was added in this turn (its rows failed): give the turn up, or later turns wait forever
                with self._cond:
                    self._cond.wait_for(lambda: self._next == index)
                    self._next += 1
                    self._cond.notify_all()
            self._mine.turn = None

    # ------------------------------------------------------------ the server, stopped while rows are built

    def stop_server(self, settings) -> None:
        """Stop the local server in the background now: the import needs it stopped, the collection reads no
        database, and the stop (the server's shutdown waits several seconds for its connectors) then costs
        nothing beside the row building. Checks first what the import checks (``bulk.check_possible``:
        local, empty, database ``neo4j``); nobody can write to the database from then on."""
        from loader.graph.bulk import stop_in_background

        self._server, self._stopping = stop_in_background(settings)

    def start_server_again(self) -> None:
        """After a failure while the server was stopped: start it again (the database is the empty one it
        was). Nothing to do when it was not stopped, or runs."""
        if self._stopping is not None:
            from loader.graph.bulk import start_again

            self._stopping.result()
            start_again(self._server)

    # ------------------------------------------------------------ collecting

    def add(self, graph: GraphRows, description: str) -> LoadSummary:
        """Take one load's rows (``write_graph``'s job in collecting mode); returns its summary, which writes
        nothing: the collection's ``write`` reports what the import created."""
        index = getattr(self._mine, "turn", None)
        with self._cond:
            if index is not None:
                self._cond.wait_for(lambda: self._next == index)
            try:
                self._fold(graph)
                self.titles.append(description)
            finally:
                if index is not None:
                    self._next += 1
                    self._mine.turn = None   # the turn is used
                    self._cond.notify_all()
        summary = LoadSummary(rows=graph.total_rows(), title=description)
        summary.notes.append(f"collected for one bulk import ({graph.total_rows():,} rows; written with the "
                             "other loads of the collection, see its summary)")
        return summary

    def _fold(self, graph: GraphRows) -> None:
        graph.materialize()   # loads are merged row by row
        scope = load_scope(graph)   # the writer's own checks (replaced slices belong to the load, ...)
        self._refuse_overlapping_slices(graph)
        changes = False
        for label, nr in graph.nodes.items():
            have = self.nodes.setdefault(label, {})
            for row in merge_node_rows(nr.rows):
                props = {**row["props"], **nr.common}
                old = have.get(row["key"])
                if old is None:
                    have[row["key"]] = {"props": props, "loaded_at": row.get("loaded_at")}
                    changes = changes or label != "Dataset"
                elif not nr.fill_only:
                    if label != "Dataset" and any(old["props"].get(k) != v for k, v in props.items()):
                        changes = True
                    old["props"].update(props)
                    if old["loaded_at"] is None:
                        old["loaded_at"] = row.get("loaded_at")
        for k, rr in graph.rels.items():
            if rr.rows:
                self.rels.setdefault(k, []).append(rr)
                changes = True
        if changes:
            for key in scope.datasets:
                self.versions[key] = self.versions.get(key, 0) + 1

    def _refuse_overlapping_slices(self, graph: GraphRows) -> None:
        for label, nr in graph.nodes.items():
            if nr.replace:
                want = {p: nr.common[p] for p in nr.replace}
                stored = self.nodes.get(label, {})
                if any(all(n["props"].get(p) == v for p, v in want.items()) for n in stored.values()):
                    raise BulkRefused(f"{label} {want}: this slice was already collected from an earlier load; "
                                      "one import cannot replace it: load without bulk")
        for k, rr in graph.rels.items():
            if rr.replace:
                want = {p: rr.common[p] for p in rr.replace}
                for old in self.rels.get(k, []):
                    if any(old.common.get(p, want[p]) != want[p] for p in want):
                        continue   # another slice, whatever its rows hold
                    if all(p in old.common for p in want) or any(
                            all({**r["id"], **r["props"]}.get(p, old.common.get(p)) == v for p, v in want.items())
                            for r in old.rows):
                        raise BulkRefused(f"{rr.name} {want}: this slice was already collected from an earlier "
                                          "load; one import cannot replace it: load without bulk")

    # ------------------------------------------------------------ the database as the loads leave it

    def keys(self, label: str) -> set[str]:
        return set(self.nodes.get(label, {}))

    def props(self, label: str, key: str) -> dict | None:
        n = self.nodes.get(label, {}).get(key)
        return None if n is None else {k: v for k, v in n["props"].items() if v is not None}

    def rel_ends(self, type_: str, from_label: str, to_label: str) -> list[tuple[str, str]]:
        return [(r["from"], r["to"]) for rr in self.rels.get((type_, from_label, to_label), []) for r in rr.rows]

    # ------------------------------------------------------------ what goes into the import

    def merged(self) -> tuple[dict[str, NodeRows], list[RelRows]]:
        """One NodeRows per label (common folded in) and the relationship files' RelRows."""
        nodes = {}
        for label, have in self.nodes.items():
            nr = NodeRows(label)
            for key, n in have.items():
                props = dict(n["props"])
                if label == "Dataset":
                    props["data_version"] = self.versions.get(key, 0) or None
                    props["data_stamp"] = uuid.uuid4().hex if props["data_version"] else None
                row = {"key": key, "props": props}
                if n["loaded_at"] is not None:
                    row["loaded_at"] = n["loaded_at"]
                nr.rows.append(row)
            nodes[label] = nr
        rels = []
        for k, group in self.rels.items():
            if len(group) == 1 or (not is_firm_supplies(group[0]) and _disjoint(group)):
                rels += group
            elif any(rr.replace for rr in group):
                # a replaced slice's load matches stored links of its own slice only, a load without one those
                # of any source: merging their rows by identity alone would not say which matched which
                raise BulkRefused(f"{group[0].name}: loads with and without replaced slices write links that may "
                                  "share an identity; load without bulk")
            else:
                rels.append(_folded(group))
        return nodes, rels

    def write(self, settings, *, progress: bool = True) -> LoadSummary:
        from loader.graph.bulk import bulk_write_parts

        nodes, rels = self.merged()
        stopped = (self._server, self._stopping.result()) if self._stopping is not None else None
        summary = bulk_write_parts(nodes, rels, settings, progress=progress, stopped=stopped)
        summary.title = f"bulk import of {len(self.titles)} loads: {'; '.join(self.titles)}"
        return summary


def _disjoint(group: list[RelRows]) -> bool:
    """Whether no two of the loads' RelRows can be one relationship: every pair differs in a common identity
    property (a table's year), or both are replaced slices that differ (a table's source: a slice's load
    compares its rows with the stored links of its own slice only, so it never matches another slice's).
    Otherwise they are folded and merged."""
    for i, a in enumerate(group):
        for b in group[i + 1:]:
            names = set(a.identity) | (set(a.replace) & set(b.replace))
            if not any(p in a.common and p in b.common and a.common[p] != b.common[p] for p in names):
                return False
    return True


def _folded(group: list[RelRows]) -> RelRows:
    """One RelRows of several loads' rows in load order, each load's common properties put into its rows."""
    first = group[0]
    out = RelRows(first.type, first.from_label, first.to_label, first.identity)
    for rr in group:
        if not rr.common:
            out.rows.extend(rr.rows)
            continue
        for r in rr.rows:
            ident = {**r["id"], **{p: v for p, v in rr.common.items() if p in rr.identity}}
            props = {**r["props"], **{p: v for p, v in rr.common.items() if p not in rr.identity}}
            out.rows.append({"from": r["from"], "to": r["to"], "id": ident, "props": props})
    return out
