"""The Dataset ``loading`` mark, worked out purely from what is stored and what the load writes.

While a batched load runs, every Dataset it writes carries

* ``loading``: a datetime, set before the first batch;
* ``loading_years``: the years (list of ints) whose records of that dataset may be
  incomplete; empty when the load writes no yearly record (SectorYear, SUPPLIES,
  EXPORTS, INVESTS_IN, PERFORMS).

Firm supply shares a/b are computed over every link of a year, whichever dataset stored
it: a load that changes the shares of links another dataset stored marks that dataset
too, with the years concerned, and notes them in ``loading_share_years`` (the loader's
own bookkeeping, a subset of ``loading_years``). Any later load that writes firm supply
links of such a year recomputes every share of it, so it removes those years.

The mark goes when the load has written everything. A load that stops half-way leaves
it; the next load of the same dataset completes the data (loads write by difference)
and removes the years it covers; years of the dead load it does not cover stay marked.
Atomic loads set no mark (nothing is visible before their commit) but remove stale
years exactly as a batched load would.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
    since: str                       # the stored ``loading``, as text
    years: tuple[int, ...] = ()      # the stored ``loading_years``
    shares: tuple[int, ...] = ()     # the stored ``loading_share_years``

    @property
    def own(self) -> set[int]:
        """Years marked by an unfinished load of this dataset itself."""
        return set(self.years) - set(self.shares)


def _row(key: str, since, own: set[int], shares: set[int]) -> dict:
    # a year both unfinished by the dataset's own load and share-marked counts as its own: it stays
    # marked until that load runs again (which recomputes the year's shares if it has firm links in it)
    shares = shares - own
    return {"key": key, "since": since, "years": sorted(own | shares), "shares": sorted(shares)}


def during(stale: dict[str, Mark], own: dict[str, set[int]], other: dict[str, set[int]]) -> tuple[list, list]:
    """(rows for the load's own datasets, rows for the others) to set before the first batch (since None: now)."""
    mine = []
    for key, years in own.items():
        old = stale.get(key)
        mine.append(_row(key, None, set(years) | (old.own if old else set()), set(old.shares) if old else set()))
    theirs = []
    for key, years in other.items():
        old = stale.get(key)
        theirs.append(_row(key, None, old.own if old else set(), set(years) | set(old.shares if old else ())))
    return mine, theirs


def after(stale: dict[str, Mark], own: dict[str, set[int]], other: dict[str, set[int]],
          firm_years: set[int]) -> tuple[list[dict], list[str]]:
    """(rows that stay marked, keys whose mark goes) once the load has written everything.

    ``other``: datasets whose links' shares the load changed, or that carry share years among
    ``firm_years`` (all shares of those years are right now). An own dataset's stale years are
    done when the load covers them (a yearless stale mark: whatever the rerun wrote is complete).
    """
    keep, clear = [], []
    for key, years in own.items():
        old = stale.get(key)
        rest = (old.own - set(years)) if old and old.years else set()
        shares = (set(old.shares) - set(firm_years)) if old else set()
        if rest or shares:
            keep.append(_row(key, old.since, rest, shares))
        else:
            clear.append(key)
    for key in other:
        if key in own:
            continue
        old = stale.get(key)
        shares = set(old.shares) - set(firm_years) if old else set()
        if old and (old.own or shares or not old.years):
            # its own unfinished load (with years, or yearless) stays marked
            keep.append(_row(key, old.since, old.own, shares))
        else:
            clear.append(key)
    return keep, clear


def notes(stale: dict[str, Mark], own: dict[str, set[int]]) -> list[str]:
    """What the summary says about earlier loads of the load's datasets that had not finished."""
    out = []
    for key in sorted(own):
        old = stale.get(key)
        if old is None or (old.years and not old.own):
            continue
        rest = sorted(old.own - own[key]) if old.years else []
        if not rest:
            out.append(f"{key}: an earlier batched load started {old.since} had not finished; this run completed it")
        else:
            out.append(f"{key}: an earlier batched load started {old.since} had not finished years "
                       f"{sorted(old.own)}; this load covers {sorted(own[key])}, so {rest} stay marked `loading` "
                       "until that load runs again")
    return out
