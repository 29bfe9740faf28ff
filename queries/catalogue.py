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

Ad-hoc Cypher (the explorer's Cypher box) runs through the same door: ``cypher_entry(text)``
describes it like an unsaved report (Params from its ``$names``) and ``run_entry`` runs it
through the guard, in a READ transaction, with the time limit and row cap.

**Dashboards** (like NeoDash's): a saved page of several tiles, each a catalogue entry (a
module or a saved report, optionally a fixed version) or inline read-only Cypher, shown as a
table, chart or graph, plus shared ``Param``s (any kind, ``multi`` and ``range`` included).
A shared value feeds every tile whose entry declares a parameter of that name (``country``
and ``year`` feed every report that has them); a tile's fixed values fill the rest.
``save_dashboard`` checks everything before storing a version (entries exist, inline Cypher
passes the read-only guard, fixed values are valid for their entry, every shared parameter
feeds at least one tile, defaults are valid) and stores it through ``queries.reports``;
``get_dashboard`` reads one back and ``run_dashboard`` runs every tile with the shared values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from connection import Settings
from queries import guard, modules, reports
from queries.errors import ParameterError, QueryError, QueryRefused
from queries.model import PARAM_TYPES, Column, Param
from queries.runner import run_cypher, run_module

KINDS = ("module", "report")
VIEWS = ("table", "chart", "graph")


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


def cypher_entry(cypher: str, defaults: dict[str, Any] | None = None) -> Entry:
    """Ad-hoc Cypher described like an unsaved report: Params from its ``$names`` and ``defaults``."""
    return Entry("cypher", "cypher", "Cypher query", "", report_params(cypher, dict(defaults or {})), (), cypher)


# --- dashboards

@dataclass(frozen=True)
class Tile:
    title: str
    report: str | None = None        # a catalogue entry (module or saved report) ...
    version: int | None = None       # ... optionally one saved version
    cypher: str | None = None        # ... or inline read-only Cypher
    view: str = "table"              # table | chart | graph
    fixed: tuple[tuple[str, Any], ...] = ()   # the tile's own parameter values (name, value)

    def spec(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title, "view": self.view, "params": dict(self.fixed)}
        if self.cypher is not None:
            out["cypher"] = self.cypher
        else:
            out["report"] = self.report
            if self.version is not None:
                out["version"] = self.version
        return out


@dataclass(frozen=True)
class Dashboard:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    tiles: tuple[Tile, ...]
    version: int | None = None
    versions: tuple[int, ...] = ()

    def coerce(self, given: dict[str, Any] | None) -> dict[str, Any]:
        given = dict(given or {})
        unknown = sorted(set(given) - {p.name for p in self.params})
        if unknown:
            raise ParameterError(f"dashboard {self.name!r} has no parameter(s) {unknown}; "
                                 f"known: {sorted(p.name for p in self.params)}")
        return {p.name: p.coerce(given.get(p.name)) for p in self.params}


_PARAM_FIELDS = ("name", "type", "default", "min", "max", "choices", "help", "required", "label", "unit", "item")


def param_spec(p: Param) -> dict[str, Any]:
    """A Param as a JSON map (what a dashboard stores); ``param_from_spec`` reads it back."""
    out = {"name": p.name, "type": p.type}
    for f in _PARAM_FIELDS[2:]:
        v = getattr(p, f)
        if v not in (None, "", (), False):
            out[f] = list(v) if isinstance(v, tuple) else v
    return out


def param_from_spec(spec: Any, where: str = "dashboard") -> Param:
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or spec.get("type") not in PARAM_TYPES:
        raise ParameterError(f"{where}: a parameter must be a map with a name and a type from "
                             f"{', '.join(PARAM_TYPES)}; got {spec!r}")
    extra = sorted(set(spec) - set(_PARAM_FIELDS))
    if extra:
        raise ParameterError(f"{where}: parameter {spec['name']!r} has unknown field(s) {extra}; "
                             f"allowed: {', '.join(_PARAM_FIELDS)}")
    fields = {k: (tuple(v) if k == "choices" else v) for k, v in spec.items()}
    try:
        p = Param(**fields)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{where}: parameter {spec['name']!r}: {exc}") from None
    p.coerce(p.to_text(p.default) if p.default is not None else None)   # the default itself must be allowed
    return p


def _tile_from_spec(spec: Any, i: int) -> Tile:
    where = f"tile {i + 1}"
    if not isinstance(spec, dict):
        raise ParameterError(f"{where}: expected a map with title, report or cypher, view and params; got {spec!r}")
    extra = sorted(set(spec) - {"title", "report", "version", "cypher", "view", "params"})
    if extra:
        raise ParameterError(f"{where}: unknown field(s) {extra}; allowed: title, report, version, cypher, view, params")
    if (spec.get("report") is None) == (spec.get("cypher") is None):
        raise ParameterError(f"{where}: give exactly one of report (a module or saved report) or cypher")
    view = spec.get("view", "table")
    if view not in VIEWS:
        raise ParameterError(f"{where}: view {view!r}; allowed: {', '.join(VIEWS)}")
    fixed = spec.get("params") or {}
    if not isinstance(fixed, dict):
        raise ParameterError(f"{where}: params must be a map of parameter values; got {fixed!r}")
    version = spec.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ParameterError(f"{where}: version must be a whole number; got {version!r}")
    return Tile(str(spec.get("title") or spec.get("report") or f"Tile {i + 1}"), spec.get("report"), version,
                spec.get("cypher"), view, tuple(sorted(fixed.items())))


def tile_entry(tile: Tile, *, settings: Settings | None = None) -> Entry:
    """What a tile runs: its catalogue entry, or its inline Cypher described like a report."""
    if tile.cypher is not None:
        return cypher_entry(tile.cypher, dict(tile.fixed))
    return get(tile.report, tile.version, settings=settings)


def _check_dashboard(name: str, params: tuple[Param, ...], tiles: tuple[Tile, ...],
                     settings: Settings | None) -> None:
    if not tiles:
        raise ParameterError(f"dashboard {name!r}: add at least one tile (a report, a module or Cypher)")
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise ParameterError(f"dashboard {name!r}: a shared parameter is listed twice: {names}")
    fed: set[str] = set()
    for i, tile in enumerate(tiles):
        where = f"dashboard {name!r}, tile {i + 1} ({tile.title})"
        try:
            if tile.cypher is not None:
                guard.check_read_only(tile.cypher, dict(tile.fixed), settings=settings)
            entry = tile_entry(tile, settings=settings)
            own = {p.name for p in entry.params}
            for k, v in tile.fixed:
                entry.param(k).coerce(v)
        except QueryError as exc:
            raise type(exc)(f"{where}: {exc}") from None
        fed |= own - {k for k, _ in tile.fixed}
    idle = [n for n in names if n not in fed]
    if idle:
        raise ParameterError(f"dashboard {name!r}: shared parameter(s) {idle} feed no tile; every shared parameter "
                             "must be a parameter of at least one tile's report (and not fixed there)")


def dashboard_from_spec(name: str, title: str, description: str, content: dict[str, Any],
                        version: int | None = None, versions: tuple[int, ...] = ()) -> Dashboard:
    if not isinstance(content, dict):
        raise ParameterError(f"dashboard {name!r}: expected a map with params and tiles")
    params = tuple(param_from_spec(s, f"dashboard {name!r}") for s in content.get("params") or [])
    tiles = tuple(_tile_from_spec(s, i) for i, s in enumerate(content.get("tiles") or []))
    return Dashboard(name, title or name, description or "", params, tiles, version, versions)


def save_dashboard(name: str, title: str, params: list[Param] | list[dict[str, Any]], tiles: list[dict[str, Any]],
                   description: str = "", *, settings: Settings | None = None) -> int:
    """Check and save a new version of dashboard ``name``; returns its version number."""
    content = {"params": [param_spec(p) if isinstance(p, Param) else p for p in params], "tiles": list(tiles)}
    d = dashboard_from_spec(name, title, description, content)
    _check_dashboard(name, d.params, d.tiles, settings)
    stored = {"params": [param_spec(p) for p in d.params], "tiles": [t.spec() for t in d.tiles]}
    return reports.save_document("dashboard", name, title, stored, description, settings=settings)


def get_dashboard(name: str, version: int | None = None, *, settings: Settings | None = None) -> Dashboard:
    doc = reports.get_document("dashboard", name, version, settings=settings)
    return dashboard_from_spec(doc["name"], doc["title"], doc["description"], doc["content"], doc["version"],
                               tuple(v["version"] for v in doc["versions"]))


def dashboards(*, settings: Settings | None = None) -> list[Dashboard]:
    return [dashboard_from_spec(d["name"], d["title"], d["description"], d["content"], d["version"],
                                tuple(v["version"] for v in d["versions"]))
            for d in reports.list_documents("dashboard", settings=settings)]


def tile_values(tile: Tile, entry: Entry, shared: dict[str, Any]) -> dict[str, Any]:
    """A tile's parameters: its fixed values, then every shared value its entry declares (None: its own default)."""
    own = {p.name for p in entry.params}
    values = dict(tile.fixed)
    for k, v in shared.items():
        if k in own and k not in values and v is not None:
            values[k] = v
    return values


@dataclass
class TileResult:
    tile: Tile
    values: dict[str, Any]
    frame: pd.DataFrame | None = None
    error: str | None = None


def run_dashboard(dashboard: Dashboard, given: dict[str, Any] | None = None, *, timeout_s: float = 30.0,
                  row_cap: int = 10000, settings: Settings | None = None) -> list[TileResult]:
    """Every tile run with the shared values (refused shared values raise; a failing tile says why in its result)."""
    shared = dashboard.coerce(given)
    out = []
    for tile in dashboard.tiles:
        try:
            entry = tile_entry(tile, settings=settings)
            values = tile_values(tile, entry, shared)
            out.append(TileResult(tile, values, run_entry(entry, values, timeout_s=timeout_s, row_cap=row_cap,
                                                          settings=settings)))
        except QueryError as exc:
            out.append(TileResult(tile, {}, None, f"{type(exc).__name__}: {exc}"))
    return out
