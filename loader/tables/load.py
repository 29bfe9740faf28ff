"""``loader tables DIR``: read -> validate everything -> write (only when there is no problem)."""
from __future__ import annotations

import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from connection import Settings, caught_up, read
from loader.tables import columns, validate as tv
from loader.reference.rows import SOURCE as REFERENCE_SOURCE, reference_graph
from loader.tables.rows import tables_graph
from loader.tables.problems import TablesError
from loader.tables.read import read_folder
from loader.graph.rows import GraphRows, dataset_rows, paused_gc
from loader.graph.summary import LoadSummary
from loader.graph.bulk import check_possible as check_bulk
from loader.graph.collect import active
from loader.graph.write import write_graph

KIND_LABEL = {"country": "Country", "region": "Region", "industry": "Industry", "firm": "Firm", "person": "Person"}


def existing_keys(refs: dict[str, set[str]], settings: Settings, bookmarks=None) -> dict[str, set[str]]:
    """Which of the referenced keys the database already holds (one query per kind); while loads are
    collected for one bulk import (``loader.graph.collect``), which of them the collected loads hold."""
    collection = active()
    if collection is not None:
        return {kind: set(keys) & collection.keys(KIND_LABEL[kind]) for kind, keys in refs.items()}
    out = {}
    for kind, keys in refs.items():
        if not keys:
            out[kind] = set()
            continue
        label = KIND_LABEL[kind]  # from a fixed table, never from input
        rows = read(f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) RETURN n.key AS key",
                          {"keys": sorted(keys)}, settings=settings, timeout_s=120, bookmarks=bookmarks)
        out[kind] = {r["key"] for r in rows}
    return out


def db_region_countries(keys: set[str], settings: Settings, bookmarks=None) -> dict[str, str]:
    collection = active()
    if collection is not None:
        props = {k: collection.props("Region", k) or {} for k in keys}
        return {k: p["country"] for k, p in props.items() if p.get("country") is not None}
    rows = read("UNWIND $keys AS k MATCH (n:Region {key: k}) WHERE n.country IS NOT NULL "
                      "RETURN n.key AS key, n.country AS country", {"keys": sorted(keys)}, settings=settings,
                bookmarks=bookmarks)
    return {r["key"]: r["country"] for r in rows}


def check_folder(folder: Path, settings: Settings, *, fast: bool = True, seen=None) -> tuple[tv.Checked, bool]:
    """Validate; returns the checked rows and whether reference data must be written first.

    The large tables (``loader.tables.columns.FAST``) are checked column-wise when they are certainly clean;
    any doubt, and the whole folder is checked again row by row (``fast=False``), which words every problem.
    Its reads carry the bookmark of the leader's newest commit (``seen``): in a cluster, a secondary that lags
    behind would otherwise call a firm loaded a moment ago unknown.
    """
    import pyarrow as pa

    if seen is None and active() is None:
        seen = caught_up(settings)

    tables, problems = read_folder(folder)
    typed_columns = {}
    if fast and not problems:
        for stem, table in tables.items():
            typed = columns.type_table(table)
            if typed is not None:
                typed_columns[stem] = typed
    checked = tv.type_rows({s: t for s, t in tables.items() if s not in typed_columns})
    checked.columns = typed_columns
    column_keys = dict(d for d in (columns.defined(s, t) for s, t in typed_columns.items()) if d)
    mine = tv.defined(checked)
    refs = tv.references(checked)
    for stem, typed in typed_columns.items():
        for kind, keys in columns.references(stem, typed, column_keys).items():
            refs[kind] |= keys
    # only what the files do not define is looked up (a million firms' own keys are not sent to the database)
    outside = {k: _minus(refs[k] - mine[k], column_keys.get(k)) for k in refs}
    in_db = existing_keys(outside, settings, seen)
    ref = reference_graph(loaded_at="")
    ref_keys = {"country": {r["key"] for r in ref.nodes["Country"].rows},
                "region": {r["key"] for r in ref.nodes["Region"].rows},
                "industry": {r["key"] for r in ref.nodes["Industry"].rows}}
    known = {k: in_db.get(k, set()) | ref_keys.get(k, set()) for k in tv.ENTITY_KINDS}
    for kind, keys in column_keys.items():
        # the row-wise checks of the other tables see the column-held tables' keys they name
        known[kind] |= refs[kind] - outside[kind]
    region_country = {r["key"]: r["props"]["country"] for r in ref.nodes["Region"].rows if r["props"].get("country")}
    region_country.update(db_region_countries(refs["region"] - mine["region"], settings, seen))
    for _, r in checked.rows.get("regions", []):
        if r["country"]:
            region_country[r["key"]] = r["country"]
    checked = tv.validate({s: t for s, t in tables.items() if s not in typed_columns}, known, region_country,
                          typed=checked)
    exists = {k: pa.concat_arrays([pa.array(sorted(known[k] | mine[k]), type=pa.string()),
                                   *([column_keys[k]] if k in column_keys else [])]) for k in tv.ENTITY_KINDS}
    if not all(columns.check_rules(s, t, exists, region_country) for s, t in typed_columns.items()):
        return check_folder(folder, settings, fast=False, seen=seen)
    problems = problems + checked.problems
    if problems:
        raise TablesError(problems)
    stages = bool(checked.rows.get("gvc_stages") or checked.rows.get("stage_assessments"))
    needs_reference = any(outside[k] - in_db[k] for k in ("country", "region", "industry")) \
        or stages and not _has_stages(settings, seen) or reference_unfinished(settings, seen)
    return checked, needs_reference


