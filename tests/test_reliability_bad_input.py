"""Property-based bad input: hypothesis breaks valid loader input in many ways, one at a time.

Two generators, one per loader:

- table folders (``loader tables``): wrong types, missing and extra columns, unknown codes,
  duplicate keys, dangling references, blank required cells, NaN/inf, negative amounts,
  out-of-range values (shares > 1, impossible years, stakes adding up to more than the
  firm), wrong encodings (Latin-1, UTF-16), truncated files, empty and header-only files,
  stray files and broken quoting;
- MRIO folders (``loader mrio``, pymrio format): wrong shapes (missing/extra rows and
  columns, short x), NaN/inf, text and blank cells, negative gross output, duplicate or
  unusable sector names, truncated, empty and re-encoded files, missing files and a broken
  parameter file.

Every malformed input must raise the loader's own error naming the file (and the line and
column where the format has them), and the database fingerprint (counts and sums of every
numeric property per label and relationship type, plus hashes of the text values, from
``tests.support.tables_checksum``) must be exactly what it was before. Validation happens before any
write, so each example costs a read of the files plus a few lookups.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from loader.mrio.read import MrioInputError
from loader.tables.load import load_tables
from loader.tables.problems import TablesError
from loader.tables.spec import SPECS
from tests.support import reliability_mrio as tiny
from tests.support.reliability_db import wipe_all
from tests.support.tables_checksum import checksum
from tests.support.tables_fixture import VALID, write_folder

pytestmark = [pytest.mark.slow, pytest.mark.long]

BASE_SOURCE = "reliability-base"
# every kind of breakage gets its own property test; 23 x 8 + 20 x 3 = 244 (a little fewer where a kind has fewer variants)
TABLE_EXAMPLES_PER_KIND = 8
MRIO_EXAMPLES_PER_KIND = 3
SEEN: Counter = Counter()  # kind -> examples run, checked by the last test


@pytest.fixture(scope="module")
def base(driver, schema_applied, settings):
    """A database holding a valid table folder and a valid MRIO year; its fingerprint."""
    wipe_all(driver)
    with tempfile.TemporaryDirectory() as tmp:
        load_tables(write_folder(Path(tmp) / "valid"), source=BASE_SOURCE, settings=settings, progress=False)
        tiny.read_and_load(tiny.TinyMrio().write(Path(tmp) / "mrio"), settings)
    return checksum(driver)


# ------------------------------------------------------------------ table folders

def _parse(stem: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(VALID[stem])))
    return rows[0], rows[1:]


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


@dataclass
class Broken:
    kind: str
    overrides: dict = field(default_factory=dict)  # file name or stem -> text | bytes | None
    file: str = ""  # where the error must point
    line: int | None = None
    column: str | None = None


def _cols(kind: str) -> list[tuple[str, str]]:
    """(stem, column) pairs of one sort across all files."""
    out = []
    for stem, spec in SPECS.items():
        for c in spec.columns:
            if kind == "number" and c.type in ("int", "float") \
                    or kind == "int" and c.type == "int" \
                    or kind == "amount" and c.type == "float" and c.min == 0 and c.max is None \
                    or kind == "float" and c.type == "float" \
                    or kind == "share" and c.max == 1 \
                    or kind == "year" and c.unit == "year" \
                    or kind == "ref" and c.ref in ("country", "region", "industry", "firm", "person") \
                    or kind == "choice" and c.choices \
                    or kind == "required" and c.required:
                out.append((stem, c.name))
    return out


def _cell(draw, kind: str, value_strategy, *, name: str) -> Broken:
    stem, col = draw(st.sampled_from(_cols(kind)))
    header, rows = _parse(stem)
    i = draw(st.integers(0, len(rows) - 1))
    rows[i][header.index(col)] = draw(value_strategy(stem, col))
    return Broken(name, {stem: _csv(header, rows)}, f"{stem}.csv", i + 2, col)


_NOT_A_NUMBER = st.one_of(
    st.sampled_from(["abc", "12a", "1,5", "ten", "0x10", "1.2.3", "--5", "True", "[1]", "NULL", "1 000", "€5"]),
    st.text(alphabet="abcdefghjklmopqrstuvwxyz", min_size=1, max_size=8),
)


def _unknown_ref(stem: str, col: str):
    ref = next(c.ref for c in SPECS[stem].columns if c.name == col)
    if ref == "country":
        return st.from_regex(r"\AQ[A-Z]{2}\Z").filter(lambda v: pycountry.countries.get(alpha_3=v) is None)
    if ref == "region":
        return st.from_regex(r"\AZZ-[0-9]{1,4}\Z")
    if ref == "industry":
        return st.sampled_from(["ISIC4|", "WIOD35|", "NOPE|", ""]).flatmap(
            lambda p: st.from_regex(r"\A[Z][0-9]{2,3}\Z").map(lambda c: p + c))
    return st.from_regex(r"\Amissing-[0-9]{1,6}\Z")  # firm, person


TABLE_KINDS = [
    "wrong type", "int with a fraction", "missing column", "extra column", "repeated column",
    "unknown code", "unknown choice", "duplicate key", "dangling reference", "blank required cell",
    "NaN/inf", "negative amount", "share above 1", "impossible year", "stakes above 100%",
    "latin-1 encoding", "utf-16 encoding", "truncated file", "empty file", "header only",
    "stray file", "broken quoting", "short row"]


@st.composite
def broken_tables(draw, kind: str) -> Broken:
    if kind == "wrong type":
        return _cell(draw, "number", lambda s, c: _NOT_A_NUMBER, name=kind)
    if kind == "int with a fraction":
        return _cell(draw, "int", lambda s, c: st.sampled_from(["1.5", "2e3", "1969.0001", "-0.5"]), name=kind)
    if kind == "unknown code":
        return _cell(draw, "ref", _unknown_ref, name=kind)
    if kind == "unknown choice":
        return _cell(draw, "choice", lambda s, c: st.from_regex(r"\Anot_[a-z]{1,6}\Z"), name=kind)
    if kind == "blank required cell":
        return _cell(draw, "required", lambda s, c: st.sampled_from(["", "   "]), name=kind)
    if kind == "NaN/inf":
        return _cell(draw, "float", lambda s, c: st.sampled_from(
            ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1e999"]), name=kind)
    if kind == "negative amount":
        return _cell(draw, "amount", lambda s, c: st.floats(1e-6, 1e15).map(lambda v: repr(-v)), name=kind)
    if kind == "share above 1":
        return _cell(draw, "share", lambda s, c: st.floats(1.0001, 1e6).map(repr), name=kind)
    if kind == "impossible year":
        return _cell(draw, "year", lambda s, c: st.one_of(st.integers(-10**6, 1799), st.integers(2101, 10**6))
                     .map(str), name=kind)
    if kind in ("missing column", "extra column", "repeated column"):
        stem = draw(st.sampled_from(sorted(SPECS)))
        header, rows = _parse(stem)
        if kind == "missing column":
            j = draw(st.integers(0, len(header) - 1))
            col = header[j]
            header, rows = header[:j] + header[j + 1:], [r[:j] + r[j + 1:] for r in rows]
        elif kind == "extra column":
            col = draw(st.from_regex(r"\A[a-z_]{1,12}\Z").filter(lambda c: c not in SPECS[stem].names))
            header, rows = header + [col], [r + [draw(st.sampled_from(["1", "x", ""]))] for r in rows]
        else:
            j = draw(st.integers(0, len(header) - 1))
            col = header[j]
            header, rows = header + [col], [r + [r[j]] for r in rows]
        return Broken(kind, {stem: _csv(header, rows)}, f"{stem}.csv", 1, col)
    if kind == "duplicate key":
        stem = draw(st.sampled_from(sorted(SPECS)))
        header, rows = _parse(stem)
        i = draw(st.integers(0, len(rows) - 1))
        rows.append(list(rows[i]))
        return Broken(kind, {stem: _csv(header, rows)}, f"{stem}.csv", len(rows) + 1, ",".join(SPECS[stem].key))
    if kind == "dangling reference":
        # a new relationship row naming a firm or person that no file and not the database defines
        ghost = draw(st.from_regex(r"\Aghost-[0-9]{1,5}\Z"))
        stem, row, col = draw(st.sampled_from([
            ("firm_supply", ["F1", ghost, "2020", "10", "parts"], "buyer"),
            ("firm_supply", [ghost, "F3", "2021", "10", "parts"], "supplier"),
            ("employment", [ghost, "F1", "founder", "1990"], "person"),
            ("employment", ["P2", ghost, "executive", "2001"], "firm"),
            ("ownership", [ghost, "person", "F4", "0.1"], "owner"),
            ("ownership", ["F1", "firm", ghost, "0.5"], "firm"),
            ("investments", ["F1", ghost, "firm", "2020", "1", "market", "greenfield"], "target"),
            ("investments", [ghost, "F4", "firm", "2020", "1", "market", "greenfield"], "investor"),
            ("gvc_stages", [ghost, "rnd", "2020", "5"], "firm")]))
        header, rows = _parse(stem)
        rows.append(row)
        return Broken(kind, {stem: _csv(header, rows)}, f"{stem}.csv", len(rows) + 1, col)
    if kind == "stakes above 100%":
        header, rows = _parse("ownership")
        share = draw(st.floats(0.81, 1.0))  # P1 already holds 0.2 of F1
        rows.append(["F3", "firm", "F1", repr(share)])
        return Broken(kind, {"ownership": _csv(header, rows)}, "ownership.csv", len(rows) + 1, "share")
    if kind in ("latin-1 encoding", "utf-16 encoding"):
        stem = draw(st.sampled_from(["firms", "persons", "regions", "industries"]))
        header, rows = _parse(stem)
        i = draw(st.integers(0, len(rows) - 1))
        rows[i][header.index("name")] = draw(st.sampled_from(["Société Générale", "Größe GmbH", "Ñandú SA",
                                                              "Açaí Ltda", "Café Øresund"]))
        text = _csv(header, rows)
        if kind == "latin-1 encoding":
            data = text.encode("latin-1")
            line = data[:next(k for k, b in enumerate(data) if b >= 0x80)].count(b"\n") + 1
            return Broken(kind, {stem: data}, f"{stem}.csv", line)
        return Broken(kind, {stem: text.encode("utf-16")}, f"{stem}.csv", 1)
    if kind in ("truncated file", "short row"):
        stem = draw(st.sampled_from(sorted(SPECS)))
        header, rows = _parse(stem)
        i = draw(st.integers(0, len(rows) - 1))
        line_text = ",".join(rows[i])
        # cut before the row's last comma: the row loses at least one field
        cut = draw(st.integers(1, line_text.rindex(",")))
        if kind == "truncated file":
            head = _csv(header, rows[:i])
            return Broken(kind, {stem: head + line_text[:cut]}, f"{stem}.csv", i + 2)
        rows[i] = line_text[:cut].split(",")
        return Broken(kind, {stem: _csv(header, rows)}, f"{stem}.csv", i + 2)
    if kind == "empty file":
        stem = draw(st.sampled_from(sorted(SPECS)))
        return Broken(kind, {stem: draw(st.sampled_from([b"", b"\n", b"   \n\n", b"\xef\xbb\xbf"]))}, f"{stem}.csv")
    if kind == "header only":
        stem = draw(st.sampled_from(sorted(SPECS)))
        header, _ = _parse(stem)
        return Broken(kind, {stem: _csv(header, [])}, f"{stem}.csv")
    if kind == "stray file":
        name = draw(st.sampled_from(["firms.txt", "firms.xlsx", "notes.csv", "Firms.csv", "firm.csv"]))
        return Broken(kind, {name: "key,name\nF9,Stray\n"}, name)
    # broken quoting: an opening quote that never closes
    stem = draw(st.sampled_from(sorted(SPECS)))
    header, rows = _parse(stem)
    i = draw(st.integers(0, len(rows) - 1))
    text = _csv(header, rows[:i]) + '"' + ",".join(rows[i]) + "\n" + "".join(_csv(header, rows[i + 1:]).splitlines(True)[1:])
    return Broken("broken quoting", {stem: text}, f"{stem}.csv")


def _points_at(problems, b: Broken) -> bool:
    for p in problems:
        if p.file != b.file:
            continue
        if b.line is not None and p.line != b.line:
            continue
        if b.column is not None and p.column != b.column:
            continue
        if p.message.strip():
            return True
    return False


@pytest.mark.parametrize("kind", TABLE_KINDS)
@hsettings(max_examples=TABLE_EXAMPLES_PER_KIND, deadline=None, derandomize=True, database=None,
           suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                  HealthCheck.filter_too_much])
@given(data=st.data())
def test_malformed_table_folder_is_refused_and_changes_nothing(base, driver, settings, kind, data):
    b = data.draw(broken_tables(kind))
    SEEN["tables: " + b.kind] += 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_folder(Path(tmp) / "input", b.overrides)
        with pytest.raises(TablesError) as info:
            load_tables(folder, source=BASE_SOURCE, settings=settings, progress=False)
    problems = info.value.problems
    assert _points_at(problems, b), (b.kind, b.file, b.line, b.column, [str(p) for p in problems])
    assert "nothing was written" in str(info.value)
    assert checksum(driver) == base


# ------------------------------------------------------------------ MRIO folders

@dataclass
class BrokenMrio:
    kind: str
    table: tiny.TinyMrio
    file: str  # the file (or folder, for whole-system parse failures) the message must name


MRIO_KINDS = [
    "Z missing a row", "Z missing a column", "Z extra column", "Y missing a row", "x too short",
    "x too long", "NaN/inf cell", "text cell", "blank cell", "negative gross output", "duplicate sector",
    "separator in a name", "empty name", "truncated file", "empty file", "utf-16 file", "latin-1 file",
    "missing file", "broken parameter file", "no parameter file"]


@st.composite
def broken_mrio(draw, kind: str) -> BrokenMrio:
    t = tiny.TinyMrio()
    n = len(t.rows)
    i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
    matrix = draw(st.sampled_from(["Z", "Y", "x"]))
    file = f"{matrix}.txt"
    if kind == "Z missing a row":
        t.rows.pop(i), t.Z.pop(i), t.Y.pop(i)
        file = "Z.txt"
    elif kind == "Z missing a column":
        t.z_cols.pop(j)
        for r in t.Z:
            r.pop(j)
        file = "Z.txt"
    elif kind == "Z extra column":
        t.z_cols.append(("CHN", draw(st.sampled_from(tiny.SECTORS))))
        for r in t.Z:
            r.append("1.0")
        file = "Z.txt"
    elif kind == "Y missing a row":
        t.Y.pop(i)  # written against the first n - 1 row labels
        file = "Y.txt"
    elif kind == "x too short":
        t.x.pop(i), t.x_rows.pop(i)
        file = "x.txt"
    elif kind == "x too long":
        t.x.append("5.0"), t.x_rows.append(("CHN", "Services"))
        file = "x.txt"
    elif kind in ("NaN/inf cell", "text cell", "blank cell"):
        value = {"NaN/inf cell": st.sampled_from(["nan", "NaN", "inf", "-inf", "1e999"]),
                 "text cell": st.sampled_from(["abc", "1,5", "n/a", "--", "12x"]),
                 "blank cell": st.just("")}[kind]
        v = draw(value)
        if matrix == "Z":
            t.Z[i][j] = v
        elif matrix == "Y":
            t.Y[i][j % len(t.y_cols)] = v
        else:
            t.x[i] = v
    elif kind == "negative gross output":
        t.x[i] = repr(-draw(st.floats(1e-3, 1e12)))
        file = "x.txt"
    elif kind == "duplicate sector":
        k = (i + 1) % n
        t.rows[k] = t.rows[i]
        file = "Z.txt"
    elif kind in ("separator in a name", "empty name"):
        r, s = t.rows[i]
        name = draw(st.sampled_from(["Man|uf", "|", "A|B|C"])) if kind == "separator in a name" else " "
        t.rows[i] = (name, s) if draw(st.booleans()) else (r, name)
        file = "Z.txt"
    elif kind == "truncated file":
        lines = t.texts()[file].splitlines(True)
        # cut anywhere from the first data line to just before the last one: at least one row is lost
        start = len("".join(lines[:3 if matrix != "x" else 1]).encode())
        last = len("".join(lines[:-1]).encode())
        t.raw[file] = t.texts()[file].encode()[:draw(st.integers(start, last - 1))]
    elif kind == "empty file":
        t.raw[file] = draw(st.sampled_from([b"", b"\n"]))
    elif kind == "utf-16 file":
        t.raw[file] = t.texts()[file].encode("utf-16")
    elif kind == "latin-1 file":
        t.rows[i] = (t.rows[i][0], "Ménage")
        t.x_rows[i] = t.rows[i]
        t.raw["Z.txt"] = t.texts()["Z.txt"].encode("latin-1")
        file = "Z.txt"
    elif kind == "missing file":
        t.raw[file] = None
    elif kind == "broken parameter file":
        t.params = draw(st.sampled_from(['{"files": ', "[]", '{"nofiles": {}}', "null", "{'files': 1}"]))
        file = "file_parameters.json"
    else:
        t.raw["file_parameters.json"] = None
        file = "file_parameters.json"
    return BrokenMrio(kind, t, file)


@pytest.mark.parametrize("kind", MRIO_KINDS)
@hsettings(max_examples=MRIO_EXAMPLES_PER_KIND, deadline=None, derandomize=True, database=None,
           suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_malformed_mrio_folder_is_refused_and_changes_nothing(base, driver, settings, kind, data):
    b = data.draw(broken_mrio(kind))
    SEEN["mrio: " + b.kind] += 1
    tmp = Path(tempfile.mkdtemp(prefix="gvn-mrio-"))
    try:
        folder = b.table.write(tmp / "mrio")
        with pytest.raises(MrioInputError) as info:
            tiny.read_and_load(folder, settings)
        text = str(info.value)
        named = str(folder / b.file) if b.file else str(folder)
        assert any(named in p for p in info.value.problems), (b.kind, named, info.value.problems)
        # besides the path, the message says what is wrong or what was expected
        assert re.search(r"expected|must|missing|cannot be read|not a pymrio", text), text
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert checksum(driver) == base


# ------------------------------------------------------------------ the generators are honest

def test_valid_inputs_pass_and_the_fingerprint_sees_a_change(base, driver, settings):
    """The unbroken inputs load (the breakage, not the fixture, causes the errors above), a changed
    value changes the fingerprint, and loading the original again restores it exactly."""
    with tempfile.TemporaryDirectory() as tmp:
        header, rows = _parse("firms")
        rows[1][header.index("output")] = "2200"
        load_tables(write_folder(Path(tmp) / "changed", {"firms": _csv(header, rows)}), source=BASE_SOURCE,
                    settings=settings, progress=False)
        assert checksum(driver) != base
        load_tables(write_folder(Path(tmp) / "valid"), source=BASE_SOURCE, settings=settings, progress=False)
        t = tiny.TinyMrio()
        t.Z[0][1] = "2.5"
        tiny.read_and_load(t.write(Path(tmp) / "mrio-changed"), settings)
        assert checksum(driver) != base
        tiny.read_and_load(tiny.TinyMrio().write(Path(tmp) / "mrio"), settings)
    assert checksum(driver) == base


def test_at_least_200_malformed_inputs_of_every_kind_were_tried():
    if not SEEN:
        pytest.skip("run together with the two property tests above")
    total = sum(SEEN.values())
    assert total >= 200, SEEN
    # every kind the generators know came up at least once
    assert len([k for k in SEEN if k.startswith("tables: ")]) == 23, sorted(SEEN)
    assert len([k for k in SEEN if k.startswith("mrio: ")]) == 20, sorted(SEEN)
    from tests.conftest import OUTPUT_DIR

    (OUTPUT_DIR / "reliability-bad-input.txt").write_text(
        f"{total} malformed inputs\n" + "\n".join(f"{v:4d}  {k}" for k, v in sorted(SEEN.items())) + "\n")
