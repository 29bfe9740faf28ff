"""Turning what a user types into a safe Lucene query for the `entity_search` full-text index.

Pure: no I/O. The query string is still passed as a parameter; escaping only stops Lucene
syntax characters in names (e.g. 'C26/27', 'Daegu (Gyeongsang)') from raising parse errors.
"""
from __future__ import annotations

import re

# Lucene's reserved characters; '&&' and '||' are covered by escaping '&' and '|'.
_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')


def escape_term(term: str) -> str:
    return _SPECIAL.sub(r"\\\1", term)


def lucene_query(text: str) -> str:
    """Every word must match; the last one also as a prefix, so results appear while typing.

    'korea elec' -> '+(korea OR korea~1) +elec*'. Words of four letters or more also match
    with one typo ('~1'); on shorter words fuzziness would match almost anything.
    """
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    if not words:
        return ""
    parts = []
    for i, word in enumerate(words):
        term = escape_term(word.lower())
        if i == len(words) - 1:
            # prefix match, or the exact/fuzzy word (fuzzy on 1-2 letter words matches everything)
            alt = f"{term}*" if len(word) < 4 else f"({term}* OR {term}~1)"
            parts.append(f"+{alt}")
        else:
            parts.append(f"+({term} OR {term}~1)" if len(word) >= 4 else f"+{term}")
    return " ".join(parts)


def node_id(label: str, key: str) -> str:
    """The id a node has in the drawing and the session: 'Label:key' (labels contain no ':')."""
    return f"{label}:{key}"


def split_node_id(nid: str) -> tuple[str, str]:
    label, _, key = nid.partition(":")
    if not key:
        raise ValueError(f"not a node id: {nid!r} (expected 'Label:key')")
    return label, key
