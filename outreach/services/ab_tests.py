"""Running A/B tests: start one over a template's active variants, stop it with the winner promoted."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from outreach.models import ABTest, ABTestStatus
from outreach.selectors.ab_tests import WINNER, ab_test_result


def ab_test_start(*, test: ABTest) -> ABTest:
    """Start `test`: its template's active variants share the leads from now on (by hash of lead and test)."""
    if test.status != ABTestStatus.DRAFT:
        raise ValidationError(f"“{test.name}” has already been started.")
    if test.template.variants.filter(active=True, weight__gt=0).count() < 2:
        raise ValidationError(f"“{test.template.name}” needs at least two active variants with a weight for a test.")
    test.status, test.started_at = ABTestStatus.RUNNING, timezone.now()
    try:
        with transaction.atomic():
            test.save(update_fields=["status", "started_at"])
    except IntegrityError as error:
        raise ValidationError(f"Another A/B test of “{test.template.name}” is already running.") from error
    return test


def ab_test_stop(*, test: ABTest, promote_winner: bool = True) -> ABTest:
    """Stop `test`. With `promote_winner`, a winner is required: it becomes the template's only active variant."""
    if test.status != ABTestStatus.RUNNING:
        raise ValidationError(f"“{test.name}” is not running.")
    result = ab_test_result(test)
    winner = None
    if promote_winner:
        if result.state != WINNER:
            raise ValidationError(f"“{test.name}” has no winner yet ({result.message}); stop it without promoting.")
        winner = test.template.variants.get(
            pk=next(v.variant_id for v in result.variants if v.variant == result.winner)
        )
    with transaction.atomic():
        test.status, test.ended_at, test.winner = ABTestStatus.STOPPED, timezone.now(), winner
        test.save(update_fields=["status", "ended_at", "winner"])
        if winner is not None:
            test.template.variants.exclude(pk=winner.pk).update(active=False)
            test.template.variants.filter(pk=winner.pk).update(active=True)
    return test
