"""Write a generated firm graph as a `loader tables` folder and as `neo4j-admin database import` CSVs."""
from __future__ import annotations

from pathlib import Path

import pandas as pd



def write_tables_folder(graph: dict[str, pd.DataFrame], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem in ("firms", "firm_supply"):
        graph[stem].to_csv(folder / f"{stem}.csv", index=False, lineterminator="\n")
    return folder


def _names(keys, label: str) -> dict[str, str]:
    from loader.reference.rows import reference_graph

    rows = reference_graph(loaded_at="").nodes[label].rows
    by_key = {r["key"]: r["props"].get("name", r["key"]) for r in rows}
    return {k: by_key.get(k, k) for k in keys}


def write_admin_files(graph: dict[str, pd.DataFrame], folder: Path, source: str) -> dict[str, list[str]]:
    """CSV files with neo4j-admin headers; returns the --nodes/--relationships arguments."""
    folder.mkdir(parents=True, exist_ok=True)
    firms, supply, idx = graph["firms"], graph["firm_supply"], graph["index"]
    countries = sorted(firms["country"].unique())
    industries = sorted(firms["industry"].unique())
    cn, inn = _names(countries, "Country"), _names(industries, "Industry")
    pd.DataFrame({"key:ID(Country)": countries, "name": [cn[k] for k in countries], "source": "reference"}
                 ).to_csv(folder / "countries.csv", index=False)
    pd.DataFrame({"key:ID(Industry)": industries, "name": [inn[k] for k in industries], "source": "reference"}
                 ).to_csv(folder / "industries.csv", index=False)
    f = firms.rename(columns={"key": "key:ID(Firm)", "employees": "employees:long", "output": "output:double",
                              "foreign_share": "foreign_share:double", "founded": "founded:long"})
    f = f.drop(columns=["region"])  # empty region = no property, as the tables loader writes null
    f["source"] = source
    f.to_csv(folder / "firms.csv", index=False)
    s = pd.DataFrame({":START_ID(Firm)": supply["supplier"], ":END_ID(Firm)": supply["buyer"],
                      "year:long": supply["year"], "value:double": supply["value"], "product": supply["product"],
                      "a:double": idx["a"], "b:double": idx["b"], "source": source})
    s.to_csv(folder / "supplies.csv", index=False, float_format="%.17g")
    pd.DataFrame({":START_ID(Firm)": firms["key"], ":END_ID(Country)": firms["country"]}
                 ).to_csv(folder / "located_in.csv", index=False)
    pd.DataFrame({":START_ID(Firm)": firms["key"], ":END_ID(Industry)": firms["industry"]}
                 ).to_csv(folder / "in_industry.csv", index=False)
    return {
        "nodes": [f"Country={folder / 'countries.csv'}", f"Industry={folder / 'industries.csv'}",
                  f"Firm={folder / 'firms.csv'}"],
        "relationships": [f"SUPPLIES={folder / 'supplies.csv'}", f"LOCATED_IN={folder / 'located_in.csv'}",
                          f"IN_INDUSTRY={folder / 'in_industry.csv'}"],
    }
