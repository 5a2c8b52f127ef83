"""The message rollups give the same figures as the scan of the messages, for random specs after random changes.

Each example starts from a few leads and messages, applies random writes (messages queued,
sent, delivered, replied, bounced, deleted, moved to another lead as a merge would; leads
changing status through every write path, moving, losing contacts, deleted; an A/B test
deleted), sometimes reads in between (so refreshes happen midway), then compares
auto_response_analytics and the A/B counts answered from the rollups with the same answered
from the messages. The outreach tests run in a time zone with summer time (tests/outreach/conftest.py).
"""

import datetime

import pytest
from django.db import connection, transaction
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from leads.models import Lead, LeadStatus
from leads.rollups import rollups_refresh
from leads.services import lead_status_bulk_update
from outreach.analytics import auto_response_analytics
from outreach.models import ABTest, AutoResponse, AutoResponseStatus
from outreach.rollups.models import MessageDailyRollup, MessageTotalRollup
from outreach.rollups.reads import message_groups_from_rollups, variant_counts_from_rollups
from outreach.selectors.ab_tests import variant_counts_by_test
from tests.factories import CategoryFactory, LocationFactory
from tests.leads.rollups.test_equivalence import NOW, STATUSES, _filters, _lead, _pick, moments, new_lead, specs
from tests.outreach.factories import ABTestFactory, ResponseTemplateFactory, TemplateVariantFactory

pytestmark = pytest.mark.django_db

MESSAGE_STATUSES = AutoResponseStatus.values

new_message = st.fixed_dictionaries(
    {
        "lead": st.integers(min_value=0),
        "template": st.integers(min_value=0, max_value=1),
        "variant": st.sampled_from([None, 0, 1]),
        "queued_at": moments,
        "lead_status_at_queue": st.sampled_from(["", *STATUSES]),
        "status": st.sampled_from(MESSAGE_STATUSES),
        "sent": st.booleans(),
        "delivered": st.booleans(),
        "replied": st.booleans(),
    }
)
changes = st.one_of(
    st.tuples(st.just("message"), new_message),
    st.tuples(st.just("send"), st.integers(min_value=0), moments),
    st.tuples(st.just("deliver"), st.integers(min_value=0)),
    st.tuples(st.just("reply"), st.integers(min_value=0), moments),
    st.tuples(st.just("bounce_all"), st.sampled_from(MESSAGE_STATUSES)),
    st.tuples(st.just("delete_message"), st.integers(min_value=0)),
    st.tuples(st.just("move_message"), st.integers(min_value=0), st.integers(min_value=0)),
    st.tuples(st.just("lead"), new_lead),
    st.tuples(st.just("status"), st.integers(min_value=0), st.sampled_from(STATUSES)),
    st.tuples(st.just("bulk_status"), st.sampled_from(STATUSES), st.sampled_from(STATUSES)),
    st.tuples(st.just("raw_sql_status"), st.integers(min_value=0), st.sampled_from(STATUSES)),
    st.tuples(st.just("move"), st.integers(min_value=0), moments, st.integers(min_value=0, max_value=2)),
    st.tuples(st.just("contact"), st.integers(min_value=0), st.booleans(), st.booleans()),
    st.tuples(st.just("delete"), st.integers(min_value=0)),
    st.tuples(st.just("merge"), st.integers(min_value=0), st.integers(min_value=0)),
    st.tuples(st.just("delete_ab_test"), st.integers(min_value=0, max_value=1)),
    st.tuples(st.just("read"), st.sampled_from([{}, {"status": ["converted"]}])),
)


@pytest.fixture
def world():
    templates = [ResponseTemplateFactory(), ResponseTemplateFactory()]
    variants = [TemplateVariantFactory(template=templates[0], name=name) for name in ("A", "B")]
    return {
        "locations": [LocationFactory(site_code=f"site{index}") for index in range(3)],
        "categories": [CategoryFactory(code=f"cat{index}") for index in range(3)],
        "templates": templates,
        "variants": variants,
        "tests": [ABTestFactory(template=templates[0]), ABTestFactory(template=templates[1], status="stopped")],
    }


def _pick_message(index: int) -> AutoResponse | None:
    ids = list(AutoResponse.objects.order_by("pk").values_list("pk", flat=True))
    return AutoResponse.objects.get(pk=ids[index % len(ids)]) if ids else None


def _message(world, values) -> None:
    lead = _pick(values["lead"])
    template = world["templates"][values["template"]]
    if lead is None or AutoResponse.objects.filter(lead=lead, template=template).exists():
        return
    variant = None if values["template"] or values["variant"] is None else world["variants"][values["variant"]]
    test = ABTest.objects.filter(template=template).first() if variant else None
    sent_at = values["queued_at"] + datetime.timedelta(minutes=5) if values["sent"] else None
    AutoResponse.objects.create(
        lead=lead,
        template=template,
        variant=variant,
        ab_test=test,
        to_email="someone@example.com",
        status=values["status"],
        queued_at=values["queued_at"],
        sent_at=sent_at,
        delivered_at=sent_at if sent_at and values["delivered"] else None,
        replied_at=values["queued_at"] + datetime.timedelta(hours=1) if values["replied"] else None,
        lead_status_at_queue=values["lead_status_at_queue"],
    )


