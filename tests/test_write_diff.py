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
