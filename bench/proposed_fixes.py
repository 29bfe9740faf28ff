"""Fixes the benchmark found for the tables loader, patched in-process only for the figures labelled so.

``loader.tables_write.FIRM_SHARES`` recomputes firm SUPPLIES shares with a second
``MATCH (seller)-[r:SUPPLIES {year: y}]->(:Firm)`` per seller. Planned on a database whose
statistics say "no SUPPLIES yet" (any first load), Neo4j serves that MATCH by a
relationship-index seek over ALL links of the year for every seller, then filters on the
seller: sellers x links row visits, i.e. quadratic (more than 10 minutes for 10,000 firms).
Collecting each seller's (buyer's) links in the same pass makes it one index scan. The
result is identical (same arithmetic, same 1e-12 keep rule). The relationship statement has
the same trap (see ``rel_cypher_expand``). The loader itself is the tables helper's file: the
benchmark never edits it; it measures both versions and reports the fix.
"""
from __future__ import annotations

_SHARE = (
    "UNWIND $years AS y "
    "MATCH ({other}:Firm)-[r:SUPPLIES {{year: y}}]->({whose}:Firm) "
    "WITH y, {group}, collect(r) AS links, sum(r.value) AS total "
    "UNWIND links AS r "
    "WITH r, CASE WHEN total > 0 THEN r.value / total ELSE 0.0 END AS share "
    "WITH r, share, r.{prop} AS before "
    "WITH r, share, before, before IS NULL OR abs(before - share) > 1e-12 * abs(share) AS moved "
    "SET r.{prop} = CASE WHEN moved THEN share ELSE before END "
    "RETURN sum(CASE WHEN moved THEN 1 ELSE 0 END) AS changed"
)
FIRM_SHARES_ONE_PASS = (
    _SHARE.format(other="", whose="buyer", group="buyer", prop="a"),
    _SHARE.format(other="seller", whose="", group="seller", prop="b"),
)


def rel_cypher_expand(rr) -> str:
    """``tables_write._rel_cypher`` without a plan that can seek the relationship index.

    The committed statement MERGEs ``(a)-[r:TYPE {year: ..}]->(b)``: with the `supplies_year`
    index and statistics of an empty database (inside one big transaction they never
    change) every row seeks all relationships of the year and filters a, b: quadratic.
    Matching the identity through dynamic property access (``old[k]``), which no index
    can serve, makes the planner expand from the bound node pair instead. Counts are
    returned exactly as before.
    """
    from schema.model import check_label, check_rel_type

    t, fl, tl = check_rel_type(rr.type), check_label(rr.from_label), check_label(rr.to_label)
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{fl} {{key: row.from}}) "
            f"MATCH (b:{tl} {{key: row.to}}) "
            f"OPTIONAL MATCH (a)-[old:{t}]->(b) WHERE all(k IN keys(row.id) WHERE old[k] = row.id[k]) "
            f"WITH a, b, row, old, properties(old) AS before "
            f"FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END | "
            f"  CREATE (a)-[r:{t}]->(b) SET r = row.id SET r += row.props) "
            f"FOREACH (_ IN CASE WHEN old IS NULL THEN [] ELSE [1] END | SET old += row.props) "
            f"RETURN sum(CASE WHEN before IS NULL THEN 1 ELSE 0 END) AS created, "
            f"sum(CASE WHEN before IS NOT NULL AND before <> properties(old) THEN 1 ELSE 0 END) AS updated, "
            f"count(*) AS seen")


def apply_firm_shares_fix() -> tuple[str, ...]:
    """Swap the share queries of the tables loader for the one-pass ones; returns the originals."""
    from loader import tables_write

    original = tables_write.FIRM_SHARES
    tables_write.FIRM_SHARES = FIRM_SHARES_ONE_PASS
    return original


def apply_all() -> dict:
    """Both fixes; returns what they replaced (for restore_all)."""
    from loader import tables_write

    saved = {"FIRM_SHARES": tables_write.FIRM_SHARES, "_rel_cypher": tables_write._rel_cypher}
    tables_write.FIRM_SHARES = FIRM_SHARES_ONE_PASS
    tables_write._rel_cypher = rel_cypher_expand
    return saved


def restore_all(saved: dict) -> None:
    from loader import tables_write

    for name, value in saved.items():
        setattr(tables_write, name, value)
