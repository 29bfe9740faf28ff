"""The diff that decides what a load writes, and the firm supply shares, against hand-worked examples."""
from __future__ import annotations

import numpy as np
import pytest

from loader.graph.shares import plan_firm_shares
from loader.graph.diff import plan_nodes, plan_rels


def node(key, **props):
    return {"key": key, "props": props}


def rel(frm, to, ident, **props):
    return {"from": frm, "to": to, "id": ident, "props": props}


def test_nodes_split_into_create_update_unchanged():
    stored = {"A": {"key": "A", "name": "a", "size": 1}, "B": {"key": "B", "name": "b"}}
    plan = plan_nodes([node("A", name="a", size=1), node("B", name="B!"), node("C", name="c")], stored)
    assert [r["key"] for r in plan.create] == ["C"]
    assert [r["key"] for r in plan.update] == ["B"]
    assert plan.unchanged == 1


def test_none_means_no_property_as_in_set_plus_equals():
    stored = {"A": {"key": "A", "name": "a"}, "B": {"key": "B", "name": "b", "region": "X"}}
    plan = plan_nodes([node("A", name="a", region=None), node("B", name="b", region=None)], stored)
    assert plan.unchanged == 1 and [r["key"] for r in plan.update] == ["B"]


def test_repeated_node_keys_merge_in_order():
    plan = plan_nodes([node("A", name="first", size=1), node("A", name="second")], {})
    assert plan.create == [{"key": "A", "props": {"name": "second", "size": 1}}]


def test_rels_keyed_by_ends_and_identity():
    stored = [("f1", "f2", "e1", {"year": 2020, "value": 5.0}), ("f1", "f2", "e2", {"year": 2021, "value": 7.0})]
    rows = [rel("f1", "f2", {"year": 2020}, value=5.0), rel("f1", "f2", {"year": 2021}, value=8.0),
            rel("f1", "f2", {"year": 2022}, value=1.0), rel("f2", "f1", {"year": 2020}, value=2.0)]
    plan = plan_rels(rows, ("year",), stored)
    assert plan.unchanged == 1
    assert plan.update == [{"eid": "e2", "props": {"value": 8.0}}]
    assert plan.create == [["f1", "f2", {"year": 2022, "value": 1.0}], ["f2", "f1", {"year": 2020, "value": 2.0}]]


def test_repeated_rel_rows_become_one_and_leave_the_input_alone():
    rows = [rel("a", "b", {}, share=0.1, source="x"), rel("a", "b", {}, share=0.2)]
    plan = plan_rels(rows, (), [])
    assert plan.create == [["a", "b", {"share": 0.2, "source": "x"}]]
    assert rows[0]["props"] == {"share": 0.1, "source": "x"}


def test_firm_shares_hand_worked():
    # stored in 2020: s1->b1 30, s2->b1 10 (a = .75, .25; b = 1, 1)
    stored = [("s1", "b1", "e1", {"year": 2020, "product": "p", "value": 30.0, "a": 0.75, "b": 1.0}),
              ("s2", "b1", "e2", {"year": 2020, "product": "p", "value": 10.0, "a": 0.25, "b": 1.0})]
    # the load adds s1->b2 10 (so s1 sells 40: b(s1->b1) = .75) and s1->b1 is restated unchanged
    rows = [rel("s1", "b2", {"year": 2020, "product": "p"}, value=10.0),
            rel("s1", "b1", {"year": 2020, "product": "p"}, value=30.0)]
    plan = plan_rels(rows, ("year", "product"), stored)
    shares = plan_firm_shares(stored, plan)
    assert plan.create[0][2]["a"] == 1.0 and plan.create[0][2]["b"] == 0.25
    assert shares.updates == {"e1": {"b": 0.75}}
    assert (shares.a_set, shares.b_set) == (1, 2)


