"""Read what the store holds for a load's rows and plan the writes (the I/O half of ``diff``).

Rows are compared chunk by chunk (``DIGEST_BATCH`` keys): first by digest (``loader.graph.fingerprint``:
the server serialises what it holds for the chunk's keys and returns one MD5), so an unchanged chunk
costs one query and no stored record in Python; a chunk whose digest differs is read in full and
diffed exactly (``loader.graph.diff``). A reload of an unchanged folder thus reads no record back,
and memory for the comparison is bounded by a chunk.

Stored relationships are read three ways: the Firm->Firm SUPPLIES of every year the load
touches (their shares a/b depend on all of them; skipped when every chunk's digest matches and the
server finds every stored share equal to the recomputed one), a replaced slice by chunks of start keys
restricted to the slice (digest first; a count of the whole slice shows that no stored link leaves a start
key the rows lack, else the whole slice is read, so what the load no longer contains can be deleted),
otherwise the relationships of the type leaving the rows' start nodes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from operator import itemgetter

from loader.graph import fingerprint as fp
from loader.graph import statements as cy
from loader.graph.diff import NodePlan, RelPlan, merge_node_rows, merge_rel_rows, plan_nodes, plan_rels, stale_keys
from loader.graph.rows import GraphRows, NodeRows, RelRows
from loader.graph.scope import LoadScope, is_firm_supplies
from loader.graph.shares import KEEP_RELATIVE, plan_firm_shares

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
    query = fp.node_digest_query(nr, names)
    plan = NodePlan()
    chunks = list(_chunks(rows, DIGEST_BATCH))
    chunk_keys = [[r["key"] for r in chunk] for chunk in chunks]
    # the server digests the next chunks while this one is compared (ParallelSink: on other sessions)
    digests = sink.read_each(query, ({"keys": keys} for keys in chunk_keys))
    for chunk, keys, got in zip(chunks, chunk_keys, digests):
        got = got[0]
        _tick(bar, got["found"])
        # fill-only rows (indicator definitions) never change a stored node: that every key is stored is enough
        if got["found"] == len(chunk) and (nr.fill_only or got["digest"] == fp.digest(
                [fp.node_text(r["props"], nr.common, names) for r in chunk])):
            plan.unchanged += len(chunk)
        else:
            # none stored (a first load): nothing to read back
            found = sink.read(cy.existing_nodes(nr.label), bar=bar, keys=keys) if got["found"] else []
            part = plan_nodes(chunk, {r["key"]: r["props"] for r in found}, common=nr.common, fill_only=nr.fill_only)
            plan.create += part.create
            plan.update += part.update
            plan.unchanged += part.unchanged
        note(len(chunk))
    note(len(nr.rows) - len(rows))
    return plan


def _tick(bar, n: int) -> None:
    if bar is not None and n:
        bar.update(n)


def _by_start(rows: list[dict]):
    """Chunks of about ``DIGEST_BATCH`` rows holding every row of each of their start keys."""
    ordered = sorted(rows, key=itemgetter("from"))
    start = 0
    while start < len(ordered):
        end = min(start + DIGEST_BATCH, len(ordered))
        while end < len(ordered) and ordered[end]["from"] == ordered[end - 1]["from"]:
            end += 1
        yield ordered[start:end]
        start = end


def _rel_chunks(sink, rr: RelRows, rows: list[dict], bar, note, years: list[int] | None = None,
                in_slice: bool = False):
    """(chunk rows, its start keys, whether its digest matched the stored relationships, how many are stored)."""
    names = fp.rel_names(rr)
    query = fp.rel_digest_query(rr, names, years=years is not None, in_slice=in_slice)
    params = {"years": years} if years is not None else {}
    if in_slice:
        params["slice"] = _slice(rr.common, rr.replace)
    chunks = list(_by_start(rows))
    starts = [list(dict.fromkeys(r["from"] for r in chunk)) for chunk in chunks]
    # the server digests the next chunks while this one is compared (ParallelSink: on other sessions)
    digests = sink.read_each(query, ({"keys": keys, **params} for keys in starts))
    for chunk, keys, got in zip(chunks, starts, digests):
        pos = {k: i for i, k in enumerate(keys)}
        got = got[0]
        _tick(bar, got["found"])
        texts = sorted((pos[r["from"]], fp.rel_text(r, rr.common, names)) for r in chunk)
        same = got["found"] == len(chunk) and got["digest"] == fp.digest([t for _, t in texts])
        yield chunk, keys, same, got["found"]
        note(len(chunk))


def _plan_rels_by_chunk(sink, rr: RelRows, bar, note) -> RelPlan:
    rows = list(merge_rel_rows(rr.rows, rr.identity, rr.common).values())
    plan = RelPlan()
    for chunk, keys, same, found in _rel_chunks(sink, rr, rows, bar, note):
        if same:
            plan.unchanged += len(chunk)
            continue
        stored = sink.read(cy.existing_rels(rr), bar=bar, keys=keys) if found else []
        part = plan_rels(chunk, rr.identity, stored, common=rr.common)
        plan.create += part.create
        plan.update += part.update
        plan.unchanged += part.unchanged
    note(len(rr.rows) - len(rows))
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
    rows = list(merge_rel_rows(rr.rows, rr.identity).values())
    for _, _, same, _ in _rel_chunks(sink, rr, rows, bar, note, years=years):
        if not same:
            return None
    if sink.read(cy.FIRM_SHARES_OFF, years=years, tol=KEEP_RELATIVE)[0]["off"]:
        return None
    note(len(rr.rows) - len(rows))
    return RelPlan(unchanged=len(rows))


def _plan_firm_supplies(sink, rr: RelRows, years: list[int], own: set[str], lp: LoadPlan, bar=None,
                        note=lambda n: None) -> RelPlan:
    done = 0

    def counted(n: int) -> None:
        nonlocal done
        done += n
        note(n)

    unchanged = _firm_supplies_unchanged(sink, rr, years, bar, counted)
    if unchanged is not None:
        lp.notes.append(f"firm SUPPLIES shares a/b checked for years {years}: every stored share equals "
                        "the recomputed one; 0 a and 0 b values set or changed")
        return unchanged
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
    for chunk, keys, same, found in _rel_chunks(sink, rr, rows, bar, counted, in_slice=True):
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
