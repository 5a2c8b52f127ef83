"""The statistics of A/B tests, in pure Python (math.erfc, math.sqrt).

Why not SciPy: two formulas (the Wilson score interval and the pooled two-proportion z-test) need
only the normal distribution's tail, which `math.erfc` gives exactly; SciPy would add a ~40 MB
compiled dependency to every install for that. The tests check these values against figures
computed independently.
"""

import math

Z_95 = 1.959963984540054  # the standard normal quantile for a two-sided 95 % interval
Z_80_POWER = 0.8416212335729143  # one-sided quantile for 80 % power


def rate(successes: int, trials: int) -> float | None:
    return successes / trials if trials else None


def wilson_interval(successes: int, trials: int, *, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion; None without trials."""
    if trials <= 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def two_proportion_p_value(x1: int, n1: int, x2: int, n2: int) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test; None when a side has no trials."""
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (x1 + x2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance == 0:
        return 1.0  # both all-successes or all-failures: no evidence of a difference
    z = (x1 / n1 - x2 / n2) / math.sqrt(variance)
    return math.erfc(abs(z) / math.sqrt(2))


def sample_size_per_group(p1: float, p2: float, *, z_alpha: float = Z_95, z_power: float = Z_80_POWER) -> int | None:
    """Sends per variant to detect the difference between p1 and p2 at 5 % with 80 % power; None if equal."""
    if p1 == p2:
        return None
    mean = (p1 + p2) / 2
    numerator = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_power * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(numerator**2 / (p1 - p2) ** 2)
