"""Finding nodes by name or code through the `entity_search` full-text index, the way people ask.

Country names and common aliases ('South Korea', 'Republic of Korea', 'USA', 'UK') are read with
country_converter's name patterns (the table the reference loader uses) and match the country's
ISO3 code, so 'Korea Electrical' finds the sector 'KOR|Electrical and Optical Equipment'; long
words also match their stem ('electronics' -> 'Electrical'). A cut list says so and how to narrow it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import streamlit as st

from connection import read
from explorer.transform.search import lucene_query
from schema.model import USER_FACING_LABELS

TTL_S = 300

# The index covers key and name of every user-facing label; an exact key match ranks first so
# that typing a code ('KOR', 'KR-11', 'F0001') puts that node on top, then the country a name
# means ('Korea' -> the Country KOR), then Lucene's score.
_SEARCH = """
CALL db.index.fulltext.queryNodes('entity_search', $q) YIELD node, score
WITH node, score, [l IN labels(node) WHERE l IN $labels][0] AS label
WHERE label IS NOT NULL
WITH label, node.key AS key, coalesce(node.name, node.key) AS name,
     score + CASE WHEN toLower(node.key) = toLower($raw) THEN 100.0 ELSE 0.0 END
           + CASE WHEN node.key IN $codes THEN 50.0 ELSE 0.0 END AS score
ORDER BY score DESC, name
WITH collect({label: label, key: key, name: name, score: score}) AS rows
RETURN rows[0..$limit] AS hits, size(rows) AS total
"""


@dataclass(frozen=True)
class Found:
    hits: list[dict] = field(default_factory=list)
    total: int = 0          # every match, of which ``hits`` are the best ``limit``
    countries: tuple[str, ...] = ()  # ISO3 codes the text was read as naming

    @property
    def cut(self) -> bool:
        return self.total > len(self.hits)

    @property
    def summary(self) -> str:
        if self.cut:
            return f"best {len(self.hits)} of {self.total} matches"
        return f"{self.total} match{'es' if self.total != 1 else ''}"

    @property
    def note(self) -> str:
        """What to do when the list is cut or empty (empty text when neither)."""
        read_as = f" (read as {', '.join(self.countries)})" if self.countries else ""
        if not self.total:
            return (f"No match{read_as}. Check the spelling, use fewer words, or type a code "
                    "(KOR, KR-11, a firm key).")
        if self.cut:
            return (f"The list is cut at the best {len(self.hits)} of {self.total} matches{read_as}: add a word "
                    "(a country, an industry, a region) or type a code (e.g. KOR|Electrical) to narrow it.")
        return f"Read as {', '.join(self.countries)}." if self.countries else ""


# The reference data stores country_converter's name pattern on each Country node (loader reference)
_COUNTRY_NAMES = """
MATCH (c:Country) WHERE c.name_pattern IS NOT NULL
RETURN c.key AS iso3, c.name_pattern AS pattern, toLower(c.name) AS short, toLower(coalesce(c.official_name, c.name)) AS official
"""


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _country_names() -> list[tuple[str, str, str, str]]:
    return [(r["pattern"], r["iso3"], r["short"], r["official"]) for r in read(_COUNTRY_NAMES)]


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def country_of(phrase: str) -> str | None:
    """The ISO3 code a phrase names as a whole ('south korea', 'usa', 'united kingdom'), else None."""
    phrase = phrase.strip().lower()
    if len(phrase) < 2:
        return None
    codes = {iso3 for rx, iso3, short, official in _country_names()
             if phrase in (short, official) or _compiled(rx).fullmatch(phrase)}
    return codes.pop() if len(codes) == 1 else None


@st.cache_data(ttl=TTL_S, show_spinner=False)
def find(text: str, limit: int = 20, labels: tuple[str, ...] = USER_FACING_LABELS) -> Found:
    codes: list[str] = []

    def named(phrase: str) -> str | None:
        code = country_of(phrase)
        if code:
            codes.append(code)
        return code

    q = lucene_query(text, named)
    if not q:
        return Found()
    rows = read(_SEARCH, {"q": q, "raw": text.strip(), "limit": int(limit), "labels": list(labels), "codes": codes})
    return Found(rows[0]["hits"], rows[0]["total"], tuple(dict.fromkeys(codes))) if rows else Found()


def search(text: str, limit: int = 20, labels: tuple[str, ...] = USER_FACING_LABELS) -> list[dict]:
    """The best ``limit`` matches (``find`` also says how many there were)."""
    return find(text, limit, labels).hits