def test_firm_shares_equal_numpy_on_random_links():
    rng = np.random.default_rng(3)
    n, m = 30, 200
    s, b = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = np.unique(s * n + b, return_index=True)[1]
    s, b = s[keep], b[keep]
    v = rng.lognormal(size=len(s))
    half = len(s) // 2
    stored = [(f"F{s[i]}", f"F{b[i]}", f"e{i}", {"year": 2020, "product": "p", "value": float(v[i])})
              for i in range(half)]
    rows = [rel(f"F{s[i]}", f"F{b[i]}", {"year": 2020, "product": "p"}, value=float(v[i]))
            for i in range(half, len(s))]
    plan = plan_rels(rows, ("year", "product"), stored)
    shares = plan_firm_shares(stored, plan)
    bought = np.bincount(b, weights=v, minlength=n)
    sold = np.bincount(s, weights=v, minlength=n)
    for i in range(half):  # stored links had no shares: all are set
        assert shares.updates[f"e{i}"]["a"] == pytest.approx(v[i] / bought[b[i]], rel=1e-12)
        assert shares.updates[f"e{i}"]["b"] == pytest.approx(v[i] / sold[s[i]], rel=1e-12)
    for j, (_, _, props) in enumerate(plan.create):
        i = half + j
        assert props["a"] == pytest.approx(v[i] / bought[b[i]], rel=1e-12)
        assert props["b"] == pytest.approx(v[i] / sold[s[i]], rel=1e-12)


def _eid(i: int) -> str:
    """Element ids as Neo4j 5 writes them, and some that do not end in a plain number (kept as text)."""
    return f"5:0a1b-db:{i}" if i % 4 else (f"odd-{i}" if i % 8 else f"5:0a1b-db:0{i}")


@pytest.mark.parametrize("years", [[2020, 2021], [2020]])
def test_column_shares_of_stored_links_equal_the_dict_paths_to_the_bit(monkeypatch, years):
    """``stored_link_shares`` (a streamed reload: the year's stored links as columns, read by ``collect_columns``
    in batches, in whatever order the server sends them) gives the dict path's shares bit for bit, moves the
    same stored shares, and both equal numpy's group sums."""
    import pyarrow as pa

    from loader.graph import records, sinks
    from loader.graph.shares import STORED_LINK_COLUMNS, stored_link_shares

    rng = np.random.default_rng(11)
    n, m = 25, 400
    s, b, y = rng.integers(0, n, m), rng.integers(0, n, m), rng.choice(years, m)
    keep = np.unique((s * n + b) * 3000 + y, return_index=True)[1]
    s, b, y = s[keep], b[keep], y[keep]
    v = np.round(rng.lognormal(size=len(s)), 3)
    half = len(s) // 2
    products = [None if i % 7 == 0 else "p" for i in range(len(s))]
    # stored links: some with right shares (computed below), some with none, some with a value the load changes
    stored = [(f"F{s[i]:02d}", f"F{b[i]:02d}", _eid(i),
               {k: x for k, x in {"year": int(y[i]), "product": products[i], "value": float(v[i]),
                                  "source": "other" if i % 5 == 0 else "mine"}.items() if x is not None})
              for i in range(half)]
    changed = {_eid(i): float(v[i] * 2) for i in range(0, half, 9)}
    index = {_eid(i): i for i in range(half)}
    creates = [[f"F{s[i]:02d}", f"F{b[i]:02d}", {"year": int(y[i]), "product": products[i], "value": float(v[i])}]
               for i in range(half, len(s))]
    # the values after the load, and numpy's shares from them
    after = v.copy()
    for eid, x in changed.items():
        after[index[eid]] = x
    bought = {(bi, yi): after[(b == bi) & (y == yi)].sum() for bi, yi in zip(b, y)}
    sold = {(si, yi): after[(s == si) & (y == yi)].sum() for si, yi in zip(s, y)}
    for i in range(0, half, 3):   # a third of the stored links already hold their right shares
        stored[i][3]["a"] = float(after[i] / bought[b[i], y[i]])
        stored[i][3]["b"] = float(after[i] / sold[s[i], y[i]])

    from loader.graph.diff import RelPlan

    plan = RelPlan(create=[[f, t, dict(p)] for f, t, p in creates],
                   update=[{"eid": e, "props": {"value": x}} for e, x in changed.items()])
    dict_path = plan_firm_shares(sorted(stored, key=lambda r: (r[0], r[1], r[3]["year"], r[3].get("product") or "")),
                                 plan)
    # the server's records: one per seller, its links listed, sellers and links in any order
    by_seller: dict = {}
    for f, t, e, p in (stored[i] for i in rng.permutation(len(stored))):
        by_seller.setdefault(f, []).append([t, e, p["year"], p.get("product"), p["value"], p.get("a"), p.get("b"),
                                            p["source"]])
    monkeypatch.setattr(sinks, "COLUMN_BATCH", 17)   # several batches, each with its own dictionaries
    table = sinks.collect_columns(list(by_seller.items()), STORED_LINK_COLUMNS)
    assert table.num_rows == len(stored) and table.column("eid").num_chunks > 3
    assert records.element_ids(table, "eid", range(table.num_rows)) == [e for es in by_seller.values() for _, e, *_ in es]
    made = pa.table({"from": [c[0] for c in creates], "to": [c[1] for c in creates],
                     "year": pa.array([c[2]["year"] for c in creates], pa.int64()),
                     "value": [c[2]["value"] for c in creates]})
    got = stored_link_shares(table, changed, made)
    eids = records.element_ids(table, "eid", got.moved)
    columns = {e: {k: float(x) for k, x in (("a", a), ("b", bb)) if x == x} for e, a, bb in zip(eids, got.a, got.b)}
    assert columns == dict_path.updates and len(columns) < len(stored)   # the right ones stay
    assert [(c[2]["a"], c[2]["b"]) for c in plan.create] == list(zip(got.created_a, got.created_b))
    assert (got.a_set, got.b_set) == (dict_path.a_set, dict_path.b_set)
    for j, c in enumerate(creates):
        i = half + j
        assert got.created_a[j] == pytest.approx(after[i] / bought[b[i], y[i]], rel=1e-13)
        assert got.created_b[j] == pytest.approx(after[i] / sold[s[i], y[i]], rel=1e-13)
    for e, change in columns.items():
        i = index[e]
        assert change.get("a", after[i] / bought[b[i], y[i]]) == pytest.approx(after[i] / bought[b[i], y[i]], rel=1e-13)


