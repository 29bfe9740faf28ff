"""iomath.basic against hand-worked examples and textbook identities (no database)."""
from __future__ import annotations

import numpy as np
import pytest

from iomath import basic as mm
# countries ('A' holds sector 1, 'B' sector 2) so exports are defined.
Z2 = np.array([[150.0, 500.0], [200.0, 100.0]])
Y2 = np.array([[300.0, 50.0], [0.0, 1700.0]])        # columns: final demand of A, of B
X2 = np.array([1000.0, 2000.0])                      # = Z 1 + Y 1
C2 = np.array(["A", "B"])
DET = 0.85 * 0.95 - 0.25 * 0.2                       # det(I - A) = det(I - B) = 0.7575


def test_two_sector_coefficients_by_hand():
    np.testing.assert_allclose(mm.technical_coefficients(Z2, X2), [[0.15, 0.25], [0.20, 0.05]])
    np.testing.assert_allclose(mm.allocation_coefficients(Z2, X2), [[0.15, 0.50], [0.10, 0.05]])
    np.testing.assert_allclose(mm.value_added_coefficients(mm.technical_coefficients(Z2, X2), X2), [0.65, 0.70])
    np.testing.assert_allclose(mm.value_added(Z2, X2), [650.0, 1400.0])


def test_two_sector_inverses_by_hand():
    # 2x2 inverse by the adjugate formula, worked on paper
    L = np.array([[0.95, 0.25], [0.20, 0.85]]) / DET
    G = np.array([[0.95, 0.50], [0.10, 0.85]]) / DET
    np.testing.assert_allclose(mm.leontief_inverse(mm.technical_coefficients(Z2, X2)), L, rtol=1e-12)
    np.testing.assert_allclose(mm.ghosh_inverse(mm.allocation_coefficients(Z2, X2)), G, rtol=1e-12)


def test_two_sector_linkages_and_upstreamness_by_hand():
    acc = mm.sector_accounts(Z2, Y2, X2, C2, C2, C2)
    np.testing.assert_allclose(acc.backward_linkage, 2 * np.array([1.15, 1.10]) / 2.25)
    np.testing.assert_allclose(acc.forward_linkage, 2 * np.array([1.45, 0.95]) / 2.40)
    np.testing.assert_allclose(acc.upstreamness, np.array([1.45, 0.95]) / DET)
    np.testing.assert_allclose(acc.final_demand, [350.0, 1700.0])


def test_two_sector_exports_and_embodied_value_added_by_hand():
    acc = mm.sector_accounts(Z2, Y2, X2, C2, C2, C2)
    # A's exports: z_12 = 500 to B's industry + 50 of B's final demand; B's: z_21 = 200
    np.testing.assert_allclose(acc.exports, [550.0, 200.0])
    np.testing.assert_allclose(acc.dva_exports, [0.65 * 0.95 / DET * 550, 0.70 * 0.85 / DET * 200])
    np.testing.assert_allclose(acc.fva_exports, [0.70 * 0.20 / DET * 550, 0.65 * 0.25 / DET * 200])


def test_zero_output_sector_gets_zero_coefficients_not_nan():
    Z = np.array([[10.0, 5.0, 0.0], [4.0, 20.0, 0.0], [0.0, 0.0, 0.0]])
    Y = np.array([[85.0], [76.0], [0.0]])
    x = Z.sum(1) + Y.sum(1)
    assert x[2] == 0
    acc = mm.sector_accounts(Z, Y, x, np.array(["C"] * 3), np.array(["C"] * 3), np.array(["C"]))
    for name in ("A", "B", *mm.SectorAccounts.PROPERTY_NAMES):
        assert np.all(np.isfinite(getattr(acc, name))), name
    assert np.all(acc.A[:, 2] == 0) and np.all(acc.B[2, :] == 0)
    assert acc.va_coef[2] == 0
    np.testing.assert_allclose(acc.A[:, 0], Z[:, 0] / 100.0)


