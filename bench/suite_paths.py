"""Section 3: upstream/downstream path latency by depth on WIOD, against the numpy enumeration."""
from __future__ import annotations

import numpy as np

from bench.path_enum import per_depth
from bench.record import Record
from bench.stats import measure
from queries.runner import run_module

NODE = "KOR|Electrical and Optical Equipment"
LIMIT = 20          # the modules' default (top paths listed per depth)


def run(rec: Record, io, year: int, depths, thresholds, *, repeat: int, log) -> None:
    Z = io.Z.to_numpy(dtype=float)
    x = io.x.to_numpy(dtype=float).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        A = np.where(x[None, :] > 0, Z / x[None, :], 0.0)
        B = np.where(x[:, None] > 0, Z / x[:, None], 0.0)
    keys = [f"{c}|{s}" for c, s in io.Z.index]
    start = keys.index(NODE)
    for (module, M, up), threshold in ((m, t) for m in (("upstream-paths", A, True), ("downstream-paths", B, False))
                                       for t in thresholds):
        for depth in depths:
            params = {"node": NODE, "year": year, "depth": depth, "threshold": threshold, "limit": LIMIT}
            out = {}
            t = measure(f"{module} depth {depth} threshold {threshold:g}", lambda: out.__setitem__("df", run_module(
                module, params, timeout_s=600, row_cap=1_000_000)), repeat=repeat)
            t_np = measure(f"numpy {module} depth {depth} threshold {threshold:g}", lambda: out.__setitem__(
                "ref", per_depth(M, start, depth, threshold, up)), repeat=repeat)
            df, ref = out["df"], out["ref"]
            got = {int(dd): (int(g["depth_paths"].iloc[0]), float(g["depth_total"].iloc[0]))
                   for dd, g in df.groupby("depth")}
            agree = all(got.get(r["depth"], (0, 0))[0] == r["paths"]
                        and abs(got[r["depth"]][1] - r["total"]) <= 1e-9 * max(1.0, r["total"]) for r in ref)
            paths = sum(r["paths"] for r in ref)
            fig = rec.add("paths", module, t, depth=depth, threshold=threshold, paths_enumerated=paths, agrees_with_numpy=agree)
            rec.add("paths", module, t_np, depth=depth, threshold=threshold, paths_enumerated=paths)
            fig.baseline = t_np.name
            fig.ratio = t_np.median_s / t.median_s
            log(f"  {module} depth {depth} threshold {threshold:g}: median {t.median_s:.3f}s p95 {t.p95_s:.3f}s, {paths} paths, "
                f"numpy {t_np.median_s:.3f}s, agree={agree}")