# ---------------------------------------------------------------- options every loader shares

def test_fill_only_nodes_leave_stored_ones_alone():
    from loader.graph.diff import plan_nodes

    stored = {"KOR": {"key": "KOR", "name": "Korea, Republic of", "continent": "Asia"}}
    plan = plan_nodes([node("KOR", name="Korea"), node("ROW", name="Rest of the world")], stored, fill_only=True)
    assert [r["key"] for r in plan.create] == ["ROW"]
    assert plan.update == [] and plan.unchanged == 1


def test_common_properties_are_compared_like_row_properties():
    stored = {"A": {"key": "A", "name": "a", "year": 2020}, "B": {"key": "B", "name": "b", "year": 2019}}
    plan = plan_nodes([node("A", name="a"), node("B", name="b")], stored, common={"year": 2020})
    assert plan.unchanged == 1 and [r["key"] for r in plan.update] == ["B"]


def test_stale_keys_are_the_slice_minus_the_rows():
    from loader.graph.diff import stale_keys

    assert stale_keys([node("K|1"), node("K|3")], ["K|3", "K|2", "K|1", "K|4"]) == ["K|2", "K|4"]


def test_replaced_slice_plans_create_update_unchanged_and_delete():
    # the stored slice (source s, year 2020) was read without its fixed properties
    stored = [("i", "j", "e1", {"value": 1.0}), ("i", "k", "e2", {"value": 2.0}),
              ("k", "i", "e3", {"value": 3.0}), ("i", "j", "e4", {"value": 1.0})]   # e4: a duplicate of e1
    common = {"source": "s", "year": 2020}
    rows = [rel("i", "j", {}, value=1.0), rel("i", "k", {}, value=2.5), rel("j", "k", {}, value=4.0)]
    plan = plan_rels(rows, ("year",), stored, common=common, fixed=common, unmatched=True)
    assert plan.unchanged == 1
    assert plan.update == [{"eid": "e2", "props": {"value": 2.5}}]
    assert plan.create == [["j", "k", {"value": 4.0}]]
    assert sorted(plan.delete) == ["e3", "e4"]


