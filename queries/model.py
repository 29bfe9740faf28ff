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
# whose saved default is null, a list or a map, and for $names their Cypher uses without one
PARAM_TYPES = ("str", "int", "float", "bool", "choice", "json")
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

    def __post_init__(self):
        if self.type not in PARAM_TYPES:
            raise ValueError(f"parameter {self.name}: type {self.type!r} not in {PARAM_TYPES}")
        if self.type == "choice" and not self.choices:
            raise ValueError(f"parameter {self.name}: a choice needs choices")

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
        what = "an integer" if self.type == "int" else "a number"
        if self.min is not None and self.max is not None:
            rng = f" from {_num(self.min)} to {_num(self.max)}"
        elif self.min is not None:
            rng = f" of at least {_num(self.min)}"
        elif self.max is not None:
            rng = f" of at most {_num(self.max)}"
        else:
            rng = ""
        empty = "" if self.required else ", or empty" if self.default is None else \
            f", or empty for the default ({self.to_text(self.default)})"
        return what + rng + empty

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
            return self.default
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
            if self.min is not None and out < self.min:
                raise self._bad(value, f"is below the minimum {_num(self.min)}")
            if self.max is not None and out > self.max:
                raise self._bad(value, f"is above the maximum {_num(self.max)}")
        return out

    def to_text(self, value: Any) -> str:
        """Text that ``coerce`` turns back into ``value`` (None: empty text, i.e. the default)."""
        if value is None:
            return ""
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
