"""How a cost grows with size: the exponent of cost ~ c * size^k by least squares on log-log points."""
from __future__ import annotations

import math


def fit_exponent(sizes: list[float], costs: list[float]) -> tuple[float, float]:
    """(k, c) minimizing sum (log cost - log c - k log size)^2; needs two distinct positive sizes."""
    pts = [(math.log(s), math.log(t)) for s, t in zip(sizes, costs) if s > 0 and t > 0]
    if len({x for x, _ in pts}) < 2:
        raise ValueError("need costs at two or more different positive sizes")
    n = len(pts)
    mx = sum(x for x, _ in pts) / n
    my = sum(y for _, y in pts) / n
    k = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
    return k, math.exp(my - k * mx)


def predict(k: float, c: float, size: float) -> float:
    return c * size ** k
