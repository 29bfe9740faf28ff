"""The Cypher of the writer. Labels and types come from ``schema.model`` (checked when the
rows were built), property names are checked identifiers, every value is a parameter."""
from __future__ import annotations

from loader.graph.rows import NodeRows, RelRows, check_property_name


def _slice_guard(var: str, names: tuple[str, ...]) -> str:
    return " AND ".join(f"{var}.{check_property_name(p)} = $slice.{p}" for p in names)


def _set_common(var: str, common: dict) -> str:
    # one SET item per common property, as a hand-written statement would have (no map merge per row)
    return "".join(f", {var}.{check_property_name(p)} = $common.{p}" for p in sorted(common))


# ---------------------------------------------------------------- reads

def existing_nodes(label: str) -> str:
    return f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) RETURN n.key AS key, properties(n) AS props"


def slice_node_keys(nr: NodeRows) -> str:
    return f"MATCH (n:{nr.label}) WHERE {_slice_guard('n', nr.replace)} RETURN n.key AS key"


def existing_rels(rr: RelRows) -> str:
    return (f"UNWIND $keys AS k MATCH (a:{rr.from_label} {{key: k}})-[r:{rr.type}]->(b:{rr.to_label}) "
            f"RETURN a.key AS from, b.key AS to, elementId(r) AS eid, properties(r) AS props")


def slice_rel_count(rr: RelRows) -> str:
    return (f"MATCH (a:{rr.from_label})-[r:{rr.type}]->(b:{rr.to_label}) WHERE {_slice_guard('r', rr.replace)} "
            f"RETURN count(r) AS n")


def slice_rels_from(rr: RelRows, props: list[str]) -> str:
    """The stored relationships of a replaced slice leaving the start keys $keys (props as ``slice_rels``)."""
    projection = ", ".join(f".{check_property_name(p)}" for p in props)
    return (f"UNWIND $keys AS k MATCH (a:{rr.from_label} {{key: k}})-[r:{rr.type}]->(b:{rr.to_label}) "
            f"WHERE {_slice_guard('r', rr.replace)} "
            f"RETURN a.key AS from, b.key AS to, elementId(r) AS eid, r {{{projection}}} AS props")


def slice_rels(rr: RelRows, props: list[str]) -> str:
    """The stored relationships of a replaced slice, with only the properties the diff compares."""
    projection = ", ".join(f".{check_property_name(p)}" for p in props)
    return (f"MATCH (a:{rr.from_label})-[r:{rr.type}]->(b:{rr.to_label}) WHERE {_slice_guard('r', rr.replace)} "
            f"RETURN a.key AS from, b.key AS to, elementId(r) AS eid, r {{{projection}}} AS props")


# firm SUPPLIES shares need every link of the touched years, whichever firms the load names
FIRM_SUPPLIES_COUNT = "MATCH (:Firm)-[r:SUPPLIES]->(:Firm) WHERE r.year IN $years RETURN count(r) AS n"
FIRM_SUPPLIES_OF_YEARS = ("MATCH (a:Firm)-[r:SUPPLIES]->(b:Firm) WHERE r.year IN $years "
                          "RETURN a.key AS from, b.key AS to, elementId(r) AS eid, properties(r) AS props")

# the same links as columns (loader.graph.shares.STORED_LINK_COLUMNS, in that order; sinks.collect_columns):
# one record per seller listing its links, no property map per link. A subquery per seller streams (an
# aggregation grouped by seller would hold every group on the server until the last link)
FIRM_LINK_COLUMNS = ("MATCH (a:Firm) CALL (a) { MATCH (a)-[r:SUPPLIES]->(b:Firm) WHERE r.year IN $years "
                     "RETURN collect([b.key, elementId(r), r.year, r.product, r.value, r.a, r.b, r.source]) AS links } "
                     "WITH a, links WHERE size(links) > 0 RETURN a.key AS from, links")

# how many stored firm links of $years have a share a or b that the year's links do not give (within $tol
# relative, as loader.graph.shares keeps them): a = value / buyer's purchases, b = value / seller's sales
FIRM_SHARES_OFF = (
    "CALL { MATCH (:Firm)-[r:SUPPLIES]->(f:Firm) WHERE r.year IN $years "
    "WITH f, r.year AS y, collect(r) AS rs, sum(coalesce(r.value, 0.0)) AS t UNWIND rs AS r "
    "WITH r, CASE WHEN t > 0 THEN coalesce(r.value, 0.0) / t ELSE 0.0 END AS want "
    "WHERE r.a IS NULL OR abs(r.a - want) > $tol * abs(want) RETURN count(r) AS a_off } "
    "CALL { MATCH (f:Firm)-[r:SUPPLIES]->(:Firm) WHERE r.year IN $years "
    "WITH f, r.year AS y, collect(r) AS rs, sum(coalesce(r.value, 0.0)) AS t UNWIND rs AS r "
    "WITH r, CASE WHEN t > 0 THEN coalesce(r.value, 0.0) / t ELSE 0.0 END AS want "
    "WHERE r.b IS NULL OR abs(r.b - want) > $tol * abs(want) RETURN count(r) AS b_off } "
    "RETURN a_off + b_off AS off")


# ---------------------------------------------------------------- writes (rows in $rows; each returns `seen`)

