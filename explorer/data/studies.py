"""Which datasets hold the records a study reads, from the Dataset nodes (key, name, synthetic, years)."""
from __future__ import annotations

import streamlit as st

from connection import read
from queries.modules.fdi_panel import INDICATOR_BASIS
from queries.provenance import BASES
from schema.model import check_label

TTL_S = 60
_DATASET = check_label("Dataset")
_BASES = {**BASES, INDICATOR_BASIS.name: INDICATOR_BASIS}


@st.cache_data(ttl=TTL_S, show_spinner=False)
def datasets_reading(bases: tuple[str, ...]) -> list[dict]:
    """Datasets holding any of ``bases``' records: key, name, synthetic (the Dataset's flag), years, and which
    kinds of record they hold."""
    found: dict[str, dict] = {}
    for name in bases:
        basis = _BASES.get(name)
        if basis is None:
            continue
        for r in read(basis.pairs):
            d = found.setdefault(r["source"], {"key": r["source"], "years": set(), "holds": []})
            if r["year"] is not None:
                d["years"].add(int(r["year"]))
            if basis.what not in d["holds"]:
                d["holds"].append(basis.what)
    if not found:
        return []
    info = read(f"MATCH (d:{_DATASET}) WHERE d.key IN $keys RETURN d.key AS key, d.name AS name, "
                "d['synthetic'] AS synthetic", {"keys": sorted(found)})
    by_key = {r["key"]: r for r in info}
    return [{**d, "years": sorted(d["years"]), "name": (by_key.get(k) or {}).get("name"),
             "synthetic": (by_key.get(k) or {}).get("synthetic")} for k, d in sorted(found.items())]
