"""The "send template" action queues through outreach's outbox; the messages reach a real SMTP server."""

import pytest

from outreach.models import AutoResponse, AutoResponseStatus
from outreach.suppression import suppress
from rules.models import OutcomeKind, RuleActionKind, RuleTrigger
from rules.services.engine import rule_execute
from tests.outreach.conftest import _outreach_settings  # noqa: F401  (autouse fixture)
from tests.outreach.factories import AutoResponseFactory, ResponseTemplateFactory
from tests.outreach.smtp import smtp_inbox  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_send_template_queues_once_and_skips_suppressed_and_addressless(
    make_lead,
    make_rule,
    smtp_inbox,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    template = ResponseTemplateFactory(subject="About {title}")
    good = make_lead(email="buyer@example.com", title="Oak table")
    suppressed = make_lead(email="gone@example.com")
    no_email = make_lead(email="")
    # An earlier opt-out (and, once the do-not-contact list is merged, its entry) suppresses the address.
    AutoResponseFactory(lead=make_lead(email="Gone@example.com"), status=AutoResponseStatus.OPTED_OUT)
    suppress(email="gone@example.com", reason="opted_out")
    rule = make_rule(actions=[{"kind": RuleActionKind.SEND_TEMPLATE, "template": template}])
    with django_capture_on_commit_callbacks(execute=True):
        execution = rule_execute(
            rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=[good.pk, suppressed.pk, no_email.pk]
        )

    assert (execution.leads_matched, execution.actions_done, execution.skipped) == (3, 1, 2)
    outcomes = dict(execution.outcomes.values_list("lead_id", "outcome"))
    assert outcomes == {
        good.pk: OutcomeKind.ACTED,
        suppressed.pk: OutcomeKind.SKIPPED,
        no_email.pk: OutcomeKind.SKIPPED,
    }
    message = AutoResponse.objects.get(rule_execution_id__isnull=False)
    assert (message.lead, message.rule_execution_id) == (good, execution.pk)
    # The immediate task backend sent it through the loopback SMTP server.
    assert [rcpt for rcpt, _ in smtp_inbox.messages] == [["buyer@example.com"]]
    assert smtp_inbox.messages[0][1]["Subject"] == "About Oak table"
    # A second rule with the same template never sends the lead a second message.
    other = make_rule(name="Other", actions=[{"kind": RuleActionKind.SEND_TEMPLATE, "template": template}])
    again = rule_execute(rule=other, trigger=RuleTrigger.NEW_LEADS, lead_ids=[good.pk])
    assert (again.actions_done, again.skipped) == (0, 1)
    assert AutoResponse.objects.filter(lead=good).count() == 1
