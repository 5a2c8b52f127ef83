import pytest

from outreach.models import AutoResponse, AutoResponseStatus
from outreach.services import auto_responses_queue
from outreach.services.variants import variant_choose
from tests.factories import LeadFactory
from tests.outreach.factories import ABTestFactory, AutoResponseFactory, ResponseTemplateFactory, TemplateVariantFactory

pytestmark = pytest.mark.django_db


def test_queues_one_row_per_lead_with_its_address_and_the_rule_execution():
    template = ResponseTemplateFactory()
    leads = LeadFactory.create_batch(3)

    counts = auto_responses_queue(lead_ids=[lead.pk for lead in leads], template=template, rule_execution_id=42)

    assert counts["queued"] == 3
    rows = AutoResponse.objects.order_by("lead_id")
    assert [(r.lead_id, r.to_email, r.status, r.rule_execution_id) for r in rows] == [
        (lead.pk, lead.email, AutoResponseStatus.QUEUED, 42) for lead in sorted(leads, key=lambda x: x.pk)
    ]


def test_never_twice_to_the_same_lead_for_the_same_template():
    template = ResponseTemplateFactory()
    lead = LeadFactory()
    auto_responses_queue(lead_ids=[lead.pk], template=template)

    again = auto_responses_queue(lead_ids=[lead.pk, lead.pk], template=template)

    assert again["queued"] == 0 and again["skipped_already_queued"] == 1
    assert AutoResponse.objects.filter(lead=lead).count() == 1
    other = auto_responses_queue(lead_ids=[lead.pk], template=ResponseTemplateFactory())
    assert other["queued"] == 1


def test_skips_missing_invalid_and_empty_addresses_by_reason():
    template = ResponseTemplateFactory()
    good, empty, invalid = LeadFactory(), LeadFactory(email=""), LeadFactory(email="not-an-address")

    counts = auto_responses_queue(lead_ids=[good.pk, empty.pk, invalid.pk, 999_999], template=template)

    assert counts == {
        "queued": 1,
        "skipped_missing": 1,
        "skipped_no_email": 1,
        "skipped_invalid_email": 1,
        "skipped_suppressed": 0,
        "skipped_bounced": 0,
        "skipped_already_queued": 0,
        "skipped_inactive_template": 0,
    }


def test_never_to_a_suppressed_address():
    from outreach.suppression import suppress

    template = ResponseTemplateFactory()
    lead, other = LeadFactory(email="Gone@Example.com"), LeadFactory(email="stays@example.com")
    suppress(email="gone@example.com")

    counts = auto_responses_queue(lead_ids=[lead.pk, other.pk], template=template)

    assert counts["queued"] == 1 and counts["skipped_suppressed"] == 1
    assert list(AutoResponse.objects.values_list("lead_id", flat=True)) == [other.pk]


def test_never_again_to_an_address_that_bounced():
    lead = LeadFactory(email="nobody@example.com")
    AutoResponseFactory(lead=LeadFactory(email="nobody@example.com"), status=AutoResponseStatus.BOUNCED)

    counts = auto_responses_queue(lead_ids=[lead.pk], template=ResponseTemplateFactory())

    assert counts["queued"] == 0 and counts["skipped_bounced"] == 1


def test_an_inactive_template_queues_nothing():
    template = ResponseTemplateFactory(active=False)
    counts = auto_responses_queue(lead_ids=[LeadFactory().pk], template=template)
    assert counts["queued"] == 0 and counts["skipped_inactive_template"] == 1


def test_the_running_tests_variant_is_chosen_by_hash_and_recorded():
    test = ABTestFactory()
    a = TemplateVariantFactory(template=test.template, name="A")
    b = TemplateVariantFactory(template=test.template, name="B")
    leads = LeadFactory.create_batch(40)

    auto_responses_queue(lead_ids=[lead.pk for lead in leads], template=test.template)

    for row in AutoResponse.objects.all():
        expected = variant_choose(variants=[a, b], lead_id=row.lead_id, scope=f"abtest:{test.pk}")
        assert row.variant_id == expected.pk and row.ab_test_id == test.pk
    assert {row.variant_id for row in AutoResponse.objects.all()} == {a.pk, b.pk}


def test_variant_choice_is_deterministic_and_follows_weights():
    class V:
        def __init__(self, pk, weight):
            self.id, self.weight = pk, weight

    heavy, light = V(1, 3), V(2, 1)
    picks = [variant_choose(variants=[heavy, light], lead_id=n, scope="abtest:1").id for n in range(4000)]
    assert picks == [variant_choose(variants=[light, heavy], lead_id=n, scope="abtest:1").id for n in range(4000)]
    share = picks.count(1) / len(picks)
    assert 0.72 < share < 0.78
    assert variant_choose(variants=[V(3, 0)], lead_id=1, scope="x") is None


def test_a_message_queued_meanwhile_by_another_run_is_not_queued_twice(monkeypatch):
    from outreach.services import queueing

    template = ResponseTemplateFactory()
    lead, other = LeadFactory(), LeadFactory()
    real = queueing.suppressed_emails

    def another_run_queues_first(addresses):
        # Between this run's check of what was sent and its insert, another run queues the lead.
        AutoResponse.objects.create(lead=lead, template=template, to_email=lead.email)
        return real(addresses)

    monkeypatch.setattr(queueing, "suppressed_emails", another_run_queues_first)
    result = queueing.auto_responses_queue_leads(lead_ids=[lead.pk, other.pk], template=template)

    assert result.queued == {other.pk}
    assert result.skipped == {lead.pk: "skipped_already_queued"}
    assert result.counts["queued"] == 1 and result.counts["skipped_already_queued"] == 1
    assert AutoResponse.objects.filter(lead=lead).count() == 1
