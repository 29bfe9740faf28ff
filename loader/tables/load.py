"""``loader tables DIR``: read -> validate everything -> write (only when there is no problem)."""
from __future__ import annotations

import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from connection import Settings, read
from loader.tables import validate as tv
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


def existing_keys(refs: dict[str, set[str]], settings: Settings) -> dict[str, set[str]]:
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
                          {"keys": sorted(keys)}, settings=settings, timeout_s=120)
        out[kind] = {r["key"] for r in rows}
    return out


def db_region_countries(keys: set[str], settings: Settings) -> dict[str, str]:
    collection = active()
    if collection is not None:
        props = {k: collection.props("Region", k) or {} for k in keys}
        return {k: p["country"] for k, p in props.items() if p.get("country") is not None}
    rows = read("UNWIND $keys AS k MATCH (n:Region {key: k}) WHERE n.country IS NOT NULL "
                      "RETURN n.key AS key, n.country AS country", {"keys": sorted(keys)}, settings=settings)
    return {r["key"]: r["country"] for r in rows}


def check_folder(folder: Path, settings: Settings) -> tuple[tv.Checked, bool]:
    """Validate; returns the checked rows and whether reference data must be written first."""
    tables, problems = read_folder(folder)
    checked = tv.type_rows(tables)
    refs = tv.references(checked)
    in_db = existing_keys(refs, settings)
    ref = reference_graph(loaded_at="")
    ref_keys = {"country": {r["key"] for r in ref.nodes["Country"].rows},
                "region": {r["key"] for r in ref.nodes["Region"].rows},
                "industry": {r["key"] for r in ref.nodes["Industry"].rows}}
    known = {k: in_db.get(k, set()) | ref_keys.get(k, set()) for k in tv.ENTITY_KINDS}
    region_country = {r["key"]: r["props"]["country"] for r in ref.nodes["Region"].rows if r["props"].get("country")}
    region_country.update(db_region_countries(refs["region"], settings))
    checked = tv.validate(tables, known, region_country, typed=checked)
    problems = problems + checked.problems
    if problems:
        raise TablesError(problems)
    mine = tv.defined(checked)
    needs_reference = any(refs[k] - in_db[k] - mine[k] for k in ("country", "region", "industry")) \
        or bool(checked.rows.get("gvc_stages") or checked.rows.get("stage_assessments")) and not _has_stages(settings) \
        or reference_unfinished(settings)
    return checked, needs_reference


def _has_stages(settings: Settings) -> bool:
    collection = active()
    if collection is not None:
        return bool(collection.keys("Stage"))
    return bool(read("MATCH (s:Stage) RETURN s.key LIMIT 1", settings=settings))


def reference_unfinished(settings: Settings) -> bool:
    """An interrupted batched load wrote part of the reference data: write it again with this load."""
    if active() is not None:
        return False   # collected loads set no loading mark
    return bool(read("MATCH (d:Dataset {key: $k}) WHERE d['loading'] IS NOT NULL RETURN d.key",
                           {"k": REFERENCE_SOURCE}, settings=settings))


def load_tables(folder: Path, *, source: str | None = None, synthetic: bool = False, description: str = "",
                settings: Settings | None = None, progress: bool = True, commit: str = "auto",
                bulk: bool | None = None) -> LoadSummary:
    """``bulk``: see ``loader.graph.bulk`` (True: neo4j-admin import or a refusal before validating;
    None: bulk when the database is empty on the local server and the load is large)."""
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
    say(f"{sum(len(r) for r in checked.rows.values()):,} rows valid ({validated - started:.1f} s); building graph rows ...")
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with paused_gc():   # after validation, whose pandas frames are gone by now
        # the files may name reference codes the database lacks: write the reference data with the load
        graph = reference_graph(loaded_at=now) if needs_reference else GraphRows()
        graph.node_rows("Dataset").rows += dataset_rows(source, source, synthetic,
                                                        description or f"tables loaded from {folder.name}", now).rows
        graph.extend(tables_graph(checked.rows, source))
        del checked  # the typed rows are in `graph` now; a million-firm folder needs the memory back
        built = time.perf_counter()
        say(f"reading the database and writing {graph.total_rows():,} rows ...")
        summary = write_graph(graph, settings, progress=progress, commit=commit,
                              description=f"loading {folder.name}", bulk=bulk)
    summary.stage("build rows", built - validated, first=True)
    summary.stage("read and validate", validated - started, first=True)
    return summary


def _stage_printer(progress: bool):
    """Stage lines on stderr, so a long validation is not a silent wait (the write has its progress bar)."""
    def say(text: str) -> None:
        if progress:
            print(text, file=sys.stderr, flush=True)
    return say
