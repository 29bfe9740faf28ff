"""Country trade flows from the demo IO system: value from Z (intermediate) and Y (final), weight from
typical unit values (pure)."""
from __future__ import annotations

import pandas as pd

from loader.demo import iotable


def trade_flows(rng, year: int) -> pd.DataFrame:
    io = iotable.demo_iosystem()
    Z = io.Z.T.groupby(level=0, sort=False).sum().T          # (exporter, sector) x importer
    Y = io.Y.T.groupby(level=0, sort=False).sum().T
    rows = []
    for use, frame in (("intermediate", Z), ("final", Y)):
        for (exporter, sector), values in frame.iterrows():
            for importer, v in values.items():
                if importer == exporter or v <= 0:
                    continue
                value = round(float(v) * 1000, 3)  # the test system is in million USD; EXPORTS in thousand USD
                uv = iotable.UNIT_VALUE[sector]
                # thousand USD / (USD per kg) = tonnes; noise so unit values differ by route
                weight = round(value / (uv * float(rng.lognormal(0, 0.25))), 3) if uv else 0.0
                rows.append({"exporter": exporter, "importer": importer, "year": year,
                             "industry": f"{iotable.CLASSIFICATION}|{sector}", "value": value,
                             "weight": weight, "use": use})
    return pd.DataFrame(rows)
