"""What a load touches, worked out from its rows alone (pure): its datasets, the years of
each, the years of firm supply links, and the lock keys that follow from them.

Lock keys name the resources two loads must not write at the same time:

* ``dataset:<key>``: every Dataset the load writes (its records and its ``loading`` mark);
* ``firm-supplies:<year>``: every year of Firm->Firm SUPPLIES links, whose shares a and b
  are computed over all links of the year, whichever load wrote them.

A replaced slice (``replace``) must belong to a dataset of the load, so ``dataset:<key>``
covers it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from loader.graph.rows import GraphRows, RelRows

FIRM_SUPPLIES = ("SUPPLIES", "Firm", "Firm")


def is_firm_supplies(rr: RelRows) -> bool:
    return (rr.type, rr.from_label, rr.to_label) == FIRM_SUPPLIES


@dataclass
class LoadScope:
    datasets: list[str]
    years: dict[str, set[int]] = field(default_factory=dict)   # dataset key -> years of its yearly records
    firm_years: list[int] = field(default_factory=list)

    def lock_keys(self) -> list[str]:
        return sorted([f"dataset:{k}" for k in self.datasets] + [f"firm-supplies:{y}" for y in self.firm_years])


def _add(years: dict[str, set[int]], datasets: list[str], source, year) -> None:
    if year is None:
        return
    # a yearly record without a source tag: count it for every dataset of the load
    for key in ([source] if source in years else datasets):
        years[key].add(int(year))


def load_scope(graph: GraphRows) -> LoadScope:
    datasets = sorted({r["key"] for r in graph.nodes["Dataset"].rows}) if "Dataset" in graph.nodes else []
    scope = LoadScope(datasets=datasets, years={k: set() for k in datasets})
    for nr in graph.nodes.values():
        if "year" in nr.common:     # yearly nodes (SectorYear) carry their year as a common property
            sources = {(nr.common.get("source"),)} if "source" in nr.common else \
                {(r["props"].get("source"),) for r in nr.rows} | _held(nr, "source")
            for (source,) in sources:
                _add(scope.years, datasets, source, nr.common["year"])
        _check_slice_owner(nr.label, nr.common, nr.replace, datasets)
    for rr in graph.rels.values():
        _check_slice_owner(rr.name, rr.common, rr.replace, datasets)
        if "year" not in rr.identity:
            continue
        if "year" in rr.common:
            pairs = {(rr.common.get("source"), rr.common["year"])} if "source" in rr.common else \
                {(r["props"].get("source"), rr.common["year"]) for r in rr.rows} | \
                {(source, rr.common["year"]) for (source,) in _held(rr, "source")}
        else:
            source = rr.common.get("source")
            pairs = {(source if source is not None else r["props"].get("source"), r["id"]["year"]) for r in rr.rows}
            pairs |= {(source if source is not None else held, year) for year, held in _held(rr, "year", "source")}
        for source, year in pairs:
            _add(scope.years, datasets, source, year)
        if is_firm_supplies(rr):
            if rr.common:
                # their shares are updated on links of other loads too, which must not get this load's common props
                raise ValueError(f"{rr.name}: firm supply rows carry every property themselves (common={rr.common})")
            scope.firm_years = sorted({year for _, year in pairs})
    return scope


def _held(rows, *names: str) -> set[tuple]:
    """The distinct values of ``names`` over the column-held rows (a name no column holds is None)."""
    cols = rows.columns
    if cols is None:
        return set()
    have = [n for n in names if n in cols.order]
    got = cols.distinct(*have)
    return {tuple(dict(zip(have, g)).get(n) for n in names) for g in got}


def _check_slice_owner(name: str, common: dict, replace: tuple[str, ...], datasets: list[str]) -> None:
    if replace and common.get("source") not in datasets:
        raise ValueError(f"{name}: a replaced slice must belong to a Dataset of the load "
                         f"(source {common.get('source')!r}; the load writes {datasets})")
