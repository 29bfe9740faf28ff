"""What the explorer says about the database it is connected to (no Streamlit here)."""
from __future__ import annotations

from dataclasses import dataclass, field

from neo4j.exceptions import Neo4jError, ServiceUnavailable, AuthError, DriverError

from connection import Settings, get_driver


@dataclass
class DatabaseStatus:
    uri: str
    ok: bool
    error: str = ""
    server_version: str = ""
    edition: str = ""
    label_counts: dict[str, int] = field(default_factory=dict)
    rel_counts: dict[str, int] = field(default_factory=dict)


_COUNTS_BY_LABEL = (
    "CALL db.labels() YIELD label "
    "CALL apoc.cypher.run('MATCH (n:`' + label + '`) RETURN count(n) AS c', {}) YIELD value "
    "RETURN label, value.c AS count ORDER BY label"
)
_COUNTS_BY_TYPE = (
    "CALL db.relationshipTypes() YIELD relationshipType AS type "
    "CALL apoc.cypher.run('MATCH ()-[r:`' + type + '`]->() RETURN count(r) AS c', {}) YIELD value "
    "RETURN type, value.c AS count ORDER BY type"
)


def database_status(settings: Settings, timeout_s: float = 10.0) -> DatabaseStatus:
    """Version and counts per label/type, or the reason the database cannot be reached."""
    try:
        drv = get_driver(settings)
        # fails at once when the server is down, where a query would be retried for 30 s
        drv.verify_connectivity()
        rows, _, _ = drv.execute_query(
            "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition",
            database_=settings.database, routing_="r")
        status = DatabaseStatus(uri=settings.uri, ok=True, server_version=rows[0]["v"], edition=rows[0]["edition"])
        # counts come from the count store: constant time whatever the graph size
        labels, _, _ = drv.execute_query(_COUNTS_BY_LABEL, database_=settings.database, routing_="r")
        types, _, _ = drv.execute_query(_COUNTS_BY_TYPE, database_=settings.database, routing_="r")
        status.label_counts = {r["label"]: r["count"] for r in labels}
        status.rel_counts = {r["type"]: r["count"] for r in types}
        return status
    except (ServiceUnavailable, AuthError, Neo4jError, DriverError, OSError) as exc:
        return DatabaseStatus(uri=settings.uri, ok=False, error=f"{settings.uri}: {type(exc).__name__}: {exc}")
