"""Finding nodes by name or code through the `entity_search` full-text index."""
from __future__ import annotations

import streamlit as st

from connection import read
from explorer.transform.search import lucene_query
from schema.model import USER_FACING_LABELS

TTL_S = 300

# The index covers key and name of every user-facing label; an exact key match ranks first
# so that typing a code ('KOR', 'KR-11', 'F0001') puts that node on top.
_SEARCH = """
CALL db.index.fulltext.queryNodes('entity_search', $q, {limit: $limit}) YIELD node, score
WITH node, score, [l IN labels(node) WHERE l IN $labels][0] AS label
WHERE label IS NOT NULL
RETURN label, node.key AS key, coalesce(node.name, node.key) AS name,
       score + CASE WHEN toLower(node.key) = toLower($raw) THEN 100.0 ELSE 0.0 END AS score
ORDER BY score DESC, name
LIMIT $limit
"""


@st.cache_data(ttl=TTL_S, show_spinner=False)
def search(text: str, limit: int = 20, labels: tuple[str, ...] = USER_FACING_LABELS) -> list[dict]:
    q = lucene_query(text)
    if not q:
        return []
    return read(_SEARCH, {"q": q, "raw": text.strip(), "limit": int(limit), "labels": list(labels)})
