"""Value-added paths enumerated in plain numpy, for the va-paths tests (imports none of the product's math).

A path i -> k_1 -> ... -> j ending in destination d is worth v_i a_ik1 ... a_kj y_j^d with
x = Z 1 + Y 1, a = Z / x (columns), v = 1 - column sums of a. The enumeration keeps an extension
to sector k of a prefix with weight w when a != 0, (B |y^d|)_k > 0 and |w a| (B |y^d|)_k >= threshold,
the rule the module documents; B |y^d| is solved here with numpy.linalg.solve.
"""
from __future__ import annotations

import numpy as np


def prepare(Z: np.ndarray, Y: np.ndarray, dest_cols: list[int], rows: list[int] | None = None) -> dict:
    """``rows``: an inter-regional table's paths, which run inside one country: x, a and v from the whole
    table, then A, v and y cut to those rows (indices of the result are positions in ``rows``)."""
    x = Z.sum(axis=1) + Y.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        A = np.where(x[None, :] != 0, Z / x[None, :], 0.0)
    v = 1.0 - A.sum(axis=0)
    y = Y[:, dest_cols].sum(axis=1)
    if rows is not None:
        A, v, y = A[np.ix_(rows, rows)], v[rows], y[rows]
    bound = np.linalg.solve(np.eye(len(y)) - A, np.abs(y))
    limit = v * np.linalg.solve(np.eye(len(y)) - A, y)
    return dict(A=A, v=v, y=y, bound=bound, limit=limit)


def partial_sums(p: dict, origins: list[int], depth: int) -> list[float]:
    """sum over origins i of v_i (A^m y)_i for m = 0..depth."""
    out, u = [], p["y"].copy()
    for _ in range(depth + 1):
        out.append(float(p["v"][origins] @ u[origins]))
        u = p["A"] @ u
    return out


def enumerate_paths(p: dict, origins: list[int], depth: int, threshold: float) -> list[list[tuple]]:
    """Per depth: (path as a tuple of row indices, value) of every surviving path."""
    A, v, y, bound = p["A"], p["v"], p["y"], p["bound"]
    level = [((i,), v[i]) for i in origins]
    out = [[(path, w * y[path[-1]]) for path, w in level]]
    for _ in range(depth):
        nxt = []
        for path, w in level:
            j = path[-1]
            if w == 0 or bound[j] <= 0 or abs(w) * bound[j] < threshold:
                continue
            for k in np.flatnonzero(A[j]):
                wk = w * A[j, k]
                if bound[k] > 0 and abs(wk) * bound[k] >= threshold:
                    nxt.append((path + (int(k),), wk))
        level = nxt
        out.append([(path, w * y[path[-1]]) for path, w in level])
        if not level:
            break
    return out
