"""Two-way fixed-effects panel regression with errors clustered by entity (pure; no I/O).

``fixed_effects(panel, y, xs, entity, time)`` fits

    y_it = a_i + d_t + x_it' b + e_it

by OLS on the within-transformed data (host effects a_i and year effects d_t removed), as
``linearmodels.PanelOLS(entity_effects=True, time_effects=True)`` does, with the covariance of b
clustered by entity (Arellano 1987), linearmodels' default scaling:

    V = N / (N - K - G - T + 1) * (X'X)^-1 (sum_g X_g' u_g u_g' X_g) (X'X)^-1

on the within-transformed X and residuals u, with N observations, K slopes, G hosts and T years:
N over the residual degrees of freedom, the effects counted (``debiased=True``; Stata's ``areg``
counts them too; more conservative than ``xtreg, fe``'s G/(G-1)(N-1)/(N-K) when hosts are few);
p-values and 95% intervals from Student's t with those N - K - G - T + 1 degrees of freedom. Rows with a missing y or x are left out, and so are
regressors the effects absorb (no variation left within host and year); both are reported.

Returns a ``Estimate``: the coefficient table (``variable, coefficient, std_error, t, p_value,
ci_low, ci_high``) and what the fit used (observations, hosts, years, within R^2, what was dropped).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

COLUMNS = ("variable", "coefficient", "std_error", "t", "p_value", "ci_low", "ci_high")


class PanelError(ValueError):
    """The panel cannot identify the model (too few observations, hosts or years); says what is missing."""


@dataclass
class Estimate:
    table: pd.DataFrame
    n_obs: int
    n_entities: int
    n_periods: int
    r2_within: float
    dependent: str
    absorbed: list[str] = field(default_factory=list)   # regressors without within variation: not estimated
    dropped_rows: int = 0                                # rows with a missing value in y or xs
    notes: list[str] = field(default_factory=list)


def fixed_effects(panel: pd.DataFrame, y: str, xs: list[str], entity: str = "host", time: str = "year") -> Estimate:
    from linearmodels.panel import PanelOLS   # imported here: a page that never estimates does not pay for it

    missing = [c for c in (y, *xs, entity, time) if c not in panel.columns]
    if missing:
        raise PanelError(f"the panel has no column(s) {missing}; columns: {list(panel.columns)}")
    if not xs:
        raise PanelError("no regressor chosen; expected at least one variable")
    data = panel[[entity, time, y, *xs]].copy()
    for c in (y, *xs):
        data[c] = pd.to_numeric(data[c], errors="coerce").astype(float)
    complete = data.dropna()
    dropped = len(data) - len(complete)
    counts = complete.groupby(entity)[time].transform("size")
    # a host seen once is all host effect: it identifies nothing and would only shrink the residual degrees
    complete = complete[counts > 1]
    notes = []
    if dropped:
        notes.append(f"{dropped} host-year row(s) left out: a value of {y} or of a regressor is missing")
    hosts, periods = complete[entity].nunique(), complete[time].nunique()
    if hosts < 2 or periods < 2:
        raise PanelError(f"host and year effects need at least 2 hosts and 2 years with complete rows, each host "
                         f"seen in 2 or more years; the panel has {hosts} host(s) and {periods} year(s) "
                         f"({len(complete)} complete row(s))")
    frame = complete.set_index([entity, time]).sort_index()
    absorbed = [x for x in xs if _within_variance(frame, x, entity, time) <= 1e-12 * max(1.0, frame[x].var())]
    kept = [x for x in xs if x not in absorbed]
    if absorbed:
        notes.append(f"not estimated (no variation within host and year, absorbed by the effects): {absorbed}")
    if not kept:
        raise PanelError(f"every regressor is absorbed by the host and year effects: {absorbed}")
    n_params = len(kept)
    dof = len(frame) - hosts - periods + 1 - n_params
    if dof < 1:
        raise PanelError(f"{len(frame)} complete rows cannot identify {n_params} coefficient(s) besides {hosts} host "
                         f"and {periods} year effects; expected more observations")
    model = PanelOLS(frame[y], frame[kept], entity_effects=True, time_effects=True, drop_absorbed=True)
    fit = model.fit(cov_type="clustered", cluster_entity=True, debiased=True)
    ci = fit.conf_int()
    table = pd.DataFrame({
        "variable": kept,
        "coefficient": [float(fit.params[x]) for x in kept],
        "std_error": [float(fit.std_errors[x]) for x in kept],
        "t": [float(fit.tstats[x]) for x in kept],
        "p_value": [float(fit.pvalues[x]) for x in kept],
        "ci_low": [float(ci.loc[x, "lower"]) for x in kept],
        "ci_high": [float(ci.loc[x, "upper"]) for x in kept],
    }, columns=list(COLUMNS))
    if hosts < 20:
        notes.append(f"only {hosts} clusters (hosts): clustered standard errors are unreliable with few clusters "
                     "(Cameron and Miller 2015); read the p-values with care")
    return Estimate(table, int(fit.nobs), hosts, periods, float(fit.rsquared_within), y, absorbed, dropped, notes)


def _within_variance(frame: pd.DataFrame, x: str, entity: str, time: str) -> float:
    """Variance of x left after removing host and year means (alternating projections to convergence)."""
    v = frame[x].to_numpy(dtype=float) - frame[x].mean()
    ent = pd.factorize(frame.index.get_level_values(entity))[0]
    per = pd.factorize(frame.index.get_level_values(time))[0]
    n_ent, n_per = np.bincount(ent).astype(float), np.bincount(per).astype(float)
    for _ in range(1000):
        before = v.copy()
        v = v - (np.bincount(ent, weights=v) / n_ent)[ent]
        v = v - (np.bincount(per, weights=v) / n_per)[per]
        if np.max(np.abs(v - before)) < 1e-13:
            break
    return float(np.var(v))
