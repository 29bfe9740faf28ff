"""What a page does when Neo4j does not answer: a message and a Retry button, never a traceback.

Pages wrap their body in ``page_guard``; ``require_database`` stops a page early with the same
message. The driver's connection pool reconnects on its own once the server answers again, so
nothing has to be reset after an outage.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import streamlit as st
from neo4j.exceptions import DriverError, ServiceUnavailable, SessionExpired

from connection import Settings, check_connection

# Errors that mean "the database is not there right now" (as opposed to a bad query).
OUTAGE_ERRORS = (ServiceUnavailable, SessionExpired, DriverError, ConnectionError, OSError)


def is_up() -> tuple[bool, str]:
    """Fast liveness check: fails at once, where a query would retry for 30 s."""
    try:
        check_connection()
        return True, ""
    except Exception as exc:  # outages, but also auth and config problems belong on the page
        return False, f"{type(exc).__name__}: {exc}"


def show_outage(reason: str) -> None:
    st.error(f"Neo4j is not reachable at {Settings.from_env().uri}. {reason}")
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
