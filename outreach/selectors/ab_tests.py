"""A/B test results: per variant sent, delivered, replied, converted, rates with Wilson intervals,
and the test's state.

The winner is judged on the reply rate (replies / sent). The best variant must beat every other
variant with a two-proportion z-test at 5 % (`p_value` is the largest of those p-values, so with two
variants it is the plain test), and every variant must have at least `AB_TEST_MIN_SAMPLE` sends.

States: `not_enough_data` (some variant is below the minimum sample; `sends_needed` says how many
more), `running` (samples reached, no significant difference yet; `sends_needed` estimates the sends
per variant for 80 % power at the observed rates, or null when the rates are equal), `winner`.
"""

from dataclasses import asdict, dataclass

from django.db.models import Count, Q

from leads.analytics.common import rate
from outreach import conf
from outreach.models import ABTest, AutoResponse, converted_q
from outreach.rollups.reads import variant_counts_from_rollups
from outreach.stats import sample_size_per_group, two_proportion_p_value, wilson_interval

SIGNIFICANCE = 0.05
NOT_ENOUGH_DATA, RUNNING, WINNER = "not_enough_data", "running", "winner"


@dataclass
class VariantResult:
    variant_id: int
    variant: str
    weight: int
    sent: int
    delivered: int
    replied: int
    converted: int
    reply_rate: float | None
    reply_rate_ci: list[float] | None
    conversion_rate: float | None
    conversion_rate_ci: list[float] | None


@dataclass
class ABTestResult:
    id: int
    name: str
    template: str
    status: str
    started_at: object
    ended_at: object
    state: str
    winner: str | None
    p_value: float | None
    min_sample: int
    sends_needed: int | None
    message: str
    variants: list[VariantResult]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat() if self.started_at else None
        data["ended_at"] = self.ended_at.isoformat() if self.ended_at else None
        return data


def _ci(successes: int, trials: int) -> list[float] | None:
    interval = wilson_interval(successes, trials)
    return [round(interval[0], 4), round(interval[1], 4)] if interval else None


def variant_counts_by_test(tests) -> dict[int, dict[int, dict[str, int]]]:
    """{test id: {variant id: sent, delivered, replied, converted}} for `tests`, in one GROUP BY.

    Read from the message rollups' totals when they are on (a test is never sliced by lead filters).
    """
    tests = list(tests)
    rows = variant_counts_from_rollups(test.pk for test in tests)
    counts: dict[int, dict[int, dict[str, int]]] = {test.pk: {} for test in tests}
    for row in _scanned_variant_counts(tests) if rows is None else rows:
        counts[row.pop("ab_test_id")][row.pop("variant_id")] = row
    return counts


def _scanned_variant_counts(tests: list[ABTest]):
    sent = Q(sent_at__isnull=False)
    return (
        AutoResponse.objects.filter(ab_test__in=[test.pk for test in tests], variant__isnull=False)
        .values("ab_test_id", "variant_id")
        .annotate(
            sent=Count("pk", filter=sent),
            delivered=Count("pk", filter=sent & Q(delivered_at__isnull=False)),
            replied=Count("pk", filter=sent & Q(replied_at__isnull=False)),
            converted=Count("pk", filter=sent & converted_q()),
        )
        .order_by()
    )


def variant_counts(test: ABTest) -> dict[int, dict[str, int]]:
    return variant_counts_by_test([test])[test.pk]


def ab_test_result(test: ABTest, *, min_sample: int | None = None, counts: dict | None = None) -> ABTestResult:
    """The test's result; `counts` (its variant_counts) when the caller read them for several tests at once."""
    min_sample = conf.ab_test_min_sample() if min_sample is None else min_sample
    counts = variant_counts(test) if counts is None else counts
    variants = []
    for variant in test.template.variants.filter(Q(active=True) | Q(pk__in=counts)).order_by("name", "pk"):
        c = counts.get(variant.pk, {"sent": 0, "delivered": 0, "replied": 0, "converted": 0})
        variants.append(
            VariantResult(
                variant_id=variant.pk,
                variant=variant.name,
                weight=variant.weight,
                sent=c["sent"],
                delivered=c["delivered"],
                replied=c["replied"],
                converted=c["converted"],
                reply_rate=rate(c["replied"], c["sent"]),
                reply_rate_ci=_ci(c["replied"], c["sent"]),
                conversion_rate=rate(c["converted"], c["sent"]),
                conversion_rate_ci=_ci(c["converted"], c["sent"]),
            )
        )
    state, winner, p_value, needed, message = judge(variants, min_sample=min_sample)
    return ABTestResult(
        id=test.pk,
        name=test.name,
        template=test.template.name,
        status=test.status,
        started_at=test.started_at,
        ended_at=test.ended_at,
        state=state,
        winner=winner.variant if winner else None,
        p_value=None if p_value is None else float(f"{p_value:.6g}"),
        min_sample=min_sample,
        sends_needed=needed,
        message=message,
        variants=variants,
    )


def judge(variants: list[VariantResult], *, min_sample: int):
    """(state, winning variant or None, p-value, sends still needed, sentence)."""
    if len(variants) < 2:
        return NOT_ENOUGH_DATA, None, None, None, "not enough data yet: an A/B test needs two variants"
    best = max(variants, key=lambda v: (v.reply_rate or 0.0, -v.variant_id))
    others = [v for v in variants if v is not best]
    p_values = [two_proportion_p_value(best.replied, best.sent, v.replied, v.sent) for v in others]
    p_value = None if None in p_values else max(p_values)
    short = sum(max(0, min_sample - v.sent) for v in variants)
    if short:
        return NOT_ENOUGH_DATA, None, p_value, short, f"not enough data yet: {short} more sends needed"
    if p_value is not None and p_value < SIGNIFICANCE:
        return WINNER, best, p_value, 0, f"{best.variant} wins (p = {p_value:.4f})"
    runner_up = max(others, key=lambda v: v.reply_rate or 0.0)
    per_group = sample_size_per_group(best.reply_rate or 0.0, runner_up.reply_rate or 0.0)
    needed = None if per_group is None else sum(max(0, per_group - v.sent) for v in (best, runner_up))
    if needed == 0:
        needed = None  # the estimate is met yet the difference is not significant: it may simply be none
    text = "no significant difference yet" + (f": about {needed} more sends needed" if needed else "")
    return RUNNING, None, p_value, needed, text


def ab_test_results(*, tests=None) -> list[ABTestResult]:
    tests = ABTest.objects.select_related("template").order_by("-started_at", "-pk") if tests is None else tests
    tests = list(tests)
    # One scan of the messages for every test (the dashboard and the API show them all).
    counts = variant_counts_by_test(tests)
    return [ab_test_result(test, counts=counts[test.pk]) for test in tests]
