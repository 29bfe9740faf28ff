"""Korea's 17 first-level subdivisions (from pycountry) and the seven economic regions.

Codes and names come from pycountry's ISO 3166-2 data. Which subdivision belongs to
which economic region is project knowledge (the grouping the Korean regional
studies use), so it is written here, keyed by ISO 3166-2 code.
"""
from __future__ import annotations

import pycountry

ECONOMIC_REGIONS = {
    # key: (name, ISO 3166-2 codes of its subdivisions)
    "KR-ECON-CAPITAL": ("Greater Seoul (Capital Region)", ("KR-11", "KR-28", "KR-41")),  # Seoul, Incheon, Gyeonggi
    "KR-ECON-CHUNGCHEONG": ("Chungcheong", ("KR-30", "KR-50", "KR-43", "KR-44")),  # Daejeon, Sejong, N/S Chungcheong
    "KR-ECON-HONAM": ("Honam", ("KR-29", "KR-45", "KR-46")),  # Gwangju, N/S Jeolla
    "KR-ECON-DAEGYEONG": ("Daegu/Gyeongsang", ("KR-27", "KR-47")),  # Daegu, North Gyeongsang
    "KR-ECON-SOUTHEAST": ("Southeast (Dongnam)", ("KR-26", "KR-31", "KR-48")),  # Busan, Ulsan, South Gyeongsang
    "KR-ECON-GANGWON": ("Gangwon", ("KR-42",)),
    "KR-ECON-JEJU": ("Jeju", ("KR-49",)),
}


def subdivisions() -> list[dict]:
    """First-level KR subdivisions: key (ISO 3166-2), name, type, economic_region."""
    region_of = {code: econ for econ, (_, codes) in ECONOMIC_REGIONS.items() for code in codes}
    subs = [s for s in pycountry.subdivisions.get(country_code="KR") if s.parent_code is None]
    missing = sorted(set(region_of) - {s.code for s in subs})
    unplaced = sorted({s.code for s in subs} - set(region_of))
    if missing or unplaced:
        # pycountry changed Korea's subdivisions: the grouping rule must be revisited, not guessed
        raise RuntimeError(f"KR subdivisions out of step with the economic-region rule: "
                           f"missing from pycountry {missing}, not grouped {unplaced}")
    return sorted(({"key": s.code, "name": s.name, "type": s.type, "economic_region": region_of[s.code]}
                   for s in subs), key=lambda r: r["key"])
