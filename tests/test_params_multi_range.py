"""Multi-select and range parameters: coercion, messages and the text round trip (no database)."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from queries import catalogue
from queries.errors import ParameterError
from queries.model import Param

texts = st.text(min_size=1, max_size=6)


@given(words=st.lists(texts, max_size=5, unique=True), ints=st.lists(st.integers(-10**9, 10**9), max_size=5,
                                                                     unique=True),
       floats=st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=5, unique=True))
def test_multi_round_trips_through_text(words, ints, floats):
    for p, v in ((Param("w", "multi"), words), (Param("i", "multi", item="int"), ints),
                 (Param("f", "multi", item="float"), floats)):
        text = p.to_text(v)
        back = p.coerce(text)
        assert back == v and all(type(a) is type(b) for a, b in zip(back, v)), (p, v, text)


@given(a=st.integers(1900, 2100), b=st.integers(1900, 2100),
       x=st.floats(allow_nan=False, allow_infinity=False), y=st.floats(allow_nan=False, allow_infinity=False))
def test_range_round_trips_through_text(a, b, x, y):
    years = Param("years", "range", None, 1900, 2100, item="int")
    lo, hi = sorted((a, b))
    assert years.coerce(years.to_text([lo, hi])) == [lo, hi]
    span = Param("span", "range")
    lo, hi = sorted((x, y))
    back = span.coerce(span.to_text([lo, hi]))
    assert back == [lo, hi] and all(isinstance(v, float) for v in back)


def test_multi_reads_plain_text_json_and_lists_and_keeps_each_value_once():
    p = Param("countries", "multi", help="countries")
    assert p.coerce("KOR, CHN,,KOR") == ["KOR", "CHN"]
    assert p.coerce('["a,b", " c"]') == ["a,b", " c"] and p.to_text(["a,b", " c"]) == '["a,b", " c"]'
    assert p.coerce(("USA",)) == ["USA"] and p.coerce(None) is None and p.to_text([]) == "[]" and p.coerce("[]") == []
    years = Param("years", "multi", (2019, 2020), 1900, 2100, item="int")
    assert years.default == (2019, 2020) and years.coerce(None) == [2019, 2020] and years.coerce("2001,2002") == [2001, 2002]
    with pytest.raises(ParameterError) as err:
        years.coerce("2001,20x2")
    assert str(err.value) == ("parameter 'years': '2001,20x2' has an item '20x2' that is not a valid int; allowed: "
                              "a comma-separated list of integers from 1900 to 2100 (or a JSON list), or empty for "
                              "the default (2019,2020)")
    with pytest.raises(ParameterError, match="is above the maximum 2100"):
        years.coerce("2001,2200")
    pick = Param("use", "multi", choices=("intermediate", "final"), required=True, help="uses")
    assert pick.coerce("final") == ["final"]
    with pytest.raises(ParameterError, match="item 'both' that is not a choice; allowed: a comma-separated list of "
                                             "values from intermediate, final"):
        pick.coerce("final,both")
    with pytest.raises(ParameterError, match="'use' is required"):
        pick.coerce("[]")
    with pytest.raises(ParameterError, match="not a valid JSON list"):
        p.coerce("[1,")
    with pytest.raises(ParameterError, match="item True that is not a valid str"):
        p.coerce([True])


def test_range_messages():
    years = Param("years", "range", (2000, 2010), 1990, 2030, item="int")
    assert years.coerce("2001..2005") == [2001, 2005] and years.coerce("[2001, 2001]") == [2001, 2001]
    assert years.coerce(None) == [2000, 2010] and years.coerce("2003,2004") == [2003, 2004]
    for text, why in (("2011..2005", "has lo above hi"), ("1900..2005", "is below the minimum 1990"),
                      ("2001", "is not two values lo..hi"), ("2001..2002..2003", "is not two values lo..hi"),
                      ("2001..x", "has an item 'x' that is not a valid int")):
        with pytest.raises(ParameterError) as err:
            years.coerce(text)
        assert str(err.value) == (f"parameter 'years': {text!r} {why}; allowed: two integers lo..hi with lo <= hi "
                                  "from 1990 to 2030, or empty for the default (2000..2010)")
    with pytest.raises(ValueError, match="does not fit a range"):
        Param("r", "range", item="str")
    with pytest.raises(ValueError, match="only multi and range"):
        Param("r", "int", item="int")


def test_a_saved_list_default_makes_a_multi_select():
    params = {p.name: p for p in catalogue.report_params(
        "MATCH (c:Country) WHERE c.key IN $countries AND c.year IN $years AND c.x IN $mixed AND c.y IN $nums "
        "RETURN c", {"countries": ["KOR", "CHN"], "years": [2019, 2020], "mixed": [1, "a"], "nums": [1, 2.5]})}
    assert (params["countries"].type, params["countries"].item, params["countries"].default) == \
        ("multi", "str", ("KOR", "CHN"))
    assert (params["years"].type, params["years"].item) == ("multi", "int")
    assert (params["nums"].type, params["nums"].item) == ("multi", "float")
    assert params["mixed"].type == "json"   # a list a multi-select cannot hold stays JSON
    assert params["countries"].coerce("JPN") == ["JPN"] and params["countries"].coerce(None) == ["KOR", "CHN"]
