"""seed_demo adds demo rules, their runs and a week of schedule runs."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from operations.models import ScheduleExecution
from rules.models import Rule, RuleExecution

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_password(settings):
    settings.DEMO_PASSWORD = "a-test-password"


def test_seed_demo_adds_rules_runs_and_schedule_runs():
    call_command("create_demo_users", verbosity=0)  # as setup_local does: the logins first
    call_command("seed_demo", "--leads", "200", "--runs", "3", "--seed", "5")
    assert Rule.objects.count() == 3 and Rule.objects.filter(is_active=True).count() == 3
    runs = RuleExecution.objects.all()
    assert runs.count() == 3 and sum(run.leads_matched for run in runs) > 0
    assert ScheduleExecution.objects.filter(job_kind="rule").count() == 7
    assert ScheduleExecution.objects.filter(job_kind="export").count() == 7
    call_command("seed_demo", "--leads", "10", "--seed", "6")  # again: no second copy of the rules
    assert Rule.objects.count() == 3


def test_seeding_before_the_demo_logins_leaves_their_groups_to_create_demo_users():
    # A group the seed made would keep no permissions: create_demo_users sets them only on groups it creates.
    call_command("seed_demo", "--leads", "50", "--seed", "5")
    assert not Group.objects.exists()
    call_command("create_demo_users", verbosity=0)
    sales = get_user_model().objects.get(username="sales")
    assert sales.has_perm("leads.view_lead") and sales.has_perm("exports.export_leads")
    assert Rule.objects.count() == 2  # the round-robin rule waits for someone to share leads out to
