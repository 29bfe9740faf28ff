"""Download real MRIO tables with pymrio's download functions, optionally from a mirror.

pymrio keeps the download addresses in module-level dictionaries
(``OECD_CONFIG``, ``WIOD_CONFIG``). A mirror (``--mirror URL`` or
``GVN_MRIO_MIRROR``) points them at another server for the duration of one
download: an institute's copy, a proxy, or the loopback server of the tests.
The mirror holds the files under the names pymrio saves them as, e.g.
``ICIO2016_1995.zip`` or ``ICIO-1995-2000-extended.zip`` for the OECD and
``database/wiots13`` (the index page) plus the ``protected3/...`` paths it
links to for WIOD.
"""
from __future__ import annotations

import contextlib
import copy
import os
import zipfile
from pathlib import Path

MIRROR_ENV = "GVN_MRIO_MIRROR"


class FetchError(RuntimeError):
    pass


def _oecd_local_name(version: str, bundle: str) -> str:
    """The file name pymrio's download_oecd saves a year/bundle as (see pymrio.tools.iodownloader)."""
    if version == "v2023":
        return f"ICIO-{bundle}-extended.zip"
    return f"ICIO{version.lstrip('v')}_{bundle}.zip"


@contextlib.contextmanager
def _pointed_at(mirror: str | None):
    """Temporarily rewrite pymrio's download addresses to `mirror`; restore them afterwards."""
    from pymrio.tools import iodownloader as dl

    saved = copy.deepcopy(dl.OECD_CONFIG), copy.deepcopy(dl.WIOD_CONFIG)
    try:
        if mirror:
            base = mirror.rstrip("/") + "/"
            for version, files in dl.OECD_CONFIG["datafiles"].items():
                for bundle in files:
                    files[bundle] = base + _oecd_local_name(version, bundle)
            dl.WIOD_CONFIG["url_db_view"] = base + "database/wiots13"
            dl.WIOD_CONFIG["url_db_content"] = base
            dl.WIOD_CONFIG["satellite_urls"] = [base + u.split("wiod.org/", 1)[-1]
                                                for u in saved[1]["satellite_urls"]]
        yield dl
    finally:
        dl.OECD_CONFIG.clear(), dl.OECD_CONFIG.update(saved[0])
        dl.WIOD_CONFIG.clear(), dl.WIOD_CONFIG.update(saved[1])


def _mirror(mirror: str | None) -> str | None:
    return mirror or os.environ.get(MIRROR_ENV) or None


def fetch_oecd(folder: Path, years: list[int] | None, version: str = "v2023", mirror: str | None = None):
    """Download OECD ICIO tables into `folder` (pymrio.download_oecd); returns pymrio's download log."""
    with _pointed_at(_mirror(mirror)) as dl:
        try:
            log = dl.download_oecd(str(folder), version=version, years=years or None)
        except (ValueError, zipfile.BadZipFile) as exc:
            raise FetchError(f"OECD ICIO {version}, years {years}: {exc} (an error page instead of the "
                             "archive? check the address)") from exc
    # pymrio saves whatever the server answers, error pages included: keep only real archives
    for path in Path(folder).glob("ICIO*.zip"):
        if not zipfile.is_zipfile(path):
            head = path.read_bytes()[:80]
            path.unlink()
            raise FetchError(f"{path.name}: not a zip archive (the server answered {head!r}...)")
    return log


def fetch_wiod(folder: Path, years: list[int] | None, mirror: str | None = None, satellites: bool = False):
    """Download WIOD 2013 tables into `folder` (pymrio.download_wiod2013).

    The satellite accounts (energy, emissions, ... several hundred MB) are only
    fetched with ``satellites=True``; the loader needs the IO tables alone.
    """
    with _pointed_at(_mirror(mirror)) as dl:
        sat = list(dl.WIOD_CONFIG["satellite_urls"]) if satellites else []
        log = dl.download_wiod2013(str(folder), years=years or None, satellite_urls=sat)
    got = [p for p in Path(folder).iterdir() if p.name.startswith("wiot")]
    if not got:
        raise FetchError(f"WIOD: no wiotYY table found at {_mirror(mirror) or 'www.wiod.org'} for years {years}")
    return log


