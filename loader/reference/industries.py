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


# ---------------------------------------------------------------- the releases people download now

_ICIO36 = re.compile(r"^(\d\d)(?:T(\d\d))?$")                       # 2018 release: '01T03', '09'
_ICIO2023 = re.compile(r"^([A-U])(?:(\d\d)(?:[T_](\d\d))?)?$")      # 2023 release: 'A01_02', 'C10T12', 'D'


def icio36() -> list[dict]:
    return [{"key": industry_key("ICIO36", r["code"]), "code": r["code"], "name": r["name"],
             "classification": "ICIO36"} for r in _read("icio36.csv")]


def icio2023() -> list[dict]:
    return [{"key": industry_key("ICIO2023", r["code"]), "code": r["code"], "name": r["name"],
             "classification": "ICIO2023"} for r in _read("icio2023.csv")]


def wiod56() -> list[dict]:
    return [{"key": industry_key("WIOD56", r["code"]), "code": r["code"], "name": r["name"],
             "classification": "WIOD56"} for r in _read("wiod56.csv")]


def _division_range(lo: str, hi: str | None) -> list[str]:
    return [f"{d:02d}" for d in range(int(lo), int(hi or lo) + 1)]


def icio36_divisions(code: str) -> list[str]:
    """'20T21' -> ['20', '21']: the 2018 release's codes are ISIC Rev.4 division ranges."""
    m = _ICIO36.match(code)
    if not m:
        raise ValueError(f"not an ICIO 2018 industry code: {code!r}")
    return _division_range(m.group(1), m.group(2))


def icio2023_divisions(code: str) -> list[str]:
    """'C10T12' -> 10..12, 'J62_63' -> 62, 63, 'K' -> every division of section K (64, 65, 66)."""
    m = _ICIO2023.match(code)
    if not m:
        raise ValueError(f"not an ICIO 2023 industry code: {code!r}")
    if m.group(2) is None:
        return sorted(r["code"][1:] for r in isic4() if r["level"] == "division" and r["section"] == m.group(1))
    return _division_range(m.group(2), m.group(3))


# EXIOBASE 3 names its industries (ixi) and products (pxp) by NACE Rev.1.1 / CPA 2002 codes
# ('i15.a', 'p40.11.a'); pymrio ships both lists with the names the release files use.
EXIO3_CLASSIFICATIONS = {"ixi": "EXIO3", "pxp": "EXIO3P"}


def exio3(system: str = "ixi") -> list[dict]:
    """EXIOBASE 3 industries (ixi, 163) or products (pxp, 200), named as the release files name them."""
    from importlib import resources

    cls = EXIO3_CLASSIFICATIONS[system]
    path = resources.files("pymrio") / "mrio_models" / f"exio3_{system}" / "sectors.tsv"
    with resources.as_file(path) as p, open(p, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [{"key": industry_key(cls, r["ExioName"]), "code": r["ExioName"], "name": r["ExioName"],
             "classification": cls, "exio_code": r["ExioCode"]} for r in rows]


def nace11_divisions() -> dict[str, list[str]]:
    """NACE Rev.1.1 division ('15') -> the ISIC Rev.4 divisions it corresponds to (['10', '11'])."""
    return {r["nace11"]: r["isic4_divisions"].split() for r in _read("nace11_isic4.csv")}


def exio3_divisions(exio_code: str, nace: dict[str, list[str]] | None = None) -> list[str]:
    """'i15.a' -> the ISIC Rev.4 divisions of NACE Rev.1.1 division 15."""
    nace = nace or nace11_divisions()
    m = re.match(r"^[ip](\d\d)", exio_code)
    if not m or m.group(1) not in nace:
        raise ValueError(f"not an EXIOBASE 3 code with a NACE Rev.1.1 division: {exio_code!r}")
    return nace[m.group(1)]


def all_industries() -> list[dict]:
    """Every classification the reference data knows, ISIC4 first."""
    return (isic4() + wiod35() + icio45() + icio36() + icio2023() + wiod56()
            + exio3("ixi") + exio3("pxp"))


def _equal_shares(pairs: list[tuple[str, str]]) -> list[tuple[str, str, float]]:
    """Weight each (division, target) pair 1/k, k = targets of that division in this classification.

    The mapping says which industries a division feeds, not how much of it: without output
    data the only neutral split is an equal one, and the shares of a division still add to 1.
    """
    count: dict[str, int] = {}
    for d, _ in pairs:
        count[d] = count.get(d, 0) + 1
    return [(d, t, 1.0 / count[d]) for d, t in pairs]


def release_concordance() -> list[tuple[str, str, float]]:
    """(ISIC4 division key, target key, weight) for ICIO36, ICIO2023, WIOD56, EXIO3 and EXIO3P."""
    divisions = isic4_division_keys()
    out = []
    for rows, parse in ((icio36(), icio36_divisions), (icio2023(), icio2023_divisions)):
        out += [(divisions[d], r["key"], 1.0) for r in rows for d in parse(r["code"]) if d in divisions]
    out += [(divisions[d], industry_key("WIOD56", r["code"]), 1.0)
            for r in _read("wiod56.csv") for d in r["isic4_divisions"].split()]
    nace = nace11_divisions()
    for system in EXIO3_CLASSIFICATIONS:
        rows = exio3(system)
        out += _equal_shares([(divisions[d], r["key"]) for r in rows for d in exio3_divisions(r["exio_code"], nace)])
    return out