def _apply_message_change(kind, args) -> None:
    if kind == "bounce_all":
        AutoResponse.objects.filter(status=args[0]).update(status=AutoResponseStatus.BOUNCED)
    elif (message := _pick_message(args[0])) is None:
        return
    elif kind == "send":
        message.status, message.sent_at = AutoResponseStatus.SENT, args[1]
        message.save()
    elif kind == "deliver":
        AutoResponse.objects.filter(pk=message.pk).update(delivered_at=NOW)
    elif kind == "reply":
        message.status, message.replied_at = AutoResponseStatus.REPLIED, args[1]
        message.save(update_fields=["status", "replied_at"])
    elif kind == "delete_message":
        message.delete()
    elif (
        kind == "move_message"
        and (lead := _pick(args[1])) is not None
        and not lead.auto_responses.filter(template_id=message.template_id)
    ):
        AutoResponse.objects.filter(pk=message.pk).update(lead=lead)


def _apply(world, change) -> None:
    kind, *args = change
    if kind == "message":
        _message(world, args[0])
    elif kind in ("send", "deliver", "reply", "bounce_all", "delete_message", "move_message"):
        _apply_message_change(kind, args)
    elif kind == "lead":
        _lead(world, args[0]).save()
    elif kind == "bulk_status":
        lead_status_bulk_update(leads=Lead.objects.filter(status=args[0]), status=args[1], user=None)
    elif kind == "delete_ab_test":
        # Its messages keep their variant and lose their test (SET_NULL).
        ABTest.objects.filter(pk=world["tests"][args[0]].pk).delete()
    elif kind == "read":
        auto_response_analytics(filters=args[0])
    elif (lead := _pick(args[0])) is None:
        return
    elif kind == "status":
        lead.status = args[1]
        lead.save()
    elif kind == "raw_sql_status":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE leads_lead SET status = %s WHERE id = %s", [args[1], lead.pk])
    elif kind == "move":
        lead.scraped_at, lead.location = args[1], world["locations"][args[2]]
        lead.save()
    elif kind == "contact":
        lead.email, lead.phone = ("a@example.com" if args[1] else ""), ("555-0101" if args[2] else "")
        lead.save(update_fields=["email", "phone"])
    elif kind == "delete":
        lead.delete()
    elif kind == "merge" and (survivor := _pick(args[1])) is not None and survivor.pk != lead.pk:
        # What a merge does to the messages of a lead merged away: the lead stays, marked, with its messages.
        Lead.objects.filter(pk=lead.pk).update(merged_into=survivor, status=survivor.status)


def _answers(filters: dict, tests: list, *, rollups: bool) -> tuple[dict, dict]:
    # override_settings, not the settings fixture: its changes pile up over the examples.
    with override_settings(LEAD_ROLLUPS=rollups):
        if rollups:
            assert message_groups_from_rollups(filters=filters) is not None
            assert variant_counts_from_rollups([test.pk for test in tests]) is not None
        return auto_response_analytics(filters=filters), variant_counts_by_test(tests)


def _both_ways(filters: dict) -> tuple[tuple, tuple]:
    tests = list(ABTest.objects.order_by("pk"))
    return _answers(filters, tests, rollups=True), _answers(filters, tests, rollups=False)


def _stored_cells() -> tuple[list, list]:
    daily = sorted(MessageDailyRollup.objects.values_list(*_columns(MessageDailyRollup)))
    totals = sorted(MessageTotalRollup.objects.values_list(*_columns(MessageTotalRollup)))
    return daily, totals


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields if field.name != "id"]


def _setup(world, initial_leads, initial_messages, steps) -> None:
    Lead.objects.bulk_create([_lead(world, values) for values in initial_leads])
    for values in initial_messages:
        _message(world, values)
    for change in steps:
        _apply(world, change)


EXAMPLES = hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@EXAMPLES
@given(
    initial_leads=st.lists(new_lead, min_size=1, max_size=10),
    initial_messages=st.lists(new_message, max_size=10),
    steps=st.lists(changes, max_size=10),
    spec_list=st.lists(specs, min_size=1, max_size=3),
)
def test_message_rollups_equal_the_scan(world, initial_leads, initial_messages, steps, spec_list):
    with transaction.atomic():
        _setup(world, initial_leads, initial_messages, steps)
        for spec in [{}, *spec_list]:
            from_rollups, from_messages = _both_ways(_filters(world, spec))
            assert from_rollups == from_messages
        transaction.set_rollback(True)


@hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    initial_leads=st.lists(new_lead, min_size=1, max_size=10),
    initial_messages=st.lists(new_message, max_size=10),
    steps=st.lists(changes, max_size=10),
)
def test_a_rebuild_equals_the_incremental_rollups(world, initial_leads, initial_messages, steps):
    with transaction.atomic():
        auto_response_analytics(filters={})  # built before the changes: what follows is incremental
        _setup(world, initial_leads, initial_messages, steps)
        auto_response_analytics(filters={})
        incremental = _stored_cells()
        rollups_refresh(rebuild=True)
        assert _stored_cells() == incremental
        transaction.set_rollback(True)


def test_a_lead_converting_later_counts_its_sent_messages_as_converted(world):
    _setup(world, [{**_NEW, "status": LeadStatus.NEW}], [], [])
    _message(world, {**_MESSAGE, "sent": True, "lead_status_at_queue": LeadStatus.NEW})
    assert auto_response_analytics(filters={})["converted"] == 0

    lead_status_bulk_update(leads=Lead.objects.all(), status=LeadStatus.CONVERTED, user=None)

    assert auto_response_analytics(filters={})["converted"] == 1
    assert auto_response_analytics(filters={"status": ["converted"]})["converted"] == 1
    assert message_groups_from_rollups(filters={}) is not None


_NEW = {"scraped_at": NOW, "status": "new", "place": 0, "category": 0, "price": None, "email": True, "phone": False}
_MESSAGE = {
    "lead": 0,
    "template": 0,
    "variant": 0,
    "queued_at": NOW,
    "lead_status_at_queue": "",
    "status": AutoResponseStatus.SENT,
    "sent": True,
    "delivered": False,
    "replied": False,
}
