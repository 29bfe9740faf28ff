"""What the explorer says about the database it is connected to (no Streamlit here)."""
from __future__ import annotations

from dataclasses import dataclass, field

from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

from connection import Settings, check_connection, read


@dataclass
class DatabaseStatus:
    uri: str
    ok: bool
    error: str = ""
    server_version: str = ""
    edition: str = ""
    label_counts: dict[str, int] = field(default_factory=dict)
    rel_counts: dict[str, int] = field(default_factory=dict)


def _quoted(name: str) -> str:
    # names come from the database's own catalogue; backticks are doubled all the same
    return "`" + name.replace("`", "``") + "`"


def _counts(tx) -> tuple[dict[str, int], dict[str, int]]:
    """Counts per label and per relationship type, each from the count store (constant time)."""
    labels = [r["label"] for r in tx.run("CALL db.labels() YIELD label RETURN label ORDER BY label")]
    types = [r["type"] for r in tx.run("CALL db.relationshipTypes() YIELD relationshipType AS type "
                                       "RETURN type ORDER BY type")]
    by_label = {lb: tx.run(f"MATCH (n:{_quoted(lb)}) RETURN count(n) AS c").single()["c"] for lb in labels}
    by_type = {t: tx.run(f"MATCH ()-[r:{_quoted(t)}]->() RETURN count(r) AS c").single()["c"] for t in types}
    return by_label, by_type


def database_status(settings: Settings, timeout_s: float = 10.0) -> DatabaseStatus:
    """Version and counts per label/type, or the reason the database cannot be reached."""
    try:
        check_connection(settings)
        rows = read("CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition",
                    timeout_s=timeout_s, settings=settings)
        status = DatabaseStatus(uri=settings.uri, ok=True, server_version=rows[0]["v"], edition=rows[0]["edition"])
        status.label_counts, status.rel_counts = read(_counts, timeout_s=timeout_s, settings=settings)
        return status
    except (ServiceUnavailable, AuthError, Neo4jError, DriverError, OSError) as exc:
        return DatabaseStatus(uri=settings.uri, ok=False, error=f"{settings.uri}: {type(exc).__name__}: {exc}")
