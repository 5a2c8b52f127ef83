"""The dashboard's rules and scheduled-jobs panel, linking to the filtered run lists."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from operations.models import ScheduleExecution
from operations.services.schedules import schedule_execution_track
from rules.models import Rule, RuleAction, RuleExecution, RuleTrigger
from rules.services.engine import rule_execute
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(admin_user):
    LeadFactory()
    rule = Rule.objects.create(name="Tag fresh", owner=admin_user, is_active=True, trigger=RuleTrigger.NEW_LEADS)
    RuleAction.objects.create(rule=rule, kind="add_note", tag="fresh")
    rule_execute(rule=rule, trigger=RuleTrigger.MANUAL)
    late_slot = timezone.now() - datetime.timedelta(hours=3)
    with (
        pytest.raises(RuntimeError),
        schedule_execution_track(job_kind="export", job_id=5, job_name="Night", slot=late_slot),
    ):
        raise RuntimeError("bucket gone")
    return rule


def test_the_panel_shows_rules_and_late_or_failed_jobs_with_links(admin_client, activity):
    html = admin_client.get("/admin/dashboard/").content.decode()
    assert "Rules and scheduled jobs" in html
    assert f'/admin/rules/ruleexecution/?rule__id__exact={activity.pk}">Tag fresh</a>' in html
    assert '/admin/operations/scheduleexecution/?job_kind=export&amp;job_id=5">Night</a>' in html
    assert "1 late and 1 failed of 1 runs." in html


def test_the_links_open_filtered_lists(admin_client, activity):
    other = Rule.objects.create(name="Other", owner=activity.owner)
    RuleExecution.objects.create(rule=other, trigger=RuleTrigger.MANUAL)
    html = admin_client.get(f"/admin/rules/ruleexecution/?rule__id__exact={activity.pk}").content.decode()
    assert "Tag fresh" in html and "Other" not in html.split("result_list")[-1]
    html = admin_client.get("/admin/operations/scheduleexecution/?job_kind=export&job_id=5").content.decode()
    assert "Night" in html and ScheduleExecution.objects.count() == 1


def test_staff_without_the_permissions_do_not_see_the_panel(client, activity):
    sales = User.objects.create_user("sales", is_staff=True)
    from django.contrib.auth.models import Permission

    sales.user_permissions.add(Permission.objects.get(codename="view_lead"))
    client.force_login(sales)
    html = client.get("/admin/dashboard/").content.decode()
    assert "Rules and scheduled jobs" not in html


def test_the_jobs_table_reads_as_words_not_raw_values(admin_user, activity):
    from dashboard.rules_panel import rules_panel_context
    from leads.analytics.sections import performance_sections

    context = rules_panel_context(performance=performance_sections(spec={}), user=admin_user)
    (night,) = context["schedules_table"].rows
    # Three hours late reads as hours and minutes; the outcome as its label.
    assert night.cells[4].startswith("3 h ")
    assert night.cells[5] == "Failed"
    assert " to " in context["rules_table"].title and "-" not in context["rules_table"].title
