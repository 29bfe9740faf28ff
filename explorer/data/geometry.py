"""The map geometry shipped in ``explorer/static/geo/`` (see its README for sources and licences)."""
from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from explorer.transform import maps

GEO_DIR = Path(__file__).resolve().parent.parent / "static" / "geo"
PROVINCES_FILE = GEO_DIR / "kr-provinces-2018-topo-simple.json"
PROVINCES_ATTRIBUTION = "Provinces: Statistics Korea (KOSTAT), SGIS administrative boundaries 2018 (KOGL Type 1)"
PROVINCES_CREDIT = "boundaries: KOSTAT SGIS 2018 (KOGL Type 1)"  # the short form on the map itself


@functools.lru_cache(maxsize=1)
def korean_provinces() -> dict[str, Any]:
    """South Korea's 17 provinces as GeoJSON keyed by ISO 3166-2 (read and decoded once per process)."""
    with open(PROVINCES_FILE, encoding="utf-8") as fh:
        return maps.korean_provinces(json.load(fh))
