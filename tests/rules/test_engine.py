"""The rule engine: each action, each trigger, no double run, errors kept per lead."""

import pytest
from django.utils import timezone

from leads.models import Lead, LeadNote, LeadStatus
from leads.signals import leads_arrived
from rules.models import ExecutionStatus, OutcomeKind, RuleActionKind, RuleExecution, RuleLeadClaim, RuleTrigger
from rules.services.engine import rule_execute

pytestmark = pytest.mark.django_db


def test_set_status_acts_only_on_the_leads_the_condition_matches(make_lead, make_rule):
    with_email = make_lead(email="a@example.com", status=LeadStatus.NEW)
    without = make_lead(email="", status=LeadStatus.NEW)
    rule = make_rule(
        filters={"has_email": True},
        actions=[{"kind": RuleActionKind.SET_STATUS, "status": LeadStatus.CONTACTED}],
        trigger=RuleTrigger.MANUAL,
    )
    execution = rule_execute(rule=rule, trigger=RuleTrigger.MANUAL)
    with_email.refresh_from_db(), without.refresh_from_db()
    assert (with_email.status, without.status) == (LeadStatus.CONTACTED, LeadStatus.NEW)
    assert (execution.status, execution.leads_matched, execution.leads_acted, execution.actions_done) == (
        ExecutionStatus.SUCCESS,
        1,
        1,
        1,
    )
    assert execution.finished_at is not None


def test_assign_to_a_user_and_add_a_note_in_order(make_lead, make_rule, owner):
    lead = make_lead()
    rule = make_rule(
        name="Hot",
        actions=[
            {"kind": RuleActionKind.ASSIGN_USER, "user": owner},
            {"kind": RuleActionKind.ADD_NOTE, "note": "Looks promising", "tag": "hot"},
        ],
    )
    execution = rule_execute(rule=rule, trigger=RuleTrigger.MANUAL)
    lead.refresh_from_db()
    assert lead.assigned_to == owner
    note = LeadNote.objects.get(lead=lead)
    assert (note.text, note.tag, note.author, note.source) == ("Looks promising", "hot", None, f"rule {rule.pk}: Hot")
    assert execution.actions_done == 2


def test_round_robin_deals_the_leads_in_turn_and_carries_on_next_run(make_lead, make_rule, sales_group):
    group, members = sales_group
    first = [make_lead() for _ in range(4)]
    rule = make_rule(actions=[{"kind": RuleActionKind.ASSIGN_ROUND_ROBIN, "group": group}])
    rule_execute(rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=[lead.pk for lead in first])
    assigned = [Lead.objects.get(pk=lead.pk).assigned_to_id for lead in first]
    assert assigned == [members[0].pk, members[1].pk, members[2].pk, members[0].pk]
    later = make_lead()
    rule_execute(rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=[later.pk])
    assert Lead.objects.get(pk=later.pk).assigned_to_id == members[1].pk


def test_a_rule_never_acts_twice_on_a_lead_for_the_same_trigger(make_lead, make_rule):
    lead = make_lead()
    rule = make_rule(actions=[{"kind": RuleActionKind.ADD_NOTE, "tag": "seen"}])
    first = rule_execute(rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=[lead.pk])
    again = rule_execute(rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=[lead.pk])
    assert LeadNote.objects.filter(lead=lead).count() == 1
    assert (first.leads_acted, again.leads_acted, again.skipped) == (1, 0, 1)
    assert again.outcomes.get().outcome == OutcomeKind.SKIPPED
    # Another trigger is another occasion.
    rule_execute(rule=rule, trigger=RuleTrigger.MANUAL)
    assert LeadNote.objects.filter(lead=lead).count() == 2
    assert RuleLeadClaim.objects.filter(rule=rule, lead=lead).count() == 2


def test_a_failing_action_marks_its_leads_and_the_run_is_partial(make_lead, make_rule):
    lead = make_lead()
    rule = make_rule(
        actions=[
            {"kind": RuleActionKind.SET_STATUS, "status": LeadStatus.QUALIFIED},
            {"kind": RuleActionKind.ADD_NOTE},  # neither text nor tag: refused
        ]
    )
    execution = rule_execute(rule=rule, trigger=RuleTrigger.MANUAL)
    assert (execution.status, execution.errors, execution.actions_done) == (ExecutionStatus.PARTIAL, 1, 1)
    outcome = execution.outcomes.get()
    assert outcome.outcome == OutcomeKind.ERROR and "no note text or tag" in outcome.detail
    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.QUALIFIED


