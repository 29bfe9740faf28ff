"""`loader mrio` on small files written in the layout of the releases people download now.

Each fixture writes a few countries and industries with the real file names, headers,
index columns, separators and zip structure; its docstring says where the layout comes
from. Expected tables are computed here with numpy from the same generated numbers
(China's and Mexico's split rows added by hand, x = (I - A)^-1 y solved separately through
pymrio's calc functions), never by the reader under test.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pymrio
import pytest

from loader.mrio.read import MrioInputError, read_mrio
from loader.reference import industries as ri
from tests.support.mrio_reference import checksum

REPO = Path(__file__).resolve().parent.parent


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "loader", "mrio", *map(str, args)], cwd=REPO,
                          env=dict(os.environ), capture_output=True, text=True, timeout=300)


# ---------------------------------------------------------------- OECD ICIO

def icio_matrix(regions, codes, fd, *, first_cell, below, total, seed):
    """An ICIO csv text and the numbers it holds: sectors rows/cols, final demand, rows below, a total column."""
    rng = np.random.default_rng(seed)
    labels = [f"{r}_{c}" for r in regions for c in codes]
    n = len(labels)
    z = np.round(rng.uniform(0, 50, (n, n)), 3)
    y = np.round(rng.uniform(20, 200, (n, len(regions) * len(fd))), 3)
    x = z.sum(axis=1) + y.sum(axis=1)
    tls = np.round(rng.uniform(0, 2, n), 3)
    va = x - z.sum(axis=0) - tls
    fd_labels = [f"{r}_{f}" for r in regions for f in fd]
    header = [first_cell] + labels + fd_labels + [total]
    lines = [",".join(header)]
    for i, lab in enumerate(labels):
        lines.append(",".join([lab] + [repr(float(v)) for v in (*z[i], *y[i], x[i])]))
    extra = {"TAXSUB": tls, "VA": va, "VALU": va, "TLS": tls, "OUT": x, "OUTPUT": x}
    for name in below:
        vals = extra[name.split("_")[-1]] if name.endswith("_TAXSUB") else extra[name]
        if name.endswith("_TAXSUB"):
            vals = np.where([lab.startswith(name[:3]) for lab in labels], tls, 0.0)
        lines.append(",".join([name] + [repr(float(v)) for v in vals] + ["0"] * len(fd_labels) + ["0"]))
    return "\n".join(lines) + "\n", labels, z, y, x, fd_labels


def merged(labels, z, y, x, fd_labels, split):
    """Expected Z, Y, x after adding split regions (CN1 -> CHN ...) into their country, by numpy."""
    def key(lab):
        r, c = lab.split("_", 1)
        return split.get(r, r), c
    keys = list(dict.fromkeys(key(l) for l in labels))
    rows = np.array([keys.index(key(l)) for l in labels])
    S = np.zeros((len(keys), len(labels)))
    S[rows, np.arange(len(labels))] = 1
    fd_keys = list(dict.fromkeys(key(l) for l in fd_labels))
    F = np.zeros((len(fd_labels), len(fd_keys)))
    F[np.arange(len(fd_labels)), [fd_keys.index(key(l)) for l in fd_labels]] = 1
    return keys, S @ z @ S.T, S @ y @ F, S @ x, fd_keys


def check(t, keys, Z, Y, x, fd_keys):
    assert list(t.Z.index) == keys and list(t.Z.columns) == keys
    assert list(t.Y.columns) == fd_keys
    np.testing.assert_allclose(t.Z.to_numpy(), Z, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(t.Y.to_numpy(), Y, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(t.x.to_numpy(), x, rtol=1e-12, atol=1e-9)


FD_2018 = ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "P33")
FD_2021 = ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR")


def test_oecd_2018_file_names_give_the_year_and_mexico_is_summed(tmp_path):
    """ICIO 2018 release: ``ICIO2018_2010.zip`` holding ``ICIO2018_2010.CSV`` (upper-case extension).

    Layout from pymrio's own mock of this release (IndEcol/pymrio tests/mock_mrios/oecd_mock/
    ICIO2018_2010.CSV) and the exvatools extractor: empty first header cell, 36 industries coded
    ``01T03``, final demand HFCE, NPISH, GGFC, GFCF, INVNT, P33 per country, rows
    ``<ISO3>_TAXSUB``, ``VALU``, ``OUTPUT``, a ``TOTAL`` column; Mexico split into MEX and MX1 rows.
    """
    regions, codes = ["AUS", "MEX", "MX1", "ROW"], ["01T03", "26", "29"]
    text, labels, z, y, x, fdl = icio_matrix(regions, codes, FD_2018, first_cell="", total="TOTAL", seed=1,
                                             below=["AUS_TAXSUB", "MEX_TAXSUB", "ROW_TAXSUB", "VALU", "OUTPUT"])
    with zipfile.ZipFile(tmp_path / "ICIO2018_2010.zip", "w", zipfile.ZIP_DEFLATED) as zz:
        zz.writestr("ICIO2018_2010.CSV", text)
    (tmp_path / "ICIO2018_2010.CSV").write_text(text)
    expected = merged(labels, z, y, x, fdl, {"MX1": "MEX"})
    for path in (tmp_path / "ICIO2018_2010.zip", tmp_path / "ICIO2018_2010.CSV"):
        t = read_mrio(path, "oecd")                     # no --year: 2010 comes from the name
        assert (t.year, t.classification, t.source) == (2010, "ICIO36", "oecd-icio-2018")
        check(t, *expected)
        assert t.regions == ["AUS", "MEX", "ROW"]


def test_oecd_2021_bundle_needs_a_year_and_reads_it(tmp_path):
    """ICIO 2021 release: five-year bundles ``ICIO_2015-2018.zip`` holding ``ICIO2021_2015.csv`` ...

    Bundle and member names from the exvatools extractor (extract_icio2021) and pymrio's
    download_oecd; 45 industries ``D01T02`` (icio45.csv), final demand with DPABR, rows
    ``<ISO3>_TAXSUB``, ``VALU``, ``OUTPUT``, column ``TOTAL``; China split into CN1 and CN2.
    """
    regions, codes = ["CHN", "CN1", "CN2", "KOR"], ["D01T02", "D26", "D62T63"]
    texts = {}
    with zipfile.ZipFile(tmp_path / "ICIO_2015-2018.zip", "w") as zz:
        for year in (2015, 2016):
            texts[year] = icio_matrix(regions, codes, FD_2021, first_cell="", total="TOTAL", seed=year,
                                      below=["CHN_TAXSUB", "KOR_TAXSUB", "VALU", "OUTPUT"])
            zz.writestr(f"ICIO2021_{year}.csv", texts[year][0])
    with pytest.raises(MrioInputError, match="holds 2 tables .*pass --year"):
        read_mrio(tmp_path / "ICIO_2015-2018.zip", "oecd")
    t = read_mrio(tmp_path / "ICIO_2015-2018.zip", "oecd", year=2016)
    assert (t.year, t.classification, t.source) == (2016, "ICIO45", "oecd-icio-2021")
    _, labels, z, y, x, fdl = texts[2016]
    check(t, *merged(labels, z, y, x, fdl, {"CN1": "CHN", "CN2": "CHN"}))
    # the folder pymrio's download_oecd leaves holds the bundle; --year finds the bundle covering it
    assert read_mrio(tmp_path, "oecd", year=2015).year == 2015


def icio2023(tmp_path, seed=3):
    regions, codes = ["CHN", "KOR", "ROW"], ["A01_02", "C26", "J62_63", "K"]
    return icio_matrix(regions, codes, FD_2021, first_cell="V1", total="OUT", seed=seed,
                       below=["TLS", "VA", "OUT"])


def test_oecd_2023_release_layout_in_all_three_shapes(tmp_path):
    """ICIO 2023 release: bundles such as ``ICIO-2016-2020-extended.zip`` holding ``2016_SML.csv``.

    pymrio's download_oecd (v2023) saves the bundle under that name and renames the members to
    ``ICIO2023_2016.csv``. The csv's first header cell is ``V1``; 45 industries ``A01_02`` ... ``T``
    (icio2023.csv); rows after the industries ``TLS``, ``VA``, ``OUT``; last column ``OUT`` (layout
    as read by published parsers of the 2023 and 2025 editions, e.g. code keyed on V1/TLS/VA/OUT).
    """
    text, labels, z, y, x, fdl = icio2023(tmp_path)
    with zipfile.ZipFile(tmp_path / "ICIO-2016-2020-extended.zip", "w") as zz:
        zz.writestr("2016_SML.csv", text)
        zz.writestr("2017_SML.csv", icio2023(tmp_path, seed=4)[0])
    (tmp_path / "pymrio").mkdir()
    (tmp_path / "pymrio" / "ICIO2023_2016.csv").write_text(text)
    expected = merged(labels, z, y, x, fdl, {})
    for path, year in ((tmp_path / "ICIO-2016-2020-extended.zip", 2016), (tmp_path / "pymrio", 2016),
                       (tmp_path / "pymrio" / "ICIO2023_2016.csv", None)):
        t = read_mrio(path, "oecd", year=year)
        assert (t.year, t.classification, t.source, t.units) == (
            2016, "ICIO2023", "oecd-icio-2023", "million US dollars, current prices")
        check(t, *expected)


OECD_BAD = {
    "unknown_row": (lambda s: s.replace("\nTLS,", "\nXYZ,"), "row 'XYZ' is neither"),
    "unknown_column": (lambda s: s.replace("KOR_GFCF", "KOR_SPENDING"), "column 'KOR_SPENDING' is neither"),
    "text_cell": (lambda s: s.replace("\nKOR_C26,", "\nKOR_C26,n/a,", 1).replace("n/a,", "n/a", 1),
                  "row 'KOR_C26', column"),
    "no_sectors": (lambda s: s.replace("_", "-"), "no country-industry rows"),
}


@pytest.mark.parametrize("case", sorted(OECD_BAD))
def test_bad_oecd_file_names_file_and_line_and_writes_nothing(empty_db, tmp_path, case):
    text = icio2023(tmp_path)[0]
    good = tmp_path / "ICIO2023_2016.csv"
    good.write_text(text)
    assert _cli(good, "--format", "oecd", "--quiet").returncode == 0
    before = checksum(empty_db)
    spoil, expected = OECD_BAD[case]
    bad = tmp_path / "bad" / "ICIO2023_2016.csv"
    bad.parent.mkdir()
    bad.write_text(spoil(text))
    r = _cli(bad, "--format", "oecd", "--quiet")
    assert r.returncode == 1 and expected in r.stderr and str(bad) in r.stderr, r.stderr
    assert checksum(empty_db) == before


def test_oecd_2023_sectors_reach_isic4_through_the_reference_concordance(empty_db, tmp_path):
    from loader.reference.load import load_reference

    load_reference(progress=False)
    (tmp_path / "ICIO2023_2016.csv").write_text(icio2023(tmp_path)[0])
    r = _cli(tmp_path / "ICIO2023_2016.csv", "--format", "oecd", "--quiet")
    assert r.returncode == 0, r.stderr
    rows = empty_db.execute_query(
        "MATCH (s:Sector)-[:IN_INDUSTRY]->(i:Industry) OPTIONAL MATCH (d:Industry {classification: 'ISIC4'})"
        "-[m:MAPS_TO]->(i) RETURN s.key AS s, i.key AS i, collect(d.code) AS divisions",
        database_="neo4j").records
    got = {r["s"]: (r["i"], sorted(r["divisions"])) for r in rows}
    assert got["KOR|K"] == ("ICIO2023|K", ["K64", "K65", "K66"])
    assert got["CHN|J62_63"] == ("ICIO2023|J62_63", ["J62", "J63"])
    assert len(got) == 12 and all(d for _, d in got.values())


# ---------------------------------------------------------------- WIOD 2016

def wiod2016_workbook(path: Path, year: int, countries, codes, seed=5):
    """Write WIOT<year>_Nov16_ROW in the 2016 release's sheet layout (as .xlsx: see the test)."""
    rng = np.random.default_rng(seed)
    n = len(countries) * len(codes)
    fd = ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"]
    z = np.round(rng.uniform(0, 30, (n, n)), 2)
    y = np.round(rng.uniform(10, 90, (n, len(countries) * len(fd))), 2)
    x = z.sum(axis=1) + y.sum(axis=1)
    width = 4 + n + len(y[0]) + 1
    rows = [[None] * width for _ in range(6)]
    rows[0][0], rows[1][0] = f"World Input-Output Table {year}", "(millions of US$)"
    col = 4
    for c in countries:
        for k, code in enumerate(codes):
            rows[2][col], rows[3][col], rows[4][col], rows[5][col] = code, f"industry {code}", c, f"c{k + 1}"
            col += 1
    for c in countries:
        for k, f in enumerate(fd):
            rows[2][col], rows[3][col], rows[4][col], rows[5][col] = f, f"final use {f}", c, f"c{57 + k}"
            col += 1
    rows[2][col], rows[4][col], rows[5][col] = "GO", "TOT", "GO"
    i = 0
    for c in countries:
        for code in codes:
            rows.append([code, f"industry {code}", c, f"r{i + 1}", *z[i], *y[i], x[i]])
            i += 1
    va = x - z.sum(axis=0)
    for name, vals in (("II_fob", z.sum(axis=0)), ("TXSP", np.zeros(n)), ("EXP_adj", np.zeros(n)),
                       ("PURR", np.zeros(n)), ("PURNR", np.zeros(n)), ("VA", va), ("IntTTM", np.zeros(n)), ("GO", x)):
        rows.append([name, name, "TOT", f"r{i + 1}", *vals] + [None] * (len(y[0]) + 1))
        i += 1
    with pd.ExcelWriter(path, engine="openpyxl") as w:
        pd.DataFrame(rows).to_excel(w, sheet_name=str(year), header=False, index=False)
    return z, y, x, fd


