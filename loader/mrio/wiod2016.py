"""WIOD 2016 release world input-output tables (``WIOT2014_Nov16_ROW.xlsb``; 2000-2014).

pymrio's ``parse_wiod`` reads the 2013 release only (35 industries, ``wiot95_row_apr12.xlsx``),
so this reader follows the 2016 files' own layout. The release ships
``WIOTS_in_EXCEL.zip`` holding one binary workbook per year, ``WIOT<year>_Nov16_ROW.xlsb``,
whose sheet is named after the year:

- rows 1 to 6 are headers; the data start at cell E7. Four label columns: A industry code
  (``A01``, ``C10-C12``, ``R_S``; 56 industries, ISIC Rev.4 based), B its description,
  C the country (43 countries and ``ROW``, ISO 3166 alpha-3), D the row number (``r1`` ...);
- the header rows above the data give, per column, the industry or final-demand code
  (``CONS_h``, ``CONS_np``, ``CONS_g``, ``GFCF``, ``INVEN``; five per country), its
  description, the country, and the column number (``c1`` ... ``c61``), the last of these
  header rows sitting right above the data;
- after the 2,464 country-industry rows come rows of country ``TOT``: ``II_fob``, ``TXSP``,
  ``EXP_adj``, ``PURR``, ``PURNR``, ``VA``, ``IntTTM`` and ``GO`` (gross output, the x
  taken here); after the final-demand columns a ``TOT`` column of row totals.

The reader finds rows and columns by these labels, not by position, and checks that every
column block is a country-industry of the rows, a final-demand category or the total.
Values are million US dollars at current prices. ``.xlsb`` needs the pyxlsb package (pinned
in requirements.txt); an ``.xlsx`` saved from the same workbook reads the same way.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from loader.mrio.read import MrioInputError, MrioTable, _year_from_text

FINAL_DEMAND = ("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN")
BELOW = ("II_fob", "TXSP", "EXP_adj", "PURR", "PURNR", "VA", "IntTTM", "GO")
TOTAL = "TOT"
UNITS = "million US dollars, current prices"
CITATION = ("Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. and de Vries, G. J. (2015), \"An Illustrated "
            "User Guide to the World Input-Output Database: the Case of Global Automotive Production\", Review of "
            "International Economics 23: 575-605")
_FILE = re.compile(r"WIOT(\d{4})_\w*\.xls[bx]$", re.IGNORECASE)
_ROW_NR = re.compile(r"^r\d+$")
_COL_NR = re.compile(r"^c\d+$")


def locate(path: Path, year: int | None) -> tuple[str, str, callable]:
    """(display name, file name, opener) of the workbook holding the year."""
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if _FILE.search(p.name) or p.name.lower() == "wiots_in_excel.zip")
        books = [p for p in found if _FILE.search(p.name) and (year is None or _year_from_text(p.name) == year)]
        if len(books) == 1:
            path = books[0]
        elif not books and any(p.suffix == ".zip" for p in found):
            path = next(p for p in found if p.suffix == ".zip")
        else:
            raise MrioInputError([f"{path}: {'no' if not books else 'more than one'} WIOD 2016 table"
                                  f"{'' if year is None else f' for {year}'} (expected WIOT{year or '<year>'}_Nov16_ROW.xlsb "
                                  f"or WIOTS_in_EXCEL.zip; found {', '.join(p.name for p in found) or 'nothing'}); "
                                  "pass --year to pick one"])
    if path.suffix.lower() == ".zip":
        if not zipfile.is_zipfile(path):
            raise MrioInputError([f"{path}: not a zip archive (expected WIOTS_in_EXCEL.zip)"])
        with zipfile.ZipFile(path) as z:
            members = [n for n in z.namelist() if _FILE.search(Path(n).name)]
        hits = [m for m in members if year is None or _year_from_text(Path(m).name) == year]
        if len(hits) != 1:
            raise MrioInputError([f"{path}: {'no' if not hits else 'several'} WIOT workbook(s)"
                                  f"{'' if year is None else f' for {year}'} (found "
                                  f"{', '.join(sorted(Path(m).name for m in members)) or 'none'}); pass --year"])
        member = hits[0]
        return f"{path}:{member}", Path(member).name, lambda: zipfile.ZipFile(path).open(member)
    if not _FILE.search(path.name):
        raise MrioInputError([f"{path}: expected a WIOD 2016 workbook named WIOT<year>_Nov16_ROW.xlsb"])
    return str(path), path.name, lambda: open(path, "rb")


def _cell(v) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()


def parse_sheet(sheet: pd.DataFrame, where: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    labels = sheet.iloc[:, :4].map(_cell)
    data_rows = [i for i in range(len(sheet)) if _ROW_NR.match(labels.iat[i, 3]) and labels.iat[i, 2] != TOTAL]
    if not data_rows:
        raise MrioInputError([f"{where}: no country-industry rows (expected column D to number them r1, r2, ... "
                              "from row 7 on, with the industry code in A and the country in C)"])
    first = data_rows[0]
    header = sheet.iloc[:first, :].map(_cell)
    nr_rows = [i for i in range(first) if _COL_NR.match(header.iat[i, 4])] if sheet.shape[1] > 4 else []
    if not nr_rows:
        raise MrioInputError([f"{where}: no header row numbering the columns c1, c2, ... above the first data row "
                              f"(line {first + 1})"])
    first_country, first_code = labels.iat[first, 2], labels.iat[first, 0]
    country_row = next((i for i in range(first) if header.iat[i, 4] == first_country), None)
    code_row = next((i for i in range(first) if header.iat[i, 4] == first_code), None)
    if country_row is None or code_row is None:
        raise MrioInputError([f"{where}: the header rows do not name column E {first_country} {first_code} "
                              "like the first data row (expected a header row of countries and one of codes)"])
    keys = [(labels.iat[i, 2], labels.iat[i, 0]) for i in data_rows]
    if len(set(keys)) != len(keys):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise MrioInputError([f"{where}: country-industry {dup[0]} {dup[1]} appears in two rows"])
    position = {k: n for n, k in enumerate(keys)}
    z_cols, z_pos, fd_cols, fd_keys, problems = [], [], [], [], []
    for j in range(4, sheet.shape[1]):
        country, code = header.iat[country_row, j], header.iat[code_row, j]
        if not country and not code:
            continue
        if (country, code) in position:
            z_cols.append(j)
            z_pos.append(position[(country, code)])
        elif code in FINAL_DEMAND:
            fd_cols.append(j)
            fd_keys.append((country, code))
        elif country == TOTAL or code in ("GO", TOTAL):
            continue
        else:
            problems.append(f"{where}: column {j + 1} ({country} {code}) is neither a country-industry of the rows, "
                            f"a final-demand category ({', '.join(FINAL_DEMAND)}) nor the total")
    if sorted(z_pos) != list(range(len(keys))):
        problems.append(f"{where}: the country-industry columns ({len(z_pos)}) do not match the rows ({len(keys)})")
    go = [i for i in range(first, len(sheet)) if labels.iat[i, 0] == "GO"]
    if len(go) != 1:
        problems.append(f"{where}: {'no' if not go else 'several'} GO row (expected one row of gross output "
                        f"after the table body: {', '.join(BELOW)})")
    if problems:
        raise MrioInputError(problems)
    body = sheet.iloc[data_rows, :]
    values = body.apply(pd.to_numeric, errors="coerce")
    used = z_cols + fd_cols
    bad = values.iloc[:, used].isna() & body.iloc[:, used].map(_cell).ne("")
    if bad.to_numpy().any():
        i, j = np.argwhere(bad.to_numpy())[0]
        raise MrioInputError([f"{where}: line {data_rows[i] + 1}, column {used[j] + 1}: "
                              f"{body.iat[i, used[j]]!r} is not a number"])
    order = np.argsort(z_pos)
    index = pd.MultiIndex.from_tuples(keys, names=["region", "sector"])
    z = values.iloc[:, [z_cols[k] for k in order]].fillna(0).to_numpy(dtype=float)
    Z = pd.DataFrame(z, index=index, columns=index.copy())
    Y = pd.DataFrame(values.iloc[:, fd_cols].fillna(0).to_numpy(dtype=float), index=index.copy(),
                     columns=pd.MultiIndex.from_tuples(fd_keys, names=["region", "category"]))
    go_row = pd.to_numeric(sheet.iloc[go[0], [z_cols[k] for k in order]], errors="coerce")
    x = pd.Series(go_row.fillna(0).to_numpy(dtype=float), index=index.copy(), name="x")
    return Z, Y, x


def read_wiod2016(path: str | Path, *, year: int | None = None, source: str | None = None,
                  classification: str | None = None) -> MrioTable:
    where, name, opener = locate(Path(path), year)
    year = year or _year_from_text(name)
    if year is None:
        raise MrioInputError([f"{where}: no year in the file name (expected WIOT<year>_Nov16_ROW.xlsb); pass --year"])
    with opener() as fh:
        data = fh.read()
    engine = "pyxlsb" if name.lower().endswith(".xlsb") else "openpyxl"
    book = pd.ExcelFile(io.BytesIO(data), engine=engine)
    sheet_name = str(year) if str(year) in book.sheet_names else book.sheet_names[0]
    sheet = pd.read_excel(book, sheet_name=sheet_name, header=None)
    Z, Y, x = parse_sheet(sheet, f"{where} sheet {sheet_name}")
    return MrioTable(Z=Z, Y=Y, x=x, year=int(year), classification=classification or "WIOD56",
                     source=source or "wiod-2016-release", name="WIOD 2016 release",
                     files={n: where for n in ("system", "Z", "Y", "x")}, units=UNITS, citation=CITATION)
