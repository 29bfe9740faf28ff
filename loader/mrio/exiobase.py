"""EXIOBASE 3 monetary tables as released on Zenodo (``IOT_2009_pxp.zip``, ``IOT_2009_ixi.zip``).

A release zip holds one folder ``IOT_<year>_<pxp|ixi>/`` in pymrio's text format:
``file_parameters.json`` (systemtype IOSystem), ``A.txt`` (technical coefficients), ``Y.txt``
(final demand), ``unit.txt``, ``metadata.json``, and sub-folders of satellite accounts
(``satellite/``, ``impacts/``) that the loader does not need. It ships A and Y, not Z, and
usually no x: like pymrio's calc functions, the reader computes x = L y with
L = (I - A)^-1 and y = Y 1 (solved as (I - A) x = y, the same vector without forming L),
then Z = A diag(x). A table that ships Z or x keeps its own.

Regions are EXIOBASE's two-letter codes (``AU``, ``KR``, ``GR`` ...; some 3.4 files use
three-letter ones, which pymrio's parse_exiobase3 renames the same way). Countries become
ISO 3166-1 alpha-3 keys through country_converter's EXIO3 column; the five rest-of-world
regions keep their codes and become aggregate regions named as EXIOBASE names them:
WA RoW Asia and Pacific, WE RoW Europe, WF RoW Africa, WL RoW America, WM RoW Middle East.
Values are million euros (current prices).
"""
from __future__ import annotations

import json
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from loader.mrio.read import MrioInputError, MrioTable, _year_from_text

ROW_REGIONS = {"WA": "RoW Asia and Pacific", "WE": "RoW Europe", "WF": "RoW Africa",
               "WL": "RoW America", "WM": "RoW Middle East"}
# EXIOBASE 3.4 wrote some ixi tables with three-letter codes (pymrio.parse_exiobase3 notes it)
THREE_LETTER_ROW = {"WWA": "WA", "WWE": "WE", "WWF": "WF", "WWL": "WL", "WWM": "WM"}
UNITS = "million euros, current prices"
CITATION = ("Stadler, K. et al. (2018), \"EXIOBASE 3: Developing a Time Series of Detailed Environmentally "
            "Extended Multi-Regional Input-Output Tables\", Journal of Industrial Ecology 22(3): 502-515; "
            "data: EXIOBASE 3, Zenodo, doi:10.5281/zenodo.3583070")


@lru_cache(maxsize=1)
def exio3_to_iso3() -> dict[str, str]:
    """EXIOBASE 3 country code -> ISO3, from country_converter's data table (its EXIO3 column)."""
    from loader.reference.countries import coco_table

    t = coco_table()
    # every country of a rest-of-world region carries that region's code; the others their own
    members = t[~t["EXIO3"].isin(ROW_REGIONS)].groupby("EXIO3")["ISO3"].unique()
    return {code: iso3[0] for code, iso3 in members.items() if len(iso3) == 1 and code}


def region_key(code: str) -> str | None:
    """'KR' or 'KOR' -> 'KOR'; 'WA'/'WWA' -> 'WA'; None when the code is not EXIOBASE's."""
    code = THREE_LETTER_ROW.get(code, code)
    if code in ROW_REGIONS:
        return code
    two = exio3_to_iso3()
    if code in two:
        return two[code]
    if len(code) == 3 and code in set(two.values()):
        return code
    return None


def _params_problems(path: Path) -> list[str]:
    """Check the release layout first: pymrio's own errors name no file."""
    if path.is_dir():
        params = path / "file_parameters.json"
        if not params.is_file():
            return [f"{path}: no file_parameters.json (expected the folder of an EXIOBASE 3 release zip, "
                    "e.g. IOT_2009_pxp/ with file_parameters.json, A.txt, Y.txt)"]
        entries = json.loads(params.read_text()).get("files", {})
        where = str(params)
    else:
        if not zipfile.is_zipfile(path):
            return [f"{path}: not a zip archive (expected an EXIOBASE 3 release such as IOT_2009_pxp.zip)"]
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if Path(n).name == "file_parameters.json"]
            core = [n for n in names if json.loads(z.read(n)).get("systemtype") == "IOSystem"]
            if len(core) != 1:
                return [f"{path}: {'no' if not core else 'several'} file_parameters.json with systemtype IOSystem "
                        f"(expected one, in the release's IOT_<year>_<pxp|ixi>/ folder)"]
            entries = json.loads(z.read(core[0])).get("files", {})
            where = f"{path}:{core[0]}"
    missing = [n for n in ("A", "Y") if n not in entries]
    return [f"{where}: lists no {n} (expected {n}.txt: the release ships A and Y)" for n in missing]


