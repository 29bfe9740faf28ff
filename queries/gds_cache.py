"""GDS projections kept in the in-memory catalog between requests, named by what they hold.

Projecting is most of a cold centrality request (7 s for 1M firm links, measured in bench/), and
the same layer, year and weight is asked for again and again. A projection is therefore kept and
reused by every later request for the same graph. Its name says what it holds::

    gvn_cache_<layer>_<year>_<weight>_<spec>_v<data>_<unique>

``spec`` is a digest of everything the projection query reads (layer, year, weight, min_weight,
self_loops, the datasets, whether it holds the distances of strongest-chain betweenness: a projection
with them serves requests without them too); ``data`` a digest of the state of that data: each dataset's
``data_version`` and ``data_stamp`` (a random token the writer renews with every change) and the
database's count of nodes of the layer's label and of SUPPLIES links (both
kept by Neo4j's count store, so reading them costs nothing). ``unique`` lets two requests that miss at
the same moment both create one without colliding; the next one takes either.

When the data changes, the name a request looks for changes, so a stale projection is never served:

* every load through ``loader.graph`` (the one writer) counts up the ``data_version`` of each
  Dataset whose records it changed, in the same transaction as the change (atomic loads) or once all
  batches are written (batched loads, whose (source, year) pairs readers skip until then), and then
  drops the cached projections (which also covers a database emptied and loaded again, whose
  versions count from 1 again);
* links created or deleted any other way change the count store's numbers.

What neither sees (a property set on a link by hand-written Cypher, records without a Dataset node
or of a Dataset no load has versioned yet) cannot be told apart, so those requests are not cached:
they project a temporary graph and drop it at the end, as every request did before.

Measures are kept too: a cached projection holds each algorithm's scores for the settings it was
run with (``gvn_keep_<digest of graph, algorithm, settings>_<unique>``, at most ``MAX_KEPT`` per
projection, env ``GVN_GDS_KEPT_MEASURES``), so a repeated request only ranks. What the algorithm
yielded besides the scores (didConverge, iterations) is recorded in this process; a kept result
another process made is computed again.

A projection that no longer matches the data is dropped by the next request that misses on the same
``spec``; beyond ``MAX_GRAPHS`` cached projections (env ``GVN_GDS_CACHE_GRAPHS``, default 4) the
oldest are dropped. Each projection copies its graph onto the server's heap (about 90 bytes per
link measured on 200k firms, docs/scaling.md), so the bound is what keeps the cache from outgrowing it.
"""
from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from collections.abc import Callable, Sequence
from typing import Any

from schema.model import check_label, check_rel_type

PREFIX = "gvn_cache_"
TEMP_PREFIX = "gvn_tmp_"
MAX_GRAPHS = int(os.environ.get("GVN_GDS_CACHE_GRAPHS", "4"))

_DATASET = check_label("Dataset")


@dataclass(frozen=True)
class Projection:
    name: str
    nodes: int
    rels: int
    cached: bool       # kept in the catalog for later requests (False: temporary, dropped at the end)
    reused: bool       # found in the catalog: this request did not project


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:12]


def data_state(tx, sources: list[str], label: str, rel: str) -> dict[str, Any] | None:
    """What identifies the current data of ``sources``, or None when it cannot be told (see above)."""
    label, rel = check_label(label), check_rel_type(rel)
    rows = tx.run(f"UNWIND $keys AS k OPTIONAL MATCH (d:{_DATASET} {{key: k}}) "
                  "RETURN k, d.data_version AS v, d.data_stamp AS s", {"keys": sorted(sources)})
    versions = {r["k"]: r["v"] for r in rows}
    if not sources or any(v is None for v in versions.values()):
        return None
    # both counts come from the count store: O(1) whatever the size of the graph
    nodes = tx.run(f"MATCH (n:{label}) RETURN count(n) AS c")[0]["c"]
    links = tx.run(f"MATCH ()-[r:{rel}]->() RETURN count(r) AS c")[0]["c"]
    # the stamp (None for data loaded before stamps existed): new with every change, also in a database
    # emptied and loaded again, where versions count from 1 again
    return {"versions": versions, "stamps": {r["k"]: r["s"] for r in rows}, "nodes": nodes, "links": links}


def base_name(layer: str, year: int, weight: str, spec: dict[str, Any]) -> str:
    """The name's part that depends on what is projected, not on the state of the data."""
    return f"{PREFIX}{layer}_{year}_{weight}_{_digest(spec)}_v"


def cached_graphs(tx) -> list[dict[str, Any]]:
    """Every projection of this cache in the catalog: name, nodes, relationships, creation time."""
    return tx.run("CALL gds.graph.list() YIELD graphName, nodeCount, relationshipCount, creationTime "
                  "WHERE graphName STARTS WITH $prefix "
                  "RETURN graphName AS name, nodeCount AS nodes, relationshipCount AS rels, "
                  "toString(creationTime) AS created ORDER BY created", {"prefix": PREFIX})


