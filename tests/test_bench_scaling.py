"""The scaling exponent fit against hand-worked examples."""
import math

import pytest

from bench.scaling import fit_exponent, predict


def test_exact_power_law():
    # cost = 2 * n^2 at n = 1, 2, 4: log-log points lie on a line of slope 2 through log 2
    k, c = fit_exponent([1, 2, 4], [2, 8, 32])
    assert k == pytest.approx(2.0)
    assert c == pytest.approx(2.0)
    assert predict(k, c, 10) == pytest.approx(200.0)


def test_least_squares_by_hand():
    # sizes 10, 100, 1000 -> x = 1, 2, 3 (in units of ln 10); costs 1, 10, 1000 -> y = 0, 1, 3 (ln 10 units)
    # slope = sum (x - 2)(y - 4/3) / sum (x - 2)^2 = ((-1)(-4/3) + 0 + (1)(5/3)) / 2 = 1.5
    # intercept (ln 10 units) = 4/3 - 1.5 * 2 = -5/3, so c = 10^(-5/3)
    k, c = fit_exponent([10, 100, 1000], [1, 10, 1000])
    assert k == pytest.approx(1.5)
    assert c == pytest.approx(10 ** (-5 / 3))


def test_needs_two_sizes():
    with pytest.raises(ValueError):
        fit_exponent([5, 5], [1, 2])
    with pytest.raises(ValueError):
        fit_exponent([0, 3], [1, 2])   # a zero size has no logarithm; one point is left