def test_common_identity_not_fixed_must_match_the_stored_value():
    # read by end nodes (not by slice): a stored link of another year is not this row's link
    stored = [("i", "j", "e1", {"year": 2019, "value": 1.0})]
    plan = plan_rels([rel("i", "j", {}, value=1.0)], ("year",), stored, common={"year": 2020})
    assert plan.create == [["i", "j", {"value": 1.0}]] and plan.unchanged == 0 and plan.delete == []


def test_rel_rows_put_common_identity_outside_the_row():
    from loader.graph.rows import RelRows

    rr = RelRows("SUPPLIES", "Sector", "Sector", ("year",), common={"year": 2011, "source": "t"},
                 replace=("source", "year"))
    rr.add("A|x", "B|y", value=2.0)
    assert rr.rows == [{"from": "A|x", "to": "B|y", "id": {}, "props": {"value": 2.0}}]
    with pytest.raises(ValueError, match="not common properties"):
        RelRows("SUPPLIES", "Sector", "Sector", ("year",), common={"year": 2011}, replace=("source", "year"))
    with pytest.raises(ValueError, match="bad property name"):
        RelRows("SUPPLIES", "Sector", "Sector", ("year",), common={"year; DELETE": 1})


def test_summary_counts_a_bare_type_over_its_label_pairs():
    from loader.graph.summary import LoadSummary

    s = LoadSummary()
    s.add("SUPPLIES (Sector->Sector)", created=5, updated=1, total=9, deleted=2)
    s.add("SUPPLIES (Firm->Firm)", created=3, updated=0, total=3)
    s.add("Sector", created=4, updated=0, total=4)
    assert s.created["SUPPLIES"] == 8 and s.deleted["SUPPLIES"] == 2 and s.unchanged["SUPPLIES"] == 3
    assert s.created["HAS_YEAR"] == 0
    assert sum(s.created.values()) == 12   # the bare name is not a stored entry
    assert s.relationships_written == 5 + 1 + 2 + 3


# ---------------------------------------------------------------- what a load touches, and its mark

def test_scope_lock_keys_and_years_per_dataset():
    from loader.graph.rows import GraphRows, dataset_rows
    from loader.graph.scope import load_scope

    g = GraphRows()
    g.nodes["Dataset"] = dataset_rows("tables:a", "a", False, "", "")
    g.nodes["Dataset"].rows += dataset_rows("reference", "r", False, "", "").rows
    sup = g.rel_rows("SUPPLIES", "Firm", "Firm", ("year", "product"))
    sup.add("F1", "F2", year=2020, product="p", value=1.0, source="tables:a")
    sup.add("F1", "F3", year=2021, product="p", value=1.0, source="tables:a")
    g.rel_rows("EXPORTS", "Country", "Country", ("year", "industry", "use")).add(
        "KOR", "JPN", year=2019, industry="i", use="final", value=1.0, source="tables:a")
    g.rel_rows("MEMBER_OF", "Country", "Region").add("KOR", "OECD")
    g.node_rows("SectorYear", common={"year": 2011, "source": "tables:a"}).add("K|x|2011", name="x")
    scope = load_scope(g)
    assert scope.datasets == ["reference", "tables:a"]
    assert scope.years == {"reference": set(), "tables:a": {2011, 2019, 2020, 2021}}
    assert scope.firm_years == [2020, 2021]
    assert scope.lock_keys() == ["dataset:reference", "dataset:tables:a", "firm-supplies:2020", "firm-supplies:2021"]


def test_a_replaced_slice_must_belong_to_the_load():
    from loader.graph.rows import GraphRows, dataset_rows
    from loader.graph.scope import load_scope

    g = GraphRows()
    g.nodes["Dataset"] = dataset_rows("wiod", "w", False, "", "")
    g.node_rows("SectorYear", common={"year": 2011, "source": "oecd"}, replace=("source", "year"))
    with pytest.raises(ValueError, match="must belong to a Dataset of the load"):
        load_scope(g)


def test_marks_fresh_load():
    from loader.graph import marks

    own = {"wiod": {1995}, "reference": set()}
    assert marks.during({}, own, {}) == ([{"key": "wiod", "since": None, "years": [1995], "shares": []},
                                          {"key": "reference", "since": None, "years": [], "shares": []}], [])
    assert marks.after({}, own, {}, set()) == ([], ["wiod", "reference"])
    assert marks.notes({}, own) == []