def _drop(tx, names: list[str]) -> None:
    for name in names:
        # false: a projection another request dropped meanwhile is no error
        tx.run("CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName", {"g": name})


def _serving(graphs: list[dict[str, Any]], base: str, state: dict[str, Any], also: Sequence[str]) -> Projection | None:
    names = tuple(f"{b}{_digest(state)}_" for b in (base, *also))
    hit = next((g for g in graphs if g["name"].startswith(names)), None)
    return None if hit is None else Projection(hit["name"], int(hit["nodes"]), int(hit["rels"]), cached=True,
                                               reused=True)


def find(tx, base: str, state: dict[str, Any] | None, also: Sequence[str] = ()) -> Projection | None:
    """The cached projection ``projection`` would reuse, without making one; None when there is none."""
    return None if state is None else _serving(cached_graphs(tx), base, state, also)


def projection(tx, base: str, state: dict[str, Any] | None, project: Callable[[str], tuple[int, int]],
               also: Sequence[str] = (), covers: Sequence[str] = ()) -> Projection:
    """The projection named ``base`` + the digest of ``state``: found in the catalog, or made with
    ``project(name) -> (nodes, relationships)``. ``also``: bases of projections that hold everything this
    one would (more properties of the same graph), used when found; ``covers``: bases of projections this
    one holds everything of, dropped when it is made. ``state`` None: a temporary one, dropped when the
    request ends (the caller's transaction runs the drop on exit)."""
    if state is None:
        name = f"{TEMP_PREFIX}{uuid.uuid4().hex}"
        tx.on_exit("CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName", {"g": name})
        nodes, rels = project(name)
        return Projection(name, nodes, rels, cached=False, reused=False)
    current = f"{base}{_digest(state)}_"
    graphs = cached_graphs(tx)
    hit = _serving(graphs, base, state, also)
    if hit is not None:
        return hit
    # the same graph for an older state of the data: never served again
    _drop(tx, [g["name"] for g in graphs if g["name"].startswith(base)])
    name = f"{current}{uuid.uuid4().hex[:8]}"
    # a projection that fails half-way must not stay behind under a name later requests would take
    tx.on_exit("CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName", {"g": name})
    nodes, rels = project(name)
    tx.cleanup[:] = [c for c in tx.cleanup if c[1].get("g") != name]
    _drop(tx, [g["name"] for g in graphs if g["name"].startswith(tuple(f"{b}{_digest(state)}_" for b in covers))])
    others = [g["name"] for g in cached_graphs(tx) if g["name"] != name]
    _drop(tx, others[:max(0, len(others) - (MAX_GRAPHS - 1))])   # oldest first
    return Projection(name, nodes, rels, cached=True, reused=False)


def drop_all(tx) -> int:
    """Drop every cached projection (``python -m queries``-style maintenance and tests)."""
    names = [g["name"] for g in cached_graphs(tx)]
    _drop(tx, names)
    return len(names)


# ---------------------------------------------------------------- measures kept in a cached projection

KEEP_PREFIX = "gvn_keep_"
MAX_KEPT = int(os.environ.get("GVN_GDS_KEPT_MEASURES", "16"))   # per projection: 8 bytes a node each
# what an algorithm yielded besides its scores (didConverge, ranIterations), by kept property; this
# process's own record: a property another process kept is not known here and is computed again
_yielded: dict[str, dict[str, Any]] = {}


def node_properties(tx, graph: str) -> set[str]:
    """The node properties a projection holds now."""
    rows = tx.run("CALL gds.graph.list($g) YIELD schemaWithOrientation RETURN schemaWithOrientation AS s",
                  {"g": graph})
    return {p for props in rows[0]["s"]["nodes"].values() for p in props} if rows else set()


def result_key(graph: str, algo: str, config: dict[str, Any]) -> str:
    """The name prefix of an algorithm's scores with ``config`` in projection ``graph``."""
    return f"{KEEP_PREFIX}{_digest([graph, algo, config])}_"


def kept(key: str, present: set[str]) -> tuple[str, dict[str, Any]] | None:
    """A kept result under ``key`` still in the projection, with what its algorithm yielded."""
    for name in sorted(present):
        if name.startswith(key) and name in _yielded:
            return name, _yielded[name]
    return None


def keep(name: str, yielded: dict[str, Any]) -> None:
    _yielded[name] = dict(yielded)
    if len(_yielded) > 10_000:   # a bound on this record only (the properties go with their projection)
        _yielded.pop(next(iter(_yielded)))
