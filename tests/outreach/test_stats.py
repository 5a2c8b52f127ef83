"""The statistics against values computed independently in the test: the Wilson interval by
inverting the score test numerically (bisection), p-values through `statistics.NormalDist` and the
chi-square identity, and a few figures worked out by hand."""

import math
from statistics import NormalDist

import pytest

from outreach.stats import sample_size_per_group, two_proportion_p_value, wilson_interval

Z = NormalDist().inv_cdf(0.975)


def score_bound(x: int, n: int, *, upper: bool) -> float:
    """The p where the score statistic |x/n - p| / sqrt(p(1-p)/n) equals Z, found by bisection."""
    phat = x / n
    lo, hi = (phat, 1.0) if upper else (0.0, phat)
    for _ in range(200):
        mid = (lo + hi) / 2
        inside = abs(phat - mid) / math.sqrt(mid * (1 - mid) / n) <= Z if 0 < mid < 1 else False
        if upper:
            lo, hi = (mid, hi) if inside else (lo, mid)
        else:
            lo, hi = (lo, mid) if inside else (mid, hi)
    return (lo + hi) / 2


@pytest.mark.parametrize(("x", "n"), [(12, 100), (0, 20), (37, 250), (99, 100), (5, 7)])
def test_wilson_interval_is_where_the_score_test_stops_rejecting(x, n):
    low, high = wilson_interval(x, n)
    assert low == pytest.approx(0.0 if x == 0 else score_bound(x, n, upper=False), abs=1e-9)
    assert high == pytest.approx(1.0 if x == n else score_bound(x, n, upper=True), abs=1e-9)


def test_wilson_by_hand():
    # 12/100: centre (0.12 + 1.9208/100) / 1.038415 = 0.134056, half-width 0.064062.
    assert wilson_interval(12, 100) == pytest.approx((0.069994, 0.198119), abs=1e-5)
    assert wilson_interval(0, 0) is None


def p_value_independent(x1, n1, x2, n2) -> float:
    pooled = (x1 + x2) / (n1 + n2)
    # Pearson's chi-square of the 2x2 table equals z²; its upper tail with 1 df is 2 (1 - Φ(sqrt(X²))).
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    expected = [[n1 * pooled, n1 * (1 - pooled)], [n2 * pooled, n2 * (1 - pooled)]]
    chi2 = sum((table[i][j] - expected[i][j]) ** 2 / expected[i][j] for i in range(2) for j in range(2))
    return 2 * (1 - NormalDist().cdf(math.sqrt(chi2)))


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"), [(30, 200, 15, 200), (45, 150, 30, 150), (7, 120, 9, 95), (50, 400, 20, 410)]
)
def test_two_proportion_p_value_matches_the_chi_square_test(x1, n1, x2, n2):
    assert two_proportion_p_value(x1, n1, x2, n2) == pytest.approx(p_value_independent(x1, n1, x2, n2), rel=1e-9)
    assert two_proportion_p_value(x2, n2, x1, n1) == pytest.approx(two_proportion_p_value(x1, n1, x2, n2))


def test_p_value_by_hand_and_edge_cases():
    # 45/150 vs 30/150: pooled 0.25, standard error sqrt(0.25 * 0.75 * 2/150) = 0.05, z = 2: p = 0.0455003.
    assert two_proportion_p_value(45, 150, 30, 150) == pytest.approx(0.0455003, abs=1e-7)
    assert two_proportion_p_value(10, 100, 10, 100) == pytest.approx(1.0)
    assert two_proportion_p_value(0, 50, 0, 50) == 1.0
    assert two_proportion_p_value(1, 0, 1, 10) is None


def test_sample_size_for_80_percent_power():
    # 10 % vs 15 % (Fleiss, no continuity correction): ((1.96 sqrt(2 .125 .875) + 0.8416 sqrt(.09 + .1275)) / .05)²
    by_hand = ((Z * math.sqrt(2 * 0.125 * 0.875) + NormalDist().inv_cdf(0.8) * math.sqrt(0.09 + 0.1275)) / 0.05) ** 2
    assert sample_size_per_group(0.10, 0.15) == math.ceil(by_hand) == 686
    assert sample_size_per_group(0.2, 0.2) is None