def test_a_paused_rule_does_not_run_on_new_leads(make_lead, make_rule):
    lead = make_lead()
    rule = make_rule(is_active=False, actions=[{"kind": RuleActionKind.ADD_NOTE, "tag": "x"}])
    execution = rule_execute(rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=[lead.pk])
    assert execution.status == ExecutionStatus.FAILED and execution.error == "The rule is paused."
    assert not LeadNote.objects.exists()


def test_new_leads_trigger_runs_active_rules_through_the_signal(make_lead, make_rule, owner):
    old, new = make_lead(), make_lead()
    on_new = make_rule(actions=[{"kind": RuleActionKind.ASSIGN_USER, "user": owner}])
    make_rule(name="By hand", trigger=RuleTrigger.MANUAL, actions=[{"kind": RuleActionKind.ADD_NOTE, "tag": "x"}])
    leads_arrived.send(sender=Lead, created_ids=[new.pk], updated_ids=[old.pk], source="import")
    assert Lead.objects.get(pk=new.pk).assigned_to == owner
    assert Lead.objects.get(pk=old.pk).assigned_to is None
    assert not LeadNote.objects.exists()
    execution = RuleExecution.objects.get()
    assert (execution.rule, execution.trigger, execution.leads_matched) == (on_new, RuleTrigger.NEW_LEADS, 1)


def test_imported_leads_fire_the_rule(place, make_rule, owner, django_capture_on_commit_callbacks):
    import inspect

    from leads.importing import upsert
    from leads.importing.upsert import leads_upsert

    if "leads_arrived" not in inspect.getsource(upsert):
        pytest.skip("leads_upsert does not send leads_arrived yet (the ingest branch adds it)")
    make_rule(filters={"keywords": ["oak"]}, actions=[{"kind": RuleActionKind.SET_STATUS, "status": "contacted"}])
    rows = [
        {"source_post_id": "1", "location": "sfbay", "category": "sss", "title": "Oak table"},
        {"source_post_id": "2", "location": "sfbay", "category": "sss", "title": "Pine chair"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        list(leads_upsert(rows=rows))
    statuses = dict(Lead.objects.values_list("title", "status"))
    assert statuses == {"Oak table": "contacted", "Pine chair": "new"}


def test_a_lead_page_lists_the_rules_that_acted_on_it(admin_client, make_lead, make_rule):
    lead = make_lead()
    rule = make_rule(name="Tagger", actions=[{"kind": RuleActionKind.ADD_NOTE, "tag": "t"}])
    rule_execute(rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=[lead.pk])
    html = admin_client.get(f"/admin/leads/lead/{lead.pk}/change/").content.decode()
    assert "rules that acted on this lead" in html.lower() and "Tagger" in html


def test_outcomes_past_retention_roll_up_by_day(make_lead, make_rule, settings):
    from rules.models import RuleLeadOutcome, RuleOutcomeDailyRollup
    from rules.services.retention import rule_outcomes_prune

    settings.RULE_OUTCOME_RETENTION_DAYS = 10
    leads = [make_lead() for _ in range(3)]
    rule = make_rule(actions=[{"kind": RuleActionKind.ADD_NOTE, "tag": "t"}])
    rule_execute(rule=rule, trigger=RuleTrigger.MANUAL)
    old = timezone.now() - timezone.timedelta(days=11)
    RuleLeadOutcome.objects.filter(lead__in=leads[:2]).update(created_at=old)
    result = rule_outcomes_prune()
    assert result.deleted == 2
    rollup = RuleOutcomeDailyRollup.objects.get()
    assert (rollup.rule, rollup.outcome, rollup.count, rollup.day) == (rule, "acted", 2, timezone.localdate(old))
    assert RuleLeadOutcome.objects.count() == 1
    # The claims stay: the rule still never acts twice on those leads.
    assert rule_execute(rule=rule, trigger=RuleTrigger.MANUAL).skipped == 3
