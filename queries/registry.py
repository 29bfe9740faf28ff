"""The library of query modules: ``MODULES[name] -> QueryModule`` and ``get(name)``.

Each ``queries/modules_*.py`` file holds the modules of one concern and exports them as
``MODULES``; this registry gathers them. Module names are the public contract of the CLI
(``python -m queries run NAME``) and of the explorer.
"""
from __future__ import annotations

from queries import (modules_centrality, modules_firms, modules_paths, modules_sectors, modules_spillover,
                     modules_trade)
from queries.errors import UnknownModule
from queries.model import QueryModule

MODULES: dict[str, QueryModule] = {}
for _src in (modules_sectors, modules_paths, modules_centrality, modules_spillover, modules_trade, modules_firms):
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
