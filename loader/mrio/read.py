"""Read an input-output table and check it before anything is written.

Formats: ``pymrio`` (a folder saved by ``IOSystem.save_all``, read with
``pymrio.load_all``), ``parquet`` (the product's Parquet table format,
:mod:`loader.mrio.parquet`), ``oecd`` (OECD ICIO 2016/2018/2021/2023 csv, zip
or release bundle, :mod:`loader.mrio.oecd`), ``wiod`` (WIOD 2013 xlsx,
``pymrio.parse_wiod``), ``wiod2016`` (WIOD 2016 release, :mod:`loader.mrio.wiod2016`)
and ``exiobase`` (EXIOBASE 3 zip/folder with A and Y, :mod:`loader.mrio.exiobase`).

The result is an :class:`MrioTable` of pandas frames indexed by a (region,
sector) MultiIndex. :func:`validate_table` lists every problem it finds, each
naming the file and what was expected, so the loader can refuse a bad table
before it touches the database.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

FORMATS = ("pymrio", "oecd", "wiod", "exiobase", "parquet", "wiod2016")
KEY_SEPARATOR = "|"   # Sector keys are 'COUNTRY|INDUSTRY', so names must not contain it


class MrioInputError(ValueError):
    """A table that cannot be loaded; ``problems`` lists every reason, each naming its file."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("input-output table rejected:\n  - " + "\n  - ".join(self.problems))


@dataclass
class MrioTable:
    """One year of one MRIO table: Z (n x n), Y (n x f), x (n), all on a (region, sector) index."""
    Z: pd.DataFrame
    Y: pd.DataFrame
    x: pd.Series
    year: int
    classification: str
    source: str
    name: str
    synthetic: bool = False
    # where each matrix came from, so errors can name the file
    files: dict[str, str] = field(default_factory=dict)
    # what the numbers are (e.g. 'million US dollars, current prices') and whom to cite, when known
    units: str | None = None
    citation: str | None = None
    # display names of the table's aggregate regions that are no ISO 3166 country
    # (EXIOBASE 'WA' -> 'RoW Asia and Pacific'); countries are named from pycountry
    region_names: dict[str, str] = field(default_factory=dict)
    # An inter-regional table (loader.mrio.regional): some row regions are sub-national (ISO 3166-2
    # codes such as KR-11). ``inter_regional`` marks it; ``region_countries`` maps sub-national
    # regions to their ISO3 country where the table says so (otherwise the Region nodes do).
    inter_regional: bool = False
    region_countries: dict[str, str] = field(default_factory=dict)

    @property
    def regions(self) -> list[str]:
        return list(dict.fromkeys(self.Z.index.get_level_values(0)))

    @property
    def industries(self) -> list[str]:
        return list(dict.fromkeys(self.Z.index.get_level_values(1)))


# ---------------------------------------------------------------- naming helpers

def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _without_year(text: str, year: int | None) -> str:
    """'WIOD 2013 release, 1995' -> 'WIOD 2013 release': one name per data set, not per year."""
    if year is not None:
        text = re.sub(rf"(?<!\d){year}(?!\d)", "", text)
    return re.sub(r"[\s,;:_-]+$", "", text).strip()


def _year_from_text(text: str) -> int | None:
    """The last four-digit year not inside a longer number: 'ICIO2018_2010.CSV' -> 2010.

    Release names glue the release year to the table year with letters or '_'
    ('ICIO2023_2015', 'WIOT2014_Nov16_ROW', 'IOT_2009_pxp'), so the year is delimited by
    "not a digit" rather than by a word boundary.
    """
    found = re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", text or "")
    return int(found[-1]) if found else None


def default_classification(fmt: str, meta_name: str, n_sectors: int) -> str:
    """The Industry classification of a table read through pymrio (WIOD35, PYMRIO_TEST, ...).

    The release readers (oecd, wiod2016, exiobase, parquet) name their own classification.
    """
    if fmt == "wiod":
        return "WIOD35" if n_sectors == 35 else f"WIOD{n_sectors}"
    low = (meta_name or "").lower()
    if low == "testmrio":
        return "PYMRIO_TEST"
    if "wiod" in low and n_sectors == 35:
        return "WIOD35"
    return _slug(meta_name or "mrio").upper().replace("-", "_") or "MRIO"


def default_source(fmt: str, meta_name: str, year: int | None) -> str:
    """The Dataset key: one per data set, the same for every year of it."""
    if fmt == "wiod":
        return "wiod-2013"
    return _slug(_without_year(meta_name or "mrio", year)) or "mrio"


# ---------------------------------------------------------------- from an IOSystem

