"""The Network page's state as URL text, and its checks. Pure: no Streamlit, no database.

``?node=Firm:F1&node=Country:KOR`` lists the expanded nodes in the order they were opened;
``selected`` is the node whose details show; ``labels`` and ``types`` are comma-separated
(left out: all); ``year`` is one year or ``all`` (left out: the latest year of real data, the rule of
``queries.provenance``; relationships of different years are drawn together only when asked for);
``min_value``, ``cap``, ``size``, ``colour``, ``physics``, ``layout``,
``renderer``, ``algorithm``, ``countries``, ``industries`` and ``min_size`` are the sidebar's
settings as Params, so a bad value gets a one-line message saying what is allowed. What the user
did to the drawing itself: ``hide=Firm:F2`` (repeated) hides nodes, ``pin=Firm:F1@120.5,-40``
(repeated) pins a node at a position. A saved drawing ("scene", ``queries.reports`` documents)
is exactly this URL state, so opening one is opening its link.
"""
from __future__ import annotations

from explorer.graph.layout import LAYOUTS
from explorer.graph.scene import METRICS
from explorer.graph.webgl import RENDERERS
from queries.model import Param
from schema.model import USER_FACING_LABELS

SETTINGS = {
    "min_value": Param("min_value", "float", 0.0, 0.0, None, label="Minimum value (value / amount / share)",
                       help="hide relationships whose value, amount or share is lower"),
    "cap": Param("cap", "int", 300, 10, 5000, label="Relationships per expanded node (cap)",
                 help="the heaviest relationships of each expanded node are drawn"),
    "size": Param("size", "choice", "degree", choices=METRICS, label="Size by"),
    "colour": Param("colour", "choice", "label", choices=("label", "community") + METRICS[1:], label="Colour by"),
    "physics": Param("physics", "bool", True, label="Physics layout (settles, then stops)"),
    "layout": Param("layout", "choice", "force", choices=LAYOUTS, label="Layout",
                    help="force: physics; hierarchical: left to right in the direction of goods; country: one "
                         "group per country"),
    "renderer": Param("renderer", "choice", "auto", choices=RENDERERS, label="Renderer",
                      help="auto: vis-network up to 1,500 nodes, WebGL (sigma.js) beyond"),
    "algorithm": Param("algorithm", "choice", "louvain", choices=("louvain", "leiden"),
                       label="Community method", help="GDS community detection when colouring by community"),
    "countries": Param("countries", "multi", None, label="Only countries",
                       help="draw only nodes of these countries; empty = all"),
    "industries": Param("industries", "multi", None, label="Only industries",
                        help="draw only nodes whose industry is one of these; empty = all"),
    "min_size": Param("min_size", "float", None, 0.0, None, label="Smallest size value drawn",
                      help="hide nodes whose size metric is below this; empty = all"),
}
LIST_KEYS = ("hide", "pin")   # repeated URL keys besides node

ALL_YEARS = "all"   # the URL text (and selector choice) that draws relationships of every year together


def default_year(years_of: dict[str, list[int]], real: set[str]) -> int | None:
    """The year drawn when the link names none: the latest year of real datasets' yearly records
    (``years_of``: dataset key -> years it holds); with no real dataset, the latest year of any; None
    when nothing has a year."""
    pool = [y for s, ys in years_of.items() if s in real for y in ys] or [y for ys in years_of.values() for y in ys]
    return max(pool) if pool else None


def year_options(years: list[int]) -> list:
    """The selector's choices: the years present, latest first, then "all years"."""
    return sorted(set(years), reverse=True) + [ALL_YEARS]


def read_year(text: str | None, years: list[int]) -> tuple[int | str | None, str | None]:
    """The URL's ``year``: (a year held, ``ALL_YEARS``, or None when the link names none; a message or None)."""
    if text is None:
        return None, None
    text = text.strip()
    if text.lower() == ALL_YEARS:
        return ALL_YEARS, None
    held = ", ".join(str(y) for y in sorted(set(years), reverse=True))
    allowed = f"one of the years held ({held}) or '{ALL_YEARS}'" if held else f"'{ALL_YEARS}' (no record has a year)"
    try:
        year = int(text)
    except ValueError:
        return None, f"URL parameter year: {text!r} is not a year; allowed: {allowed}"
    if year not in years:
        return None, f"URL parameter year: no relationships of {year} in the database; allowed: {allowed}"
    return year, None


def year_filter(choice: int | str | None) -> int | None:
    """The scene filter's year: None (no filter) for every year."""
    return None if choice in (None, ALL_YEARS) else int(choice)


def year_caption(choice: int | str | None, drawn_years: list[int]) -> str:
    """What the drawing's caption says about years: one year, or every year drawn together."""
    if choice in (None, ALL_YEARS):
        ys = sorted(set(drawn_years))
        if len(ys) > 1:
            return (f"ALL YEARS drawn together ({', '.join(map(str, ys))}): each relationship is labelled with "
                    "its year")
        return f"all years (only {ys[0]} in the drawing)" if ys else "all years"
    return f"year {choice} only (relationships without a year are drawn too)"


def check_pin(text: str) -> tuple[str, tuple[float, float]] | str:
    """(node id, (x, y)) of a pin 'Label:key@x,y', or the reason it is none."""
    nid, sep, where = text.rpartition("@")
    checked = check_node_id(nid) if sep else None
    xy = where.split(",")
    try:
        x, y = float(xy[0]), float(xy[1])
        ok = len(xy) == 2 and all(v == v and abs(v) < 1e9 for v in (x, y))
    except (ValueError, IndexError):
        ok = False
    if not sep or isinstance(checked, str) or not ok:
        return f"{text!r} is not a pin; allowed: Label:key@x,y (e.g. Firm:F1@120.5,-40)"
    return nid, (x, y)


def pin_text(nid: str, xy: tuple[float, float]) -> str:
    return f"{nid}@{round(float(xy[0]), 1):g},{round(float(xy[1]), 1):g}"


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
