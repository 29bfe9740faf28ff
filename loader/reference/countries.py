"""Countries and supra-national groupings, read from packages (nothing typed here).

- Countries: every ISO 3166-1 entry of pycountry (key alpha-3, iso2, name).
- Continent and UN M49 sub-region, EU, OECD, G20 and APEC membership: the data
  table shipped inside country_converter (``country_data.tsv``). We read that
  file directly instead of calling ``CountryConverter()``: its constructor in
  1.3.2 (the newest release) breaks under pandas 3 (Namibia's ISO2 "NA" is read
  as a missing value and ``re.compile`` fails), while the data itself is fine
  when read with ``keep_default_na=False``.
- BRICS: countrygroups (the original five members; the 2024 enlargement is not in it).
- ASEAN: UN M49 "South-eastern Asia" from the same country_converter table. Since
  Timor-Leste joined in October 2025, ASEAN's eleven members are exactly that
  sub-region; ``tests/test_reference.py`` pins the count so a data change shows.

country_converter lists every EU member under G20 because the EU itself is a G20
member; we keep the package's view and say so in the grouping's description.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd
import pycountry

GROUPINGS = {
    # key: (name, how it is derived: country_converter column, or a special rule)
    "EU": ("European Union", "EU"),
    "OECD": ("Organisation for Economic Co-operation and Development", "OECD"),
    "G20": ("Group of Twenty (EU members listed through the EU, as country_converter does)", "G20"),
    "APEC": ("Asia-Pacific Economic Cooperation", "APEC"),
    "BRICS": ("BRICS (original five members, from countrygroups)", "countrygroups.BRICS"),
    "ASEAN": ("Association of Southeast Asian Nations (= UN M49 South-eastern Asia since 2025)",
              "UNregion=South-eastern Asia"),
}


@lru_cache(maxsize=1)
def coco_table() -> pd.DataFrame:
    """country_converter's own data table, with empty strings kept as such."""
    path = resources.files("country_converter") / "country_data.tsv"
    with resources.as_file(path) as p:
        return pd.read_csv(p, sep="\t", dtype=str, keep_default_na=False, encoding="utf-8")


def continent_key(name: str) -> str:
    return "CONT-" + name.upper().replace(" ", "_")


def un_region_key(name: str) -> str:
    return "UNR-" + name.upper().replace(" ", "_").replace("-", "_")


def countries() -> list[dict]:
    """One dict per pycountry country: key, name, iso2, continent, un_region (names, or None)."""
    coco = coco_table().set_index("ISO3")
    out = []
    for c in pycountry.countries:
        row = coco.loc[c.alpha_3] if c.alpha_3 in coco.index else None
        out.append({
            "key": c.alpha_3,
            "name": getattr(c, "common_name", None) or c.name,
            "official_name": getattr(c, "official_name", None) or c.name,
            # country_converter's regular expression for the names people use (Korea, South Korea,
            # Republic of Korea...): the explorer's search reads it from the Country node
            "name_pattern": (row["regex"] or None) if row is not None else None,
            "iso2": c.alpha_2,
            "continent": (row["continent"] or None) if row is not None else None,
            "un_region": (row["UNregion"] or None) if row is not None else None,
        })
    return out


def grouping_members() -> dict[str, list[str]]:
    """Grouping key -> sorted ISO3 members (only members pycountry knows)."""
    import countrygroups

    known = {c.alpha_3 for c in pycountry.countries}
    coco = coco_table()
    out = {}
    for key, (_, rule) in GROUPINGS.items():
        if rule == "countrygroups.BRICS":
            members = list(countrygroups.BRICS)
        elif rule.startswith("UNregion="):
            members = coco.loc[coco["UNregion"] == rule.split("=", 1)[1], "ISO3"].tolist()
        else:
            members = coco.loc[coco[rule] != "", "ISO3"].tolist()
        out[key] = sorted(m for m in members if m in known)
    return out
