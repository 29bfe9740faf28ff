"""Where a module's numbers come from (Dataset, year, units), and the half-written data it leaves out.

Every module reads one or more *bases*: a kind of record (``BASES``) tagged with the Dataset that
wrote it (``source``) and, for yearly records, a ``year``. ``resolve`` decides which (source, year)
pairs of a basis a module reads, by one rule for all modules:

- default: ONE dataset and ONE year, the latest year of real data (``Dataset.synthetic`` false). When
  no real dataset holds records of the kind, the latest year of the others; the provenance then lists
  the dataset as synthetic (or unlabelled: records without a Dataset node). Several real datasets
  holding that year: the first key is read and a note names the others.
- ``source = KEY``: that dataset (its latest year unless ``year`` is given); ``source = '*'``: every
  dataset, for modules whose rows say which dataset they come from.
- ``year = Y``: that year (with ``source`` empty: the dataset holding Y, real ones first);
  ``all_years``: every year of the chosen dataset(s); rows then carry their year.
- Loads in progress: a batched load marks its Dataset with ``loading`` (a datetime) and
  ``loading_years`` (the years it writes). Those (source, year) pairs are skipped; a mark without
  ``loading_years`` skips the whole dataset, and records without a year (firms, stakes) of a dataset
  under load are skipped too, since a batched load may have written only some of them. What was
  skipped, and why, ends up in ``df.attrs["excluded"]``.

The runner (``queries.runner``) gives each run a ``Provenance`` collector (``tx.provenance``);
``resolve`` records the scopes it chose, modules add units and notes, and ``finish`` turns it into
``df.attrs["provenance"]``: the datasets read (key, name, synthetic, years), the years, the units of
the money columns, and notes on how defaults were chosen.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from queries import listing
from queries.errors import ParameterError
from schema.listings import KEPT, pairs_cypher
from schema.model import check_label, check_rel_type

ALL_SOURCES = "*"

_SECTOR, _SECTOR_YEAR, _DATASET = map(check_label, ("Sector", "SectorYear", "Dataset"))
_SUPPLIES = check_rel_type("SUPPLIES")


@dataclass(frozen=True)
class Basis:
    name: str
    what: str  # what the records are, for messages and the provenance
    pattern: str  # Cypher pattern binding the records to ``var``
    var: str
    yearly: bool = True
    listing: str | None = None  # a cheaper Cypher for the (source, year) pairs than scanning every record
    kept: str | None = None  # the writer's stored listing of these records (schema.listings, queries.listing)

    @property
    def pairs(self) -> str:
        """Cypher returning the distinct (source, year) of the records: columns source, year."""
        return self.listing or pairs_cypher(self.pattern, self.var, self.yearly)

    @property
    def exists(self) -> str:
        """Cypher: does ($source, $year) hold a record? Stops at the first one instead of listing all."""
        year = f" AND {self.var}.year = $year" if self.yearly else ""
        return f"MATCH {self.pattern} WHERE coalesce({self.var}.source, '') = $source{year} RETURN 1 AS found LIMIT 1"


# Every MRIO load writes a SectorYear per sector and year: listing tables through them reads a few thousand
# nodes instead of every flow (1.3 s for WIOD 1995's 267,000). Sectors without accounts (flows written
# some other way) are listed from their flows.
_SECTOR_TABLES = f"""
MATCH (y:{_SECTOR_YEAR}) RETURN DISTINCT coalesce(y.source, '') AS source, y.year AS year
UNION
MATCH (s:{_SECTOR}) WHERE NOT EXISTS {{ (s)-[:{check_rel_type('HAS_YEAR')}]->() }}
MATCH (s)-[r:{_SUPPLIES}]->(:{_SECTOR})
RETURN DISTINCT coalesce(r.source, '') AS source, r.year AS year
"""

def _kept(name: str, what: str) -> Basis:
    """A basis whose listing the writer keeps (``schema.listings``): its records are that listing's."""
    k = KEPT[name]
    return Basis(name, what, k.pattern, k.var, yearly=k.yearly, kept=name)


BASES: dict[str, Basis] = {b.name: b for b in [
    Basis("sector_table", "input-output table accounts (SectorYear)", f"(y:{_SECTOR_YEAR})", "y"),
    Basis("sector_flows", "input-output flows between sectors (SUPPLIES)", f"(:{_SECTOR})-[r:{_SUPPLIES}]->(:{_SECTOR})",
          "r", listing=_SECTOR_TABLES),
    _kept("firm_flows", "firm-to-firm supply links (SUPPLIES)"),
    _kept("fdi_projects", "firm-level FDI projects (INVESTS_IN)"),
    _kept("fdi_statistics", "country-level FDI statistics (FDI_STATISTIC)"),
    _kept("trade", "bilateral trade flows (EXPORTS)"),
    _kept("gvc_stages", "GVC stages firms perform (PERFORMS)"),
    _kept("firms", "firms (Firm records: size, output, foreign share, location)"),
    _kept("ownership", "equity stakes (OWNS)"),
]}


