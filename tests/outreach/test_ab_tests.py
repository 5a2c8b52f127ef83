import pytest
from django.core.exceptions import ValidationError

from outreach.models import ABTestStatus
from outreach.selectors.ab_tests import ab_test_result
from outreach.services.ab_tests import ab_test_start, ab_test_stop
from outreach.stats import two_proportion_p_value
from tests.outreach.abdata import messages
from tests.outreach.factories import ABTestFactory, ResponseTemplateFactory, TemplateVariantFactory

pytestmark = pytest.mark.django_db


def running_test():
    test = ABTestFactory()
    a = TemplateVariantFactory(template=test.template, name="A")
    b = TemplateVariantFactory(template=test.template, name="B")
    return test, a, b


def test_results_per_variant_with_rates_and_intervals(settings):
    settings.AB_TEST_MIN_SAMPLE = 100
    test, a, b = running_test()
    messages(test, a, sent=200, replied=30, converted=10, delivered=190)
    messages(test, b, sent=200, replied=15, converted=4)

    result = ab_test_result(test)

    va, vb = result.variants
    assert (va.variant, va.sent, va.delivered, va.replied, va.converted) == ("A", 200, 190, 30, 10)
    assert va.reply_rate == 0.15 and va.conversion_rate == 0.05 and vb.reply_rate == 0.075
    assert va.reply_rate_ci[0] < 0.15 < va.reply_rate_ci[1]
    assert result.p_value == pytest.approx(two_proportion_p_value(30, 200, 15, 200), rel=1e-5)
    assert (result.state, result.winner, result.sends_needed) == ("winner", "A", 0)


def test_no_winner_below_the_minimum_sample_even_when_significant(settings):
    settings.AB_TEST_MIN_SAMPLE = 100
    test, a, b = running_test()
    messages(test, a, sent=90, replied=40)
    messages(test, b, sent=120, replied=5)

    result = ab_test_result(test)

    assert result.p_value < 0.05
    assert (result.state, result.winner, result.sends_needed) == ("not_enough_data", None, 10)
    assert result.message == "not enough data yet: 10 more sends needed"


def test_samples_reached_without_a_significant_difference_keeps_running(settings):
    settings.AB_TEST_MIN_SAMPLE = 100
    test, a, b = running_test()
    messages(test, a, sent=100, replied=12)
    messages(test, b, sent=100, replied=10)

    result = ab_test_result(test)

    assert result.state == "running" and result.winner is None and result.p_value > 0.05
    assert result.sends_needed > 0


def test_stop_promotes_the_winner_and_only_it_is_sent_from_then_on(settings):
    settings.AB_TEST_MIN_SAMPLE = 50
    test, a, b = running_test()
    messages(test, a, sent=100, replied=5)
    messages(test, b, sent=100, replied=25)

    ab_test_stop(test=test)

    test.refresh_from_db()
    a.refresh_from_db()
    b.refresh_from_db()
    assert test.status == ABTestStatus.STOPPED and test.winner == b and test.ended_at
    assert (a.active, b.active) == (False, True)


def test_stop_with_promotion_is_refused_without_a_winner():
    test, a, _ = running_test()
    messages(test, a, sent=5, replied=1)
    with pytest.raises(ValidationError, match="no winner yet"):
        ab_test_stop(test=test)
    ab_test_stop(test=test, promote_winner=False)
    test.refresh_from_db()
    assert test.status == ABTestStatus.STOPPED and test.winner is None


def test_start_needs_two_variants_and_one_running_test_per_template():
    template = ResponseTemplateFactory()
    first = ABTestFactory(template=template, status=ABTestStatus.DRAFT, started_at=None)
    TemplateVariantFactory(template=template, name="A")
    with pytest.raises(ValidationError, match="two active variants"):
        ab_test_start(test=first)
    TemplateVariantFactory(template=template, name="B")
    ab_test_start(test=first)
    second = ABTestFactory(template=template, status=ABTestStatus.DRAFT, started_at=None)
    with pytest.raises(ValidationError, match="already running"):
        ab_test_start(test=second)
