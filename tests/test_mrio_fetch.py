"""`python -m loader fetch` downloads through pymrio from a mirror: here a loopback HTTP server."""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def mirror(tmp_path):
    """Serve tmp_path/site on 127.0.0.1 with the layout of the OECD and WIOD sites."""
    site = tmp_path / "site"
    site.mkdir()
    class Handler(http.server.SimpleHTTPRequestHandler):
        do_POST = http.server.SimpleHTTPRequestHandler.do_GET   # wiod.org's index page is POSTed by pymrio

        def log_message(self, *args):
            pass

    handler = functools.partial(Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _fetch(*args, env_mirror=None):
    env = dict(os.environ)
    if env_mirror:
        env["GVN_MRIO_MIRROR"] = env_mirror
    return subprocess.run([sys.executable, "-m", "loader", "fetch", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def test_fetch_oecd_v2016_from_mirror(mirror, tmp_path):
    site, url = mirror
    with zipfile.ZipFile(site / "ICIO2016_1995.zip", "w") as z:
        z.writestr("ICIO2016_1995.csv", "V1,V2\n1995,1\n")
    payload = (site / "ICIO2016_1995.zip").read_bytes()
    out = tmp_path / "oecd"
    r = _fetch("oecd-icio", str(out), "--year", "1995", "--version", "v2016", "--mirror", url)
    assert r.returncode == 0, r.stderr
    assert (out / "ICIO2016_1995.zip").read_bytes() == payload
    assert "--format oecd" in r.stdout


def test_fetch_oecd_v2023_bundle_is_unpacked(mirror, tmp_path):
    site, url = mirror
    with zipfile.ZipFile(site / "ICIO-1995-2000-extended.zip", "w") as z:
        for y in range(1995, 2001):
            z.writestr(f"{y}_SML.csv", f"V1,V2\n{y},1\n")
    out = tmp_path / "oecd23"
    r = _fetch("oecd-icio", str(out), "--year", "1997", env_mirror=url)   # mirror from the environment
    assert r.returncode == 0, r.stderr
    assert (out / "ICIO2023_1997.csv").read_text() == "V1,V2\n1997,1\n"


def test_fetch_wiod_follows_the_index_page(mirror, tmp_path):
    site, url = mirror
    (site / "database").mkdir()
    (site / "database" / "wiots13").write_text(
        '<a href="protected3/data13/wiot95_row_apr12.xlsx">1995</a>'
        '<a href="protected3/data13/wiot96_row_apr12.xlsx">1996</a>')
    (site / "protected3" / "data13").mkdir(parents=True)
    (site / "protected3" / "data13" / "wiot95_row_apr12.xlsx").write_bytes(b"xlsx 1995")
    (site / "protected3" / "data13" / "wiot96_row_apr12.xlsx").write_bytes(b"xlsx 1996")
    out = tmp_path / "wiod"
    r = _fetch("wiod", str(out), "--year", "1995", "--mirror", url)
    assert r.returncode == 0, r.stderr
    assert (out / "wiot95_row_apr12.xlsx").read_bytes() == b"xlsx 1995"
    assert not (out / "wiot96_row_apr12.xlsx").exists()


def test_fetch_reports_a_missing_file_clearly(mirror, tmp_path):
    _, url = mirror
    r = _fetch("oecd-icio", str(tmp_path / "none"), "--year", "1995", "--version", "v2016", "--mirror", url)
    # pymrio's OECD download does not check the HTTP status: the 404 page would be saved as the table,
    # so the fetch command must notice it
    assert r.returncode != 0
    assert "ICIO2016_1995.zip" in r.stderr and "not a zip" in r.stderr
    assert not (tmp_path / "none" / "ICIO2016_1995.zip").exists()


# ---------------------------------------------------------------- the releases people download now
# The served files are written in each release's real layout (tests/test_mrio_releases.py
# documents them), so a fetched file is also read back with `loader mrio`.

def test_fetch_oecd_v2018_and_read_it_without_a_year(mirror, tmp_path):
    from loader.mrio.read import read_mrio
    from tests.test_mrio_releases import icio_matrix

    site, url = mirror
    text = icio_matrix(["AUS", "ROW"], ["01T03", "26"], ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "P33"),
                       first_cell="", total="TOTAL", seed=2, below=["AUS_TAXSUB", "ROW_TAXSUB", "VALU", "OUTPUT"])[0]
    with zipfile.ZipFile(site / "ICIO2018_2010.zip", "w") as z:
        z.writestr("ICIO2018_2010.CSV", text)
    out = tmp_path / "oecd18"
    r = _fetch("oecd-icio", str(out), "--year", "2010", "--version", "v2018", "--mirror", url)
    assert r.returncode == 0, r.stderr
    t = read_mrio(out / "ICIO2018_2010.zip", "oecd")
    assert (t.year, t.classification, t.source) == (2010, "ICIO36", "oecd-icio-2018")


def test_fetch_oecd_v2021_bundle_is_unpacked_and_readable(mirror, tmp_path):
    from loader.mrio.read import read_mrio
    from tests.test_mrio_releases import icio_matrix

    site, url = mirror
    with zipfile.ZipFile(site / "ICIO2021_2015-2018.zip", "w") as z:
        for y in range(2015, 2019):
            z.writestr(f"ICIO2021_{y}.csv", icio_matrix(
                ["KOR", "ROW"], ["D01T02", "D26"], ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"),
                first_cell="", total="TOTAL", seed=y, below=["KOR_TAXSUB", "ROW_TAXSUB", "VALU", "OUTPUT"])[0])
    out = tmp_path / "oecd21"
    r = _fetch("oecd-icio", str(out), "--year", "2017", "--version", "v2021", "--mirror", url)
    assert r.returncode == 0, r.stderr
    assert (out / "ICIO2021_2017.csv").is_file()
    t = read_mrio(out, "oecd", year=2017)
    assert (t.year, t.classification, t.source) == (2017, "ICIO45", "oecd-icio-2021")


def test_fetch_wiod2016_from_mirror_and_read_it(mirror, tmp_path):
    from loader.mrio.read import read_mrio
    from tests.test_mrio_releases import wiod2016_workbook

    site, url = mirror
    book = tmp_path / "WIOT2014_Nov16_ROW.xlsx"
    wiod2016_workbook(book, 2014, ["AUS", "ROW"], ["A01", "C26"])
    with zipfile.ZipFile(site / "WIOTS_in_EXCEL.zip", "w") as z:
        z.write(book, book.name)
    out = tmp_path / "wiod16"
    r = _fetch("wiod2016", str(out), "--mirror", url)
    assert r.returncode == 0, r.stderr
    assert "--format wiod2016" in r.stdout
    t = read_mrio(out / "WIOTS_in_EXCEL.zip", "wiod2016", year=2014)
    assert (t.year, t.classification, t.Z.shape) == (2014, "WIOD56", (4, 4))


def test_fetch_wiod2016_error_page_is_refused(mirror, tmp_path):
    _, url = mirror
    r = _fetch("wiod2016", str(tmp_path / "none"), "--mirror", url)
    assert r.returncode == 1 and "HTTP 404" in r.stderr and "WIOTS_in_EXCEL.zip" in r.stderr
    assert not (tmp_path / "none" / "WIOTS_in_EXCEL.zip").exists()


def test_fetch_exiobase_from_mirror_and_read_it(mirror, tmp_path):
    from loader.mrio.read import read_mrio
    from tests.test_mrio_releases import exiobase_zip

    site, url = mirror
    exiobase_zip(site / "IOT_2009_pxp.zip")
    out = tmp_path / "exio"
    r = _fetch("exiobase", str(out), "--year", "2009", "--system", "pxp", "--mirror", url)
    assert r.returncode == 0, r.stderr
    t = read_mrio(out / "IOT_2009_pxp.zip", "exiobase")
    assert (t.year, t.classification, t.regions) == (2009, "EXIO3P", ["AUS", "KOR", "WA"])
    # a mirror has no listing: years are required; a missing file is an HTTP error, not a saved page
    r = _fetch("exiobase", str(out), "--mirror", url)
    assert r.returncode == 1 and "pass --year" in r.stderr
    r = _fetch("exiobase", str(tmp_path / "none"), "--year", "2010", "--mirror", url)
    assert r.returncode == 1 and "IOT_2010_pxp.zip" in r.stderr
    assert not (tmp_path / "none" / "IOT_2010_pxp.zip").exists()
