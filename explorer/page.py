"""What every page does first: check the database, flag synthetic data, show the title.

Called by each page script rather than once in app.py, because a page must behave the same
when Streamlit (or AppTest) runs it on its own.
"""
from __future__ import annotations

import logging

import streamlit as st

from explorer import db
from explorer.synthetic import synthetic_badge

# Neo4j reports "label does not exist" notifications for every query on a partly loaded
# database; they are expected here and would flood the server log.
logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)


def start(title: str) -> None:
    st.title(title)
    db.require_database()
    with db.page_guard():
        synthetic_badge()