def test_marks_rerun_completes_the_years_it_covers_and_keeps_the_others():
    from loader.graph import marks

    stale = {"w": marks.Mark("2025-01-01T00:00:00Z", (1995, 2000))}
    assert marks.during(stale, {"w": {2000}}, {})[0] == [{"key": "w", "since": None, "years": [1995, 2000],
                                                          "shares": []}]
    assert marks.after(stale, {"w": {2000}}, {}, set()) == (
        [{"key": "w", "since": "2025-01-01T00:00:00Z", "years": [1995], "shares": []}], [])
    assert "[1995] stay marked" in marks.notes(stale, {"w": {2000}})[0]
    assert marks.after(stale, {"w": {1995, 2000, 2005}}, {}, set()) == ([], ["w"])
    assert marks.notes(stale, {"w": {1995, 2000}}) == [
        "w: an earlier batched load started 2025-01-01T00:00:00Z had not finished; this run completed it"]
    yearless = {"w": marks.Mark("2025-01-01T00:00:00Z", ())}
    assert marks.after(yearless, {"w": set()}, {}, set()) == ([], ["w"])


def test_marks_of_another_dataset_whose_shares_move():
    from loader.graph import marks

    # the load of b changes shares of a's 2020 links; a has an unfinished load of its own for 2018
    stale = {"a": marks.Mark("2025-01-01T00:00:00Z", (2018,))}
    assert marks.during(stale, {"b": {2020}}, {"a": {2020}})[1] == [
        {"key": "a", "since": None, "years": [2018, 2020], "shares": [2020]}]
    assert marks.after(stale, {"b": {2020}}, {"a": {2020}}, {2020}) == (
        [{"key": "a", "since": "2025-01-01T00:00:00Z", "years": [2018], "shares": []}], ["b"])
    assert marks.after({}, {"b": {2020}}, {"a": {2020}}, {2020}) == ([], ["b", "a"])


def test_share_marks_left_by_a_dead_load_go_with_any_load_of_that_years_firm_links():
    from loader.graph import marks

    # b died while recomputing 2020 shares: a carries 2020 as a share year, b its own 2020
    stale = {"a": marks.Mark("t0", (2020,), (2020,)), "b": marks.Mark("t0", (2020,))}
    assert marks.notes(stale, {"a": {2019}}) == []          # a's own load never ran: nothing to report
    # a load of c's 2020 firm links recomputes all 2020 shares: a's share mark goes, b's own stays
    assert marks.after(stale, {"c": {2020}}, {"a": set(), "b": set()}, {2020}) == (
        [{"key": "b", "since": "t0", "years": [2020], "shares": []}], ["c", "a"])
    # a load of a's 2021 links leaves a's 2020 share mark alone
    assert marks.after(stale, {"a": {2021}}, {}, {2021}) == (
        [{"key": "a", "since": "t0", "years": [2020], "shares": [2020]}], [])


def test_share_updates_become_update_rows_a_batch_at_a_time():
    """Shares held as columns (a streamed load's stored links whose shares alone move) become the writer's update
    rows: the element id written back exactly, a NaN share left out."""
    import pyarrow as pa

    from loader.graph.records import ShareUpdates, columns_of

    ids = ["5:db:7", "5:db:0012", "odd", "5:db:123456789012"]
    cols = dict(columns_of("eid", "element_id", ids))
    updates = ShareUpdates(pa.table(cols), np.array([0.5, np.nan, 0.25, 1.0]), np.array([np.nan, 0.75, 0.125, 1.0]))
    got = list(updates.batches(3))
    assert [len(b) for b in got] == [3, 1] and len(updates) == 4
    assert [r for b in got for r in b] == [
        {"eid": "5:db:7", "props": {"a": 0.5}}, {"eid": "5:db:0012", "props": {"b": 0.75}},
        {"eid": "odd", "props": {"a": 0.25, "b": 0.125}}, {"eid": "5:db:123456789012", "props": {"a": 1.0, "b": 1.0}}]