def read_exiobase(path: str | Path, *, year: int | None = None, source: str | None = None,
                  classification: str | None = None) -> MrioTable:
    import pymrio

    path = Path(path)
    problems = _params_problems(path)
    if problems:
        raise MrioInputError(problems)
    if year is None:
        year = _year_from_text(path.name.removesuffix(".zip"))
        if year is None:
            raise MrioInputError([f"{path}: no year in the name (expected e.g. IOT_2009_pxp.zip); pass --year"])
    io = pymrio.load_all(path, subfolders=[])          # the core system only: no satellite accounts
    where = str(path)
    if io.A is None and io.Z is None:
        raise MrioInputError([f"{where}: neither A nor Z could be read (expected A.txt)"])
    if io.Y is None:
        raise MrioInputError([f"{where}: no Y (expected Y.txt with final demand)"])
    A = io.A if io.A is not None else None
    Y = io.Y
    if io.Z is not None:
        Z = io.Z
        x = io.x.iloc[:, 0] if io.x is not None else Z.sum(axis=1) + Y.sum(axis=1)
    else:
        a = A.to_numpy(dtype=float)
        if io.x is not None:
            xv = io.x.iloc[:, 0].to_numpy(dtype=float)
        else:
            y = Y.to_numpy(dtype=float).sum(axis=1)
            try:
                xv = np.linalg.solve(np.eye(len(a)) - a, y)   # x = L y, L = (I - A)^-1
            except np.linalg.LinAlgError as exc:
                raise MrioInputError([f"{where}: I - A is singular, so x = (I - A)^-1 y cannot be computed"]) from exc
        Z = pd.DataFrame(a * xv[np.newaxis, :], index=A.index, columns=A.columns)   # Z = A diag(x)
        x = pd.Series(xv, index=A.index)
    bad = sorted({r for r in Z.index.get_level_values(0).unique() if region_key(str(r)) is None})
    if bad:
        raise MrioInputError([f"{where}: region code(s) {', '.join(map(str, bad))} are not EXIOBASE 3 regions "
                              "(expected two-letter codes such as AU, KR, WA ... WM)"])
    rename = {r: region_key(str(r)) for r in Z.index.get_level_values(0).unique()}
    rename.update({r: region_key(str(r)) or r for r in Y.columns.get_level_values(0).unique()})
    Z = Z.rename(index=rename, columns=rename, level=0)
    Y = Y.rename(index=rename, columns=rename, level=0)
    x = x.rename(index=rename, level=0).rename("x")
    Z.index.names = Z.columns.names = Y.index.names = x.index.names = ["region", "sector"]
    Y.columns.names = ["region", "category"]
    sectors = set(Z.index.get_level_values(1))
    from loader.reference.industries import exio3

    cls = classification
    if cls is None:
        cls = next((c for c, s in (("EXIO3P", "pxp"), ("EXIO3", "ixi"))
                    if sectors <= {r["code"] for r in exio3(s)}), "EXIO3")
    files = {"system": where, "Z": f"Z = A diag(x) from the A of {where}" if io.Z is None else where,
             "Y": where, "x": where if io.x is not None else f"x = (I - A)^-1 Y 1 from {where}"}
    names = {k: v for k, v in ROW_REGIONS.items() if k in set(rename.values())}
    return MrioTable(Z=Z, Y=Y, x=x, year=int(year), classification=cls, source=source or "exiobase-3",
                     name="EXIOBASE 3", files=files, units=UNITS, citation=CITATION, region_names=names)
