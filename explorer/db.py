"""The explorer's one door to Neo4j: a cached driver, read-only queries, and outage handling.

Pages never build drivers or catch driver errors themselves; they call ``read`` through the
data_* modules and wrap their body in ``page_guard`` so that a stopped or restarting server
turns into a message with a Retry button instead of a traceback. The driver is created once
per process (``st.cache_resource``); its connection pool reconnects on its own once the
server answers again, so nothing has to be reset after an outage.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import streamlit as st
from neo4j import Driver, Query, RoutingControl
from neo4j.exceptions import DriverError, ServiceUnavailable, SessionExpired

from connection import Settings, get_driver

# Errors that mean "the database is not there right now" (as opposed to a bad query).
OUTAGE_ERRORS = (ServiceUnavailable, SessionExpired, DriverError, ConnectionError, OSError)

DEFAULT_TIMEOUT_S = 30.0


@st.cache_resource(show_spinner=False)
def _driver_for(settings: Settings) -> Driver:
    return get_driver(settings)


def settings() -> Settings:
    return Settings.from_env()


def driver() -> Driver:
    return _driver_for(settings())


def read(cypher: str, params: dict[str, Any] | None = None, *, timeout_s: float = DEFAULT_TIMEOUT_S
         ) -> list[dict[str, Any]]:
    """Run one parameterized read-only statement (READ routing, server-side time limit)."""
    s = settings()
    records, _, _ = driver().execute_query(
        Query(cypher, timeout=timeout_s), parameters_=params or {},
        routing_=RoutingControl.READ, database_=s.database,
    )
    return [r.data() for r in records]


def is_up() -> tuple[bool, str]:
    """Fast liveness check: verify_connectivity fails at once, where a query would retry for 30 s."""
    try:
        driver().verify_connectivity()
        return True, ""
    except OUTAGE_ERRORS as exc:  # noqa: PERF203
        return False, f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # auth and config problems also belong on the page, not in a traceback
        return False, f"{type(exc).__name__}: {exc}"


def show_outage(reason: str) -> None:
    st.error(f"Neo4j is not reachable at {settings().uri}. {reason}")
    st.info("Start it with `make neo4j` (or check NEO4J_URI / NEO4J_PASSWORD). "
            "The explorer reconnects by itself once the server answers: press Retry.")
    if st.button("Retry", key="retry-connection", type="primary"):
        st.rerun()
    st.stop()


def require_database() -> None:
    """Stop the page with a clear message when the server does not answer."""
    ok, reason = is_up()
    if not ok:
        show_outage(reason)


@contextmanager
def page_guard() -> Iterator[None]:
    """Turn an outage in the middle of a page (server stopped or restarting) into a message."""
    try:
        yield
    except OUTAGE_ERRORS as exc:
        show_outage(f"{type(exc).__name__}: {exc}")
