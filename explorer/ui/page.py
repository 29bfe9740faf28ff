"""What every page does first: check the database, flag synthetic data, show the title.

Called by each page script rather than once in app.py, because a page must behave the same
when Streamlit (or AppTest) runs it on its own.
"""
from __future__ import annotations

import logging

import streamlit as st

from explorer.data import catalogue
from explorer.ui import outage
from explorer.ui.badge import synthetic_badge
from queries.errors import QueryError

# Neo4j reports "label does not exist" notifications for every query on a partly loaded
# database; they are expected here and would flood the server log.
logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)


def start(title: str) -> None:
    st.title(title)
    outage.require_database()
    with outage.page_guard():
        synthetic_badge()


def run(name: str, params: dict):
    """Run a query module or saved report with a spinner; show its error on the page and return None."""
    try:
        with st.spinner(f"Running {name}…"):
            return catalogue.run(name, params)
    except QueryError as exc:
        st.error(f"{name}: {exc}")
        return None


def url_problems(problems: list[str]) -> bool:
    """Show each refused URL value on its own line; True when there were any."""
    for message in problems:
        st.error(message)
    return bool(problems)