def table_from_iosystem(io, *, year: int, source: str | None = None, classification: str | None = None,
                        fmt: str = "pymrio", files: dict[str, str] | None = None) -> MrioTable:
    """Take Z, Y and x out of a pymrio IOSystem (no validation; see :func:`validate_table`).

    x is taken from the system when it has one (a table's own gross output) and
    otherwise computed as Z 1 + Y 1; Z is rebuilt from A and x when a system
    carries coefficients and x but no Z.
    """
    files = dict(files or {})
    where = files.get("system", "the IOSystem")
    Z, Y, x = io.Z, io.Y, io.x
    if Z is None and getattr(io, "A", None) is not None and x is not None:
        import pymrio
        Z = pymrio.calc_Z(io.A, x)
    missing = [n for n, m in (("Z", Z), ("Y", Y)) if m is None]
    if missing:
        raise MrioInputError([f"{files.get(n, where)}: no {n} matrix in the table (expected {n} as "
                              f"inter-industry flows / final demand)" for n in missing])
    if x is None:
        x = Z.sum(axis=1) + Y.sum(axis=1)
        files.setdefault("x", f"x computed as Z 1 + Y 1 from {files.get('Z', where)}")
    if isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise MrioInputError([f"{files.get('x', where)}: x must have exactly one column "
                                  f"(gross output), found {x.shape[1]}"])
        x = x.iloc[:, 0]
    meta_name = str(getattr(getattr(io, "meta", None), "name", "") or "")
    n_sectors = len(dict.fromkeys(Z.index.get_level_values(-1))) if Z is not None else 0
    return MrioTable(
        Z=Z, Y=Y, x=x, year=int(year),
        classification=classification or default_classification(fmt, meta_name, n_sectors),
        source=source or default_source(fmt, meta_name, year),
        name=_without_year(meta_name, year) or (source or "MRIO table"),
        synthetic=meta_name.lower() == "testmrio",   # pymrio's bundled system is made up
        files=files,
    )


# ---------------------------------------------------------------- validation

def _non_finite(frame, file: str, what: str) -> list[str]:
    values = frame.to_numpy()
    if not np.issubdtype(values.dtype, np.number):
        try:
            values = values.astype(float)
        except (TypeError, ValueError):
            return [f"{file}: {what} holds non-numeric entries (expected numbers)"]
    bad = ~np.isfinite(values)
    if not bad.any():
        return []
    pos = np.argwhere(bad if bad.ndim == 2 else bad[:, np.newaxis])[0]
    row = frame.index[pos[0]]
    col = frame.columns[pos[1]] if isinstance(frame, pd.DataFrame) else "x"
    return [f"{file}: {what} has {int(bad.sum())} NaN/inf entries, first at row {row!r}, column {col!r} "
            "(expected finite numbers)"]


def _index_problems(index: pd.Index, file: str, what: str) -> list[str]:
    if not isinstance(index, pd.MultiIndex) or index.nlevels != 2:
        return [f"{file}: {what} must be indexed by (region, sector), found {index.nlevels} level(s) "
                f"{list(index.names)}"]
    out = []
    dup = index[index.duplicated()]
    if len(dup):
        out.append(f"{file}: {what} repeats (region, sector) {tuple(dup[0])!r} "
                   f"({len(dup)} duplicate(s); expected each sector once)")
    for level, label in ((0, "region"), (1, "sector")):
        names = [str(v) for v in index.get_level_values(level).unique()]
        bad = [v for v in names if KEY_SEPARATOR in v or not v.strip()]
        if bad:
            out.append(f"{file}: {what} {label} name {bad[0]!r} is empty or contains {KEY_SEPARATOR!r} "
                       "(it is used as the key separator)")
    return out


def validate_table(t: MrioTable) -> None:
    """Raise :class:`MrioInputError` listing every problem, or return when the table is loadable."""
    fz, fy, fx = (t.files.get(n, n) for n in ("Z", "Y", "x"))
    problems: list[str] = []
    Z, Y, x = t.Z, t.Y, t.x
    if Z.shape[0] == 0:
        raise MrioInputError([f"{fz}: Z is empty (expected at least one sector)"])
    if Z.shape[0] != Z.shape[1]:
        problems.append(f"{fz}: Z must be square (sectors x sectors), found {Z.shape[0]} rows x "
                        f"{Z.shape[1]} columns")
    problems += _index_problems(Z.index, fz, "Z rows")
    if Z.shape[0] == Z.shape[1] and not Z.index.equals(Z.columns):
        problems.append(f"{fz}: Z columns must list the same (region, sector) pairs as its rows, in the same order")
    if Y.shape[0] != Z.shape[0]:
        problems.append(f"{fy}: Y has {Y.shape[0]} rows, expected {Z.shape[0]} (one per row of Z)")
    elif not Y.index.equals(Z.index):
        problems.append(f"{fy}: Y rows must be the (region, sector) pairs of Z's rows, in the same order")
    if not isinstance(Y.columns, pd.MultiIndex) or Y.columns.nlevels != 2:
        problems.append(f"{fy}: Y columns must be (region, final demand category), found "
                        f"{Y.columns.nlevels} level(s)")
    if len(x) != Z.shape[0]:
        problems.append(f"{fx}: x has {len(x)} entries, expected {Z.shape[0]} (one per row of Z)")
    elif not x.index.equals(Z.index):
        problems.append(f"{fx}: x rows must be the (region, sector) pairs of Z's rows, in the same order")
    problems += _non_finite(Z, fz, "Z") + _non_finite(Y, fy, "Y") + _non_finite(x.to_frame("x"), fx, "x")
    if not problems:
        xv = x.to_numpy(dtype=float)
        if (xv < 0).any():
            i = int(np.argmax(xv < 0))
            problems.append(f"{fx}: gross output x is negative for {int((xv < 0).sum())} sector(s), first "
                            f"{tuple(x.index[i])!r} = {xv[i]} (expected >= 0)")
    if problems:
        raise MrioInputError(problems)


