"""The library of query modules: one file per concern, each exporting ``MODULES``.

``MODULES[name] -> QueryModule`` gathers them; module names are the public contract of
the CLI (``python -m queries run NAME``), the catalogue and the explorer.
"""
from __future__ import annotations

from queries.errors import UnknownModule
from queries.model import QueryModule
from queries.modules import (centrality, communities, compare, fdi_panel, firms, gvc, gvc_gap, linkages, paths,
                             regional, sectors, spillover, trade, va_paths)

MODULES: dict[str, QueryModule] = {}
for _src in (sectors, paths, centrality, communities, spillover, trade, firms, compare, gvc, va_paths, gvc_gap,
             fdi_panel, linkages, regional):
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
