"""Export a supply network (one layer, one year or all) as Parquet, for whole-graph work beyond one server.

``python -m loader export FOLDER --layer firm --year 2020`` writes

* ``nodes.parquet``: key, name, country, industry of every node of the layer;
* ``links.parquet``: supplier, buyer (node keys), year, value, a, b, source: one row per SUPPLIES
  relationship, parallel links (firm products) kept as they are stored;
* ``export.json``: what was exported (layer, years, counts, the datasets and their data_version,
  the time), so a result computed from the files can say which state of the database it used.

Read with pandas/pyarrow, igraph (``Graph.DataFrame``), or Spark/Dask for graphs past one machine's
memory. The export reads through ``connection.read`` in one READ transaction without a time limit
and writes the rows in batches as they arrive, so its memory stays that of one batch.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from connection import Settings, read
from schema.model import check_label, check_rel_type

BATCH = 100_000
LAYERS = {"firm": "Firm", "sector": "Sector"}
NODE_COLUMNS = ("key", "name", "country", "industry")
LINK_COLUMNS = ("supplier", "buyer", "year", "value", "a", "b", "source")


def _schema(columns: tuple[str, ...]):
    import pyarrow as pa

    types = {"year": pa.int64(), "value": pa.float64(), "a": pa.float64(), "b": pa.float64()}
    return pa.schema([(c, types.get(c, pa.string())) for c in columns])


def _write(tx, cypher: str, params: dict[str, Any], path: Path, columns: tuple[str, ...]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schema(columns)
    rows = 0
    with pq.ParquetWriter(path, schema) as out:
        batch: list[Any] = []
        for rec in tx.run(cypher, params):
            batch.append(rec.values())
            if len(batch) >= BATCH:
                out.write_table(pa.Table.from_pylist([dict(zip(columns, r)) for r in batch], schema=schema))
                rows, batch = rows + len(batch), []
        if batch or not rows:
            out.write_table(pa.Table.from_pylist([dict(zip(columns, r)) for r in batch], schema=schema))
            rows += len(batch)
    return rows


def export(folder: Path, layer: str = "firm", year: int | None = None, *,
           settings: Settings | None = None) -> dict[str, Any]:
    """Write the layer's nodes and links (of ``year``, or every year) into ``folder``; returns export.json's content."""
    if layer not in LAYERS:
        raise ValueError(f"layer {layer!r}: expected one of {', '.join(LAYERS)}")
    label, rel = check_label(LAYERS[layer]), check_rel_type("SUPPLIES")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)

    def work(tx) -> dict[str, Any]:
        nodes = _write(tx, f"MATCH (n:{label}) RETURN n.key, n.name, n.country, n.industry ORDER BY n.key", {},
                       folder / "nodes.parquet", NODE_COLUMNS)
        links = _write(tx, f"MATCH (s:{label})-[r:{rel}]->(t:{label}) WHERE $year IS NULL OR r.year = $year "
                           "RETURN s.key, t.key, r.year, toFloat(r.value), toFloat(r.a), toFloat(r.b), r.source",
                       {"year": year}, folder / "links.parquet", LINK_COLUMNS)
        datasets = [r.data() for r in tx.run(
            f"MATCH (:{label})-[r:{rel}]->(:{label}) WHERE $year IS NULL OR r.year = $year "
            "WITH DISTINCT r.source AS key OPTIONAL MATCH (d:Dataset {key: key}) "
            "RETURN key, d.name AS name, d.data_version AS data_version ORDER BY key", {"year": year})]
        return {"layer": layer, "year": year, "nodes": nodes, "links": links, "datasets": datasets}

    meta = read(work, timeout_s=None, settings=settings or Settings.from_env())
    meta["exported_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    (folder / "export.json").write_text(json.dumps(meta, indent=1))
    return meta
