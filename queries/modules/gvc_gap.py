"""The GVC gap index (docs/methods.md, section 13.1): per GVC stage, the gap between the importance a firm or a
country assigns to the stage (target) and its capability there now (current), both on a 1-5 scale, from the
stage assessments of ``loader tables`` (file stage_assessments, STAGE_ASSESSMENT relationships), ranked, beside the
smile curve of value added by stage of the same selection (the PERFORMS links gvc-stages sums).

gap = target - current: positive where the subject has less capability than the stage matters to it (where to
upgrade), negative where it has more. Several assessors of one subject, stage and year give one row each; the
smile curve columns repeat per stage. Subject 'country' X: the assessments of X itself, and the value added of
the firms located in X; subject 'firm' F: F's assessments and its own value added.
"""
from __future__ import annotations

from typing import Any

from queries.errors import ParameterError
from queries.model import Column, Param, QueryModule
from queries.modules.common import SOURCE, YEAR
from queries.provenance import BASES, Basis, resolve
from schema.model import check_label, check_rel_type

FIRM, COUNTRY, STAGE = map(check_label, ("Firm", "Country", "Stage"))
STAGE_ASSESSMENT, PERFORMS = map(check_rel_type, ("STAGE_ASSESSMENT", "PERFORMS"))

ASSESSMENTS = Basis("stage_assessments", "GVC stage assessments (STAGE_ASSESSMENT)",
                    f"()-[r:{STAGE_ASSESSMENT}]->(:{STAGE})", "r")

_GAPS = f"""
MATCH (x)-[r:{STAGE_ASSESSMENT}]->(s:{STAGE})
WHERE x.key = $subject AND (($kind = 'firm' AND x:{FIRM}) OR ($kind = 'country' AND x:{COUNTRY}))
  AND [coalesce(r.source, ''), r.year] IN $pairs AND ($assessed_by = '' OR r.assessed_by = $assessed_by)
RETURN s.key AS stage, s.name AS name, s.order AS order, r.assessed_by AS assessed_by, r.current AS current,
       r.target AS target, r.target - r.current AS gap, r.year AS year, r.source AS source
"""
_SMILE = f"""
MATCH (f:{FIRM})-[p:{PERFORMS}]->(s:{STAGE})
WHERE [coalesce(p.source, ''), p.year] IN $pairs
  AND (($kind = 'firm' AND f.key = $subject) OR ($kind = 'country' AND f.country = $subject))
RETURN s.key AS stage, count(DISTINCT f) AS firms, sum(coalesce(p.value_added, 0.0)) AS value_added
"""


def gaps(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    scope = resolve(tx, ASSESSMENTS, source=p["source"], year=p["year"], allow_all_sources=False)
    if not scope.pairs:
        return []
    rows = [dict(r) for r in tx.run(_GAPS, {"subject": p["subject"], "kind": p["subject_kind"],
                                           "assessed_by": p["assessed_by"], "pairs": [list(x) for x in scope.pairs]})]
    if not rows:
        tx.provenance.notes.append(f"no stage assessment of {p['subject_kind']} {p['subject']!r} in "
                                   f"{', '.join(f'{s} {y}' for s, y in scope.pairs)}")
        return []
    # the smile curve of the same subject and year: value added by stage from the PERFORMS links
    try:
        smile = resolve(tx, BASES["gvc_stages"], year=scope.year, secondary=True).pairs
    except ParameterError:          # no PERFORMS link in that year at all
        smile = []
    va = {r["stage"]: r for r in tx.run(_SMILE, {"subject": p["subject"], "kind": p["subject_kind"],
                                                 "pairs": [list(x) for x in smile]})} if smile else {}
    total = sum(r["value_added"] for r in va.values())
    if not va:
        tx.provenance.notes.append(f"no value added by stage (PERFORMS) for {p['subject']!r} in {scope.year}: "
                                   "the smile curve columns are empty")
    rows.sort(key=lambda r: (-r["gap"], r["order"], r["assessed_by"]))
    for i, r in enumerate(rows, start=1):
        s = va.get(r["stage"])
        r.update(rank=i, subject=p["subject"], subject_kind=p["subject_kind"],
                 value_added=s["value_added"] if s else (0.0 if va else None),
                 va_share=(s["value_added"] / total if s else 0.0) if total else None,
                 firms=s["firms"] if s else (0 if va else None))
    return rows


GVC_GAP = QueryModule(
    name="gvc-gap",
    title="GVC gap index by stage",
    description=("Per GVC stage (R&D, design, parts, assembly, marketing, service) of one firm or country: the "
                 "target importance and the current capability an assessment gives it (1-5 scale), the gap = target "
                 "- current, ranked (largest first: where upgrading matters most), next to the smile curve of the "
                 "same selection: value added by stage and its share (PERFORMS links, as gvc-stages sums them). "
                 "docs/methods.md 13.1."),
    params=(Param("subject", "str", None, required=True, help="Firm key or ISO3 country"),
            Param("subject_kind", "choice", "country", choices=("country", "firm"), help="what subject names"),
            YEAR, SOURCE,
            Param("assessed_by", "str", "", help="one assessor (survey, study); empty = every assessor, one row each")),
    columns=(Column("stage", "key", "rnd|design|parts|assembly|marketing|service"), Column("name", "name", "stage"),
             Column("order", "position", "position along the chain (1 = first)"),
             Column("current", "score 1-5", "capability now"), Column("target", "score 1-5", "importance aimed at"),
             Column("gap", "score points (-4..4)", "target - current"),
             Column("rank", "rank", "1 = largest gap"),
             Column("assessed_by", "text", "who assessed it"),
             Column("value_added", "thousand USD", "value added of the selection in the stage (smile curve)"),
             Column("va_share", "share 0..1", "of the selection's value added over all stages"),
             Column("firms", "count", "firms of the selection performing the stage"),
             Column("subject", "key", "firm or country assessed"), Column("subject_kind", "firm|country", ""),
             Column("year", "year", "year of the assessment"), Column("source", "Dataset key", "dataset")),
    steps=gaps,
    layer="firm",
)

MODULES = (GVC_GAP,)
