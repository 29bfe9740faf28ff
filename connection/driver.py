"""One driver per process, and the two ways the product talks to Neo4j.

``read_query`` runs in a READ transaction with a time limit (everything typed
by a user goes through it); ``write_query`` runs in a managed write
transaction, which the driver retries on transient errors.
"""
from __future__ import annotations

import threading
from typing import Any

from neo4j import Driver, GraphDatabase, NotificationDisabledClassification, Query, RoutingControl

from connection.config import Settings

_lock = threading.Lock()
_drivers: dict[Settings, Driver] = {}


def get_driver(settings: Settings | None = None) -> Driver:
    settings = settings or Settings.from_env()
    with _lock:
        drv = _drivers.get(settings)
        if drv is None:
            drv = GraphDatabase.driver(
                settings.uri,
                auth=(settings.user, settings.password),
                max_connection_pool_size=50,
                connection_acquisition_timeout=30.0,
                connection_timeout=5.0,
                user_agent="gvn-explorer",
                # a load into an empty database asks for labels and properties that do not exist yet;
                # the server's "does not exist" warnings would bury the loaders' own output
                notifications_disabled_classifications=[NotificationDisabledClassification.UNRECOGNIZED],
            )
            _drivers[settings] = drv
        return drv


def close_driver() -> None:
    with _lock:
        for drv in _drivers.values():
            drv.close()
        _drivers.clear()


def read_query(cypher: str, params: dict[str, Any] | None = None, *, timeout_s: float = 30.0,
               settings: Settings | None = None) -> list[dict[str, Any]]:
    settings = settings or Settings.from_env()
    records, _, _ = get_driver(settings).execute_query(
        Query(cypher, timeout=timeout_s), parameters_=params or {},
        routing_=RoutingControl.READ, database_=settings.database,
    )
    return [r.data() for r in records]


def write_query(cypher: str, params: dict[str, Any] | None = None, *,
                settings: Settings | None = None):
    """Run one write statement in a managed (retried) transaction; return its summary counters."""
    settings = settings or Settings.from_env()
    _, summary, _ = get_driver(settings).execute_query(
        cypher, parameters_=params or {}, routing_=RoutingControl.WRITE, database_=settings.database,
    )
    return summary.counters
