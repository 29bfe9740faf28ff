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


def lucene_query(text: str) -> str:
    """Every word must match; the last one also as a prefix, so results appear while typing.

    'korea elec' -> '+(korea OR korea~1) +elec*'. Words of four letters or more also match
    with one typo ('~1'); on shorter words fuzziness would match almost anything.
    """
    words = words_of(text)
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
