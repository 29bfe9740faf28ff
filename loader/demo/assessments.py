"""Synthetic GVC stage assessments for the demo (the stage_assessments table; module gvc-gap).

Deterministic from the generated stages (no draw from the Generator, so the other demo files stay as
they were for a seed): a country's current capability in a stage is 1 + 4 x its share of the demo's
value added in that stage relative to the country with the largest share, rounded; the target
importance is 1 + 4 x the stage's smile-curve weight relative to the largest weight, rounded.
"""
from __future__ import annotations

import pandas as pd

from loader.demo.people import SMILE

ASSESSOR = "demo generator (synthetic)"


def stage_assessments(stages: pd.DataFrame, firms: pd.DataFrame, year: int) -> pd.DataFrame:
    va = stages.merge(firms[["key", "country"]], left_on="firm", right_on="key")
    by = va.groupby(["country", "stage"])["value_added"].sum()
    share = by / by.groupby(level="stage").transform("sum")
    relative = share / share.groupby(level="stage").transform("max")
    top = max(SMILE.values())
    rows = [{"subject": country, "subject_kind": "country", "stage": stage, "year": int(year),
             "current": int(round(1 + 4 * float(rel))), "target": int(round(1 + 4 * SMILE[stage] / top)),
             "assessed_by": ASSESSOR}
            for (country, stage), rel in relative.sort_index().items()]
    return pd.DataFrame(rows, columns=["subject", "subject_kind", "stage", "year", "current", "target", "assessed_by"])