def _minus(keys: set[str], defined) -> set[str]:
    """``keys`` less those in an Arrow array of keys (None: none)."""
    if defined is None or not keys:
        return keys
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(sorted(keys), type=pa.string())
    return set(pc.filter(arr, pc.invert(pc.is_in(arr, value_set=defined))).to_pylist())


def _has_stages(settings: Settings, bookmarks=None) -> bool:
    collection = active()
    if collection is not None:
        return bool(collection.keys("Stage"))
    return bool(read("MATCH (s:Stage) RETURN s.key LIMIT 1", settings=settings, bookmarks=bookmarks))


def reference_unfinished(settings: Settings, bookmarks=None) -> bool:
    """An interrupted batched load wrote part of the reference data: write it again with this load."""
    if active() is not None:
        return False   # collected loads set no loading mark
    return bool(read("MATCH (d:Dataset {key: $k}) WHERE d['loading'] IS NOT NULL RETURN d.key",
                           {"k": REFERENCE_SOURCE}, settings=settings, bookmarks=bookmarks))


def load_tables(folder: Path, *, source: str | None = None, synthetic: bool = False, description: str = "",
                settings: Settings | None = None, progress: bool = True, commit: str = "auto",
                bulk: bool | None = None, verify: bool = False) -> LoadSummary:
    """``bulk``: see ``loader.graph.bulk`` (True: neo4j-admin import or a refusal before validating;
    None: bulk when the database is empty on the local server and the load is large). ``verify``: see
    ``loader.graph.write.write_graph``."""
    settings = settings or Settings.from_env()
    folder = Path(folder)
    if bulk:
        check_bulk(settings)
    source = source or f"tables:{folder.resolve().name}"
    say = _stage_printer(progress)
    say(f"reading and validating {folder} ...")
    started = time.perf_counter()
    checked, needs_reference = check_folder(folder, settings)
    validated = time.perf_counter()
    n_valid = sum(len(r) for r in checked.rows.values()) + sum(t.num_rows for t in checked.columns.values())
    say(f"{n_valid:,} rows valid ({validated - started:.1f} s); building graph rows ...")
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with paused_gc():   # after validation, whose pandas frames are gone by now
        own = GraphRows()
        own.node_rows("Dataset").rows += dataset_rows(source, source, synthetic,
                                                      description or f"tables loaded from {folder.name}", now).rows
        own.extend(tables_graph(checked.rows, source, checked.columns))
        del checked  # the typed rows are in `own` now; a million-firm folder needs the memory back
        # the files may name reference codes the database lacks: write the reference data with the load; the
        # next load of the folder brings only its own rows, which this one records as held too
        graph = reference_graph(loaded_at=now).extend(own) if needs_reference else own
        built = time.perf_counter()
        say(f"reading the database and writing {graph.total_rows():,} rows ...")
        summary = write_graph(graph, settings, progress=progress, commit=commit,
                              description=f"loading {folder.name}", bulk=bulk, verify=verify,
                              holds=(own,) if needs_reference else ())
    summary.stage("build rows", built - validated, first=True)
    summary.stage("read and validate", validated - started, first=True)
    return summary


def _stage_printer(progress: bool):
    """Stage lines on stderr, so a long validation is not a silent wait (the write has its progress bar)."""
    def say(text: str) -> None:
        if progress:
            print(text, file=sys.stderr, flush=True)
    return say
