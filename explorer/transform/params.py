"""Typed parameter specs for the Reports page and their round trip through URL query parameters.

Pure. A query module declares its parameters (queries.model.Param); a saved report only has
defaults ({name: value} JSON), so its types are read off the default values.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

QUERY_PREFIX = "p_"  # URL query parameter prefix for report parameters: ?p_year=2020


@dataclass(frozen=True)
class Spec:
    name: str
    type: str  # str | int | float | bool | choice | json
    default: Any = None
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""


def from_module_param(p) -> Spec:
    return Spec(p.name, p.type, p.default, p.min, p.max, tuple(p.choices), p.help)


def from_saved_defaults(params: dict[str, Any]) -> list[Spec]:
    specs = []
    for name, value in sorted(params.items()):
        if isinstance(value, bool):
            kind = "bool"
        elif isinstance(value, int):
            kind = "int"
        elif isinstance(value, float):
            kind = "float"
        elif isinstance(value, str):
            kind = "str"
        else:  # null, lists, maps: edited as JSON text
            kind = "json"
        specs.append(Spec(name, kind, value))
    return specs


def parse(spec: Spec, text: str) -> Any:
    """A value from URL text; raises ValueError when it does not fit the spec."""
    if spec.type == "bool":
        low = text.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{spec.name}: {text!r} is not true/false")
    if spec.type == "int":
        return None if text == "" else int(text)
    if spec.type == "float":
        return None if text == "" else float(text)
    if spec.type == "choice":
        if text not in spec.choices:
            raise ValueError(f"{spec.name}: {text!r} is not one of {list(spec.choices)}")
        return text
    if spec.type == "json":
        return json.loads(text) if text else None
    return text


def render(spec: Spec, value: Any) -> str:
    """URL text for a value (inverse of ``parse``)."""
    if value is None:
        return ""
    if spec.type == "bool":
        return "true" if value else "false"
    if spec.type == "json":
        return json.dumps(value)
    return str(value)


def from_query(specs: list[Spec], query: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Values given in the URL (prefixed names) and the problems with the ones that do not parse."""
    values, problems = {}, []
    for spec in specs:
        key = QUERY_PREFIX + spec.name
        if key in query:
            try:
                values[spec.name] = parse(spec, query[key])
            except ValueError as exc:
                problems.append(str(exc))
    return values, problems


def to_query(specs: list[Spec], values: dict[str, Any]) -> dict[str, str]:
    return {QUERY_PREFIX + s.name: render(s, values.get(s.name)) for s in specs
            if values.get(s.name) is not None}
