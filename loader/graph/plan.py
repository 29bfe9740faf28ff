"""Read what the store holds for a load's rows and plan the writes (the I/O half of ``diff``).

Rows are compared chunk by chunk (``DIGEST_BATCH`` keys): first by digest (``loader.graph.fingerprint``:
the server serialises what it holds for the chunk's keys and returns one MD5), so an unchanged chunk
costs one query and no stored record in Python; a chunk whose digest differs is read in full and
diffed exactly (``loader.graph.diff``). A reload of an unchanged folder thus reads no record back,
and memory for the comparison is bounded by a chunk.

Column-held rows (``RelRows.streams()``: a large table folder's firms and links) are made into dicts a
chunk at a time, as their digest queries are sent; rows none of whose keys are stored (a first load) stay
spans of the columns in the plan (``fresh``), which the writer turns into statement rows batch by batch. So
a first load and a reload that finds its chunks unchanged hold the columns and a few chunks, not a dict per
row. Column-held firm links into years already holding links are diffed by chunk too, and their years' shares
recomputed from the stored links read as columns (``_streamed_firm_supplies``); only rows that change become
dicts for the write.

Stored relationships are read three ways: the Firm->Firm SUPPLIES of every year the load
touches (their shares a/b depend on all of them; skipped when every chunk's digest matches and the
server finds every stored share equal to the recomputed one), a replaced slice by chunks of start keys
restricted to the slice (digest first; a count of the whole slice shows that no stored link leaves a start
key the rows lack, else the whole slice is read, so what the load no longer contains can be deleted),
otherwise the relationships of the type leaving the rows' start nodes.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np

from loader.graph import fingerprint as fp
from loader.graph import statements as cy
from loader.graph.diff import NodePlan, RelPlan, merge_node_rows, merge_rel_rows, plan_nodes, plan_rels, stale_keys
from loader.graph.rows import Columns, GraphRows, NodeRows, RelRows, Span, add_span, paused_gc
from loader.graph.scope import LoadScope, is_firm_supplies
from loader.graph.records import ShareUpdates, element_positions, share_props
from loader.graph.shares import (KEEP_RELATIVE, STORED_LINK_COLUMNS, column_shares, plan_firm_shares,
                                 stored_link_shares)

READ_BATCH = 20_000
# rows per digest query: large enough that a query's round trip is small beside its work, small enough
# that a chunk read back in full (its digest differed) stays a few MB
DIGEST_BATCH = 10_000


@dataclass
class LoadPlan:
    nodes: dict[str, NodePlan] = field(default_factory=dict)
    rels: dict[tuple, RelPlan] = field(default_factory=dict)
    # datasets other than the load's own whose stored firm links get new shares -> years
    other_datasets: dict[str, set[int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_write(self) -> int:
        return sum(p.created() + len(p.update) + len(p.delete) for p in self.nodes.values()) + \
            sum(p.created() + len(p.update) + len(p.share_updates or ()) + len(p.delete) for p in self.rels.values())


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


def _ahead(sink, query: str, chunks, params_of):
    """(chunk, the query's records for it) for each chunk, in order: the server works on the next chunks'
    queries while the caller compares this one (``ParallelSink.read_each``: on other sessions). Chunks are
    made as the queries are sent, so only those in flight are held."""
    held: deque = deque()

    def params():
        for chunk in chunks:
            held.append(chunk)
            yield params_of(chunk)

    for got in sink.read_each(query, params()):
        yield held.popleft(), got


class _Lazy:
    """A chunk of column-held rows as dicts, made when first iterated: a chunk none of whose keys is stored (a
    first load's) is written from the columns and never needs them."""
    __slots__ = ("_n", "_make", "_rows")

    def __init__(self, n: int, make):
        self._n, self._make, self._rows = n, make, None

    def __len__(self) -> int:
        return self._n

    def __iter__(self):
        if self._rows is None:
            self._rows = self._make()
        return iter(self._rows)


def _column_values(cols: Columns, name: str, start: int, stop: int) -> list:
    return cols.table.column(name).slice(start, stop - start).to_pylist()


def _node_chunks(nr: NodeRows, rows: list[dict]):
    """(rows, their keys, their span of the columns or None) by ``DIGEST_BATCH``; column-held rows are made
    into dicts a chunk at a time, and only when compared (``_Lazy``)."""
    if nr.streams():
        cols = nr.columns
        for start in range(0, len(cols), DIGEST_BATCH):
            stop = min(start + DIGEST_BATCH, len(cols))
            chunk = _Lazy(stop - start, lambda a=start, b=stop: cols.node_rows(a, b))
            yield chunk, _column_values(cols, "key", start, stop), (start, stop)
        return
    for chunk in _chunks(rows, DIGEST_BATCH):
        yield chunk, [r["key"] for r in chunk], None


def _plan_label(sink, nr: NodeRows, bar=None, note=lambda n: None) -> NodePlan:
    if nr.replace:
        # a replaced slice is read whole to find stale nodes
        found = _read_keyed(sink, cy.existing_nodes(nr.label), [r["key"] for r in nr.rows], bar)
        plan = plan_nodes(nr.rows, {r["key"]: r["props"] for r in found}, common=nr.common, fill_only=nr.fill_only)
        stored = [r["key"] for r in sink.read(cy.slice_node_keys(nr), bar=bar, slice=_slice(nr.common, nr.replace))]
        plan.delete = stale_keys(nr.rows, stored)
        note(len(nr.rows))
        return plan
    rows = nr.rows
    if len({r["key"] for r in rows}) < len(rows):
        rows = merge_node_rows(rows)   # repeated keys: one row each, as the exact diff would merge them
    names = fp.node_names(nr)
    plan, compared = NodePlan(), 0
    for (chunk, keys, span), got in _ahead(sink, fp.node_digest_query(nr, names), _node_chunks(nr, rows),
                                           lambda c: {"keys": c[1]}):
        got = got[0]
        _tick(bar, got["found"])
        # fill-only rows (indicator definitions) never change a stored node: that every key is stored is enough
        if got["found"] == len(chunk) and (nr.fill_only or got["digest"] == fp.digest(
                [fp.node_text(r["props"], nr.common, names) for r in chunk])):
            plan.unchanged += len(chunk)
        elif span is not None and not got["found"]:
            add_span(plan.fresh, nr.columns, *span)   # none stored: created from the columns as they are
        else:
            # none stored (a first load): nothing to read back
            found = sink.read(cy.existing_nodes(nr.label), bar=bar, keys=keys) if got["found"] else []
            part = plan_nodes(chunk, {r["key"]: r["props"] for r in found}, common=nr.common, fill_only=nr.fill_only)
            plan.create += part.create
            plan.update += part.update
            plan.unchanged += part.unchanged
        note(len(chunk))
        compared += len(chunk)
    note(nr.count() - compared)
    return plan


def _tick(bar, n: int) -> None:
    if bar is not None and n:
        bar.update(n)


def _by_start(rows: list[dict]):
    """Chunks of about ``DIGEST_BATCH`` rows holding every row of each of their start keys, with their start
    keys (in order) and no span."""
    ordered = sorted(rows, key=itemgetter("from"))
    start = 0
    while start < len(ordered):
        end = min(start + DIGEST_BATCH, len(ordered))
        while end < len(ordered) and ordered[end]["from"] == ordered[end - 1]["from"]:
            end += 1
        chunk = ordered[start:end]
        yield chunk, list(dict.fromkeys(r["from"] for r in chunk)), None
        start = end


def _sorted_by_start(cols: Columns) -> tuple[Columns, np.ndarray | None]:
    """The columns with each start key's rows together (sorted by start key unless they are already together, as
    ``loader tables`` gives them), and where each of their rows was in ``cols`` (None: in place)."""
    import pyarrow.compute as pc

    frm = cols.table.column("from")
    n = len(frm)
    runs = 1 + pc.sum(pc.not_equal(frm.slice(1), frm.slice(0, n - 1))).as_py() if n > 1 else n
    if runs == pc.count_distinct(frm).as_py():
        return cols, None
    order = pc.sort_indices(frm)   # stable: a start key's rows keep their order
    return Columns(cols.table.take(order), cols.constants, cols.order, cols.unique), order.to_numpy()


def _column_chunks(rr: RelRows, cols: Columns):
    """``_by_start`` for column-held rows grouped by start key (``_sorted_by_start``), made into dicts a chunk
    at a time and only when compared (``_Lazy``), each with its span of ``cols``."""
    import pyarrow.compute as pc

    n = len(cols)
    if not n:
        return
    frm = cols.table.column("from").combine_chunks()
    # positions where a start key's rows begin
    starts = np.flatnonzero(np.concatenate(
        [[True], pc.not_equal(frm.slice(1), frm.slice(0, n - 1)).to_numpy(zero_copy_only=False)]))
    start = 0
    while start < n:
        at = np.searchsorted(starts, start + DIGEST_BATCH)
        stop = int(starts[at]) if at < len(starts) else n
        chunk = _Lazy(stop - start, lambda a=start, b=stop: cols.rel_rows(a, b, rr.identity, rr.common))
        yield chunk, list(dict.fromkeys(_column_values(cols, "from", start, stop))), (start, stop)
        start = stop


def _rel_chunks(sink, rr: RelRows, chunks, bar, note, years: list[int] | None = None, in_slice: bool = False):
    """For each of ``chunks`` (rows, start keys, span): (rows, start keys, whether its digest matched the
    stored relationships, how many are stored, span)."""
    names = fp.rel_names(rr)
    query = fp.rel_digest_query(rr, names, years=years is not None, in_slice=in_slice)
    params = {"years": years} if years is not None else {}
    if in_slice:
        params["slice"] = _slice(rr.common, rr.replace)
    for (chunk, keys, span), got in _ahead(sink, query, chunks, lambda c: {"keys": c[1], **params}):
        pos = {k: i for i, k in enumerate(keys)}
        got = got[0]
        _tick(bar, got["found"])
        # the rows' digest only when every row has a stored link to match (a chunk of new links needs none)
        same = got["found"] == len(chunk) and got["digest"] == fp.digest(
            [t for _, t in sorted((pos[r["from"]], fp.rel_text(r, rr.common, names)) for r in chunk)])
        yield chunk, keys, same, got["found"], span
        note(len(chunk))


def _rel_chunk_source(rr: RelRows, common: dict | None):
    """The chunks to compare (``_rel_chunks``), the columns their spans refer to (None for dict rows), and where
    the rows of those columns were in the load's (``_sorted_by_start``)."""
    if rr.streams():
        cols, moved = _sorted_by_start(rr.columns)
        return _column_chunks(rr, cols), cols, moved
    return _by_start(list(merge_rel_rows(rr.rows, rr.identity, common).values())), None, None


def _plan_rels_by_chunk(sink, rr: RelRows, bar, note) -> RelPlan:
    plan, compared = RelPlan(), 0
    chunks, cols, _ = _rel_chunk_source(rr, rr.common)
    for chunk, keys, same, found, span in _rel_chunks(sink, rr, chunks, bar, note):
        compared += len(chunk)
        if same:
            plan.unchanged += len(chunk)
        elif span is not None and not found:
            add_span(plan.fresh, cols, *span)   # no stored link from these start keys: created as they are
        else:
            stored = sink.read(cy.existing_rels(rr), bar=bar, keys=keys) if found else []
            part = plan_rels(chunk, rr.identity, stored, common=rr.common)
            plan.create += part.create
            plan.update += part.update
            plan.unchanged += part.unchanged
    note(rr.count() - compared)
    return plan


def _compared_props(rr: RelRows) -> list[str]:
    """The properties a slice's stored relationships must return: what the rows set, minus the slice's own."""
    names = set(rr.identity) | set(rr.common)
    for row in rr.rows:
        names.update(row["props"])
    return sorted(names - set(rr.replace))


def _firm_supplies_unchanged(sink, rr: RelRows, years: list[int], bar, note) -> RelPlan | None:
    """The plan of a load whose firm links are all stored as they are and whose years' shares are all
    right (nothing to write), or None: then the full read below decides."""
    compared = 0
    chunks, _, _ = _rel_chunk_source(rr, None)
    for chunk, _, same, _, _ in _rel_chunks(sink, rr, chunks, bar, note, years=years):
        if not same:
            return None
        compared += len(chunk)
    if sink.read(cy.FIRM_SHARES_OFF, years=years, tol=KEEP_RELATIVE)[0]["off"]:
        return None
    note(rr.count() - compared)
    return RelPlan(unchanged=compared)


def _recomputed(years: list[int], a_set: int, b_set: int) -> str:
    return f"firm SUPPLIES shares a/b recomputed for years {years}: {a_set} a and {b_set} b values set or changed"


def _all_right(years: list[int]) -> str:
    return (f"firm SUPPLIES shares a/b checked for years {years}: every stored share equals the recomputed one; "
            "0 a and 0 b values set or changed")


def _link_order(link) -> tuple:
    # every stored link of the read has a year (r.year IN $years)
    frm, to, _, props = link
    return frm, to, props["year"], props.get("product") or ""


def _first_firm_supplies(sink, rr: RelRows, years: list[int], lp: LoadPlan) -> RelPlan | None:
    """The plan of column-held firm links into years that hold no firm link yet: every link is created as it
    is, with shares computed from the columns alone; or None when the years hold links."""
    import pyarrow as pa

    if not rr.streams() or sink.read(cy.FIRM_SUPPLIES_COUNT, years=years)[0]["n"]:
        return None
    cols = rr.columns
    a, b = column_shares(cols)
    table = cols.table.append_column("a", pa.array(a, pa.float64())).append_column("b", pa.array(b, pa.float64()))
    with_shares = Columns(table, cols.constants, (*cols.order, "a", "b"), cols.unique)
    lp.notes.append(_recomputed(years, len(cols), len(cols)))
    return RelPlan(fresh=[Span(with_shares, 0, len(cols))])


def _link_columns(cols: Columns, positions: np.ndarray):
    """from, to, year and value of rows ``positions`` of firm-link columns (a constant repeated)."""
    import pyarrow as pa

    part = cols.table.take(pa.array(positions, pa.int64()))

    def col(name: str, arrow_type):
        if name in cols.constants:
            return pa.array([cols.constants[name]] * len(positions), arrow_type)
        return part.column(name).cast(arrow_type)

    return pa.table({"from": col("from", pa.string()), "to": col("to", pa.string()),
                     "year": col("year", pa.int64()), "value": col("value", pa.float64())})


def _streamed_firm_supplies(sink, rr: RelRows, years: list[int], own: set[str], lp: LoadPlan, bar,
                            note) -> RelPlan:
    """Column-held firm links into years that already hold links, without a dict per link.

    Chunk by chunk (as ``_plan_rels_by_chunk``): a chunk whose digest matches is unchanged, one with no stored
    link of these years stays a span of the columns, any other is diffed exactly with its start keys' stored
    links. Unless every chunk matched and the server finds every stored share right, the years' stored links
    are then read as columns and every share recomputed from them (``shares.stored_link_shares``). Memory: the
    load's columns, the chunks in flight, the rows that change and, when shares are recomputed, the years'
    stored links as columns (about 610 MiB for 5M links) with the numbers of the share arithmetic."""
    import pyarrow as pa

    plan, made_at = RelPlan(), []
    chunks, cols, moved_from = _rel_chunk_source(rr, None)
    for chunk, keys, same, found, span in _rel_chunks(sink, rr, chunks, bar, note, years=years):
        if same:
            plan.unchanged += len(chunk)
        elif not found:
            add_span(plan.fresh, cols, *span)
        else:
            part = plan_rels(chunk, rr.identity, sink.read(cy.existing_rels(rr), bar=bar, keys=keys))
            plan.create += part.create
            plan.update += part.update
            plan.unchanged += part.unchanged
            where = {(r["from"], r["to"], *(r["id"].get(k) for k in rr.identity)): span[0] + i
                     for i, r in enumerate(chunk)}
            made_at += [where[(c[0], c[1], *(c[2].get(k) for k in rr.identity))] for c in part.create]
    if not (plan.fresh or plan.create or plan.update) and \
            not sink.read(cy.FIRM_SHARES_OFF, years=years, tol=KEEP_RELATIVE)[0]["off"]:
        lp.notes.append(_all_right(years))
        return plan
    stored = sink.read_columns(cy.FIRM_LINK_COLUMNS, STORED_LINK_COLUMNS, bar=bar, years=years)
    positions = np.concatenate([np.arange(s.start, s.stop) for s in plan.fresh]) if plan.fresh \
        else np.zeros(0, np.int64)
    made = pa.table({"from": pa.array([r[0] for r in plan.create], pa.string()),
                     "to": pa.array([r[1] for r in plan.create], pa.string()),
                     "year": pa.array([r[2]["year"] for r in plan.create], pa.int64()),
                     "value": pa.array([float(r[2].get("value") or 0.0) for r in plan.create], pa.float64())})
    new_values = {u["eid"]: v for u in plan.update if (v := u["props"].get("value")) is not None}
    # created links in the load's own row order, as the dict path takes them: the same sums to the last bit
    at = np.concatenate([positions, np.asarray(made_at, np.int64)])
    order = np.argsort(at if moved_from is None else moved_from[at], kind="stable")
    got = stored_link_shares(stored, new_values,
                             pa.concat_tables([_link_columns(cols, positions), made]).take(pa.array(order)))
    created_a, created_b = np.empty(len(at)), np.empty(len(at))
    created_a[order], created_b[order] = got.created_a, got.created_b
    nf = len(positions)
    if nf:
        a, b = np.full(len(cols), np.nan), np.full(len(cols), np.nan)
        a[positions], b[positions] = created_a[:nf], created_b[:nf]
        table = cols.table.append_column("a", pa.array(a)).append_column("b", pa.array(b))
        with_shares = Columns(table, cols.constants, (*cols.order, "a", "b"), cols.unique)
        plan.fresh = [Span(with_shares, s.start, s.stop) for s in plan.fresh]
    for j, (_, _, props) in enumerate(plan.create):
        props["a"], props["b"] = float(created_a[nf + j]), float(created_b[nf + j])
    # the load's own updated links among the moved ones take their new shares with their new values
    rest = np.ones(len(got.moved), bool)
    if plan.update:
        by_eid = {u["eid"]: u for u in plan.update}
        rows, which = element_positions(stored, "eid", list(by_eid))
        at = np.searchsorted(got.moved, rows)
        ours = at < len(got.moved)
        ours[ours] = got.moved[at[ours]] == rows[ours]
        updates = list(by_eid.values())
        for i, w in zip(at[ours], which[ours]):
            updates[w]["props"].update(share_props(got.a[i], got.b[i]))
            rest[i] = False
    others = got.moved[rest]
    if len(others):
        plan.share_updates = ShareUpdates(stored.select(["eid", "eid_n"]).take(pa.array(others)), got.a[rest],
                                          got.b[rest])
        # links other datasets stored whose shares move: those datasets are being written too
        held = pa.table({"source": stored.column("source").take(pa.array(others)).cast(pa.string()),
                         "year": stored.column("year").take(pa.array(others))})
        for g in held.group_by(["source", "year"]).aggregate([]).to_pylist():
            if g["source"] is not None and g["source"] not in own:
                lp.other_datasets.setdefault(g["source"], set()).add(int(g["year"]))
    lp.notes.append(_recomputed(years, got.a_set, got.b_set))
    return plan


def _plan_firm_supplies(sink, rr: RelRows, years: list[int], own: set[str], lp: LoadPlan, bar=None,
                        note=lambda n: None) -> RelPlan:
    done = 0

    def counted(n: int) -> None:
        nonlocal done
        done += n
        note(n)

    first = _first_firm_supplies(sink, rr, years, lp)
    if first is not None:
        note(rr.count())
        return first
    if rr.streams():
        return _streamed_firm_supplies(sink, rr, years, own, lp, bar, note)
    unchanged = _firm_supplies_unchanged(sink, rr, years, bar, counted)
    if unchanged is not None:
        lp.notes.append(_all_right(years))
        return unchanged
    # stored links of these years change or gain shares: the exact diff over the years' links, on dicts,
    # which the collector would walk again and again (the writer resumes it for column-held rows)
    with paused_gc():
        rr.materialize()
        # in one order whatever order the server returns them in: the shares' sums, and so their last bits, too
        stored = sorted(sink.read(cy.FIRM_SUPPLIES_OF_YEARS, bar=bar, years=years), key=_link_order)
        plan = plan_rels(rr.rows, rr.identity, stored)
        shares = plan_firm_shares(stored, plan)
    by_eid = {u["eid"]: u for u in plan.update}
    moved = {}   # stored links the load does not update whose shares move
    for eid, change in shares.updates.items():
        if eid in by_eid:
            by_eid[eid]["props"].update(change)
        else:
            moved[eid] = change
    if moved:
        plan.share_updates = ShareUpdates.of(moved)
    # links other datasets stored whose shares move: those datasets are being written too
    for _, _, eid, props in stored:
        if eid in moved and props.get("source") not in own and props.get("source") is not None:
            lp.other_datasets.setdefault(props["source"], set()).add(int(props["year"]))
    lp.notes.append(_recomputed(years, shares.a_set, shares.b_set))
    note(len(rr.rows) - done)
    return plan


def _plan_slice_by_chunk(sink, rr: RelRows, fixed: dict, bar, note) -> tuple[RelPlan | None, int]:
    """A replaced slice compared chunk by chunk of start keys, by digest first, or None when the chunks cannot
    see the whole slice (then it is read whole); and how many rows were compared.

    The slice holds C relationships (one count). For each chunk, the digest of the slice's relationships
    leaving its start keys is compared with the rows'; a chunk that differs is read back and diffed exactly,
    its unmatched stored links deleted. If the chunks found C links in all, no stored link of the slice
    leaves a start key the rows lack, so nothing else is stale: a reload of an unchanged MRIO year reads no
    stored relationship back. Otherwise (start nodes the new rows no longer have links from) None."""
    rows = list(merge_rel_rows(rr.rows, rr.identity, rr.common).values())
    total = sink.read(cy.slice_rel_count(rr), slice=fixed)[0]["n"]
    plan, seen, done = RelPlan(), 0, 0

    def counted(n: int) -> None:
        nonlocal done
        done += n
        note(n)

    props = _compared_props(rr)
    for chunk, keys, same, found, _ in _rel_chunks(sink, rr, _by_start(rows), bar, counted, in_slice=True):
        seen += found
        if same:
            plan.unchanged += len(chunk)
            continue
        stored = sink.read(cy.slice_rels_from(rr, props), bar=bar, keys=keys, slice=fixed) if found else []
        part = plan_rels(chunk, rr.identity, stored, common=rr.common, fixed=fixed, unmatched=True)
        plan.create += part.create
        plan.update += part.update
        plan.delete += part.delete
        plan.unchanged += part.unchanged
    if seen != total:
        return None, done
    note(len(rr.rows) - done)
    return plan, len(rr.rows)


def _plan_type(sink, rr: RelRows, scope: LoadScope, lp: LoadPlan, bar=None, note=lambda n: None) -> RelPlan:
    if is_firm_supplies(rr):
        return _plan_firm_supplies(sink, rr, scope.firm_years, set(scope.datasets), lp, bar, note)
    if rr.replace:
        fixed = _slice(rr.common, rr.replace)
        plan, done = _plan_slice_by_chunk(sink, rr, fixed, bar, note)
        if plan is not None:
            return plan
        stored = sink.read(cy.slice_rels(rr, _compared_props(rr)), bar=bar, slice=fixed)
        plan = plan_rels(rr.rows, rr.identity, stored, common=rr.common, fixed=fixed, unmatched=True)
        note(len(rr.rows) - done)
        return plan
    return _plan_rels_by_chunk(sink, rr, bar, note)


def plan_load(sink, graph: GraphRows, scope: LoadScope, bar=None) -> LoadPlan:
    """``bar``: a tqdm (or None) counting the stored records as they are read or digested; its postfix
    counts the load's rows compared with them, chunk by chunk."""
    lp = LoadPlan()
    total, compared = graph.total_rows(), 0

    def note(n: int) -> None:
        nonlocal compared
        compared += n
        if bar is not None and n:
            bar.set_postfix_str(f"{compared:,} of {total:,} rows compared")

    for label, nr in graph.nodes.items():
        lp.nodes[label] = _plan_label(sink, nr, bar, note)
    for k, rr in graph.rels.items():
        lp.rels[k] = _plan_type(sink, rr, scope, lp, bar, note)
    return lp
