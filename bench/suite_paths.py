"""Section 3: upstream/downstream path latency by depth on WIOD, against the numpy enumeration.

The reference is the tests' enumerator (``tests.support.paths.per_depth``): the same pruning
rule as the modules, so the path counts and per-depth totals must agree.
"""
from __future__ import annotations

from bench.record import Record
from bench.stats import measure
from queries.runner import run_module
from tests.support.flows import coefficients
from tests.support.paths import per_depth

NODE = "KOR|Electrical and Optical Equipment"
LIMIT = 20          # the modules' default (top paths listed per depth)


def run(rec: Record, io, year: int, depths, thresholds, *, repeat: int, log) -> None:
    Z = io.Z.to_numpy(dtype=float)
    x = io.x.to_numpy(dtype=float).ravel()
    A, B = coefficients(Z, x)
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
                "ref", per_depth(M, start, depth, threshold, upstream=up)), repeat=repeat)
            df, ref = out["df"], out["ref"]
            got = {int(dd): (int(g["depth_paths"].iloc[0]), float(g["depth_total"].iloc[0]))
                   for dd, g in df.groupby("depth")}
            # the same depths, and at each the same number of paths and the same total
            agree = set(got) == {r["depth"] for r in ref} and all(
                got[r["depth"]][0] == r["paths"] and abs(got[r["depth"]][1] - r["total"]) <= 1e-9 * max(1.0, r["total"])
                for r in ref)
            paths = sum(r["paths"] for r in ref)
            fig = rec.add("paths", module, t, depth=depth, threshold=threshold, paths_enumerated=paths, agrees_with_numpy=agree)
            rec.add("paths", module, t_np, depth=depth, threshold=threshold, paths_enumerated=paths)
            fig.baseline = t_np.name
            fig.ratio = t_np.median_s / t.median_s
            log(f"  {module} depth {depth} threshold {threshold:g}: median {t.median_s:.3f}s p95 {t.p95_s:.3f}s, {paths} paths, "
                f"numpy {t_np.median_s:.3f}s, agree={agree}")
