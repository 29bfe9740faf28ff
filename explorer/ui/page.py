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


def tabs(names: list[str], key: str, url_key: str = "tab") -> list:
    """Tabs whose choice is kept in the URL (``?tab=Sankey``; the first tab when absent).

    The choice, ``selected_tab(key)``, is written to the URL by the page with the rest of its
    state; a name the page does not have is said so (one line) and the first tab opens.
    """
    # Streamlit keys the tabs' state by their default too: a default that changed between reruns
    # (the URL's tab is rewritten after every click) would reset the choice. The link's tab is
    # therefore read once per session and kept.
    memo = f"{key}__from_url"
    if memo not in st.session_state:
        wanted = st.query_params.get(url_key)
        if wanted is not None and wanted not in names:
            st.error(f"URL parameter {url_key}: {wanted!r} is not a tab of this page; allowed: one of "
                     f"{', '.join(names)}")
            wanted = None
        st.session_state[memo] = wanted
    return st.tabs(names, default=st.session_state[memo], key=key, on_change="rerun")


def selected_tab(key: str) -> dict[str, str]:
    """``{"tab": name}`` of the open tab for the URL (nothing before the page has tabs)."""
    return {"tab": st.session_state[key]} if st.session_state.get(key) else {}
