"""Check every cell of a table folder; pure (the caller supplies the keys the database knows).

Two steps so the database is asked only about what the files mention:
``references(tables)`` lists every key the files point at, the caller looks
those up, then ``validate(tables, known)`` returns typed rows and every problem.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import pycountry

from loader.tables.problems import Problem
from loader.tables.read import RawTable
from loader.tables.spec import INDICATOR_UNITS, SPECS, Col, FileSpec

_INT = re.compile(r"^[+-]?\d+$")
_CLASSIFICATION = re.compile(r"^[A-Z][A-Z0-9_]*$")
_AGGREGATE = re.compile(r"^[A-Za-z]{2,8}$")
ENTITY_KINDS = ("country", "region", "industry", "firm", "person")
# polymorphic columns: (file, column, kind column) -> the entity kind each kind value names
POLY = {
    ("ownership", "owner", "owner_kind"): {"firm": "firm", "person": "person"},
    ("investments", "target", "target_kind"): {"firm": "firm", "country": "country", "region": "region"},
    ("fdi_statistics", "destination", "destination_kind"): {"country": "country", "region": "region"},
    ("stage_assessments", "subject", "subject_kind"): {"firm": "firm", "country": "country"},
}


@dataclass
class Checked:
    rows: dict[str, list[tuple[int, dict[str, Any]]]]  # stem -> (line, typed row)
    problems: list[Problem]
    # stem -> typed Arrow columns of the tables checked column-wise (loader.tables.columns)
    columns: dict[str, Any] = field(default_factory=dict)


def industry_key(row: dict) -> str:
    return f"{row['classification']}|{row['code']}"


def _defined_keys(stem: str, row: dict) -> str:
    return industry_key(row) if stem == "industries" else row.get("key")


def parse_cell(col: Col, value: Any) -> tuple[Any, str | None]:
    """(typed value, None) or (None, what was expected)."""
    # a NaN in a Parquet float column is an empty cell where the column may be empty; where it may not,
    # the float checks below refuse it as "not a finite number"
    if value is None or (isinstance(value, str) and value == "") or \
            (isinstance(value, float) and math.isnan(value) and (col.type != "float" or not col.required)):
        return None, ("a value (the column may not be empty)" if col.required else None)
    if col.type == "str":
        if not isinstance(value, str):
            return None, "text"
        out = value
    elif col.type == "int":
        if isinstance(value, bool):
            return None, "a whole number"
        if isinstance(value, int):
            out = value
        elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
            out = int(value)
        elif isinstance(value, str) and _INT.match(value):
            out = int(value)
        else:
            return None, "a whole number"
    else:  # float
        try:
            out = float(value) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            out = None
        if out is None:
            return None, "a number"
        if not math.isfinite(out):
            return None, "a finite number (not NaN or infinity)"
    if col.choices and out not in col.choices:
        return None, f"one of {', '.join(col.choices)}"
    if col.min is not None and out < col.min:
        return None, f"a number >= {col.min:g}" + (" (amounts may not be negative)" if col.min == 0 else "")
    if col.max is not None and out > col.max:
        return None, f"a number <= {col.max:g}"
    return out, None


def _fast_kind(col: Col) -> str:
    """'str' or 'float' when a non-empty text cell of this column can skip ``parse_cell``."""
    if col.choices:
        return ""
    return col.type if col.type in ("str", "float") else ""


def _plain_float(text: str, col: Col) -> float | None:
    """The number when ``parse_cell`` would accept it unchanged, else None (then it decides)."""
    try:
        out = float(text)
    except ValueError:
        return None
    if not math.isfinite(out) or (col.min is not None and out < col.min) or (col.max is not None and out > col.max):
        return None
    return out


def check_header(table: RawTable, spec: FileSpec) -> list[Problem]:
    problems = []
    seen = set()
    for name in table.header:
        if name in seen:
            problems.append(Problem(table.file, 1, name, "appears twice in the header; expected each column once"))
        seen.add(name)
        if name in spec.retired:
            problems.append(Problem(table.file, 1, name, f"is no longer part of the format: {spec.retired[name]}"))
        elif name not in spec.names:
            problems.append(Problem(table.file, 1, name, f"unexpected column; expected only {', '.join(spec.names)}"))
    for name in spec.names:
        if name not in seen:
            problems.append(Problem(table.file, 1, name, f"missing column; expected columns {', '.join(spec.names)}"))
    return problems


def type_rows(tables: dict[str, RawTable]) -> Checked:
    """Header and cell checks, duplicates; refs are checked later in ``validate``. Reads each table's rows
    chunk by chunk (``RawTable.chunks``) and keeps only the typed rows."""
    out: dict[str, list] = {}
    problems: list[Problem] = []
    for stem, table in tables.items():
        spec = SPECS[stem]
        header_problems = check_header(table, spec)
        if any(p.message.startswith("missing") for p in header_problems):
            problems += header_problems
            continue  # cells of a table without its columns cannot be judged
        found = list(header_problems)
        typed = []
        first_line: dict[tuple, int] = {}
        fast = [(col, _fast_kind(col)) for col in spec.columns]
        for chunk in table.chunks():
            for line, raw in chunk:
                row, ok = {}, True
                for col, kind in fast:
                    value = raw.get(col.name)
                    if kind and value.__class__ is str and value:
                        # the common case of a CSV cell, without parse_cell's general checks
                        if kind == "str":
                            row[col.name] = value
                            continue
                        number = _plain_float(value, col)
                        if number is not None:
                            row[col.name] = number
                            continue
                    value, expected = parse_cell(col, value)
                    if expected:
                        found.append(Problem(table.file, line, col.name, f"got {raw.get(col.name)!r}; expected {expected}"))
                        ok = False
                    row[col.name] = value
                key = tuple(row[c] for c in spec.key)
                if all(k is not None for k in key):
                    if key in first_line:
                        found.append(Problem(table.file, line, ",".join(spec.key),
                                             f"duplicate key {'|'.join(map(str, key))} (first on line "
                                             f"{first_line[key]}); expected each key once"))
                        ok = False
                    else:
                        first_line[key] = line
                if ok:
                    typed.append((line, row))
        if table.broken is not None:
            # a file that cannot be read to its end is reported as that alone, like a file that cannot be opened
            problems.append(table.broken)
            continue
        problems += found + table.problems
        out[stem] = typed
    return Checked(out, problems)


def references(checked: Checked) -> dict[str, set[str]]:
    """Every key of each entity kind the files point at."""
    refs: dict[str, set[str]] = {k: set() for k in ENTITY_KINDS}
    for stem, rows in checked.rows.items():
        for col in SPECS[stem].columns:
            if col.ref:
                refs[col.ref].update(r[col.name] for _, r in rows if r[col.name] is not None)
        for (s, col, kind_col), kinds in POLY.items():
            if s == stem:
                for _, r in rows:
                    refs[kinds[r[kind_col]]].add(r[col])
    return refs


def defined(checked: Checked) -> dict[str, set[str]]:
    """Keys each entity kind gets from the files themselves."""
    out = {k: set() for k in ENTITY_KINDS}
    for stem, rows in checked.rows.items():
        kind = SPECS[stem].entity
        if kind:
            out[kind].update(_defined_keys(stem, r) for _, r in rows)
    return out


def validate(tables: dict[str, RawTable], known: dict[str, set[str]],
             region_country: dict[str, str] | None = None, typed: Checked | None = None) -> Checked:
    """``known``: per entity kind, the keys that exist outside the files (reference data + database).

    ``region_country``: Region key -> ISO3 for regions outside the files whose country is known,
    so a firm placed in a region of another country is caught.
    ``typed``: the result of ``type_rows(tables)`` if the caller has it already (it is not changed).
    """
    typed = typed or type_rows(tables)
    checked = Checked(dict(typed.rows), list(typed.problems), dict(typed.columns))
    problems = checked.problems
    mine = defined(checked)
    exists = {k: known.get(k, set()) | mine[k] for k in ENTITY_KINDS}
    files = {stem: t.file for stem, t in tables.items()}
    region_country = dict(region_country or {})
    for _, r in checked.rows.get("regions", []):
        if r["country"]:
            region_country[r["key"]] = r["country"]

    def where(kind):
        return {"country": "an ISO3 code known to pycountry, the database or countries file",
                "region": "a Region key in the reference data, the database or regions file",
                "industry": "an Industry key CLASSIFICATION|code in the reference data, the database or industries file",
                "firm": "a Firm key in firms file or the database",
                "person": "a Person key in persons file or the database"}[kind]

    bad_rows: dict[str, set[int]] = {}

    def bad(stem, line, col, msg):
        problems.append(Problem(files[stem], line, col, msg))
        bad_rows.setdefault(stem, set()).add(line)

    for stem, rows in checked.rows.items():
        spec = SPECS[stem]
        for line, r in rows:
            for col in spec.columns:
                v = r[col.name]
                if col.ref and v is not None and v not in exists[col.ref]:
                    bad(stem, line, col.name, f"got {v!r}; expected {where(col.ref)}")
            for (s, col, kind_col), kinds in POLY.items():
                if s == stem and r[col] not in exists[kinds[r[kind_col]]]:
                    bad(stem, line, col, f"got {r[col]!r}; expected {where(kinds[r[kind_col]])} "
                                         f"({kind_col} is {r[kind_col]})")
            for col, msg in _row_rules(stem, r, region_country):
                bad(stem, line, col, msg)
    _share_totals(checked, bad)
    checked.rows = {stem: [(l, r) for l, r in rows if l not in bad_rows.get(stem, set())]
                    for stem, rows in checked.rows.items()}
    return checked


def _row_rules(stem: str, r: dict, region_country: dict[str, str]):
    """Rules that involve more than one cell of a row."""
    if stem == "countries":
        iso = pycountry.countries.get(alpha_3=r["key"])
        if iso is None and (r["iso2"] or not _AGGREGATE.match(r["key"])):
            yield "key", (f"got {r['key']!r}; expected an ISO 3166-1 alpha-3 code known to pycountry, or an "
                          "aggregate code of 2-8 letters with iso2 left empty")
        elif iso is not None and r["iso2"] and r["iso2"] != iso.alpha_2:
            yield "iso2", f"got {r['iso2']!r}; expected {iso.alpha_2} (ISO 3166-1 alpha-2 of {r['key']})"
    elif stem == "regions":
        if r["kind"] in ("subdivision", "economic_region") and not r["country"]:
            yield "country", f"is empty; expected the ISO3 country of this {r['kind']}"
        if r["kind"] == "subdivision":
            sub = pycountry.subdivisions.get(code=r["key"])
            if sub is None:
                yield "key", f"got {r['key']!r}; expected an ISO 3166-2 code known to pycountry for a subdivision"
            elif r["country"] and pycountry.countries.get(alpha_2=sub.country_code).alpha_3 != r["country"]:
                yield "country", f"got {r['country']!r}; expected the country of {r['key']}"
        if r["parent"] == r["key"]:
            yield "parent", "names the region itself; expected another region"
    elif stem == "industries":
        if not _CLASSIFICATION.match(r["classification"]):
            yield "classification", (f"got {r['classification']!r}; expected capital letters, digits and _ "
                                     "(e.g. ISIC4)")
        if "|" in r["code"]:
            yield "code", f"got {r['code']!r}; expected a code without '|'"
    elif stem == "firms":
        rc = region_country.get(r["region"]) if r["region"] else None
        if rc and rc != r["country"]:
            yield "region", f"got {r['region']!r}, which lies in {rc}; expected a region of {r['country']}"
    elif stem == "firm_supply" and r["supplier"] == r["buyer"]:
        yield "buyer", "equals supplier; expected two different firms"
    elif stem == "ownership" and r["owner_kind"] == "firm" and r["owner"] == r["firm"]:
        yield "owner", "owns itself; expected another firm or a person"
    elif stem == "investments" and r["target_kind"] == "firm" and r["investor"] == r["target"]:
        yield "target", "equals investor; expected another entity"
    elif stem == "country_indicators" and r["unit"] != INDICATOR_UNITS[r["indicator"]]:
        yield "unit", f"got {r['unit']!r}; expected {INDICATOR_UNITS[r['indicator']]!r} (the unit of {r['indicator']})"
    elif stem == "fdi_statistics":
        # a statistic of foreign direct investment crosses a border
        there = r["destination"] if r["destination_kind"] == "country" else region_country.get(r["destination"])
        if there is not None and there == r["origin"]:
            where = "equals origin" if r["destination_kind"] == "country" else f"lies in {there}, the origin"
            yield "destination", f"got {r['destination']!r}, which {where}; expected a destination outside the " \
                                 "investing country"


def _share_totals(checked: Checked, bad) -> None:
    """Equity stakes in one firm may not add up to more than the whole firm."""
    totals: dict[str, float] = {}
    last: dict[str, int] = {}
    for line, r in checked.rows.get("ownership", []):
        totals[r["firm"]] = totals.get(r["firm"], 0.0) + r["share"]
        last[r["firm"]] = line
    for firm, total in totals.items():
        if total > 1 + 1e-9:
            bad("ownership", last[firm], "share",
                f"shares in firm {firm!r} add up to {total:.4f}; expected at most 1")
