"""The demo generator: one seeded numpy Generator -> table frames in exactly the `loader tables` format.

Pure apart from reading the base table; ``write_demo_folder`` is the only function that writes to disk.
The same (n_firms, seed, table) always gives byte-identical files: every random draw comes
from one ``numpy.random.Generator`` in a fixed order, and nothing iterates a set.

The firm layer is synthetic; it is calibrated to one year of a base table (``loader.demo.base``):
the latest WIOD 2013 year by default, or pymrio's made-up test system (``table="pymrio-test"``).
Trade flows are not drawn on the real base (they are the table's own, ``wiod_trade_flows``); on the
test system they are part of the synthetic folder, as before.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from loader.demo import firms as firm_draws, indicators as indicator_draws, links as link_draws
from loader.demo import people as people_draws, trade as trade_draws
from loader.demo.base import WIOD_FOLDER, WIOD_YEARS, base_table
from loader.demo.assessments import stage_assessments
from loader.tables.spec import SPECS

DEFAULT_TABLE = "wiod2013"


def generate(n_firms: int = 3000, seed: int = 7, table: str = DEFAULT_TABLE) -> dict[str, pd.DataFrame]:
    if n_firms < 10:
        raise ValueError(f"--firms {n_firms}: expected at least 10 firms")
    base = base_table(table)
    rng = np.random.default_rng(seed)
    firms = firm_draws.generate_firms(rng, n_firms, base)
    keys = firms["key"].to_numpy()
    links = pd.concat([link_draws.supply_links(rng, firms, base), link_draws.subcontracting(rng, firms, base)],
                      ignore_index=True)
    links["supplier"], links["buyer"] = keys[links["supplier"]], keys[links["buyer"]]
    # a supplier that both sells its products and works as a subcontractor keeps both links (other product)
    links = links.drop_duplicates(["supplier", "buyer", "year", "product"])
    investments, statistics, firm_owns = link_draws.fdi(firms, rng)
    stages = people_draws.gvc_stages(rng, firms, base)
    persons, employment, person_owns = people_draws.people(rng, firms, stages, base)
    frames = {
        "firms": firms,
        "persons": persons,
        "employment": employment,
        "ownership": pd.concat([firm_owns, person_owns], ignore_index=True),
        "investments": investments,
        "fdi_statistics": statistics,
        "firm_supply": links,
        "gvc_stages": stages,
        "stage_assessments": stage_assessments(stages, firms, base.year),
        # synthetic and labelled so; drawn from their own seeded stream (loader/demo/indicators.py)
        "country_indicators": indicator_draws.country_indicators(
            seed, list(base.countries), indicator_draws.demo_years(investments["year"], base.year)),
    }
    if base.unit_values:   # the made-up test system: trade drawn with the firms, as before
        frames["trade_flows"] = trade_draws.pymrio_trade_flows(rng, base.year)
    # exactly the columns of the table format, in its order
    return {stem: frame[SPECS[stem].names].reset_index(drop=True) for stem, frame in frames.items()}


def wiod_trade_flows(years=WIOD_YEARS) -> pd.DataFrame:
    """The real trade layer: EXPORTS between the demo's countries from each WIOD year's Z and Y."""
    from loader.demo.base import WIOD_COUNTRIES
    from loader.mrio.read import read_mrio

    frames = []
    for year in years:
        t = read_mrio(WIOD_FOLDER, "parquet", year=year)
        frames.append(trade_draws.table_trade_flows(t.Z, t.Y, year, t.classification, WIOD_COUNTRIES))
    return pd.concat(frames, ignore_index=True)[SPECS["trade_flows"].names]


def write_demo_folder(frames: dict[str, pd.DataFrame], folder: Path) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for stem, frame in frames.items():
        if frame.empty:
            continue  # the table format refuses header-only files: a table without rows is left out
        frame.to_csv(folder / f"{stem}.csv", index=False, encoding="utf-8", lineterminator="\n")
    return folder
