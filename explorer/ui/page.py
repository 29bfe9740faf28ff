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


def url_problems(problems: list[str], stop: bool = False) -> bool:
    """Show each refused URL value on its own line; True when there were any.

    ``stop``: end the page there (pages that compute as soon as they open, so that nothing is
    computed with a value the link did not ask for).
    """
    for message in problems:
        st.error(message)
    if problems and stop:
        st.caption("Fix the value in the address bar, or open the page from the menu to start from its defaults.")
        st.stop()
    return bool(problems)
