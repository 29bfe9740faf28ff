"""The demo generator: one seeded numpy Generator -> table frames in exactly the `loader tables` format.

Pure: returns DataFrames; ``write_demo_folder`` is the only function that touches disk.
The same (n_firms, seed) always gives byte-identical files: every random draw comes
from one ``numpy.random.Generator`` in a fixed order, and nothing iterates a set.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from loader.demo import firms as firm_draws, indicators as indicator_draws, iotable, links as link_draws, people as people_draws, trade as trade_draws
from loader.tables.spec import SPECS


def generate(n_firms: int = 3000, seed: int = 7, year: int = iotable.YEAR) -> dict[str, pd.DataFrame]:
    if n_firms < 10:
        raise ValueError(f"--firms {n_firms}: expected at least 10 firms")
    rng = np.random.default_rng(seed)
    firms = firm_draws.generate_firms(rng, n_firms)
    keys = firms["key"].to_numpy()
    links = pd.concat([link_draws.supply_links(rng, firms, year), link_draws.subcontracting(rng, firms, year)],
                      ignore_index=True)
    links["supplier"], links["buyer"] = keys[links["supplier"]], keys[links["buyer"]]
    # a supplier that both sells its products and works as a subcontractor keeps both links (other product)
    links = links.drop_duplicates(["supplier", "buyer", "year", "product"])
    investments, statistics, firm_owns = link_draws.fdi(firms, rng)
    stages = people_draws.gvc_stages(rng, firms, year)
    persons, employment, person_owns = people_draws.people(rng, firms, stages)
    frames = {
        "firms": firms,
        "persons": persons,
        "employment": employment,
        "ownership": pd.concat([firm_owns, person_owns], ignore_index=True),
        "investments": investments,
        "fdi_statistics": statistics,
        "firm_supply": links,
        "trade_flows": trade_draws.trade_flows(rng, year),
        "gvc_stages": stages,
        # synthetic and labelled so; drawn from their own seeded stream (loader/demo/indicators.py)
        "country_indicators": indicator_draws.country_indicators(
            seed, iotable.countries(), indicator_draws.demo_years(investments["year"], year)),
    }
    # exactly the columns of the table format, in its order
    return {stem: frame[SPECS[stem].names].reset_index(drop=True) for stem, frame in frames.items()}


def write_demo_folder(frames: dict[str, pd.DataFrame], folder: Path) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for stem, frame in frames.items():
        if frame.empty:
            continue  # the table format refuses header-only files: a table without rows is left out
        frame.to_csv(folder / f"{stem}.csv", index=False, encoding="utf-8", lineterminator="\n")
    return folder
