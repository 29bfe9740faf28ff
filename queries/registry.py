"""The library of query modules: ``MODULES[name] -> QueryModule`` and ``get(name)``.

Each ``queries/modules_*.py`` file holds the modules of one concern and exports them as
``MODULES``; this registry gathers them. Module names are the public contract of the CLI
(``python -m queries run NAME``) and of the explorer.
"""
from __future__ import annotations

from queries import modules_centrality, modules_paths, modules_sectors
from queries.errors import UnknownModule
from queries.model import QueryModule

_SOURCES = [modules_sectors, modules_paths, modules_centrality]
for _extra in ("modules_spillover", "modules_firms"):
    try:
        _SOURCES.append(__import__(f"queries.{_extra}", fromlist=["MODULES"]))
    except ModuleNotFoundError as exc:  # pragma: no cover - while a file is being written
        if exc.name != f"queries.{_extra}":
            raise

MODULES: dict[str, QueryModule] = {}
for _src in _SOURCES:
    for _m in _src.MODULES:
        if _m.name in MODULES:
            raise RuntimeError(f"duplicate module name {_m.name}")
        MODULES[_m.name] = _m


def get(name: str) -> QueryModule:
    try:
        return MODULES[name]
    except KeyError:
        raise UnknownModule(f"no query module {name!r}; known: {sorted(MODULES)}") from None


def names() -> list[str]:
    return sorted(MODULES)
