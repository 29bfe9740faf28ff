"""The Dataset ``loading`` mark, worked out purely from what is stored and what the load writes.

While a batched load runs, every Dataset it writes carries

* ``loading``: a datetime, set before the first batch;
* ``loading_years``: the years (list of ints) whose records of that dataset may be
  incomplete; empty when the load writes no yearly record (SectorYear, SUPPLIES,
  EXPORTS, INVESTS_IN, PERFORMS).

A load that recomputes the firm supply shares a/b of links another dataset stored
marks that dataset too, with the years concerned. The mark is removed when the load has
written everything. A load that stops half-way leaves it; the next load of the same
dataset completes the data (loads write by difference) and removes the years it covers.
Years of an earlier, unfinished load that the new load does not cover stay marked.
Atomic loads set no mark (nothing is visible before their commit) but remove the stale
years they cover, like a batched rerun.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
    since: str               # the stored ``loading``, as text
    years: tuple[int, ...]   # the stored ``loading_years``


def during(stale: dict[str, Mark], own: dict[str, set[int]], other: dict[str, set[int]]) -> list[dict]:
    """Rows {"key", "since", "years"} to set before the first batch (since None: now)."""
    out = []
    for key, years in [*own.items(), *other.items()]:
        old = stale.get(key)
        out.append({"key": key, "since": None,
                    "years": sorted(set(years) | set(old.years if old else ()))})
    return out


def after(stale: dict[str, Mark], own: dict[str, set[int]], other: dict[str, set[int]]) -> tuple[list[dict], list[dict]]:
    """(rows {"key", "since", "years"} that stay marked, keys whose mark goes) once the load has written everything.

    An own dataset's stale years are done when the load covers them (a yearless stale mark:
    whatever the rerun wrote is complete). Another dataset's stale mark is left as it was.
    """
    keep, clear = [], []
    for key, years in own.items():
        old = stale.get(key)
        rest = sorted(set(old.years) - set(years)) if old and old.years else []
        if rest:
            keep.append({"key": key, "since": old.since, "years": rest})
        else:
            clear.append(key)
    for key in other:
        if key in own:
            continue
        old = stale.get(key)
        if old:
            keep.append({"key": key, "since": old.since, "years": list(old.years)})
        else:
            clear.append(key)
    return keep, clear


def notes(stale: dict[str, Mark], own: dict[str, set[int]]) -> list[str]:
    """What the summary says about earlier loads that had not finished."""
    out = []
    for key in sorted(own):
        old = stale.get(key)
        if old is None:
            continue
        rest = sorted(set(old.years) - own[key]) if old.years else []
        if not rest:
            out.append(f"{key}: an earlier batched load started {old.since} had not finished; this run completed it")
        else:
            out.append(f"{key}: an earlier batched load started {old.since} had not finished years {list(old.years)}; "
                       f"this load covers {sorted(own[key])}, so {rest} stay marked `loading` until that load "
                       "runs again")
    return out