# ---------------------------------------------------------------- WIOD 2016 and EXIOBASE 3

# The WIOD 2016 release's Excel tables, one zip of WIOT<year>_Nov16_ROW.xlsb for 2000-2014, as
# wiod.org served it (the release now lives in the University of Groningen's Dataverse,
# doi:10.34894/PJ2M1C: when this address fails, download it there or point --mirror at a copy).
WIOD2016_URL = "http://www.wiod.org/protected3/data16/wiot_ROW/WIOTS_in_EXCEL.zip"
WIOD2016_FILE = "WIOTS_in_EXCEL.zip"
EXIOBASE_DOI = "10.5281/zenodo.3583070"   # the concept DOI: Zenodo resolves it to the newest version


def _download(url: str, target: Path) -> None:
    """Stream `url` to `target` (via a temporary name, so a failed download leaves no file)."""
    import requests

    from pymrio.tools.iodownloader import HEADERS

    tmp = target.with_name(target.name + ".part")
    with requests.get(url, stream=True, headers=HEADERS, timeout=60) as r:
        if r.status_code != 200:
            raise FetchError(f"{url}: HTTP {r.status_code} (expected the file {target.name})")
        with open(tmp, "wb") as fh:
            for chunk in r.iter_content(1 << 16):
                fh.write(chunk)
    if not zipfile.is_zipfile(tmp):
        head = tmp.read_bytes()[:80]
        tmp.unlink()
        raise FetchError(f"{target.name}: not a zip archive (the server answered {head!r}...)")
    tmp.replace(target)


def fetch_wiod2016(folder: Path, mirror: str | None = None) -> Path:
    """Download the WIOD 2016 release's WIOTS_in_EXCEL.zip into `folder`; returns its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = _mirror(mirror)
    url = base.rstrip("/") + "/" + WIOD2016_FILE if base else WIOD2016_URL
    target = folder / WIOD2016_FILE
    _download(url, target)
    with zipfile.ZipFile(target) as z:
        books = [n for n in z.namelist() if n.lower().endswith((".xlsb", ".xlsx")) and "WIOT" in n]
    if not books:
        raise FetchError(f"{target}: holds no WIOT<year>_Nov16_ROW.xlsb workbook (is it the WIOD 2016 Excel zip?)")
    return target


def fetch_exiobase(folder: Path, years: list[int] | None, systems: list[str], mirror: str | None = None,
                   doi: str = EXIOBASE_DOI) -> list[Path]:
    """Download EXIOBASE 3 IOT_<year>_<pxp|ixi>.zip files into `folder`.

    Without a mirror this is pymrio.download_exiobase3 (it reads the Zenodo record of `doi`
    and downloads the matching files). A mirror holds the same file names at its root
    (``<mirror>/IOT_2009_pxp.zip``) and has no listing, so years must be given.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = _mirror(mirror)
    if base is None:
        from pymrio.tools import iodownloader as dl

        dl.download_exiobase3(str(folder), years=years or None, system=systems, doi=doi)
        got = sorted(folder.glob("IOT_*_*.zip"))
    else:
        if not years:
            raise FetchError(f"--mirror {base}: a mirror has no listing; pass --year for each table")
        got = []
        for year in years:
            for system in systems:
                target = folder / f"IOT_{year}_{system}.zip"
                _download(f"{base.rstrip('/')}/{target.name}", target)
                got.append(target)
    for path in got:
        if not zipfile.is_zipfile(path):
            raise FetchError(f"{path.name}: not a zip archive")
        with zipfile.ZipFile(path) as z:
            if not any(n.endswith("file_parameters.json") for n in z.namelist()):
                raise FetchError(f"{path.name}: no file_parameters.json inside (expected an EXIOBASE 3 release zip)")
    if not got:
        raise FetchError(f"EXIOBASE 3 ({doi}): no IOT_<year>_<pxp|ixi>.zip found for years {years}")
    return got