def test_wiod_2016_workbook_in_the_release_zip(tmp_path):
    """WIOD 2016 release: ``WIOTS_in_EXCEL.zip`` holding ``WIOT2014_Nov16_ROW.xlsb``, sheet ``2014``.

    Layout from published readers of these files (a MATLAB script reading range E7:CYJ2478 of sheet
    2014 with gross output in data row 2472, a Python one reading the sheet with pyxlsb and
    header=None from row 7, the exvatools R extractor's row/column names): six header rows, four
    label columns (code, description, country, r-number), 56 industries (wiod56.csv), five final-
    demand columns per country, rows II_fob ... VA, IntTTM, GO below, a total column. No package
    here can write .xlsb, so the fixture is the same sheet saved as .xlsx under the release's
    name stem; the reader picks pandas' pyxlsb engine for .xlsb and openpyxl for .xlsx.
    """
    countries, codes = ["AUS", "ROW"], ["A01", "C10-C12", "C26", "R_S"]
    book = tmp_path / "WIOT2014_Nov16_ROW.xlsx"
    z, y, x, fd = wiod2016_workbook(book, 2014, countries, codes)
    with zipfile.ZipFile(tmp_path / "WIOTS_in_EXCEL.zip", "w") as zz:
        zz.write(book, "WIOT2014_Nov16_ROW.xlsx")
        zz.writestr("WIOT2013_Nov16_ROW.xlsx", book.read_bytes())
    t = read_mrio(tmp_path / "WIOTS_in_EXCEL.zip", "wiod2016", year=2014)
    assert (t.year, t.classification, t.source) == (2014, "WIOD56", "wiod-2016-release")
    assert list(t.Z.index) == [(c, k) for c in countries for k in codes]
    assert list(t.Y.columns) == [(c, f) for c in countries for f in fd]
    np.testing.assert_array_equal(t.Z.to_numpy(), z)
    np.testing.assert_array_equal(t.Y.to_numpy(), y)
    np.testing.assert_allclose(t.x.to_numpy(), x, rtol=1e-12)
    assert read_mrio(book, "wiod2016").year == 2014          # the workbook itself, year from its name
    assert {c for c in codes} <= {r["code"] for r in ri.wiod56()}


