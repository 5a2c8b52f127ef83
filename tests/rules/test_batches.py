"""A rule run works set-based per batch: a fixed number of statements per batch, whatever its size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leads.models import Lead, LeadNote, LeadStatus
from outreach.models import AutoResponse
from outreach.suppression import suppress
from rules.models import ExecutionStatus, OutcomeKind, RuleActionKind, RuleTrigger
from rules.services.engine import rule_execute
from tests.outreach.factories import ResponseTemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_actions(make_rule, sales_group):
    def make(**values):
        return make_rule(
            actions=[
                {"kind": RuleActionKind.SET_STATUS, "status": LeadStatus.CONTACTED},
                {"kind": RuleActionKind.ASSIGN_ROUND_ROBIN, "group": sales_group[0]},
                {"kind": RuleActionKind.ADD_NOTE, "tag": "batch"},
                {"kind": RuleActionKind.SEND_TEMPLATE, "template": ResponseTemplateFactory()},
            ],
            **values,
        )

    return make


def _run(rule, leads) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        execution = rule_execute(rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=[lead.pk for lead in leads])
    assert execution.status == ExecutionStatus.SUCCESS
    return len(queries), [query["sql"] for query in queries]


def test_the_statements_of_a_batch_do_not_grow_with_its_leads(make_lead, four_actions, settings):
    settings.RULE_BATCH_SIZE = 1000
    few, _ = _run(four_actions(name="Few"), [make_lead(email=f"few{n}@example.com") for n in range(3)])
    many, statements = _run(four_actions(name="Many"), [make_lead(email=f"many{n}@example.com") for n in range(40)])
    assert many == few
    lead_updates = [sql for sql in statements if sql.startswith('UPDATE "leads_lead"')]
    # Status and round-robin assignment: one UPDATE of the lead rows for both.
    assert len(lead_updates) == 1 and '"status"' in lead_updates[0] and '"assigned_to_id"' in lead_updates[0]


def test_status_and_round_robin_in_one_update_act_as_two_actions(make_lead, four_actions, sales_group, settings):
    settings.RULE_BATCH_SIZE = 2  # the round-robin turn carries over from batch to batch
    _, members = sales_group
    leads = [make_lead(email=f"rr{n}@example.com", status=LeadStatus.NEW) for n in range(5)]
    execution = rule_execute(rule=four_actions(), trigger=RuleTrigger.NEW_LEADS, lead_ids=[lead.pk for lead in leads])
    stored = list(Lead.objects.filter(pk__in=[lead.pk for lead in leads]).order_by("pk"))
    assert [lead.status for lead in stored] == [LeadStatus.CONTACTED] * 5
    assert [lead.assigned_to_id for lead in stored] == [members[n % 3].pk for n in range(5)]
    assert LeadNote.objects.filter(tag="batch").count() == 5
    assert AutoResponse.objects.count() == 5
    assert (execution.leads_matched, execution.leads_acted, execution.actions_done) == (5, 5, 20)


def test_a_failing_assignment_keeps_the_status_change_before_it(make_lead, make_rule, sales_group):
    group, _ = sales_group
    group.user_set.clear()
    lead = make_lead(status=LeadStatus.NEW)
    rule = make_rule(
        actions=[
            {"kind": RuleActionKind.SET_STATUS, "status": LeadStatus.QUALIFIED},
            {"kind": RuleActionKind.ASSIGN_ROUND_ROBIN, "group": group},
            {"kind": RuleActionKind.ADD_NOTE, "tag": "never"},
        ]
    )
    execution = rule_execute(rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=[lead.pk])
    lead.refresh_from_db()
    assert (lead.status, lead.assigned_to_id) == (LeadStatus.QUALIFIED, None)
    assert (execution.status, execution.actions_done, execution.errors) == (ExecutionStatus.PARTIAL, 1, 1)
    assert "has no active members" in execution.outcomes.get().detail
    assert not LeadNote.objects.exists()  # the actions after the failing one do not run


def test_each_lead_not_sent_to_says_why(make_lead, make_rule):
    template = ResponseTemplateFactory()
    suppressed, no_email, invalid = make_lead(email="gone@example.com"), make_lead(email=""), make_lead(email="x@")
    suppress(email="gone@example.com")
    rule = make_rule(actions=[{"kind": RuleActionKind.SEND_TEMPLATE, "template": template}])
    execution = rule_execute(
        rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=[suppressed.pk, no_email.pk, invalid.pk]
    )
    details = dict(execution.outcomes.values_list("lead_id", "detail"))
    assert details == {
        suppressed.pk: "not sent (suppressed)",
        no_email.pk: "not sent (no email)",
        invalid.pk: "not sent (invalid email)",
    }
    assert set(execution.outcomes.values_list("outcome", flat=True)) == {OutcomeKind.SKIPPED}


def test_repeated_ids_across_batches_count_once(make_lead, make_rule, settings):
    settings.RULE_BATCH_SIZE = 2
    first, second = make_lead(), make_lead()
    rule = make_rule(actions=[{"kind": RuleActionKind.ADD_NOTE, "tag": "once"}])
    ids = [first.pk, first.pk, first.pk, second.pk, second.pk]
    execution = rule_execute(rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=ids)
    assert (execution.leads_matched, execution.leads_acted, execution.skipped) == (2, 2, 0)
    assert LeadNote.objects.filter(tag="once").count() == 2