# ---------------------------------------------------------------- from files

def _pymrio_files(path: Path) -> dict[str, str]:
    """The file each matrix of a saved pymrio system lives in, from its file_parameters.json."""
    params_file = path / "file_parameters.json"
    if not params_file.is_file():
        raise MrioInputError([f"{params_file}: missing (expected a folder saved by pymrio's save_all, "
                              "with file_parameters.json, Z.txt, Y.txt ...)"])
    try:
        params = json.loads(params_file.read_text())
        entries = params["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise MrioInputError([f"{params_file}: not a pymrio parameter file ({exc})"]) from exc
    files = {"system": str(path)}
    for name in ("Z", "Y", "x"):
        if name in entries:
            files[name] = str(path / entries[name]["name"])
    problems = [f"{path}: file_parameters.json lists no {n} (expected {n}.txt)" for n in ("Z", "Y") if n not in files]
    problems += [f"{files[n]}: missing (named in {params_file})" for n in ("Z", "Y", "x")
                 if n in files and not Path(files[n]).is_file()]
    if problems:
        raise MrioInputError(problems)
    # pymrio reads all files in one call and its errors name none: check each file here
    for n in ("Z", "Y", "x"):
        if n in files:
            problems += _text_file_problems(Path(files[n]), n)
    if problems:
        raise MrioInputError(problems)
    return files


def _text_file_problems(path: Path, what: str) -> list[str]:
    data = path.read_bytes()
    if not data.strip():
        return [f"{path}: is empty (expected the {what} matrix as tab-separated text)"]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        return [f"{path}: line {line}: byte 0x{data[e.start]:02x} is not UTF-8 (expected a UTF-8 text file)"]
    return []


def _parse(path: Path, fmt: str, year: int | None):
    import pymrio

    if fmt == "pymrio":
        return pymrio.load_all(path, subfolders=[])
    if fmt == "wiod":
        return pymrio.parse_wiod(path, year=year)
    raise MrioInputError([f"format {fmt!r}: expected one of {', '.join(FORMATS)}"])


def _release_reader(fmt: str):
    """The reader of a format this package parses itself (no pymrio parser fits the release)."""
    if fmt == "parquet":
        from loader.mrio.parquet import read_table
        return read_table
    if fmt == "oecd":
        from loader.mrio.oecd import read_oecd
        return read_oecd
    if fmt == "wiod2016":
        from loader.mrio.wiod2016 import read_wiod2016
        return read_wiod2016
    if fmt == "exiobase":
        from loader.mrio.exiobase import read_exiobase
        return read_exiobase
    return None


def read_mrio(path: str | Path, fmt: str, *, year: int | None = None, source: str | None = None,
              classification: str | None = None) -> MrioTable:
    """Read and validate one table; raises :class:`MrioInputError` naming the file on any problem."""
    path = Path(path)
    if fmt not in FORMATS:
        raise MrioInputError([f"format {fmt!r}: expected one of {', '.join(FORMATS)}"])
    if not path.exists():
        raise MrioInputError([f"{path}: does not exist (expected a {fmt} table)"])
    reader = _release_reader(fmt)
    if reader is not None:
        try:
            table = reader(path, year=year, source=source, classification=classification)
        except MrioInputError:
            raise
        except Exception as exc:   # pandas/zip/Excel readers raise many kinds; name the file and the reason
            raise MrioInputError([f"{path}: cannot be read as a {fmt} table ({type(exc).__name__}: {exc})"]) from exc
        validate_table(table)
        return table
    files = _pymrio_files(path) if fmt == "pymrio" else {n: str(path) for n in ("system", "Z", "Y", "x")}
    try:
        io = _parse(path, fmt, year)
    except MrioInputError:
        raise
    except Exception as exc:   # pymrio/pandas raise many kinds; the user needs the file and the reason
        raise MrioInputError([f"{path}: cannot be read as a {fmt} table ({type(exc).__name__}: {exc})"]) from exc
    if year is None:
        meta_name = str(getattr(io.meta, "name", "") or "")
        year = _year_from_text(meta_name) or _year_from_text(path.name) or _year_from_text(
            str(getattr(io.meta, "version", "") or ""))
        if year is None:
            raise MrioInputError([f"{path}: no year in the table's name or folder name; pass --year"])
    table = table_from_iosystem(io, year=year, source=source, classification=classification, fmt=fmt, files=files)
    validate_table(table)
    return table
