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
