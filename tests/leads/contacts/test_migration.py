"""Migrations 0009-0010 (contact normalisation): forwards copies to *_as_posted, backwards restores, no data lost."""

import pytest
from django.core.management import call_command
from django.db import connection

from tests.leads.migration_steps import migrate, old_place

BEFORE = [("leads", "0008_lead_url_http_only")]
AFTER = [("leads", "0010_lead_contacts_as_posted")]


@pytest.fixture
def old_leads(transactional_db):
    apps = migrate(BEFORE)
    Lead, location, category = old_place(apps)
    rows = [
        ("1", "Oak table", "", "Jane@GMAIL.com", "(415) 555-0165"),
        ("2", "Bike", "", "not an address", "call me"),
        ("3", "Couch", "text four one five 555 0199", "", ""),
    ]
    for post_id, title, description, email, phone in rows:
        Lead.objects.create(
            location=location,
            category=category,
            source_post_id=post_id,
            title=title,
            description=description,
            email=email,
            phone=phone,
        )
    yield rows
    migrate(AFTER)
    call_command("migrate", verbosity=0)  # leave the database at the latest state for the next tests


def stored(apps) -> dict:
    Lead = apps.get_model("leads", "Lead")
    return {lead.source_post_id: lead for lead in Lead.objects.all()}


def test_forwards_copies_the_values_as_posted_and_marks_them_unchecked(old_leads):
    leads = stored(migrate(AFTER))

    assert {key: (lead.email_as_posted, lead.phone_as_posted) for key, lead in leads.items()} == {
        "1": ("Jane@GMAIL.com", "(415) 555-0165"),
        "2": ("not an address", "call me"),
        "3": ("", ""),
    }
    assert {lead.contact_quality for lead in leads.values()} == {"pending"}
    assert leads["1"].email == "Jane@GMAIL.com"  # unchanged until normalise_contacts runs


def test_backwards_after_normalising_gives_back_what_the_posts_said(old_leads):
    migrate(AFTER)
    call_command("migrate", verbosity=0)
    call_command("normalise_contacts", verbosity=0)
    normalised = stored(migrate(AFTER))
    assert (normalised["1"].phone, normalised["3"].phone, normalised["3"].contact_extracted) == (
        "+14155550165",
        "+14155550199",
        True,
    )

    leads = stored(migrate(BEFORE))

    assert {key: (lead.email, lead.phone) for key, lead in leads.items()} == {
        post_id: (email, phone) for post_id, _, _, email, phone in old_leads
    }


def test_the_rollup_triggers_survive_both_ways(old_leads):
    def triggers() -> set[str]:
        if connection.vendor == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        with connection.cursor() as cursor:
            cursor.execute(query)
            return {name for (name,) in cursor.fetchall() if name.startswith("leads_rollup")}

    before = triggers()
    assert before
    migrate(AFTER)
    assert triggers() == before
    migrate(BEFORE)
    assert triggers() == before
