"""Turning what a user types into a safe Lucene query for the `entity_search` full-text index.

Pure: no I/O. The query string is still passed as a parameter; escaping only stops Lucene
syntax characters in names (e.g. 'C26/27', 'Daegu (Gyeongsang)') from raising parse errors.
"""
from __future__ import annotations

import re
from typing import Any, Callable

# Lucene's reserved characters; '&&' and '||' are covered by escaping '&' and '|'.
_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')


def escape_term(term: str) -> str:
    return _SPECIAL.sub(r"\\\1", term)


# Lucene's English stop words: the standard analyzer leaves them out of the index, so a query
# word among them could never match ('Electrical and Optical Equipment').
STOP_WORDS = frozenset("a an and are as at be but by for if in into is it no not of on or such that the their "
                       "then there these they this to was will with".split())


def words_of(text: str) -> list[str]:
    """Split like the standard analyzer: letters and digits only, so 'KOR|ELEC' and 'KR-11' become
    two words each, as they were indexed."""
    words = re.findall(r"\w+", text.lower())
    kept = [w for w in words if w not in STOP_WORDS]
    return kept or words[-1:]


STEM = 6  # words longer than this also match their first STEM letters as a prefix


def _word(word: str, last: bool) -> str:
    term = escape_term(word)
    alts = [f"{term}*" if last else term]
    if len(word) >= 4:
        alts.append(f"{term}~1")
    if len(word) > STEM:
        # a crude stem, so 'electronics' finds 'Electrical' and 'chemicals' 'Chemical products'
        alts.append(f"{escape_term(word[:STEM])}*")
    return f"+{alts[0]}" if len(alts) == 1 else f"+({' OR '.join(alts)})"


def lucene_query(text: str, country_of: Callable[[str], str | None] | None = None) -> str:
    """Every word must match; the last one also as a prefix, so results appear while typing.

    'korea elec' -> '+(korea OR korea~1) +(elec* OR elec~1)'. Words of four letters or more also match
    with one typo ('~1'); on shorter words fuzziness would match almost anything. Words longer than
    STEM letters also match their stem. ``country_of`` names the country a phrase means ('South
    Korea' -> 'KOR'); such a phrase matches that code (sector keys 'KOR|...') or its own words.
    """
    tokens = re.findall(r"\w+", text.lower())
    groups: list[tuple[str, Any]] = []
    i = 0
    while i < len(tokens):
        for n in range(min(4, len(tokens) - i), 0, -1):
            span = tokens[i:i + n]
            if country_of and not all(t in STOP_WORDS for t in span):
                code = country_of(" ".join(span))
                if code:
                    groups.append(("country", (code.lower(), [t for t in span if t not in STOP_WORDS])))
                    i += n
                    break
        else:
            if tokens[i] not in STOP_WORDS:
                groups.append(("word", tokens[i]))
            i += 1
    if not groups and tokens:
        groups = [("word", tokens[-1])]  # a lone stop word is kept: the user typed nothing else
    parts = []
    for g, (kind, payload) in enumerate(groups):
        if kind == "word":
            parts.append(_word(payload, g == len(groups) - 1))
        else:
            code, words = payload
            own = " AND ".join(escape_term(w) for w in words)
            parts.append(f"+({escape_term(code)} OR ({own}))")
    return " ".join(parts)


def node_id(label: str, key: str) -> str:
    """The id a node has in the drawing and the session: 'Label:key' (labels contain no ':')."""
    return f"{label}:{key}"


def split_node_id(nid: str) -> tuple[str, str]:
    label, _, key = nid.partition(":")
    if not key:
        raise ValueError(f"not a node id: {nid!r} (expected 'Label:key')")
    return label, key