def node_flows(label: str) -> Basis:
    """The SUPPLIES links of one Sector or Firm (``$node``): what path modules start from."""
    label = check_label(label)
    return Basis(f"{label.lower()}_flows", f"{label.lower()} supply links (SUPPLIES) of the start node",
                 f"(:{label} {{key: $node}})-[r:{_SUPPLIES}]-(:{label})", "r")


# ---------------------------------------------------------------- loads in progress

LOADING_MARKS = (f"MATCH (d:{_DATASET}) WHERE d['loading'] IS NOT NULL "
                 "RETURN d.key AS key, toString(d['loading']) AS since, d['loading_years'] AS years ORDER BY key")


@dataclass(frozen=True)
class LoadingMark:
    dataset: str
    since: str
    years: tuple[int, ...] | None  # None: the mark names no years, so nothing of the dataset is read

    def covers(self, year: int | None) -> bool:
        # records without a year may be half-written whatever years the load writes
        return self.years is None or year is None or year in self.years


def loading_marks(tx) -> list[LoadingMark]:
    return [LoadingMark(r["key"], r["since"], None if r["years"] is None else tuple(int(y) for y in r["years"]))
            for r in tx.run(LOADING_MARKS)]


# ---------------------------------------------------------------- scopes

@dataclass
class Scope:
    """The (source, year) pairs of one basis a module reads (year None: records without a year)."""
    basis: Basis
    pairs: list[tuple[str, int | None]]

    @property
    def sources(self) -> list[str]:
        return sorted({s for s, _ in self.pairs})

    @property
    def years(self) -> list[int]:
        return sorted({y for _, y in self.pairs if y is not None})

    @property
    def source(self) -> str | None:
        return self.sources[0] if len(self.sources) == 1 else None

    @property
    def year(self) -> int | None:
        return self.years[0] if len(self.years) == 1 else None

    def params(self, prefix: str = "scope") -> dict[str, Any]:
        return {f"{prefix}_pairs": [[s, y] for s, y in self.pairs], f"{prefix}_sources": self.sources,
                f"{prefix}_years": self.years, f"{prefix}_source": self.source, f"{prefix}_year": self.year}


@dataclass
class Provenance:
    """What one run read; filled by ``resolve`` and the module, rendered by ``finish``."""
    marks: list[LoadingMark] = field(default_factory=list)
    scopes: list[Scope] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)
    # datasets a module saw outside any scope (e.g. the links of one firm), source -> years
    seen: dict[str, set] = field(default_factory=dict)
    _excluded: dict[str, dict] = field(default_factory=dict)

    def mark_of(self, source: str) -> LoadingMark | None:
        return next((m for m in self.marks if m.dataset == source), None)

    def skipped(self, source: str, year: int | None) -> bool:
        mark = self.mark_of(source)
        if mark is None or not mark.covers(year):
            return False
        entry = self._excluded.setdefault(source, {"mark": mark, "years": set(), "without_year": False})
        if year is None:
            entry["without_year"] = True
        else:
            entry["years"].add(year)
        return True

    def skip_params(self) -> dict[str, Any]:
        """Cypher parameters for records read outside a scope: ``$skip`` (source -> years under load),
        ``$loading`` (every dataset under load: skip its records without a year) and ``$loading_all``."""
        return {"skip": {m.dataset: list(m.years) for m in self.marks if m.years is not None},
                "loading": [m.dataset for m in self.marks],
                "loading_all": [m.dataset for m in self.marks if m.years is None]}

    def saw(self, source: str | None, year: int | None = None) -> None:
        self.seen.setdefault(source or "", set()).add(year)

    def excluded(self) -> list[dict[str, Any]]:
        out = []
        for source, e in sorted(self._excluded.items()):
            mark = e["mark"]
            years = sorted(e["years"])
            what = []
            if years:
                what.append(f"its records of {', '.join(map(str, years))}")
            if e["without_year"]:
                what.append("its records without a year (firms, stakes)")
            out.append({"dataset": source, "years": years, "without_year": e["without_year"],
                        "loading_since": mark.since,
                        "reason": f"Dataset {source!r} is being loaded (a batched load started {mark.since} has not "
                                  f"finished): {' and '.join(what)} were skipped, as they may be half-written"})
        return out

    def finish(self, tx, column_units: dict[str, str]) -> dict[str, Any]:
        """The provenance record: every dataset read, its years, the units of the money columns."""
        years_of: dict[str, set] = {}
        for scope in self.scopes:
            for s, y in scope.pairs:
                years_of.setdefault(s, set()).add(y)
        for s, ys in self.seen.items():
            years_of.setdefault(s, set()).update(ys)
        info = dataset_info(tx, sorted(years_of))
        datasets = []
        for key in sorted(years_of):
            d = info.get(key, {})
            datasets.append({"key": key, "name": d.get("name"), "synthetic": d.get("synthetic"),
                             "years": sorted(y for y in years_of[key] if y is not None)})
        units = {c: u for c, u in column_units.items() if is_money(u)}
        if any(s.basis.name.startswith("sector") for s in self.scopes):
            sources = sorted({src for s in self.scopes if s.basis.name.startswith("sector") for src in s.sources})
            currency = table_currency(tx, sources, info)
            units = {c: (currency if u.startswith("table currency") else u) for c, u in units.items()}
        units.update(self.units)
        return {
            "datasets": datasets,
            "years": sorted({y for d in datasets for y in d["years"]}),
            "reads": [{"what": s.basis.what, "pairs": [[src, y] for src, y in s.pairs]} for s in self.scopes],
            "units": units,
            "notes": list(self.notes),
        }


