"""manage.py normalise_contacts: batches, progress, resuming, every stored contact as the import stores it."""

import io

import pytest
from django.core.management import CommandError, call_command

from leads import contact_backfill
from leads.models import Lead
from tests.factories import LeadFactory, LocationFactory

pytestmark = pytest.mark.django_db


def unchecked(**values) -> Lead:
    """A lead as stored before normalisation (or by a path that does not normalise)."""
    values.setdefault("email", "")
    values.setdefault("phone", "")
    return LeadFactory(contact_quality="pending", email_as_posted="", phone_as_posted="", **values)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("normalise_contacts", *args, stdout=out)
    return out.getvalue()


def test_unchecked_leads_are_normalised_and_extracted():
    london = LocationFactory(site_code="london", name="London", country="GB")
    posted = unchecked(email=" Jane@GMAIL.com", phone="(415) 555-0165")
    foreign = unchecked(location=london, phone="020 7946 0958")
    bad = unchecked(phone="555-1234")
    in_text = unchecked(description="Couch. Text four one five five five five zero one nine nine")
    empty = unchecked(description="Couch.")

    out = run("--batch-size", "2")

    rows = {lead.pk: lead for lead in Lead.objects.all()}
    assert (rows[posted.pk].email, rows[posted.pk].phone, rows[posted.pk].phone_as_posted) == (
        "Jane@gmail.com",
        "+14155550165",
        "(415) 555-0165",
    )
    assert rows[foreign.pk].phone == "+442079460958"
    assert (rows[bad.pk].phone, rows[bad.pk].contact_quality) == ("555-1234", "invalid")
    assert (rows[in_text.pk].phone, rows[in_text.pk].contact_extracted) == ("+14155550199", True)
    assert rows[empty.pk].contact_quality == "none"
    assert "Checked 5 leads, 5 changed" in out
    assert "[" in out and "5 / 5 leads" in out and "rows/s" in out


def test_updated_at_is_left_alone():
    lead = unchecked(phone="415 555 0165")
    before = Lead.objects.get(pk=lead.pk).updated_at

    run()

    assert Lead.objects.get(pk=lead.pk).updated_at == before


def test_a_second_run_finds_nothing_to_do():
    unchecked(phone="415 555 0165")
    run()

    assert "Checked 0 leads, 0 changed" in run()


def test_an_interrupted_run_keeps_its_batches_and_resumes(monkeypatch):
    leads = [unchecked(phone=f"415 555 01{n:02d}") for n in range(5)]
    real_write = contact_backfill._write
    calls = []

    def write_then_stop(changes):
        calls.append(len(changes))
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_write(changes)

    monkeypatch.setattr(contact_backfill, "_write", write_then_stop)
    with pytest.raises(CommandError, match="run the command again"):
        run("--batch-size", "2")
    assert Lead.objects.filter(contact_quality="pending").count() == 3

    monkeypatch.setattr(contact_backfill, "_write", real_write)
    assert "Checked 3 leads, 3 changed" in run("--batch-size", "2")
    assert sorted(Lead.objects.values_list("phone", flat=True)) == [f"+1415555010{n}" for n in range(5)]
    assert len(leads) == 5


def test_all_rechecks_checked_leads_from_an_id():
    first, second = LeadFactory(phone="415 555 0165"), LeadFactory(phone="415 555 0166")
    Lead.objects.update(phone="(415) 555-0165 junk")  # as if the rules had changed since

    out = run("--all", "--after-id", str(first.pk))

    assert "Checked 1 leads, 1 changed" in out
    assert Lead.objects.get(pk=first.pk).phone == "(415) 555-0165 junk"
    assert Lead.objects.get(pk=second.pk).phone == "+14155550166"  # from what the post said


@pytest.mark.parametrize(("args", "message"), [(["--batch-size", "0"], "at least 1"), (["--after-id", "x"], "whole")])
def test_bad_options_are_a_sentence(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("normalise_contacts", *args)


def test_batches_are_read_by_id_alone(django_assert_max_num_queries):
    """Each batch is the next ids on the primary key: a filter on contact_quality in the same query
    let PostgreSQL read and sort every unchecked lead for each batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        unchecked(phone=f"415 555 01{n:02d}")
    LeadFactory(phone="415 555 0199")  # checked already: read, not written
    with CaptureQueriesContext(connection) as queries:
        run("--batch-size", "2")
    reads = [q["sql"] for q in queries.captured_queries if '"title"' in q["sql"] and q["sql"].startswith("SELECT")]
    assert reads and not any("contact_quality" in sql.split("WHERE", 1)[1] for sql in reads)
    assert Lead.objects.filter(contact_quality="pending").count() == 0


def test_the_contact_keys_follow_the_normalised_values():
    """A phone first hashed as raw text (read as a US number) is matched by its E.164 key afterwards."""
    from leads.contact_keys import email_key, phone_key

    london = LocationFactory(site_code="london", name="London", country="GB")
    foreign = unchecked(location=london, phone="020 7946 0958", email="Pat@Example.COM")
    Lead.objects.filter(pk=foreign.pk).update(phone_key=phone_key("020 7946 0958", region="US"), email_key="")

    run()

    lead = Lead.objects.get(pk=foreign.pk)
    assert lead.phone_key == phone_key("+442079460958", normalised=True) != phone_key("020 7946 0958", region="US")
    assert lead.email_key == email_key("pat@example.com", normalised=True)


def test_a_lead_without_contact_values_keeps_its_keys():
    erased = unchecked(description="Couch.")
    Lead.objects.filter(pk=erased.pk).update(phone_key="kept-key")

    run()

    assert Lead.objects.get(pk=erased.pk).phone_key == "kept-key"
