"""What a query is made of: typed parameters, output columns with units, and its Cypher.

``Param`` is the one parameter model of the project: query modules declare theirs, saved
reports get theirs from their saved defaults and the ``$names`` of their Cypher
(``queries.catalogue``), and the explorer builds its widgets and URLs from them.
``Param.coerce`` turns text from a CLI, a form or a URL into the declared type and checks
the allowed range, raising ``ParameterError`` with a one-line message that names the
parameter and says what is allowed; ``Param.to_text`` is its inverse (``coerce(to_text(v))
== v``), used to write URLs and command lines.

A ``QueryModule`` is data (name, title, description with its formula or paper,
parameters, columns) plus either one parameterized Cypher statement (``cypher``) or a
Python function (``steps``) that runs several parameterized Cypher statements inside the
one READ transaction the runner opens.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from queries.errors import ParameterError

# json: any JSON value (null, number, text, list, map); saved reports use it for parameters
# whose saved default is null, a list that is not all text or all numbers, or a map, and for
# $names their Cypher uses without one.
# multi: a list of items of type ``item`` (str, int or float; from ``choices`` when given),
# e.g. countries for ``WHERE c.key IN $countries``; text "KOR,CHN" or a JSON list.
# range: two numbers [lo, hi] with lo <= hi, both within min..max, e.g. years for
# ``WHERE r.year >= $years[0] AND r.year <= $years[1]``; text "2000..2010" or a JSON list.
PARAM_TYPES = ("str", "int", "float", "bool", "choice", "json", "multi", "range")
ITEM_TYPES = ("str", "int", "float")
_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off"}


def _num(x: float) -> str:
    """A bound as people write it: 1 rather than 1.0, 100000 rather than 1e+05."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = None
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""
    required: bool = False
    label: str = ""   # short human name for forms ("Paths per depth"); the name when empty
    unit: str = ""    # unit of the value where it has one ("thousand USD", "links")
    item: str = ""    # multi and range: the type of each item (multi: str by default; range: float)

    def __post_init__(self):
        if self.type not in PARAM_TYPES:
            raise ValueError(f"parameter {self.name}: type {self.type!r} not in {PARAM_TYPES}")
        if self.type == "choice" and not self.choices:
            raise ValueError(f"parameter {self.name}: a choice needs choices")
        if self.type in ("multi", "range"):
            item = self.item or ("str" if self.type == "multi" else "float")
            if item not in (ITEM_TYPES if self.type == "multi" else ("int", "float")):
                raise ValueError(f"parameter {self.name}: item type {item!r} does not fit a {self.type}")
            object.__setattr__(self, "item", item)
            # a frozen Param stays hashable: list defaults are kept as tuples (coerce hands out lists)
            if isinstance(self.default, list):
                object.__setattr__(self, "default", tuple(self.default))
        elif self.item:
            raise ValueError(f"parameter {self.name}: only multi and range parameters have an item type")

    @property
    def title(self) -> str:
        """What a form calls it: the label (or the name) and the unit."""
        base = self.label or self.name
        return f"{base} ({self.unit})" if self.unit else base

    def allowed(self) -> str:
        """What values this parameter takes, in words (the second half of every error message)."""
        if self.type == "choice":
            return "one of " + ", ".join(self.choices)
        if self.type == "bool":
            return "true or false"
        if self.type == "json":
            return "a JSON value (number, \"text\", true/false, null, [list] or {map}); other text is taken as text"
        if self.type == "str":
            return "text"
        empty = "" if self.required else ", or empty" if self.default is None else \
            f", or empty for the default ({self.to_text(self.default)})"
        if self.type == "multi":
            what = {"str": "texts", "int": "integers", "float": "numbers"}[self.item]
            if self.choices:
                what = "values from " + ", ".join(self.choices)
            return f"a comma-separated list of {what}{self._range_words()} (or a JSON list)" + empty
        if self.type == "range":
            what = "integers" if self.item == "int" else "numbers"
            return f"two {what} lo..hi with lo <= hi{self._range_words()}" + empty
        what = "an integer" if self.type == "int" else "a number"
        return what + self._range_words() + empty

    def _range_words(self) -> str:
        if self.min is not None and self.max is not None:
            return f" from {_num(self.min)} to {_num(self.max)}"
        if self.min is not None:
            return f" of at least {_num(self.min)}"
        if self.max is not None:
            return f" of at most {_num(self.max)}"
        return ""

    def _bad(self, value: Any, why: str) -> ParameterError:
        return ParameterError(f"parameter {self.name!r}: {value!r} {why}; allowed: {self.allowed()}")

    def coerce(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ``ParameterError``.

        None (and empty text, except for text parameters) means "not given": the default, or an
        error when the parameter is required.
        """
        if value is None or (isinstance(value, str) and value == "" and self.type != "str"):
            if self.required:
                allowed = "" if self.type == "str" else f"; allowed: {self.allowed()}"
                raise ParameterError(f"parameter {self.name!r} is required ({self.help}){allowed}")
            return list(self.default) if isinstance(self.default, tuple) else self.default
        if self.type == "multi":
            return self._coerce_multi(value)
        if self.type == "range":
            return self._coerce_range(value)
        try:
            if self.type == "str":
                if isinstance(value, (dict, list, tuple)):
                    raise ValueError
                out: Any = str(value)
            elif self.type == "int":
                if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                    raise ValueError
                out = int(value.strip()) if isinstance(value, str) else int(value)
            elif self.type == "float":
                if isinstance(value, bool):
                    raise ValueError
                out = float(value)
                if not math.isfinite(out):  # NaN and infinities are no amounts
                    raise ValueError
            elif self.type == "bool":
                if isinstance(value, bool):
                    out = value
                elif str(value).strip().lower() in _TRUE:
                    out = True
                elif str(value).strip().lower() in _FALSE:
                    out = False
                else:
                    raise ValueError
            elif self.type == "json":
                out = _json_value(value)
            else:  # choice
                out = str(value)
                if out not in self.choices:
                    raise self._bad(value, "is not a choice")
        except ParameterError:
            raise
        except (TypeError, ValueError, OverflowError):
            raise self._bad(value, f"is not a valid {self.type}") from None
        if self.type in ("int", "float"):
            self._check_bounds(value, out)
        return out

    def _check_bounds(self, given: Any, out: float) -> None:
        if self.min is not None and out < self.min:
            raise self._bad(given, f"is below the minimum {_num(self.min)}")
        if self.max is not None and out > self.max:
            raise self._bad(given, f"is above the maximum {_num(self.max)}")

    def _items(self, value: Any) -> list:
        """The raw items of a multi or range value: a list, JSON list text, or separated text."""
        if isinstance(value, (list, tuple)):
            return list(value)
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                try:
                    parsed = json.loads(text)
                except ValueError:
                    raise self._bad(value, "is not a valid JSON list") from None
                if not isinstance(parsed, list):
                    raise self._bad(value, "is not a list")
                return parsed
            sep = ".." if self.type == "range" and ".." in text else ","
            return [t.strip() for t in text.split(sep)]
        raise self._bad(value, f"is not a valid {self.type}")

    def _item(self, given: Any, x: Any) -> Any:
        """One item converted to ``self.item`` and checked against choices and bounds."""
        try:
            if isinstance(x, bool) or isinstance(x, (dict, list, tuple)) or x is None:
                raise ValueError
            if self.item == "str":
                out: Any = str(x)
            elif self.item == "int":
                if isinstance(x, float) and not x.is_integer():
                    raise ValueError
                out = int(x.strip()) if isinstance(x, str) else int(x)
            else:
                out = float(x)
                if not math.isfinite(out):
                    raise ValueError
        except (TypeError, ValueError, OverflowError):
            raise self._bad(given, f"has an item {x!r} that is not a valid {self.item}") from None
        if self.choices and str(out) not in self.choices:
            raise self._bad(given, f"has an item {x!r} that is not a choice")
        if self.item != "str":
            self._check_bounds(given, out)
        return out

    def _coerce_multi(self, value: Any) -> list:
        raw = self._items(value)
        out = []
        for x in raw:
            if isinstance(x, str) and x == "" and not isinstance(value, (list, tuple)):
                continue   # "KOR,,CHN" or a trailing comma: nothing between the commas
            item = self._item(value, x)
            if item not in out:   # a set of values: each once, in the order given
                out.append(item)
        if not out and self.required:
            raise ParameterError(f"parameter {self.name!r} is required ({self.help}); allowed: {self.allowed()}")
        return out

    def _coerce_range(self, value: Any) -> list:
        raw = self._items(value)
        if len(raw) != 2:
            raise self._bad(value, "is not two values lo..hi")
        lo, hi = (self._item(value, x) for x in raw)
        if lo > hi:
            raise self._bad(value, "has lo above hi")
        return [lo, hi]

    def _item_text(self, x: Any) -> str:
        return repr(float(x)) if self.item == "float" else str(x)

    def to_text(self, value: Any) -> str:
        """Text that ``coerce`` turns back into ``value`` (None: empty text, i.e. the default)."""
        if value is None:
            return ""
        if self.type == "range":
            lo, hi = value
            return f"{self._item_text(lo)}..{self._item_text(hi)}"
        if self.type == "multi":
            texts = [self._item_text(x) for x in value]
            # plain "KOR,CHN" unless an item would not survive it (commas, spaces at the ends, empty)
            if texts and all(t and t == t.strip() and "," not in t for t in texts) and not texts[0].startswith("["):
                return ",".join(texts)
            return json.dumps(list(value), ensure_ascii=False)
        if self.type == "json":
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        if self.type == "bool":
            return "true" if value else "false"
        if self.type == "float":
            return repr(float(value))  # shortest text that reads back as the same float
        return str(value)


def _json_value(value: Any) -> Any:
    """A JSON parameter's value: text is parsed as JSON when it is JSON, else kept as text
    (so ``-p country=KOR`` works as well as ``-p 'keys=["a", "b"]'``)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    json.dumps(value)  # TypeError for values JSON cannot hold
    return value


@dataclass(frozen=True)
class Column:
    name: str
    unit: str
    description: str


@dataclass(frozen=True)
class QueryModule:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[Column, ...]
    cypher: str | None = None
    # steps(tx, params) -> list[dict]; ``tx.run(cypher, params)`` returns a list of dicts
    steps: Callable[[Any, dict[str, Any]], list[dict[str, Any]]] | None = None
    layer: str = "sector"  # which part of the graph it reads: sector | firm | trade | any
    # projects an in-memory GDS graph: heavy on heap, so the runner bounds how many run at once
    uses_gds_projection: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if (self.cypher is None) == (self.steps is None):
            raise ValueError(f"module {self.name}: give exactly one of cypher or steps")

    def coerce_params(self, given: dict[str, Any] | None) -> dict[str, Any]:
        given = dict(given or {})
        known = {p.name for p in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            raise ParameterError(f"module {self.name!r} has no parameter(s) {unknown}; "
                                 f"known: {sorted(known)}")
        return {p.name: p.coerce(given.get(p.name)) for p in self.params}

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]
