"""The Network page's state as URL text, and its checks. Pure: no Streamlit, no database.

``?node=Firm:F1&node=Country:KOR`` lists the expanded nodes in the order they were opened;
``selected`` is the node whose details show; ``labels`` and ``types`` are comma-separated
(left out: all); ``year``, ``min_value``, ``cap``, ``size``, ``colour`` and ``physics`` are the
sidebar's settings as Params, so a bad value gets a one-line message saying what is allowed.
"""
from __future__ import annotations

from explorer.graph.scene import METRICS
from queries.model import Param
from schema.model import USER_FACING_LABELS

SETTINGS = {
    "year": Param("year", "int", None, 1900, 2100, label="Year", help="relationships of this year; empty = all years"),
    "min_value": Param("min_value", "float", 0.0, 0.0, None, label="Minimum value (value / amount / share)",
                       help="hide relationships whose value, amount or share is lower"),
    "cap": Param("cap", "int", 300, 10, 1000, label="Relationships per expanded node (cap)",
                 help="the heaviest relationships of each expanded node are drawn"),
    "size": Param("size", "choice", "degree", choices=METRICS, label="Size by"),
    "colour": Param("colour", "choice", "label", choices=("label",) + METRICS[1:], label="Colour by"),
    "physics": Param("physics", "bool", True, label="Physics layout (settles, then stops)"),
}


def check_node_id(nid: str) -> tuple[str, str] | str:
    """(label, key) of a node id 'Label:key', or the reason it is none."""
    label, sep, key = nid.partition(":")
    if not sep or not key or label not in USER_FACING_LABELS:
        return (f"{nid!r} is not a node id; allowed: Label:key with Label one of {', '.join(USER_FACING_LABELS)} "
                "(e.g. Firm:F1, Sector:KOR|ELEC)")
    return label, key


def names_list(key: str, text: str, allowed: tuple[str, ...]) -> tuple[list[str] | None, str | None]:
    """A comma-separated list of names from ``allowed`` (e.g. labels=Firm,Sector), or the message."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    wrong = [n for n in names if n not in allowed]
    if wrong or not names:
        what = ", ".join(repr(n) for n in wrong) or "nothing"
        return None, f"URL parameter {key}: {what} not allowed; allowed: comma-separated names from {', '.join(allowed)}"
    return names, None