def test_wiod_2016_bad_cell_and_missing_year(tmp_path):
    book = tmp_path / "WIOT2014_Nov16_ROW.xlsx"
    wiod2016_workbook(book, 2014, ["AUS"], ["A01", "B"])
    sheet = pd.read_excel(book, header=None)
    sheet.iat[7, 5] = "n.a."
    with pd.ExcelWriter(book, engine="openpyxl") as w:
        sheet.to_excel(w, sheet_name="2014", header=False, index=False)
    with pytest.raises(MrioInputError, match=r"WIOT2014_Nov16_ROW.xlsx sheet 2014: line 8, column 6: 'n.a.' is not a number"):
        read_mrio(book, "wiod2016")
    with zipfile.ZipFile(tmp_path / "WIOTS_in_EXCEL.zip", "w") as zz:
        zz.writestr("WIOT2013_Nov16_ROW.xlsx", b"x")
        zz.writestr("WIOT2014_Nov16_ROW.xlsx", b"x")
    with pytest.raises(MrioInputError, match="several WIOT workbook.*pass --year"):
        read_mrio(tmp_path / "WIOTS_in_EXCEL.zip", "wiod2016")


# ---------------------------------------------------------------- EXIOBASE 3

def exiobase_zip(path: Path, regions=("AU", "KR", "WA"), n_sectors=3, seed=7, with_A=True):
    """An EXIOBASE 3 release zip as on Zenodo: ``IOT_2009_pxp.zip`` with folder ``IOT_2009_pxp/``.

    The release files are written by pymrio's save (EXIOBASE's own pipeline), so the folder is
    pymrio's text format: file_parameters.json (systemtype IOSystem), A.txt and Y.txt with two
    index columns and two header rows (region, sector / region, category), unit.txt,
    metadata.json, plus satellite/ with its own file_parameters.json. It ships A and Y, not Z.
    Product names are the real ones (pymrio's exio3_pxp/sectors.tsv), regions EXIOBASE's codes.
    """
    rng = np.random.default_rng(seed)
    names = [r["code"] for r in ri.exio3("pxp")][:n_sectors]
    idx = pd.MultiIndex.from_tuples([(r, s) for r in regions for s in names], names=["region", "sector"])
    n = len(idx)
    # rounded so that the text files hold the numbers exactly
    A = pd.DataFrame(np.round(rng.uniform(0, 0.6 / n, (n, n)), 6), index=idx, columns=idx)
    fd = ["Final consumption expenditure by households", "Gross fixed capital formation"]
    Y = pd.DataFrame(np.round(rng.uniform(1, 100, (n, len(regions) * 2)), 2), index=idx,
                     columns=pd.MultiIndex.from_tuples([(r, f) for r in regions for f in fd],
                                                       names=["region", "category"]))
    io = pymrio.IOSystem(A=A, Y=Y, unit=pd.DataFrame("M.EUR", index=idx, columns=["unit"]),
                         name="EXIOBASE_3_mock")
    sat_F = pd.DataFrame(rng.uniform(0, 1, (2, n)), index=pd.Index(["CO2", "CH4"], name="stressor"), columns=idx)
    io.satellite = pymrio.Extension(name="satellite", F=sat_F)
    folder = path.parent / "build" / "IOT_2009_pxp"
    io.save_all(folder)
    if not with_A:
        (folder / "A.txt").unlink()
        params = json.loads((folder / "file_parameters.json").read_text())
        del params["files"]["A"]
        (folder / "file_parameters.json").write_text(json.dumps(params))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zz:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zz.write(p, "IOT_2009_pxp/" + p.relative_to(folder).as_posix())
    return A, Y


