"""The numpy reference of the path modules: every path whose running product stays >= threshold.

One vectorised breadth-first enumeration serves the tests (every path with its value) and the
benchmark (per-depth summaries). Its rule is the one of ``queries/modules/paths.py``
(docs/methods.md, "Upstream and downstream paths"):

- upstream, over M = A: a path k_m -> ... -> k_1 -> j ends at the start node j and is extended
  at its far end by the suppliers k of its head h, with coefficient M[k, h] (a column of A);
- downstream, over M = B: a path j -> k_1 -> ... -> k_m starts at j and is extended by the
  buyers k of its head h, with coefficient M[h, k] (a row of B);
- an entry that is not > 0 is no link (zero flows are not written to the graph); self-loops
  (M[h, h] > 0) are links like any other, so a node may appear several times on a path;
- the running product is computed from the start node outwards, value * coefficient, the order
  the Cypher statement multiplies in, so values are bit-identical to the module's;
- a path whose running product falls below the threshold is dropped and never extended.

With threshold 0 and non-negative M, the values of the paths of length m sum to the column
sum (M^m)[:, j].sum() upstream and the row sum (M^m)[j, :].sum() downstream.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

CHUNK = 2048   # frontier rows multiplied at once: bounds memory at CHUNK x n floats


@dataclass(frozen=True)
class Level:
    """The paths of one depth: parallel arrays, one entry per path."""
    heads: np.ndarray     # node index at the path's far end (the node added last)
    values: np.ndarray    # running product of coefficients
    parents: np.ndarray   # index of the path it extends, in the previous level's arrays


def levels(M: np.ndarray, start: int, depth: int, threshold: float, *, upstream: bool,
           chunk: int = CHUNK) -> Iterator[Level]:
    """Yield the surviving paths of depth 1, 2, ... up to ``depth``; stop early when none survive."""
    M = np.asarray(M, dtype=float)
    C = M.T if upstream else M            # row h of C: coefficients of extending a path whose head is h
    heads = np.array([start], dtype=np.intp)
    values = np.array([1.0])
    for _ in range(depth):
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for s in range(0, len(heads), chunk):
            coef = C[heads[s:s + chunk]]
            block = values[s:s + chunk, None] * coef
            rows, cols = np.nonzero((coef > 0) & (block >= threshold))
            parts.append((rows + s, cols, block[rows, cols]))
        parents = np.concatenate([p[0] for p in parts])
        heads = np.concatenate([p[1] for p in parts]).astype(np.intp)
        values = np.concatenate([p[2] for p in parts])
        if not len(values):
            return
        yield Level(heads=heads, values=values, parents=parents)


def all_paths(M: np.ndarray, start: int, depth: int, threshold: float, *, upstream: bool,
              chunk: int = CHUNK) -> dict[tuple[int, ...], float]:
    """Every path of length 1..depth with its value, as tuples of node indices: the start node
    LAST upstream (k_m, ..., k_1, j), FIRST downstream (j, k_1, ..., k_m)."""
    out: dict[tuple[int, ...], float] = {}
    kept: list[Level] = []
    for level in levels(M, start, depth, threshold, upstream=upstream, chunk=chunk):
        kept.append(level)
        # walk back from the far end to the start: column 0 = far end, column d = start
        nodes = np.empty((len(level.values), len(kept) + 1), dtype=np.intp)
        idx = np.arange(len(level.values))
        for col, lvl in enumerate(reversed(kept)):
            nodes[:, col] = lvl.heads[idx]
            idx = lvl.parents[idx]
        nodes[:, -1] = start
        if not upstream:
            nodes = nodes[:, ::-1]
        out.update(zip(map(tuple, nodes.tolist()), level.values.tolist()))
    return out


def per_depth(M: np.ndarray, start: int, depth: int, threshold: float, *, upstream: bool, top: int = 20,
              chunk: int = CHUNK) -> list[dict]:
    """[{depth, paths, total, top}] for each depth that has paths (top: the ``top`` largest values)."""
    return [{"depth": d, "paths": int(len(level.values)), "total": float(level.values.sum()),
             "top": np.sort(level.values)[::-1][:top].tolist()}
            for d, level in enumerate(levels(M, start, depth, threshold, upstream=upstream, chunk=chunk), start=1)]
