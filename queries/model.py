"""What a query module is: typed parameters, output columns with units, and its Cypher.

A ``QueryModule`` is data (name, title, description with its formula or paper,
parameters, columns) plus either one parameterized Cypher statement (``cypher``) or a
Python function (``steps``) that runs several parameterized Cypher statements inside the
one READ transaction the runner opens. ``Param.coerce`` turns text from a CLI or a form
into the declared type and checks the allowed range, raising ``ParameterError``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from queries.errors import ParameterError

PARAM_TYPES = ("str", "int", "float", "bool", "choice")
_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off"}


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

    def __post_init__(self):
        if self.type not in PARAM_TYPES:
            raise ValueError(f"parameter {self.name}: type {self.type!r} not in {PARAM_TYPES}")

    def coerce(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ``ParameterError``."""
        if value is None or (isinstance(value, str) and value == "" and self.type != "str"):
            if self.required:
                raise ParameterError(f"parameter {self.name!r} is required ({self.help})")
            return self.default
        try:
            if self.type == "str":
                out: Any = str(value)
            elif self.type == "int":
                if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                    raise ValueError
                out = int(value)
            elif self.type == "float":
                if isinstance(value, bool):
                    raise ValueError
                out = float(value)
                if out != out:  # NaN
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
            else:  # choice
                out = str(value)
                if out not in self.choices:
                    raise ParameterError(f"parameter {self.name!r}: {out!r} is not one of {list(self.choices)}")
        except ParameterError:
            raise
        except (TypeError, ValueError):
            raise ParameterError(f"parameter {self.name!r}: {value!r} is not a valid {self.type}") from None
        if self.type in ("int", "float"):
            if self.min is not None and out < self.min:
                raise ParameterError(f"parameter {self.name!r}: {out} is below the minimum {self.min}")
            if self.max is not None and out > self.max:
                raise ParameterError(f"parameter {self.name!r}: {out} is above the maximum {self.max}")
        return out


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