def is_money(unit: str) -> bool:
    return any(w in unit for w in ("USD", "EUR", "currency"))


def dataset_info(tx, keys: list[str]) -> dict[str, dict[str, Any]]:
    if not keys:
        return {}
    rows = tx.run(f"MATCH (d:{_DATASET}) WHERE d.key IN $keys "
                  "RETURN d.key AS key, d.name AS name, d['synthetic'] AS synthetic, d['unit'] AS unit", {"keys": keys})
    return {r["key"]: r for r in rows}


# Currency of a table by its classification when its Dataset records none (the loaders' documented units).
CLASSIFICATION_UNITS = {"WIOD35": "million USD", "EXIO3": "million EUR", "PYMRIO_TEST": "million USD"}


def table_currency(tx, sources: list[str], info: dict[str, dict[str, Any]] | None = None) -> str:
    """The money unit of the input-output tables read: the Dataset's ``unit`` if it has one, else what its
    classification's publisher uses (WIOD and OECD ICIO: million USD; EXIOBASE: million EUR). ``info``: the
    datasets' ``dataset_info`` when the caller has it already (one statement less)."""
    found = set()
    info = dataset_info(tx, [s for s in sources if info is None or s not in info]) | (info or {})
    for src in sources:
        unit = (info.get(src) or {}).get("unit")
        if unit is None:
            rows = tx.run(f"MATCH (s:{_SECTOR}) WHERE s.source = $s RETURN s.classification AS c LIMIT 1", {"s": src})
            cls = rows[0]["c"] if rows else None
            unit = CLASSIFICATION_UNITS.get(cls) or ("million USD" if cls and cls.startswith("ICIO") else None)
        found.add(unit or "table currency (the Dataset does not record it)")
    return " / ".join(sorted(found)) if found else "table currency"


