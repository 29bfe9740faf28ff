"""OECD Inter-Country Input-Output tables as the OECD distributes them (2016 to 2023 releases).

One table year is one comma-separated matrix: the first column holds the row labels, the
first row the column labels (its first cell is empty, or ``V1`` in the 2023 release).
Country-industry labels are ``<ISO3>_<industry code>`` for rows and columns alike:

=========  =======================  ==========================  ===========================  ==============
release    file                     industries (classification)  rows after the industries    total column
=========  =======================  ==========================  ===========================  ==============
2018       ``ICIO2018_2010.CSV``    36, ``01T03`` (ICIO36)       ``<ISO3>_TAXSUB``, VALU,     TOTAL
           in ``ICIO2018_2010.zip``                              OUTPUT
2021       ``ICIO2021_2015.csv``    45, ``D01T02`` (ICIO45)      same as 2018                 TOTAL
           in ``ICIO_2015-2018.zip``
2023       ``2016_SML.csv`` in      45, ``A01_02`` (ICIO2023)    TLS, VA, OUT                 OUT
           ``ICIO-2016-2020-*.zip``
           (pymrio renames it
           ``ICIO2023_2016.csv``)
=========  =======================  ==========================  ===========================  ==============

Final-demand columns are ``<ISO3>_<category>`` (HFCE, NPISH, GGFC, GFCF, INVNT and DPABR,
or P33 in 2018). China and Mexico may be split into ``CN1``/``CN2`` and ``MX1``/``MX2``
(processing trade): like ``pymrio.parse_oecd`` the reader adds them into CHN and MEX,
rows and columns, so every sector is a country-industry. Gross output x is the table's own
OUT/OUTPUT row. Values are million US dollars.

``read_oecd`` accepts a csv, a zip holding one csv, a release bundle zip holding several
years (then ``--year`` picks ``<year>_SML.csv``/``ICIO20xx_<year>.csv``), or a folder of any
of these (then ``--year`` picks the file whose name carries that year).
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from loader.mrio.read import MrioInputError, MrioTable, _year_from_text

FINAL_DEMAND = ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR", "P33", "DISC")
TOTAL_COLUMNS = ("TOTAL", "OUT", "OUTPUT")
OUTPUT_ROWS = ("OUT", "OUTPUT")
OTHER_ROWS = ("TLS", "VA", "VALU", "TAXSUB", "VA+TAXSUB")
SPLIT_REGIONS = {"CN1": "CHN", "CN2": "CHN", "MX1": "MEX", "MX2": "MEX"}
_RELEASE = re.compile(r"ICIO(\d{4})_", re.IGNORECASE)
_CSV = re.compile(r"\.csv$", re.IGNORECASE)
UNITS = "million US dollars, current prices"


def _citation(release: str | None) -> str:
    """The OECD asks users to cite the database by its edition (the release year)."""
    return f"OECD ({release or 'n.d.'}), OECD Inter-Country Input-Output Database, http://oe.cd/icio"


# ---------------------------------------------------------------- finding the file

def _zip_csvs(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [n for n in z.namelist() if _CSV.search(n) and not n.startswith("__MACOSX")]


def _member_for_year(path: Path, members: list[str], year: int | None) -> str:
    if len(members) == 1 and year is None:
        return members[0]
    years = {m: _year_from_text(Path(m).name) for m in members}
    if year is None:
        raise MrioInputError([f"{path}: holds {len(members)} tables ({', '.join(sorted(Path(m).name for m in members))}); "
                              "pass --year to pick one"])
    hits = [m for m, y in years.items() if y == year]
    if len(hits) != 1:
        raise MrioInputError([f"{path}: {'no' if not hits else 'several'} table(s) for {year} "
                              f"(found {', '.join(sorted(Path(m).name for m in members)) or 'no csv'}; "
                              f"expected one named like {year}_SML.csv or ICIO2023_{year}.csv)"])
    return hits[0]


def locate(path: Path, year: int | None) -> tuple[str, str, callable]:
    """(display name, file name, opener) of the csv that holds the table year."""
    path = Path(path)
    if path.is_dir():
        if year is None:
            raise MrioInputError([f"{path}: a folder of OECD tables; pass --year to pick one"])
        candidates = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".zip")
                            and _year_from_text(p.stem) == year)
        bundles = sorted(p for p in path.iterdir() if p.suffix.lower() == ".zip" and p not in candidates
                         and _bundle_covers(p.name, year))
        found = candidates or bundles
        if len(found) != 1:
            listing = ", ".join(p.name for p in sorted(path.iterdir()) if p.suffix.lower() in (".csv", ".zip"))
            raise MrioInputError([f"{path}: {'no' if not found else 'more than one'} OECD table for {year} "
                                  f"(expected one file such as ICIO2023_{year}.csv, ICIO2018_{year}.CSV or "
                                  f"{year}_SML.csv; found: {listing or 'nothing'})"])
        path = found[0]
    if path.suffix.lower() == ".zip":
        if not zipfile.is_zipfile(path):
            raise MrioInputError([f"{path}: not a zip archive (expected the OECD download)"])
        member = _member_for_year(path, _zip_csvs(path), year)
        return f"{path}:{member}", Path(member).name, lambda: zipfile.ZipFile(path).open(member)
    if not _CSV.search(path.name):
        raise MrioInputError([f"{path}: expected an OECD ICIO .csv or .zip file"])
    return str(path), path.name, lambda: open(path, "rb")


def _bundle_covers(name: str, year: int) -> bool:
    """'ICIO-2016-2020-extended.zip' or 'ICIO_2015-2018.zip' covers the years of its range."""
    m = re.search(r"(?<!\d)(19\d\d|20\d\d)-(19\d\d|20\d\d)(?!\d)", name)
    return bool(m) and int(m.group(1)) <= year <= int(m.group(2))


# ---------------------------------------------------------------- the matrix

def _region(label: str) -> str:
    return label.split("_", 1)[0]


def _classification(codes: list[str]) -> str:
    from loader.reference import industries as ri

    known = {cls: {r["code"] for r in rows} for cls, rows in
             (("ICIO2023", ri.icio2023()), ("ICIO45", ri.icio45()), ("ICIO36", ri.icio36()))}
    for cls, names in known.items():
        if set(codes) <= names:
            return cls
    return f"ICIO{len(codes)}"


def _numeric(frame: pd.DataFrame, where: str, header_lines: int = 1) -> np.ndarray:
    values = frame.apply(pd.to_numeric, errors="coerce")
    bad = values.isna() & frame.notna()
    if bad.to_numpy().any():
        i, j = np.argwhere(bad.to_numpy())[0]
        raise MrioInputError([f"{where}: line {frame.index.get_loc(frame.index[i]) + 1 + header_lines}: "
                              f"row {frame.index[i]!r}, column {frame.columns[j]!r} holds "
                              f"{frame.iat[i, j]!r} (expected a number)"])
    return values.fillna(0).to_numpy(dtype=float)


def _discrepancy_per_country(y: np.ndarray, categories: list, row_country: list) -> tuple[np.ndarray, list]:
    """A column of no country (the 2016 release's statistical discrepancy, ``DISC``) becomes one
    column per country holding that country's own rows: it keeps x = Z 1 + Y 1 and stays
    domestic use. Left as one column of a pseudo-region, every entry would count as exports."""
    lone = [i for i, (region, _) in enumerate(categories) if region == "ALL"]
    if not lone:
        return y, categories
    keep = [i for i in range(len(categories)) if i not in lone]
    countries = list(dict.fromkeys(row_country))
    rows = np.asarray(row_country, dtype=object)
    extra, extra_cats = [], []
    for i in lone:
        for c in countries:
            extra.append(np.where(rows == c, y[:, i], 0.0))
            extra_cats.append((c, categories[i][1]))
    return (np.column_stack([y[:, keep]] + extra) if extra else y[:, keep],
            [categories[i] for i in keep] + extra_cats)


def parse_matrix(raw: pd.DataFrame, where: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series | None]:
    """Split the OECD matrix into Z, Y (region, category) and the OUT/OUTPUT row, CN/MX summed in."""
    raw.index = [str(v).strip() for v in raw.index]
    raw.columns = [str(c).strip() for c in raw.columns]
    line = {label: i + 2 for i, label in enumerate(raw.index)}   # line 1 is the header
    dup = raw.index[raw.index.duplicated()]
    if len(dup):
        raise MrioInputError([f"{where}: line {line[dup[0]]}: row {dup[0]!r} appears twice"])
    columns = set(raw.columns)
    sectors = [r for r in raw.index if "_" in r and r in columns and not r.endswith("_TAXSUB")]
    if not sectors:
        raise MrioInputError([f"{where}: no country-industry rows (expected rows such as AUS_D01T02 or "
                              "AUS_A01_02 that are also column labels)"])
    sector_set = set(sectors)
    fd = [c for c in raw.columns if c not in sector_set and c not in TOTAL_COLUMNS]
    problems = []
    categories = []
    for c in fd:
        head, _, tail = c.partition("_")
        if tail in FINAL_DEMAND:
            categories.append((head, tail))
        elif head in FINAL_DEMAND and tail:          # the 2016 release writes HFCE_AUS
            categories.append((tail, head))
        elif c in FINAL_DEMAND:
            categories.append(("ALL", c))
        else:
            problems.append(f"{where}: line 1: column {c!r} is neither a country-industry of the rows, a final-demand "
                            f"column (<ISO3>_{'|'.join(FINAL_DEMAND)}) nor a total ({', '.join(TOTAL_COLUMNS)})")
    others = [r for r in raw.index if r not in sector_set]
    for r in others:
        if r not in OUTPUT_ROWS + OTHER_ROWS and not r.endswith("_TAXSUB"):
            problems.append(f"{where}: line {line[r]}: row {r!r} is neither a country-industry that is also a "
                            f"column nor one of {', '.join(OUTPUT_ROWS + OTHER_ROWS)}, <ISO3>_TAXSUB")
    missing = [s for s in sectors if s not in columns]
    if missing:
        problems.append(f"{where}: line 1: no column for row {missing[0]!r}")
    if problems:
        raise MrioInputError(problems)
    z = _numeric(raw.loc[sectors, sectors], where)
    y = _numeric(raw.loc[sectors, fd], where) if fd else np.zeros((len(sectors), 0))
    out_row = next((r for r in OUTPUT_ROWS if r in raw.index), None)
    x = _numeric(raw.loc[[out_row], sectors], where).ravel() if out_row else None

    regions = [_region(s) for s in sectors]
    codes = [s.split("_", 1)[1] for s in sectors]
    merged = [SPLIT_REGIONS.get(r, r) for r in regions]
    keys = pd.MultiIndex.from_arrays([merged, codes], names=["region", "sector"])
    # sum split rows/columns into their country; groupby keeps the order of first appearance
    Z = pd.DataFrame(z, index=keys, columns=keys)
    Z = Z.T.groupby(level=[0, 1], sort=False).sum().T.groupby(level=[0, 1], sort=False).sum()
    y, categories = _discrepancy_per_country(y, categories, merged)
    ycols = pd.MultiIndex.from_tuples([(SPLIT_REGIONS.get(r, r), c) for r, c in categories],
                                      names=["region", "category"])
    Y = pd.DataFrame(y, index=keys, columns=ycols).groupby(level=[0, 1], sort=False).sum()
    Y = Y.T.groupby(level=[0, 1], sort=False).sum().T
    X = pd.Series(x, index=keys, name="x").groupby(level=[0, 1], sort=False).sum() if x is not None else None
    Z.index.names = Z.columns.names = Y.index.names = ["region", "sector"]
    Y.columns.names = ["region", "category"]
    if X is not None:
        X.index.names = ["region", "sector"]
        X = X.loc[Z.index]
    return Z.loc[:, Z.index], Y.loc[Z.index], X


def read_oecd(path: str | Path, *, year: int | None = None, source: str | None = None,
              classification: str | None = None) -> MrioTable:
    where, name, opener = locate(Path(path), year)
    if year is None:
        year = _year_from_text(name) or _year_from_text(Path(path).name)
        if year is None:
            raise MrioInputError([f"{where}: no year in the file name (expected e.g. ICIO2023_2015.csv); pass --year"])
    release = _RELEASE.search(name) or _RELEASE.search(Path(path).name)
    release_year = release.group(1) if release else None
    with opener() as fh:
        data = fh.read()
    if not data.strip():
        raise MrioInputError([f"{where}: is empty (expected the OECD ICIO matrix as comma-separated text)"])
    try:
        raw = pd.read_csv(io.BytesIO(data), index_col=0)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise MrioInputError([f"{where}: not a comma-separated matrix ({exc})"]) from exc
    Z, Y, x = parse_matrix(raw, where)
    cls = classification or _classification(list(dict.fromkeys(Z.index.get_level_values(1))))
    if release_year is None:
        release_year = {"ICIO2023": "2023", "ICIO36": "2018", "ICIO45": "2021"}.get(cls)
    files = {"system": where, "Z": where, "Y": where,
             "x": where if x is not None else f"x computed as Z 1 + Y 1 from {where}"}
    if x is None:
        x = (Z.sum(axis=1) + Y.sum(axis=1)).rename("x")
    return MrioTable(Z=Z, Y=Y, x=x, year=int(year), classification=cls,
                     source=source or (f"oecd-icio-{release_year}" if release_year else "oecd-icio"),
                     name=f"OECD ICIO {release_year} release" if release_year else "OECD ICIO",
                     files=files, units=UNITS, citation=_citation(release_year))
