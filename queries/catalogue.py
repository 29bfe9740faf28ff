"""One catalogue of every query a user can run: the library's modules and the saved reports.

Like Datasette's stored queries, built-in and saved queries live in one store and run
through one door:

- ``entries()`` lists them (modules first, then saved reports, each by name);
- ``get(name, version=None)`` describes one as an ``Entry``: kind (``module`` | ``report``),
  name, title, description, typed ``Param``s, output ``Column``s (a saved report's columns
  are known only once it runs), its Cypher (None for a module of several steps), its version
  and every version saved (reports only);
- ``run(name, params, version=None, timeout_s=30, row_cap=10000)`` coerces the parameters
  against the entry's Params and runs it in one READ transaction with a server-side time
  limit and a row cap (``queries.runner``; a report's Cypher passes the read-only guard).

A saved report stores Cypher and a map of default values. Its Params are read off those
defaults (a bool, int, float or text default gives that type; a list of texts or of numbers
gives ``multi``, a multi-select; null, a map or any other list gives ``json``) and off the
Cypher: every ``$name`` it uses without a saved default is a required ``json`` Param. Names are unique across both kinds: ``queries.reports.save_report`` refuses
a report named like a module, so a name always means one query.

The CLI (``python -m queries list|describe|run``) and the explorer's Reports page use this
module; nothing else decides between a module and a report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from connection import Settings
from queries import modules, reports
from queries.errors import ParameterError, QueryRefused
from queries.model import Column, Param
from queries.runner import run_cypher, run_module

KINDS = ("module", "report")


@dataclass(frozen=True)
class Entry:
    kind: str                      # module | report
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[Column, ...]    # empty for saved reports: their columns are whatever the Cypher returns
    cypher: str | None             # None for modules that run several statements
    version: int | None = None     # reports: the version described
    versions: tuple[int, ...] = ()  # reports: every version saved, oldest first
    saved_at: str | None = None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise ParameterError(f"{self.kind} {self.name!r} has no parameter {name!r}; "
                             f"known: {[p.name for p in self.params]}")

    def coerce(self, given: dict[str, Any] | None) -> dict[str, Any]:
        """Every Param's value: the given one converted and checked, else its default."""
        given = dict(given or {})
        unknown = sorted(set(given) - {p.name for p in self.params})
        if unknown:
            raise ParameterError(f"{self.kind} {self.name!r} has no parameter(s) {unknown}; "
                                 f"known: {sorted(p.name for p in self.params)}")
        return {p.name: p.coerce(given.get(p.name)) for p in self.params}


def _module_entry(name: str) -> Entry:
    m = modules.get(name)
    return Entry("module", m.name, m.title, m.description, tuple(m.params), tuple(m.columns), m.cypher)


# Scanned left to right: string literals, comments and quoted names are skipped whole, so a
# '$x' inside them is no parameter; $name and $`name` outside them are.
_CYPHER_TOKENS = re.compile(r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|`([^`]+)`)|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
                            r"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)


_COUNT_PARAM = re.compile(r"\b(?:LIMIT|SKIP)\s+\$([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)


def cypher_parameters(cypher: str) -> list[str]:
    """The parameter names a Cypher text uses, in order of first use."""
    found = (a or b for a, b in _CYPHER_TOKENS.findall(cypher) if a or b)
    return list(dict.fromkeys(found))


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if _list_item(value):
        return "multi"
    return "json"  # null, maps and lists of anything else


def _list_item(value: Any) -> str | None:
    """The item type of a list default a multi-select can hold (all text, or all numbers), else None."""
    if not isinstance(value, list):
        return None
    kinds = {_type_of(x) for x in value}
    if not value or kinds == {"str"}:
        return "str"
    if kinds == {"int"}:
        return "int"
    if kinds <= {"int", "float"}:
        return "float"
    return None


def report_params(cypher: str, defaults: dict[str, Any]) -> tuple[Param, ...]:
    """A saved report's Params: one per saved default (typed by its value), then one required
    json Param per ``$name`` of the Cypher that has no default."""
    counts = set(_COUNT_PARAM.findall(cypher))  # LIMIT $n / SKIP $n: Cypher takes only n >= 0
    out = []
    for name, value in sorted(defaults.items()):
        kind = _type_of(value)
        floor = 0 if name in counts and kind == "int" else None
        out.append(Param(name, kind, value, floor, help=f"saved default: {Param(name, 'json').to_text(value)}"
                         + ("; a row count (LIMIT/SKIP)" if floor is not None else ""),
                         item=_list_item(value) if kind == "multi" else ""))
    for name in cypher_parameters(cypher):
        if name not in defaults:
            out.append(Param(name, "json", None, required=True,
                             help=f"${name} in the Cypher, no saved default"))
    return tuple(out)


def _report_entry(rep: dict[str, Any]) -> Entry:
    return Entry("report", rep["name"], rep["title"] or rep["name"], rep["description"] or "",
                 report_params(rep["cypher"], rep["params"]), (), rep["cypher"], rep["version"],
                 tuple(v["version"] for v in rep["versions"]), rep["saved_at"])


def report_entry(name: str, version: int | None = None, *, settings: Settings | None = None) -> Entry:
    """A saved report (one version, default the latest) as an Entry."""
    return _report_entry(reports.get_report(name, version, settings=settings))


def entries(kinds: tuple[str, ...] = KINDS, *, settings: Settings | None = None) -> list[Entry]:
    """Every module, then every saved report (its latest version), each sorted by name."""
    out: list[Entry] = []
    if "module" in kinds:
        out += [_module_entry(n) for n in modules.names()]
    if "report" in kinds:
        out += [_report_entry(r) for r in reports.latest_versions(settings=settings)]
    return out


def get(name: str, version: int | None = None, *, settings: Settings | None = None) -> Entry:
    """The module or saved report called ``name``; ``version`` only for saved reports."""
    if name in modules.MODULES:
        if version is not None:
            raise ParameterError(f"{name!r} is a built-in query module: it has no saved versions "
                                 f"(leave out the version)")
        return _module_entry(name)
    try:
        return report_entry(name, version, settings=settings)
    except QueryRefused:
        raise QueryRefused(f"no query module or saved report {name!r} ('python -m queries list' shows them)") \
            from None


def run_entry(entry: Entry, params: dict[str, Any] | None = None, *, timeout_s: float = 30.0,
              row_cap: int = 10000, settings: Settings | None = None) -> pd.DataFrame:
    """Run a described entry; ``df.attrs`` says which (module or report and version) and with what."""
    if entry.kind == "module":
        return run_module(entry.name, params, timeout_s=timeout_s, row_cap=row_cap, settings=settings)
    values = entry.coerce(params)
    df = run_cypher(entry.cypher, values, timeout_s=timeout_s, row_cap=row_cap, settings=settings)
    df.attrs.update({"report": entry.name, "version": entry.version, "params": values})
    return df


def run(name: str, params: dict[str, Any] | None = None, version: int | None = None, *, timeout_s: float = 30.0,
        row_cap: int = 10000, settings: Settings | None = None) -> pd.DataFrame:
    """Run the module or saved report ``name`` (parameters as values or as text)."""
    return run_entry(get(name, version, settings=settings), params, timeout_s=timeout_s, row_cap=row_cap,
                     settings=settings)
