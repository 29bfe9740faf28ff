"""The numpy reference for path tracing: every path with a running product >= threshold, per depth.

Vectorized breadth-first: the frontier holds one row per surviving path (its head node and
value); each depth multiplies the values by the coefficient rows of the heads and keeps the
entries at or above the threshold, so a path below it is never extended (the same rule as
the Cypher module). Upstream uses columns of A (suppliers of the head), downstream rows of B.
"""
from __future__ import annotations

import numpy as np

CHUNK = 2048


def per_depth(M: np.ndarray, start: int, depth: int, threshold: float, upstream: bool) -> list[dict]:
    """[{depth, paths, total, top}] for depths 1..depth (top: the 20 largest values)."""
    C = M.T if upstream else M            # row h of C: coefficients of extending a path at head h
    heads = np.array([start])
    vals = np.array([1.0])
    out = []
    for d in range(1, depth + 1):
        new_heads, new_vals = [], []
        for s in range(0, len(heads), CHUNK):
            block = vals[s:s + CHUNK, None] * C[heads[s:s + CHUNK]]
            keep = (block >= threshold) & (block > 0)
            rows, cols = np.nonzero(keep)
            new_heads.append(cols)
            new_vals.append(block[rows, cols])
        heads = np.concatenate(new_heads) if new_heads else np.array([], dtype=int)
        vals = np.concatenate(new_vals) if new_vals else np.array([])
        if not len(vals):
            break
        out.append({"depth": d, "paths": int(len(vals)), "total": float(vals.sum()),
                    "top": np.sort(vals)[::-1][:20].tolist()})
    return out
