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
