"""Industry classifications and concordances from ``loader/reference/data/*.csv``.

ISIC Rev.4 (sections and divisions), WIOD-35 and ICIO-45. No package ships them, so
the small tables live in the repository (see data/README.md). WIOD-35
codes are the industry names exactly as the WIOD tables spell them, so that the
MRIO loader's Industry nodes (`WIOD35|<table name>`) and these are the same nodes.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
_ICIO = re.compile(r"^D(\d\d)(?:T(\d\d))?$")


def _read(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def industry_key(classification: str, code: str) -> str:
    return f"{classification}|{code}"


def isic4() -> list[dict]:
    return [{"key": industry_key("ISIC4", r["code"]), "code": r["code"], "name": r["name"],
             "classification": "ISIC4", "level": r["level"], "section": r["section"] or None}
            for r in _read("isic4.csv")]


def isic4_division_keys() -> dict[str, str]:
    """Two-digit division number ('26') -> Industry key ('ISIC4|C26')."""
    return {r["code"][1:]: r["key"] for r in isic4() if r["level"] == "division"}


def wiod35() -> list[dict]:
    return [{"key": industry_key("WIOD35", r["name"]), "code": r["name"], "name": r["name"],
             "classification": "WIOD35", "wiod_code": r["wiod_code"]} for r in _read("wiod35.csv")]


def icio45() -> list[dict]:
    return [{"key": industry_key("ICIO45", r["code"]), "code": r["code"], "name": r["name"],
             "classification": "ICIO45"} for r in _read("icio45.csv")]


def icio_divisions(code: str) -> list[str]:
    """'D10T12' -> ['10', '11', '12']: ICIO codes spell out their ISIC Rev.4 division range."""
    m = _ICIO.match(code)
    if not m:
        raise ValueError(f"not an ICIO industry code: {code!r}")
    lo = int(m.group(1))
    hi = int(m.group(2) or lo)
    return [f"{d:02d}" for d in range(lo, hi + 1)]


def concordance() -> list[tuple[str, str, float]]:
    """(ISIC4 division key, target key, weight): share of the division assigned to the target."""
    divisions = isic4_division_keys()
    out = []
    for r in _read("wiod35.csv"):
        for d in r["isic4_divisions"].split():
            out.append((divisions[d], industry_key("WIOD35", r["name"]), 1.0))
    for r in icio45():
        for d in icio_divisions(r["code"]):
            if d in divisions:  # ranges like 05T06 name only real divisions; guard anyway
                out.append((divisions[d], r["key"], 1.0))
    return out
