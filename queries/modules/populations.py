"""Who counts as what, defined once for every module: foreign affiliates, and a firm's region at one level.

Foreign affiliate (``foreign_affiliate(f)``). A firm is a foreign affiliate when a non-resident
direct investor holds at least 10% of it:

- its reported foreign equity share (``foreign_share``: equity held abroad, as firm surveys and
  registers report it) is at least ``FDI_THRESHOLD`` = 0.10, the direct-investment threshold of
  the IMF Balance of Payments Manual, 6th ed. (BPM6, para. 6.12) and the OECD Benchmark Definition
  of Foreign Direct Investment, 4th ed. (BMD4, 2008, para. 117); or
- an ownership chain reaches it from an owner outside its country (a Firm in another country, or a
  Person of another nationality: the graph records nationality, the closest it has to residence):
  every link of the chain holds at least 10%, and at most one link holds 50% or less. That is the
  BMD4 Framework for Direct Investment Relationships (paras. 121-128): control (more than 50%)
  passes down a chain without limit, influence (10-50%) reaches one step only, so a chain of
  control links with at most one influence link makes a direct-investment relationship. Chains
  of up to ``MAX_CHAIN`` links are followed.

A multinational *parent* (the demo's ``size_class`` 'tnc') is not a foreign affiliate unless one of
those holds: TNC-SME linkages and foreign presence are about firms owned from abroad.

Region at a level (``region_at(f, kind)``): the Region of kind ``kind`` ('subdivision',
'economic_region') that the firm's region is or is PART_OF; null when there is none, so firms
without a region at that level form their own "unknown" group instead of being counted anywhere.
Comparisons of "same region or not" (spillover paths and channels, local linkages) use
``compared_region``: the firm's economic region (a subdivision counts as the economic region it is
part of), or at level 'subdivision' its subdivision; where a country has no economic regions,
its firms' own regions stand in (one level per country), and another country is always another
region.
"""
from __future__ import annotations

from schema.model import check_label, check_rel_type

FDI_THRESHOLD = 0.10     # direct investment: 10% of the equity / voting power (BPM6 6.12, BMD4 117)
CONTROL_THRESHOLD = 0.50  # control: more than 50% (BMD4 FDIR)
MAX_CHAIN = 6            # ownership links followed upwards from a firm

REGION_KINDS = ("economic_region", "subdivision")  # the levels a firm's region can be compared at
COMPARED_KIND = "economic_region"  # the level of the path modules' same/other-region split

_FIRM, _PERSON, _REGION = map(check_label, ("Firm", "Person", "Region"))
_OWNS, _LOCATED_IN, _PART_OF = map(check_rel_type, ("OWNS", "LOCATED_IN", "PART_OF"))


def foreign_chain(f: str, owner: str = "o", chain: str = "chain") -> str:
    """Cypher pattern + WHERE of an ownership chain from a foreign direct investor ``owner`` to firm ``f``."""
    return (f"MATCH {chain} = ({owner})-[:{_OWNS}*1..{MAX_CHAIN}]->({f}) "
            f"WHERE (({owner}:{_FIRM} AND {owner}.country <> {f}.country) "
            f"OR ({owner}:{_PERSON} AND {owner}.nationality <> {f}.country)) "
            f"AND all(_l IN relationships({chain}) WHERE _l.share >= {FDI_THRESHOLD}) "
            f"AND size([_l IN relationships({chain}) WHERE _l.share <= {CONTROL_THRESHOLD}]) <= 1")


def by_foreign_share(f: str) -> str:
    return f"coalesce({f}.foreign_share, 0.0) >= {FDI_THRESHOLD}"


def foreign_affiliate(f: str) -> str:
    """Cypher boolean: firm ``f`` is a foreign affiliate (see the module docstring)."""
    return f"({by_foreign_share(f)} OR EXISTS {{ {foreign_chain(f, '_o', '_chain')} }})"


def foreign_parent(f: str) -> str:
    """Cypher expression: the key of the foreign direct investor with the largest product of shares along a
    qualifying chain into ``f`` (null when only the reported foreign share makes ``f`` an affiliate)."""
    return (f"COLLECT {{ {foreign_chain(f, '_p', '_pc')} "
            f"RETURN _p.key AS k ORDER BY reduce(_s = 1.0, _l IN relationships(_pc) | _s * _l.share) DESC, k LIMIT 1 }}[0]")


def region_at(f: str, kind: str = "$region_kind", fallback: bool = False) -> str:
    """Cypher expression: the key of the region of kind ``kind`` that firm ``f``'s region is or is part of.

    ``fallback``: where there is none, the firm's own region (regions compared inside one country
    then stay at one level as long as all of that country's regions belong to regions of ``kind``)."""
    strict = (f"COLLECT {{ MATCH ({f})-[:{_LOCATED_IN}]->(:{_REGION})-[:{_PART_OF}*0..3]->(_g:{_REGION}) "
              f"WHERE _g.kind = {kind} RETURN _g.key AS _k ORDER BY _k LIMIT 1 }}[0]")
    if not fallback:
        return strict
    own = f"COLLECT {{ MATCH ({f})-[:{_LOCATED_IN}]->(_r:{_REGION}) RETURN _r.key AS _k ORDER BY _k LIMIT 1 }}[0]"
    return f"coalesce({strict}, {own})"


def compared_region(f: str, kind: str = "$region_kind") -> str:
    """Cypher expression: the region firm ``f`` is compared at (see the module docstring)."""
    return region_at(f, kind, fallback=True)
