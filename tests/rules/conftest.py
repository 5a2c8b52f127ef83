import pytest
from django.contrib.auth.models import Group, User

from rules.models import Rule, RuleAction, RuleTrigger
from tests.factories import CategoryFactory, LeadFactory, LocationFactory


@pytest.fixture
def place(db):
    return {"location": LocationFactory(site_code="sfbay", name="SF bay area"), "category": CategoryFactory(code="sss")}


@pytest.fixture
def owner(db):
    return User.objects.create_user("owner", email="owner@example.com", is_staff=True)


@pytest.fixture
def make_lead(place):
    def make(**values):
        return LeadFactory(location=place["location"], category=place["category"], **values)

    return make


@pytest.fixture
def make_rule(owner):
    def make(*, actions=(), filters=None, trigger=RuleTrigger.NEW_LEADS, is_active=True, **values):
        rule = Rule.objects.create(
            name=values.pop("name", "Rule"),
            owner=owner,
            filters=filters or {},
            trigger=trigger,
            is_active=is_active,
            **values,
        )
        for position, action in enumerate(actions):
            RuleAction.objects.create(rule=rule, position=position, **action)
        return rule

    return make


@pytest.fixture
def sales_group(db):
    group = Group.objects.create(name="Team")
    members = [User.objects.create_user(f"rep{number}") for number in range(3)]
    group.user_set.add(*members)
    return group, members
