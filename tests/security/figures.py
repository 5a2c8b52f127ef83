"""Figures the security tests report at the end of the run (cells checked, payloads tried, faults survived).

Each test module adds to FIGURES; tests/security/conftest.py prints them in pytest's terminal summary.
"""

from collections import Counter

FIGURES: Counter = Counter()


def figure_add(name: str, count: int = 1) -> None:
    FIGURES[name] += count
