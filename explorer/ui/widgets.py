"""One Streamlit widget per ``queries.model.Param`` kind, built from the Param itself.

The page says which Param it shows, the current value, a widget key and, where it wants, a
shorter label or the values the data offers (e.g. the years loaded); type, default, range,
choices, unit and help come from the Param, so no page repeats what a module declares.
Whatever the widget returns goes through ``Param.coerce``: a value the module would refuse
(e.g. a required parameter left empty) shows the module's one-line message under the widget,
and the run refuses it again with the same message; nothing is replaced by a default.
A choice of up to four values is a horizontal radio, a longer one a select box. A ``multi``
Param is a multi-select (its choices, else the values the data offers, and new values may be
typed); a ``range`` Param a two-handled slider (between its bounds, or over the values the
data offers), or "lo..hi" text when it has no bounds.
"""
from __future__ import annotations

from typing import Any, Sequence

import streamlit as st

from queries.errors import ParameterError
from queries.model import Param

EMPTY = "empty = default"


def _label(p: Param, label: str | None) -> str:
    text = label or p.label or p.name
    return f"{text} ({p.unit})" if p.unit and not label else text


def _help(p: Param) -> str:
    return f"{p.help} · allowed: {p.allowed()}" if p.help else f"allowed: {p.allowed()}"


def widget(p: Param, value: Any, key: str, *, label: str | None = None, options: Sequence[Any] | None = None,
           where: Any = None) -> Any:
    """Show ``p``'s widget (in ``where``, default the page) at ``value``; return the coerced value.

    ``options``: the values the data offers, shown as a select box (None, when allowed, reads
    "empty = default"). A ``value`` outside them is added rather than dropped, so nothing the
    user or a URL chose is replaced silently.
    """
    ui = where or st
    text, help_ = _label(p, label), _help(p)
    if p.type == "multi":
        raw = _multi(ui, p, value, key, text, help_, options)
    elif p.type == "range":
        raw = _range(ui, p, value, key, text, help_, options)
    elif options is not None:
        opts = list(options)
        if value not in opts:
            opts.append(value)
        if not p.required and None not in opts:
            opts.insert(0, None)
        # what empty means, in the Param's own words ('year ...; empty = the latest' -> 'the latest')
        meaning = p.help.split("empty =", 1)[1].split(";")[0].strip() if "empty =" in p.help else "default"
        shown = {None: f"({meaning})"}
        raw = ui.selectbox(text, opts, index=opts.index(value), key=key, help=help_,
                           format_func=lambda v: shown.get(v, str(v)) if v is None else p.to_text(v))
    elif p.type == "bool":
        raw = ui.checkbox(text, value=bool(value), key=key, help=help_)
    elif p.type == "choice" and len(p.choices) <= 4:
        raw = ui.radio(text, p.choices, index=p.choices.index(value) if value in p.choices else 0, key=key,
                       help=help_, horizontal=True)
    elif p.type == "choice":
        raw = ui.selectbox(text, p.choices, index=p.choices.index(value) if value in p.choices else 0, key=key,
                           help=help_)
    elif p.type in ("int", "float"):
        cast = int if p.type == "int" else float
        raw = ui.number_input(text, value=None if value is None else cast(value),
                              min_value=None if p.min is None else cast(p.min),
                              max_value=None if p.max is None else cast(p.max),
                              step=1 if p.type == "int" else None, format=None if p.type == "int" else "%g",
                              key=key, help=help_, placeholder=None if p.required else EMPTY)
    else:  # str and json: text the Param parses
        raw = ui.text_input(text, value=p.to_text(value), key=key, help=help_,
                            placeholder=p.help if p.type == "str" else "JSON, e.g. 5, \"KOR\" or [1, 2]")
    try:
        return p.coerce(raw)
    except ParameterError as exc:
        ui.error(str(exc))
        return raw


def _multi(ui, p: Param, value: Any, key: str, text: str, help_: str, options: Sequence[Any] | None) -> list:
    chosen = list(value or [])
    offered = list(p.choices) if p.choices else list(options or [])
    if p.choices and p.item != "str":
        offered = [p.coerce([c])[0] for c in p.choices]
    opts = offered + [v for v in chosen if v not in offered]
    return ui.multiselect(text, opts, default=chosen, key=key, help=help_, accept_new_options=not p.choices,
                          placeholder="empty = all" if not p.required else "choose one or more")


def _range(ui, p: Param, value: Any, key: str, text: str, help_: str, options: Sequence[Any] | None) -> Any:
    cast = int if p.item == "int" else float
    if options:
        opts = sorted(set(options) | set(value or []))
        lo, hi = value if value else (opts[0], opts[-1])
        return list(ui.select_slider(text, opts, value=(lo, hi), key=key, help=help_))
    if p.min is not None and p.max is not None:
        lo, hi = value if value else (p.min, p.max)
        return list(ui.slider(text, cast(p.min), cast(p.max), (cast(lo), cast(hi)), key=key, help=help_))
    return ui.text_input(text, value=p.to_text(value), key=key, help=help_, placeholder="lo..hi, e.g. 2000..2010")
