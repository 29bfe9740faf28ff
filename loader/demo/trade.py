"""Bilateral trade by sector from an input-output table (pure).

EXPORTS values are the off-diagonal country blocks of Z (use ``intermediate``) and Y summed over the
importer's final-demand categories (use ``final``), per exporter, importer, industry and year, times
1000 (the tables are in million USD; EXPORTS in thousand USD). Summed over importers and uses they give
each sector's exports e_i (``SectorYear.exports``), except the few negative final flows (inventory
drawn down), which trade flows cannot hold and are left out.

An input-output table has no weights. On the real base the weight stays empty (not recorded) and so
does the unit value; only pymrio's made-up test system gets weights from typical unit values, as before.
"""
from __future__ import annotations

import pandas as pd


def _by_importer(frame: pd.DataFrame) -> pd.DataFrame:
    """(exporter, sector) x importer: columns summed over the importer's sectors or categories."""
    return frame.T.groupby(level=0, sort=False).sum().T


def table_trade_flows(Z: pd.DataFrame, Y: pd.DataFrame, year: int, classification: str, countries,
                      *, rng=None, unit_values: dict | None = None) -> pd.DataFrame:
    """Trade flows between ``countries`` (exporter and importer both among them) for one table year.

    ``unit_values`` (sector -> USD per kg) with ``rng`` draws made-up weights (log-normal noise so unit
    values differ by route); without them the weight is empty.
    """
    keep = set(countries)
    rows = []
    for use, frame in (("intermediate", _by_importer(Z)), ("final", _by_importer(Y))):
        importers = [c for c in frame.columns if c in keep]
        for (exporter, sector), values in frame[importers].iterrows():
            if exporter not in keep:
                continue
            for importer, v in values.items():
                if importer == exporter or not v > 0:
                    continue
                value = round(float(v) * 1000, 3)
                uv = (unit_values or {}).get(sector)
                if unit_values is None:
                    weight = None
                else:
                    # thousand USD / (USD per kg) = tonnes
                    weight = round(value / (uv * float(rng.lognormal(0, 0.25))), 3) if uv else 0.0
                rows.append({"exporter": exporter, "importer": importer, "year": int(year),
                             "industry": f"{classification}|{sector}", "value": value,
                             "weight": weight, "use": use})
    return pd.DataFrame(rows, columns=["exporter", "importer", "year", "industry", "value", "weight", "use"])


def pymrio_trade_flows(rng, year: int) -> pd.DataFrame:
    """The test system's flows between its six (relabelled) countries, with made-up weights."""
    from loader.demo import iotable

    io = iotable.demo_iosystem()
    return table_trade_flows(io.Z, io.Y, year, iotable.CLASSIFICATION, iotable.countries(), rng=rng,
                             unit_values=iotable.UNIT_VALUE)

