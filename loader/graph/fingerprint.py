"""Chunk fingerprints: compare a load's rows with the store without reading the stored records back.

A reload of an unchanged folder used to read every stored record's properties into Python (one
``properties(n)`` map per node and relationship, seconds per 10^5 records) only to find them
equal. Instead, for each chunk of keys the server serialises what it holds, in a fixed order, and
returns one MD5 (``apoc.util.md5``); the loader computes the same serialisation from its rows. Equal
digests mean equal records, and the chunk counts as unchanged without a single stored record in
Python; a different digest only sends the chunk down the exact diff (``loader.graph.diff``), which
then decides what to write. So the digest has to be *sound* (equal only if the records are equal
as the diff compares them), not complete: anything it cannot reproduce (a float the server prints
differently, a property type other than text, whole and decimal numbers) just makes a chunk miss.

The serialisation, value by value (self-delimiting, so a concatenation has one reading):

* ``n``: no such property (None);
* ``s<length>:<text>``: text;
* ``i<digits>;``: a whole number; ``f<Java Double.toString>;``: a decimal number;
* ``btrue``, ``bfalse``: a boolean;
* anything else: on the server a random UUID (never equal), in Python ``?`` (never produced there).

A node row is its properties' tokens in sorted name order (``-`` when the node is missing); a
relationship row is the start key's token, the end key's token and its properties' tokens, and a
chunk's relationship rows are sorted by (position of the start key in the chunk, row text), so the
server's and the loader's lists line up whatever order links were stored in. Pure, apart from the
Cypher strings it builds (labels and types from checked rows, property names checked identifiers).
"""
from __future__ import annotations

import hashlib
import math

from loader.graph.rows import NodeRows, RelRows, check_property_name


def java_double(x: float) -> str:
    """``Double.toString(x)`` for the doubles Java prints with the shortest round-trip digits (Java 19+:
    all; Java 17: nearly all): the digits of Python's ``repr``, in Java's layout (plain from 1e-3 up to
    1e7, else ``d.dddE<exp>``). A rare Java 17 value printed with extra digits only makes its chunk miss."""
    if 1e-3 <= x < 1e7 or -1e7 < x <= -1e-3:
        return repr(x)   # Python's repr is plain decimal here too, with the same shortest digits
    # the rest read off repr's text, not through Decimal: a WIOD year's coefficients are mostly below 1e-3,
    # 10^5 or more of them a reload
    text = repr(x)
    if "e" in text:   # below 1e-4 or from 1e16 on: '-1.5e-05', '1e+16' in Java's layout
        mantissa, _, exp = text.partition("e")
        return f"{mantissa if '.' in mantissa else mantissa + '.0'}E{int(exp)}"
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return text   # '0.0' or '-0.0', as Java prints them
    # from 1e-4 to 1e-3 ('0.000123') and from 1e7 to 1e16 ('12345678.9'): repr is plain, Java is not
    sign = "-" if x < 0 else ""
    whole, _, frac = text.lstrip("-").partition(".")
    if whole != "0":
        digits, point = whole + frac, len(whole) - 1
    else:
        rest = frac.lstrip("0")
        digits, point = rest, len(rest) - len(frac) - 1
    digits = digits.rstrip("0") or "0"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{point}"


def token(v) -> str:
    # most values of a load are floats, then text: tested in that order (a reload tokenises millions)
    cls = v.__class__
    if cls is float:
        if 1e-3 <= v < 1e7 or -1e7 < v <= -1e-3:
            return f"f{v!r};"   # java_double's plain range, without the call
        # NaN never equals itself in the exact diff: never let it match here either
        return f"f{java_double(v)};" if v == v else "?"
    if cls is str:
        return f"s{len(v)}:{v}"
    if v is None:
        return "n"
    if cls is int:
        return f"i{v};"
    if cls is bool:
        return "btrue" if v else "bfalse"
    return "?"


def _cypher_token(expr: str) -> str:
    # type predicates, not valueType(): no type name is built per value (0.92x of the server's digest time)
    return (f"CASE WHEN {expr} IS NULL THEN 'n' "
            f"WHEN {expr} IS :: STRING THEN 's' + size({expr}) + ':' + {expr} "
            f"WHEN {expr} IS :: INTEGER THEN 'i' + {expr} + ';' "
            f"WHEN {expr} IS :: FLOAT THEN 'f' + {expr} + ';' "
            f"WHEN {expr} IS :: BOOLEAN THEN 'b' + toString({expr}) ELSE 'x' + randomUUID() END")


def _cypher_row(var: str, names: list[str], ends: tuple[str, ...] = ()) -> str:
    exprs = [f"{e}.key" for e in ends] + [f"{var}.{check_property_name(p)}" for p in names]
    return f"reduce(s = '', v IN [{', '.join(exprs)}] | s + {_cypher_token('v')})"


def node_digest_query(nr: NodeRows, names: list[str]) -> str:
    """$keys (in the loader's order) -> one row: the chunk's digest and how many of the keys exist."""
    return (f"UNWIND range(0, size($keys) - 1) AS i WITH i, $keys[i] AS k "
            f"OPTIONAL MATCH (n:{nr.label} {{key: k}}) "
            f"WITH i, n, CASE WHEN n IS NULL THEN '-' ELSE {_cypher_row('n', names)} END AS t ORDER BY i "
            f"RETURN apoc.util.md5(collect(t)) AS digest, count(n) AS found")


def rel_digest_query(rr: RelRows, names: list[str], years: bool = False, in_slice: bool = False) -> str:
    """$keys: start keys (in the loader's order) -> the digest of every stored relationship of the type
    from them to the end label (``years``: only those with ``r.year IN $years``; ``in_slice``: only those
    of the replaced slice ``$slice``), and how many there are."""
    where = "WHERE r.year IN $years " if years else ""
    if in_slice:
        where = "WHERE " + " AND ".join(f"r.{check_property_name(p)} = $slice.{p}" for p in rr.replace) + " "
    return (f"UNWIND range(0, size($keys) - 1) AS i WITH i, $keys[i] AS k "
            f"MATCH (a:{rr.from_label} {{key: k}})-[r:{rr.type}]->(b:{rr.to_label}) {where}"
            f"WITH i, {_cypher_row('r', names, ('a', 'b'))} AS t ORDER BY i, t "
            f"RETURN apoc.util.md5(collect(t)) AS digest, count(t) AS found")


def digest(rows_text: list[str]) -> str:
    return hashlib.md5("".join(rows_text).encode("utf-8")).hexdigest()


def node_text(props: dict, common: dict, names: list[str]) -> str:
    """A node row as the server serialises it: a name the row lacks is compared as its stored value
    against None, so a node that has it misses (the exact diff then ignores it, as ``SET +=`` does)."""
    return "".join([token(props[p] if p in props else common.get(p)) for p in names])


def rel_text(row: dict, common: dict, names: list[str]) -> str:
    ident, props = row["id"], row["props"]
    return token(row["from"]) + token(row["to"]) + "".join(
        [token(props[p] if p in props else ident[p] if p in ident else common.get(p)) for p in names])


def node_names(nr: NodeRows) -> list[str]:
    names = set(nr.common) | set(nr.columns.order if nr.columns is not None else ())
    for row in nr.rows:
        names.update(row["props"])
    return sorted(names)


def rel_names(rr: RelRows) -> list[str]:
    names = set(rr.identity) | set(rr.common) | set(rr.columns.order if rr.columns is not None else ())
    for row in rr.rows:
        names.update(row["props"])
    return sorted(names)