def merge_nodes(nr: NodeRows) -> str:
    # MERGE, not CREATE: cheap for nodes (a unique-index seek) and safe if another load adds the key meanwhile
    head = f"UNWIND $rows AS row MERGE (n:{nr.label} {{key: row.key}}) "
    common = _set_common("n", nr.common)
    if nr.fill_only:
        return head + f"ON CREATE SET n += row.props{common}, n.loaded_at = datetime(row.loaded_at) " \
                      "RETURN count(*) AS seen"
    return (head + f"SET n += row.props{common} "
            "SET n.loaded_at = coalesce(n.loaded_at, datetime(row.loaded_at)) RETURN count(*) AS seen")


def prop_names(create: list[list]) -> list[str]:
    """The property names of [from, to, props] create rows, in the order ``flat`` puts their values."""
    names: set[str] = set()
    for _, _, props in create:
        names.update(props)
    return sorted(names)


def flat(create: list[list], fields: list[str]) -> list[list]:
    """[from, to, props] -> [from, to, v1, v2, ...]: lists of scalars pack smaller and faster than a map
    per row (a missing or None value sets nothing). Made batch by batch, as the batches are sent."""
    return [[frm, to, *map(props.get, fields)] for frm, to, props in create]


def create_rels(rr: RelRows, fields: list[str]) -> str:
    """For ``flat`` rows with properties ``fields``."""
    sets = ", ".join([f"r.{check_property_name(p)} = row[{i}]" for i, p in enumerate(fields, start=2)])
    common = _set_common("r", rr.common)
    set_clause = f"SET {sets}{common} " if sets else (f"SET {common[2:]} " if common else "")
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{rr.from_label} {{key: row[0]}}) "
            f"MATCH (b:{rr.to_label} {{key: row[1]}}) "
            f"CREATE (a)-[r:{rr.type}]->(b) {set_clause}"
            f"RETURN count(*) AS seen")


def update_rels(rr: RelRows) -> str:
    return (f"UNWIND $rows AS row "
            f"MATCH ()-[r:{rr.type}]->() WHERE elementId(r) = row.eid "
            f"SET r += row.props{_set_common('r', rr.common)} "
            f"RETURN count(*) AS seen")


def delete_rels(rr: RelRows) -> str:
    # the slice guard makes an element id reused after a concurrent delete a no-op (counted as a miss)
    return (f"UNWIND $rows AS eid MATCH ()-[r:{rr.type}]->() WHERE elementId(r) = eid "
            f"AND {_slice_guard('r', rr.replace)} DELETE r RETURN count(*) AS seen")


def delete_nodes(nr: NodeRows) -> str:
    return (f"UNWIND $rows AS k MATCH (n:{nr.label} {{key: k}}) WHERE {_slice_guard('n', nr.replace)} "
            f"DETACH DELETE n RETURN count(*) AS seen")


# ---------------------------------------------------------------- the Dataset mark (loader.graph.marks)

STALE_MARKS = ("UNWIND $keys AS k MATCH (d:Dataset {key: k}) WHERE d['loading'] IS NOT NULL "
               "RETURN d.key AS key, toString(d['loading']) AS since, coalesce(d['loading_years'], []) AS years, "
               "coalesce(d['loading_share_years'], []) AS shares")
# datasets whose firm supply shares of one of $years a dead load left half-recomputed
SHARE_MARKED = ("MATCH (d:Dataset) WHERE d['loading'] IS NOT NULL "
                "AND any(y IN coalesce(d['loading_share_years'], []) WHERE y IN $years) RETURN d.key AS key")
_SET_MARK = ("SET d.loading = coalesce(datetime(row.since), datetime()), d.loading_years = row.years, "
             "d.loading_share_years = CASE WHEN size(row.shares) > 0 THEN row.shares END "
             "RETURN count(*) AS seen")
# own datasets may not exist yet (the load writes them): MERGE; another dataset's mark: MATCH
SET_MARK_OWN = "UNWIND $rows AS row MERGE (d:Dataset {key: row.key}) " + _SET_MARK
SET_MARK_OTHER = "UNWIND $rows AS row MATCH (d:Dataset {key: row.key}) " + _SET_MARK
CLEAR_MARK = ("UNWIND $rows AS k MATCH (d:Dataset {key: k}) REMOVE d.loading, d.loading_years, d.loading_share_years "
              "RETURN count(*) AS seen")

# every load that changed a dataset's records counts up its data_version: cached GDS projections are named
# by it (queries.gds_cache), so none made from the old data is served after the change
# (and data_stamp, new on every change: versions count from 1 again in a database emptied and loaded again)
NEW_DATA_VERSION = ("UNWIND $rows AS k MATCH (d:Dataset {key: k}) "
                    "SET d.data_version = coalesce(d.data_version, 0) + 1, d.data_stamp = randomUUID() "
                    "RETURN count(*) AS seen")
# and the projections themselves go (best effort, on the analytics server): a database emptied and loaded
# again counts versions from 1 again, with new node ids
DROP_CACHED_PROJECTIONS = ("CALL gds.graph.list() YIELD graphName WHERE graphName STARTS WITH 'gvn_cache_' "
                           "CALL gds.graph.drop(graphName, false) YIELD graphName AS dropped "
                           "RETURN count(dropped) AS dropped")