def test_zero_output_with_inputs_still_divides_by_nothing():
    # a malformed-but-possible row: inputs into a sector that reports no output
    Z = np.array([[1.0, 3.0], [0.0, 0.0]])
    x = np.array([10.0, 0.0])
    with np.errstate(all="raise"):           # any division by zero would raise here
        A = mm.technical_coefficients(Z, x)
        B = mm.allocation_coefficients(Z, x)
    assert A[0, 1] == 0 and B[1, 0] == 0


def _random_table(n_countries=3, n_ind=4, seed=0):
    rng = np.random.default_rng(seed)
    n = n_countries * n_ind
    Z = rng.uniform(0, 10, (n, n)) * (rng.uniform(size=(n, n)) < 0.7)
    Y = rng.uniform(5, 50, (n, n_countries * 2))
    x = Z.sum(1) + Y.sum(1)
    country = np.repeat(np.array([f"C{k}" for k in range(n_countries)]), n_ind)
    y_country = np.repeat(np.array([f"C{k}" for k in range(n_countries)]), 2)
    return Z, Y, x, country, y_country


def test_leontief_inverse_equals_power_series():
    Z, Y, x, *_ = _random_table()
    A = mm.technical_coefficients(Z, x)
    series, term = np.eye(len(x)), np.eye(len(x))
    for _ in range(400):
        term = term @ A
        series += term
    np.testing.assert_allclose(mm.leontief_inverse(A), series, rtol=1e-9)


def test_value_added_coefficients_times_leontief_is_ones():
    Z, Y, x, *_ = _random_table(seed=1)
    A = mm.technical_coefficients(Z, x)
    v = mm.value_added_coefficients(A, x)
    np.testing.assert_allclose(v @ mm.leontief_inverse(A), np.ones(len(x)), rtol=1e-12)
    # and L y = x: the Leontief model reproduces gross output from final demand
    np.testing.assert_allclose(mm.leontief_inverse(A) @ Y.sum(1), x, rtol=1e-12)


def test_ghosh_is_similar_to_leontief():
    # G = diag(x)^-1 L diag(x) (Miller & Blair eq. 12.11) -- a route that never inverts I - B
    Z, Y, x, *_ = _random_table(seed=2)
    L = np.linalg.inv(np.eye(len(x)) - Z / x[np.newaxis, :])
    np.testing.assert_allclose(mm.ghosh_inverse(mm.allocation_coefficients(Z, x)),
                               np.diag(1 / x) @ L @ np.diag(x), rtol=1e-10)


def test_accounts_identities_on_a_random_table():
    Z, Y, x, country, y_country = _random_table(seed=3)
    acc = mm.sector_accounts(Z, Y, x, country, country, y_country)
    n = len(x)
    # exports recomputed with explicit loops
    e = np.array([sum(Z[i, j] for j in range(n) if country[j] != country[i]) +
                  sum(Y[i, f] for f in range(Y.shape[1]) if y_country[f] != country[i]) for i in range(n)])
    np.testing.assert_allclose(acc.exports, e, rtol=1e-12)
    np.testing.assert_allclose(acc.dva_exports + acc.fva_exports, acc.exports, rtol=1e-10)
    assert np.all(acc.upstreamness >= 1 - 1e-12)
    np.testing.assert_allclose(acc.backward_linkage.mean(), 1.0)
    np.testing.assert_allclose(acc.forward_linkage.mean(), 1.0)
    np.testing.assert_allclose(acc.value_added, x - Z.sum(0))
    np.testing.assert_allclose(acc.va_coef * x, acc.value_added, rtol=1e-10)


def test_singular_system_raises_a_clear_error():
    A = np.array([[1.0, 0.0], [0.0, 0.5]])            # I - A has a zero row
    with pytest.raises(mm.SingularSystemError, match="singular"):
        mm.leontief_inverse(A)


def test_table_country_codes_map_to_iso():
    from loader.mrio.rows import country_name, iso3_code

    assert iso3_code("ROM") == "ROU" and iso3_code("KOR") == "KOR" and iso3_code("RoW") == "RoW"
    assert country_name("ROU")[1] == "RO"
