"""The benchmark statistics against numpy's own percentile and hand-worked ratios."""
import numpy as np
import pytest

from bench.stats import Timing, percentile, ratio


@pytest.mark.parametrize("q", [0, 25, 50, 90, 95, 100])
def test_percentile_matches_numpy(q):
    values = [0.31, 0.12, 0.57, 0.44, 0.09, 1.7, 0.66]
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)), abs=1e-12)


def test_ratio_per_item_and_by_time():
    slow = Timing("naive", [10.0, 12.0, 11.0], items=1000)   # 1000 items in 11 s
    fast = Timing("ours", [1.0, 1.2, 1.1], items=2000)      # 2000 items in 1.1 s
    assert ratio(slow, fast) == pytest.approx((2000 / 1.1) / (1000 / 11.0))
    assert ratio(Timing("a", [4.0]), Timing("b", [2.0])) == pytest.approx(2.0)