def test_exiobase_release_zip_reads_with_z_and_x_from_a_and_y(tmp_path):
    zpath = tmp_path / "IOT_2009_pxp.zip"
    A, Y = exiobase_zip(zpath)
    with zipfile.ZipFile(zpath) as zz:
        assert "IOT_2009_pxp/A.txt" in zz.namelist() and "IOT_2009_pxp/Z.txt" not in zz.namelist()
    t = read_mrio(zpath, "exiobase")                    # no --year: 2009 from IOT_2009_pxp.zip
    assert (t.year, t.classification, t.source) == (2009, "EXIO3P", "exiobase-3")
    assert t.regions == ["AUS", "KOR", "WA"]
    assert t.region_names == {"WA": "RoW Asia and Pacific"}
    assert t.units == "million euros, current prices" and "Stadler" in t.citation
    # independent route: pymrio's own calc functions on the A and Y we wrote
    x_ref = pymrio.calc_x_from_L(pymrio.calc_L(A), Y.sum(axis=1)).iloc[:, 0].to_numpy()
    Z_ref = pymrio.calc_Z(A, x_ref).to_numpy()
    np.testing.assert_allclose(t.x.to_numpy(), x_ref, rtol=1e-10)
    np.testing.assert_allclose(t.Z.to_numpy(), Z_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(t.Y.to_numpy(), Y.to_numpy(), rtol=1e-12)
    # the identity the table must satisfy: x = Z 1 + Y 1
    np.testing.assert_allclose(t.Z.sum(axis=1) + t.Y.sum(axis=1), t.x, rtol=1e-10)


def test_exiobase_loads_with_iso3_countries_and_rest_of_world_regions(empty_db, tmp_path):
    zpath = tmp_path / "IOT_2009_pxp.zip"
    exiobase_zip(zpath)
    r = _cli(zpath, "--format", "exiobase", "--quiet")
    assert r.returncode == 0, r.stderr
    keys = {rec["k"] for rec in empty_db.execute_query(
        "MATCH (s:Sector)-[:LOCATED_IN]->(c:Country) RETURN DISTINCT c.key AS k", database_="neo4j").records}
    assert keys == {"AUS", "KOR", "WA"}
    n = empty_db.execute_query("MATCH (:Sector)-[r:SUPPLIES {year: 2009}]->(:Sector) RETURN count(r) AS n",
                               database_="neo4j").records[0]["n"]
    assert n == 81


EXIO_BAD = {
    "no_A": (dict(with_A=False), "lists no A (expected A.txt"),
    "foreign_region": (dict(regions=("AU", "XX")), "region code(s) XX are not EXIOBASE 3 regions"),
}


@pytest.mark.parametrize("case", sorted(EXIO_BAD))
def test_bad_exiobase_zip_is_refused_naming_the_file(empty_db, tmp_path, case):
    kwargs, expected = EXIO_BAD[case]
    zpath = tmp_path / "IOT_2009_pxp.zip"
    exiobase_zip(zpath, **kwargs)
    before = checksum(empty_db)
    r = _cli(zpath, "--format", "exiobase", "--quiet")
    assert r.returncode == 1 and expected in r.stderr and "IOT_2009_pxp.zip" in r.stderr, r.stderr
    assert checksum(empty_db) == before
    (tmp_path / "not.zip").write_text("hello")
    with pytest.raises(MrioInputError, match="not a zip archive"):
        read_mrio(tmp_path / "not.zip", "exiobase", year=2009)


# ---------------------------------------------------------------- classifications

def test_region_codes_map_to_iso3():
    from loader.mrio.exiobase import region_key

    assert [region_key(c) for c in ("AU", "KR", "GR", "GB", "US", "WM", "WWF", "KOR", "XX")] == \
        ["AUS", "KOR", "GRC", "GBR", "USA", "WM", "WF", "KOR", None]


@pytest.mark.parametrize("cls", ["ICIO36", "ICIO2023", "WIOD56", "EXIO3", "EXIO3P"])
def test_every_isic4_division_shares_add_to_one(cls):
    shares: dict[str, float] = {}
    targets = set()
    for d, t, w in ri.release_concordance():
        if t.startswith(cls + "|"):
            shares[d] = shares.get(d, 0.0) + w
            targets.add(t)
    codes = {"ICIO36": ri.icio36, "ICIO2023": ri.icio2023, "WIOD56": ri.wiod56,
             "EXIO3": lambda: ri.exio3("ixi"), "EXIO3P": lambda: ri.exio3("pxp")}[cls]()
    assert targets == {r["key"] for r in codes}          # every industry receives at least one division
    assert all(abs(s - 1) < 1e-12 for s in shares.values())
    missing = {r["key"] for r in ri.isic4() if r["level"] == "division"} - set(shares)
    # extraterritorial bodies (99) are outside ICIO; EXIOBASE has no industry for households'
    # own-use production (ISIC 98, NACE Rev.1.1 96/97); WIOD56 covers every division
    expected = {"ICIO36": {"ISIC4|U99"}, "ICIO2023": {"ISIC4|U99"}, "WIOD56": set(),
                "EXIO3": {"ISIC4|T98"}, "EXIO3P": {"ISIC4|T98"}}[cls]
    assert missing == expected


def test_oecd_2016_discrepancy_column_stays_domestic(tmp_path):
    """ICIO 2016 release: final demand named ``HFCE_AUS`` (category first) and one ``DISC``
    column of statistical discrepancies for all countries (pymrio's parse_oecd notes both).
    The discrepancy must keep x = Z 1 + Y 1 and must not count as exports."""
    from iomath.basic import exports

    regions, codes = ["AUS", "KOR", "ROW"], ["C01T05", "C26"]
    rng = np.random.default_rng(5)
    labels = [f"{r}_{c}" for r in regions for c in codes]
    n = len(labels)
    z = np.round(rng.uniform(0, 50, (n, n)), 3)
    fd_labels = [f"{f}_{r}" for r in regions for f in ("HFCE", "GFCF")]
    y = np.round(rng.uniform(20, 200, (n, len(fd_labels))), 3)
    disc = np.round(rng.uniform(-3, 3, n), 3)
    x = z.sum(axis=1) + y.sum(axis=1) + disc
    lines = [",".join([""] + labels + fd_labels + ["DISC", "TOTAL"])]
    for i, lab in enumerate(labels):
        lines.append(",".join([lab] + [repr(float(v)) for v in (*z[i], *y[i], disc[i], x[i])]))
    lines.append(",".join(["OUT"] + [repr(float(v)) for v in x] + ["0"] * (len(fd_labels) + 2)))
    path = tmp_path / "ICIO2016_2011.csv"
    path.write_text("\n".join(lines) + "\n")
    t = read_mrio(path, "oecd")
    assert t.year == 2011
    Y = t.Y.to_numpy()
    np.testing.assert_allclose(t.Z.to_numpy().sum(axis=1) + Y.sum(axis=1), x, rtol=1e-12)
    assert set(t.Y.columns.get_level_values(0)) == set(regions)          # no pseudo-region
    row_country = np.array([lab.split("_")[0] for lab in labels])
    # exports by hand: Z and final demand (without DISC) in columns of other countries
    col_country = np.array([lab.split("_")[1] for lab in fd_labels])
    by_hand = (z * (row_country[:, None] != row_country[None, :])).sum(axis=1) + \
        (y * (row_country[:, None] != col_country[None, :])).sum(axis=1)
    e = exports(t.Z.to_numpy(), Y, row_country, row_country, t.Y.columns.get_level_values(0).to_numpy())
    np.testing.assert_allclose(e, by_hand, rtol=1e-12)