def resolve(tx, basis: Basis, *, source: str = "", year: int | None = None, all_years: bool = False,
            allow_all_sources: bool = True, params: dict[str, Any] | None = None, secondary: bool = False) -> Scope:
    """Choose the (source, year) pairs of ``basis`` a module reads; see the module docstring for the rule.

    Raises ``ParameterError`` for a dataset or year that holds no records of the basis (naming those that do).
    ``secondary``: the basis is a module's second read (e.g. the firms beside the supply links): a ``source``
    that holds none of it falls back to the default choice, with a note.
    """
    prov: Provenance = tx.provenance
    if year is not None and all_years:
        raise ParameterError("give either 'year' or 'all_years', not both")
    if source == ALL_SOURCES and not allow_all_sources:
        raise ParameterError(f"parameter 'source': '*' (every dataset) is not possible here: {basis.what} of "
                             "different datasets cannot be combined; name one dataset or leave it empty")
    if source not in ("", ALL_SOURCES) and (year is not None or not basis.yearly) and not secondary:
        # both named: one look for a record instead of listing every (dataset, year)
        if tx.run(basis.exists, {**(params or {}), "source": source, "year": year}):
            pairs = [] if prov.skipped(source, year if basis.yearly else None) else \
                [(source, year if basis.yearly else None)]
            scope = Scope(basis, pairs)
            prov.scopes.append(scope)
            return scope
    found = listing.pairs(tx, basis, params)
    available = sorted({s for s, _ in found})
    if secondary and source not in ("", ALL_SOURCES) and source not in available:
        prov.notes.append(f"dataset {source!r} holds no {basis.what}: the default choice is read")
        source = ""
    if source not in ("", ALL_SOURCES) and source not in available:
        raise ParameterError(f"parameter 'source': no {basis.what} from dataset {source!r}; datasets holding them: "
                             f"{available or 'none'}")
    if year is not None and basis.yearly and year not in {y for s, y in found if source in ("", ALL_SOURCES, s)}:
        held = sorted({y for s, y in found if source in ("", ALL_SOURCES, s) and y is not None})
        where = f" of dataset {source!r}" if source not in ("", ALL_SOURCES) else ""
        raise ParameterError(f"parameter 'year': no {basis.what}{where} in {year}; years held: {held or 'none'}")
    usable = [p for p in found if not prov.skipped(*p)]
    if not usable:
        scope = Scope(basis, [])
        prov.scopes.append(scope)
        prov.notes.append(f"no {basis.what} to read" + (" (every one belongs to a load in progress)" if found else ""))
        return scope
    info = dataset_info(tx, sorted({s for s, _ in usable}))
    real = {s for s in info if info[s].get("synthetic") is False}
    picked = _pick(usable, real, source, year, all_years, basis, prov)
    scope = Scope(basis, picked)
    prov.scopes.append(scope)
    return scope


def _latest(pairs, real: set[str]) -> tuple[list, bool]:
    """The pairs of real datasets if any, else all; and whether they are real."""
    mine = [p for p in pairs if p[0] in real]
    return (mine, True) if mine else (pairs, False)


def _pick(usable, real: set[str], source: str, year, all_years: bool, basis: Basis, prov: Provenance) -> list:
    if source == ALL_SOURCES:
        if all_years or not basis.yearly:
            return usable
        if year is None:
            pool, is_real = _latest(usable, real)
            year = max(y for _, y in pool)
            prov.notes.append(f"year {year}: the latest year of {'real' if is_real else 'any (no real data)'} "
                              f"{basis.what}")
        return [p for p in usable if p[1] == year]
    if source:
        mine = [p for p in usable if p[0] == source]
        if not mine:
            return []
    else:
        pool = [p for p in usable if year is None or p[1] == year]
        pool, is_real = _latest(pool, real)
        if not pool:
            return []
        best_year = max((y for _, y in pool), default=None, key=lambda y: -1 if y is None else y)
        holders = sorted({s for s, y in pool if y == best_year})
        source = holders[0]
        how = f"the latest year of real {basis.what}" if is_real else \
            f"no real (Dataset.synthetic false) {basis.what}, so the latest of the others"
        if year is not None:
            how = f"{basis.what} of {year}" + ("" if is_real else " (no real dataset holds that year)")
        elif not basis.yearly:
            how = f"{basis.what} of a real dataset" if is_real else \
                f"no real (Dataset.synthetic false) {basis.what}, so another dataset"
        prov.notes.append(f"dataset {source!r}" + (f", year {best_year}" if basis.yearly and year is None and
                                                   not all_years else "") + f": {how}")
        if len(holders) > 1:
            prov.notes.append(f"also holding them: {holders[1:]} (not read; pass source to choose, or '*')")
        mine = [p for p in usable if p[0] == source]
    if all_years or not basis.yearly:
        return mine
    if year is None:
        year = max(y for _, y in mine)
    return [p for p in mine if p[1] == year]


def describe(attrs: dict[str, Any]) -> list[str]:
    """Plain lines saying what a result was computed from and what it left out (CLI, captions, downloads)."""
    lines = []
    prov = attrs.get("provenance") or {}
    datasets = prov.get("datasets") or []
    if datasets:
        parts = []
        for d in datasets:
            years = d.get("years") or []
            span = (str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}") if years else "no year"
            flag = " (SYNTHETIC)" if d.get("synthetic") else ""
            parts.append(f"{d.get('name') or d['key']} [{d['key']}]{flag}, {span}")
        lines.append("data: " + "; ".join(parts))
    units = prov.get("units") or {}
    if units:
        lines.append("units: " + ", ".join(f"{c} {u}" for c, u in units.items()))
    for note in prov.get("notes") or []:
        lines.append(f"note: {note}")
    for ex in attrs.get("excluded") or []:
        lines.append("left out: " + ex["reason"])
    return lines
