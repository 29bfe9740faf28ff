"""Module definitions and parameter handling (no database needed) and the exports."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from queries import export, modules
from queries.errors import ParameterError, UnknownModule

REQUIRED = {"sector-linkages", "key-sectors", "fva-share", "centrality", "upstream-paths", "downstream-paths",
            "spillover-channels", "fdi-by-motive", "trade-unit-values", "tnc-sme-linkages", "gvc-stages",
            "region-profile", "firm-neighbourhood", "ownership-chain", "shortest-supply-path"}


def test_every_required_module_is_registered_and_documented():
    assert REQUIRED <= set(modules.MODULES)
    for m in modules.MODULES.values():
        assert len(m.description) > 80, m.name
        assert m.columns and all(c.unit for c in m.columns), m.name
        for p in m.params:
            assert p.help, f"{m.name}.{p.name}"
            if not p.required:
                assert p.coerce(None) == p.default


def test_coercion_and_ranges():
    m = modules.get("upstream-paths")
    p = m.coerce_params({"node": "KOR|x", "depth": "4", "threshold": "1e-4", "limit": 0, "layer": "sector"})
    assert p == {"node": "KOR|x", "year": None, "depth": 4, "threshold": 1e-4, "limit": 0, "layer": "sector",
                 "source": ""}
    for bad, match in [({"node": "a", "depth": 0}, "minimum"), ({"node": "a", "depth": 2.5}, "valid int"),
                       ({"node": "a", "threshold": "nan"}, "valid float"), ({"node": "a", "layer": "x"}, "one of"),
                       ({"node": "a", "colour": 1}, "no parameter"), ({}, "required")]:
        with pytest.raises(ParameterError, match=match):
            m.coerce_params(bad)
    s = modules.get("sector-linkages")
    assert s.coerce_params({"descending": "no"})["descending"] is False
    with pytest.raises(ParameterError):
        s.coerce_params({"descending": "maybe"})
    with pytest.raises(UnknownModule):
        modules.get("nope")


def test_exports_keep_lists():
    df = pd.DataFrame({"path": [["A|x", "B|y"]], "value": [0.5], "missing": [float("nan")]})
    assert json.loads(export.to_json(df)) == [{"path": ["A|x", "B|y"], "value": 0.5, "missing": None}]
    csv = export.to_csv(df).splitlines()
    assert csv[0] == "path,value,missing" and json.loads(pd.read_csv(pd.io.common.StringIO(export.to_csv(df)))
                                                         ["path"][0]) == ["A|x", "B|y"]
    assert "A|x" in export.to_table(df)
