"""The one parameter model (Param's text round trip and messages) and the one catalogue of modules
and saved reports, on the real test Neo4j, through the Python API and the CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, strategies as st

from queries import catalogue, modules
from queries.errors import ParameterError, QueryRefused
from queries.model import Param
from queries.reports import save_report

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

json_values = st.recursive(st.none() | st.booleans() | st.integers(-10**9, 10**9)
                           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                        max_size=3), max_leaves=8)


@given(i=st.integers(-10**12, 10**12), f=st.floats(allow_nan=False, allow_infinity=False), b=st.booleans(),
       s=st.text(), j=json_values)
def test_every_type_round_trips_through_text(i, f, b, s, j):
    cases = [(Param("i", "int"), i), (Param("f", "float"), f), (Param("b", "bool"), b), (Param("s", "str"), s),
             (Param("c", "choice", choices=("x", "y z", "ä")), "y z"), (Param("j", "json"), j)]
    for p, v in cases:
        back = p.coerce(p.to_text(v))
        assert back == v and type(back) is type(v), (p, v, p.to_text(v))


def test_text_looks_like_json_but_stays_the_value_it_was():
    j = Param("j", "json")
    # a JSON parameter given the text "123" keeps it text (quoted), the number 123 stays a number
    assert j.to_text("123") == '"123"' and j.coerce(j.to_text("123")) == "123" and j.coerce("123") == 123
    assert j.coerce("KOR") == "KOR"  # text that is not JSON is text, as on the command line
    assert Param("f", "float").to_text(0.1 + 0.2) == "0.30000000000000004"  # no digits lost


@pytest.mark.parametrize("param, text, message", [
    (modules.get("upstream-paths").params[3], "5",
     "parameter 'threshold': '5' is above the maximum 1; allowed: a number from 0 to 1, or empty for the default"),
    (modules.get("upstream-paths").params[3], "abc", "parameter 'threshold': 'abc' is not a valid float; allowed: "
                                                     "a number from 0 to 1"),
    (modules.get("upstream-paths").params[2], "99", "parameter 'depth': '99' is above the maximum 6; allowed: an "
                                                    "integer from 1 to 6"),
    (modules.get("upstream-paths").params[4], "-1", "parameter 'limit': '-1' is below the minimum 0"),
    (Param("f", "float"), "inf", "parameter 'f': 'inf' is not a valid float"),
    (Param("m", "choice", choices=("a", "b")), "c", "parameter 'm': 'c' is not a choice; allowed: one of a, b"),
])
def test_messages_name_the_parameter_and_what_is_allowed(param, text, message):
    with pytest.raises(ParameterError) as err:
        param.coerce(text)
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


def test_a_reports_params_come_from_its_defaults_and_its_cypher():
    cypher = ("MATCH (f:Firm) WHERE f.output > $n AND f.key IN $keys AND f.name <> '$not_a_param' "
              "// $nor_this\n AND f.share >= $x AND f.country = $`odd name` RETURN f.key AS key, $flag AS flag")
    params = catalogue.report_params(cypher, {"n": 5, "x": 0.5, "flag": True, "who": "", "keys": None})
    by_name = {p.name: p for p in params}
    assert {k: p.type for k, p in by_name.items()} == {"flag": "bool", "keys": "json", "n": "int", "who": "str",
                                                       "x": "float", "odd name": "json"}
    assert [p.name for p in params if p.required] == ["odd name"]
    assert by_name["n"].default == 5 and by_name["keys"].default is None and not by_name["keys"].required
    # a row count Cypher takes only when it is >= 0 gets that floor, so -1 is refused before the server sees it
    (limit,) = catalogue.report_params("MATCH (f:Firm) RETURN f LIMIT $top", {"top": 20})
    assert limit.min == 0
    with pytest.raises(ParameterError, match="'top': '-1' is below the minimum 0"):
        limit.coerce("-1")


@pytest.fixture(scope="module")
def graph(driver, schema_applied):
    from tests.conftest import wipe

    wipe(driver)
    driver.execute_query("UNWIND range(1, 6) AS i CREATE (:Firm {key: 'f' + i, output: i * 10.0, "
                         "country: CASE WHEN i % 2 = 0 THEN 'KOR' ELSE 'CHN' END})")
    save_report("firms-of", "Firms of some countries", "MATCH (f:Firm) WHERE f.country IN $countries "
                "AND f.output >= $min RETURN f.key AS key, f.output AS output ORDER BY output DESC",
                {"min": 20.0}, "firms of the countries given, above an output floor")
    save_report("firms-of", "Firms of some countries", "MATCH (f:Firm) WHERE f.country IN $countries "
                "AND f.output >= $min RETURN f.key AS key ORDER BY f.output DESC LIMIT 1", {"min": 20.0})
    return driver


def test_catalogue_lists_modules_and_reports_with_their_params(graph):
    found = {e.name: e for e in catalogue.entries()}
    assert set(modules.MODULES) <= set(found) and found["fva-share"].kind == "module"
    rep = found["firms-of"]
    assert rep.kind == "report" and rep.version == 2 and rep.versions == (1, 2)
    countries = rep.param("countries")
    assert (countries.type, countries.required, countries.default) == ("json", True, None)
    assert (rep.param("min").type, rep.param("min").default) == ("float", 20.0)


def test_describe_and_run_both_kinds_through_one_door(graph):
    module = catalogue.get("upstream-paths")
    assert module.kind == "module" and module.columns and module.param("depth").max == 6
    old = catalogue.get("firms-of", 1)
    assert old.version == 1 and "RETURN f.key AS key, f.output AS output" in old.cypher
    df = catalogue.run("firms-of", {"countries": '["KOR"]', "min": "30"}, 1)   # text, as from a URL or the CLI
    assert df["key"].tolist() == ["f6", "f4"] and df.attrs["version"] == 1
    assert catalogue.run("firms-of", {"countries": ["KOR", "CHN"]})["key"].tolist() == ["f6"]   # latest: LIMIT 1
    with pytest.raises(ParameterError, match="'countries' is required"):
        catalogue.run("firms-of", {})
    with pytest.raises(ParameterError, match=r"has no parameter\(s\) \['colour'\]"):
        catalogue.run("firms-of", {"countries": [], "colour": 1})
    with pytest.raises(ParameterError, match=r"has no version 9; saved versions: \[1, 2\]"):
        catalogue.get("firms-of", 9)
    with pytest.raises(ParameterError, match="built-in query module"):
        catalogue.get("fva-share", 1)
    with pytest.raises(QueryRefused, match="no query module or saved report 'nope'"):
        catalogue.get("nope")
    # a module runs through the same door: the runner coerces text against the module's Params
    assert catalogue.run("gvc-stages", {"size_class": "sme"}).attrs["module"] == "gvc-stages"


def test_a_report_may_not_take_a_modules_name(graph):
    with pytest.raises(ParameterError, match="'centrality' is the name of the built-in query module"):
        save_report("centrality", "Mine", "MATCH (f:Firm) RETURN f.key AS key")
    n = graph.execute_query("MATCH (r:Report {key: 'centrality'}) RETURN count(r) AS c").records[0]["c"]
    assert n == 0
    assert catalogue.get("centrality").kind == "module"


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "queries", *args], cwd=REPO, env=dict(os.environ),
                          capture_output=True, text=True, timeout=120)


def test_cli_describe_and_run_of_both_kinds(graph):
    out = _cli("describe", "firms-of")
    assert out.returncode == 0, out.stderr
    assert "saved report, version 2 of [1, 2]" in out.stdout
    assert "countries (json) (required)" in out.stdout and "min (float) default 20.0" in out.stdout
    assert "LIMIT 1" in out.stdout  # the Cypher of the version described
    out = _cli("describe", "upstream-paths")
    assert "depth (int) default 3" in out.stdout and "allowed: an integer from 1 to 6" in out.stdout
    out = _cli("run", "firms-of", "--version", "1", "-p", 'countries=["CHN"]', "-p", "min=10", "-f", "json")
    assert out.returncode == 0, out.stderr
    assert [r["key"] for r in json.loads(out.stdout)] == ["f5", "f3", "f1"]
    out = _cli("run", "firms-of", "-p", "min=10")
    assert out.returncode == 2 and "'countries' is required" in out.stderr
    out = _cli("run", "firms-of", "--version", "7", "-p", 'countries=["CHN"]')
    assert out.returncode == 2 and "has no version 7" in out.stderr
    out = _cli("run", "ownership-chain", "-p", "firm=f1", "-f", "csv")
    assert out.returncode == 0 and out.stdout.startswith("owner")
    out = _cli("list")
    assert "firms-of" in out.stdout and "[min, countries*]" in out.stdout


def test_the_cli_says_what_a_result_was_computed_from_and_what_it_left_out():
    from queries.provenance import describe

    attrs = {"provenance": {"datasets": [{"key": "wiod", "name": "WIOD 2013", "synthetic": False, "years": [1995]},
                                         {"key": "demo", "name": "Demo", "synthetic": True, "years": [2018, 2020]}],
                            "units": {"output": "million USD"}, "notes": ["latest year of real data"]},
             "excluded": [{"reason": "Dataset 'x' is being loaded"}]}
    assert describe(attrs) == ["data: WIOD 2013 [wiod], 1995; Demo [demo] (SYNTHETIC), 2018-2020",
                               "units: output million USD", "note: latest year of real data",
                               "left out: Dataset 'x' is being loaded"]
    assert describe({}) == []
