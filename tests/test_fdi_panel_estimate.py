"""The two-way fixed-effects estimator (queries/panel/estimate.py) on generated panels: it recovers known
coefficients, its point estimates equal a hand-built least-squares-with-dummies fit in numpy, its
clustered 95% intervals cover the truth about 95% of the time, and what it cannot identify it says."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from queries.panel.estimate import PanelError, fixed_effects

TRUE = {"x1": 2.0, "x2": -0.5}


def generated(seed: int, hosts: int = 60, years: int = 10, drop: float = 0.1) -> pd.DataFrame:
    """y = a_i + d_t + 2 x1 - 0.5 x2 + e, x correlated with the effects, e with a host-level AR(1) part
    (so errors are correlated within host, as clustering assumes), about 10% of rows missing (unbalanced)."""
    rng = np.random.default_rng(seed)
    a, d = rng.normal(0, 3, hosts), rng.normal(0, 2, years)
    rows = []
    for i in range(hosts):
        e = 0.0
        for t in range(years):
            e = 0.6 * e + rng.normal(0, 1)
            x1 = rng.normal() + 0.5 * a[i]
            x2 = rng.normal() + 0.7 * d[t] + 0.3 * a[i]
            y = a[i] + d[t] + TRUE["x1"] * x1 + TRUE["x2"] * x2 + e
            if rng.uniform() >= drop:
                rows.append({"host": f"H{i:02d}", "year": 2000 + t, "x1": x1, "x2": x2, "y": y, "level": a[i]})
    return pd.DataFrame(rows)


def lsdv(panel: pd.DataFrame, y: str, xs: list[str]) -> np.ndarray:
    """OLS of y on xs and a dummy per host and per year (one year dropped): the within estimator by hand."""
    hosts = pd.get_dummies(panel["host"], dtype=float).to_numpy()
    years = pd.get_dummies(panel["year"], dtype=float).to_numpy()[:, 1:]
    X = np.column_stack([panel[xs].to_numpy(float), hosts, years])
    beta, *_ = np.linalg.lstsq(X, panel[y].to_numpy(float), rcond=None)
    return beta[: len(xs)]


def test_recovers_known_coefficients_within_two_standard_errors():
    fit = fixed_effects(generated(3), "y", ["x1", "x2"])
    table = fit.table.set_index("variable")
    for name, truth in TRUE.items():
        assert abs(table.at[name, "coefficient"] - truth) < 2 * table.at[name, "std_error"], (name, table)
    assert fit.n_entities == 60 and fit.n_periods == 10 and fit.n_obs == len(generated(3))


def test_point_estimates_equal_least_squares_with_dummies():
    for seed in (1, 2, 5):
        panel = generated(seed, hosts=25, years=7, drop=0.2)
        fit = fixed_effects(panel, "y", ["x1", "x2"])
        np.testing.assert_allclose(fit.table["coefficient"].to_numpy(), lsdv(panel, "y", ["x1", "x2"]),
                                   rtol=1e-9, atol=1e-10)


@pytest.mark.slow   # 200 fits: about 1-2 s each on a shared 2-core machine
def test_clustered_intervals_cover_the_truth_about_95_percent():
    """Over 200 panels the 95% intervals of x1 contain 2.0 in 90-99% of them (a binomial(200, 0.95)
    falls outside 180..198 with probability below 0.1%); unclustered errors with this serial
    correlation would cover far less. Measured: 192 of 200."""
    covered = 0
    for seed in range(200):
        row = fixed_effects(generated(1000 + seed, hosts=40, years=8), "y", ["x1", "x2"]).table.iloc[0]
        covered += row["ci_low"] <= TRUE["x1"] <= row["ci_high"]
    assert 180 <= covered <= 198, covered


def test_standard_errors_match_a_hand_built_cluster_sandwich():
    """V = N / (N - K - G - T + 1) (X'X)^-1 (sum_g X_g' u_g u_g' X_g) (X'X)^-1 on the within-transformed data:
    N over the residual degrees of freedom, host and year effects counted (PanelOLS, debiased=True)."""
    panel = generated(7, hosts=30, years=6, drop=0.0)   # balanced: the two-way within transform is exact
    xs = ["x1", "x2"]
    cols = ["y", *xs]
    w = panel[cols] - panel.groupby("host")[cols].transform("mean") - panel.groupby("year")[cols].transform("mean") \
        + panel[cols].mean()
    X, Y = w[xs].to_numpy(), w["y"].to_numpy()
    beta = np.linalg.solve(X.T @ X, X.T @ Y)
    u = Y - X @ beta
    meat = sum(np.outer(X[idx].T @ u[idx], X[idx].T @ u[idx]) for idx in panel.groupby("host").indices.values())
    bread = np.linalg.inv(X.T @ X)
    n, k, g, t = len(panel), len(xs), panel["host"].nunique(), panel["year"].nunique()
    se = np.sqrt(np.diag(bread @ meat @ bread) * n / (n - k - g - t + 1))
    fit = fixed_effects(panel, "y", xs)
    np.testing.assert_allclose(fit.table["coefficient"], beta, rtol=1e-9)
    np.testing.assert_allclose(fit.table["std_error"], se, rtol=1e-6)
    dof = n - k - g - t + 1
    np.testing.assert_allclose(fit.table["p_value"], 2 * stats.t.sf(np.abs(beta / se), dof), rtol=1e-5)
    np.testing.assert_allclose(fit.table["ci_high"], beta + stats.t.ppf(0.975, dof) * se, rtol=1e-6)


def test_missing_values_and_absorbed_regressors_are_reported():
    panel = generated(4, hosts=20, years=5)
    panel.loc[panel.index[:3], "x2"] = np.nan
    fit = fixed_effects(panel, "y", ["x1", "x2", "level"])
    assert list(fit.table["variable"]) == ["x1", "x2"]
    assert fit.absorbed == ["level"]          # constant within host: the host effects hold it
    assert fit.dropped_rows == 3 and fit.n_obs <= len(panel) - 3
    assert any("left out" in n for n in fit.notes) and any("absorbed" in n for n in fit.notes)


@pytest.mark.parametrize("frame, message", [
    (pd.DataFrame({"host": ["A", "A"], "year": [1, 2], "y": [1.0, 2.0], "x": [0.0, 1.0]}), "at least 2 hosts"),
    (pd.DataFrame({"host": ["A", "B"], "year": [1, 1], "y": [1.0, 2.0], "x": [0.0, 1.0]}), "at least 2 hosts"),
    (pd.DataFrame({"host": ["A", "A", "B", "B"], "year": [1, 2, 1, 2], "y": [1.0, 2.0, 3.0, 5.0],
                   "x": [0.0, 1.0, 0.5, 2.0]}), "cannot identify"),
])
def test_panels_that_identify_nothing_are_refused(frame, message):
    with pytest.raises(PanelError, match=message):
        fixed_effects(frame, "y", ["x"])
