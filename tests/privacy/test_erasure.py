"""Erase this person: contact data removed, suppression added, the right export files expired."""

import pytest

from exports.models import Export, ExportStatus
from exports.records.lead_ids import ExportLeadIds, ids_decode, ids_encode, ids_intersect
from exports.services import ExportRequest, export_create, export_run
from exports.storage import export_storage
from leads.erasure import REMOVED, person_erase
from leads.importing.upsert import leads_upsert
from leads.models import Lead, Suppression
from leads.suppression import SuppressionError, is_suppressed
from tests.exports.factories import ExportFactory, UserFactory
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

MANAGER = ["leads.view_lead", "exports.export_leads", "exports.view_contact_info", "exports.view_all_exports"]


@pytest.fixture
def manager():
    return UserFactory(username="manager", permissions=MANAGER)


def made_export(user, **filters) -> Export:
    export = export_create(
        request=ExportRequest(user=user, filters=filters, include_contact_info=True, background=False)
    )
    return export_run(export_id=export.pk)


def test_ids_round_trip_compactly():
    ids = [*range(1, 200_001, 2), 5_000_000]
    blob = ids_encode(reversed(ids))
    assert list(ids_decode(blob)) == ids
    assert len(blob) < 2_000  # 100,001 ids
    assert ids_intersect(blob, {5_000_000}) and not ids_intersect(blob, {2, 4})


def test_a_finished_export_records_the_leads_it_holds(manager):
    leads = [*LeadFactory.create_batch(3, status="new"), LeadFactory(status="rejected")]
    export = made_export(manager, status=["new"])
    assert export.status == ExportStatus.COMPLETED
    assert list(ids_decode(ExportLeadIds.objects.get(export=export).ids)) == sorted(lead.pk for lead in leads[:3])


def test_erasure_removes_contact_data_suppresses_and_expires_only_the_files_that_held_the_person(manager):
    person = LeadFactory(
        status="new",
        contact_name="Jo Smith",
        email="jo@example.com",
        phone="415-555-0165",
        description="Call Jo Smith at 415-555-0165",
    )
    same_phone = LeadFactory(status="rejected", email="other@example.com", phone="(415) 555-0165")
    bystander = LeadFactory(status="contacted", email="pat@example.com")
    holds_person = made_export(manager, status=["new"])
    holds_other_lead = made_export(manager, status=["rejected"])
    without_person = made_export(manager, status=["contacted"])
    stored = holds_person.file.name
    assert export_storage().exists(stored)

    result = person_erase(email="JO@example.com", user=manager)

    assert result.lead_ids == sorted([person.pk, same_phone.pk])  # the phone on the first lead finds the second
    assert result.exports_expired == 2
    person.refresh_from_db()
    assert (person.contact_name, person.email, person.phone) == ("", "", "")
    assert person.description == f"Call {REMOVED} at {REMOVED}"
    same_phone.refresh_from_db()
    assert (same_phone.email, same_phone.phone) == ("", "")
    bystander.refresh_from_db()
    assert bystander.email == "pat@example.com"
    assert is_suppressed(email="jo@example.com") and is_suppressed(phone="4155550165")
    assert is_suppressed(email="other@example.com")
    assert set(Suppression.objects.values_list("reason", flat=True)) == {"erasure"}
    assert set(Lead.objects.suppressed()) == {person, same_phone}

    expired = {export.pk: export for export in Export.objects.all()}
    assert expired[holds_person.pk].status == ExportStatus.EXPIRED
    assert "erasure request (manager)" in expired[holds_person.pk].error_message
    assert not export_storage().exists(stored)
    assert expired[holds_other_lead.pk].status == ExportStatus.EXPIRED
    assert expired[without_person.pk].status == ExportStatus.COMPLETED


def test_an_export_without_recorded_ids_is_expired_when_it_had_contact_info(manager):
    LeadFactory(email="jo@example.com")
    old_contact = ExportFactory(completed=True, include_contact_info=True, file_content=b"id\n")
    old_plain = ExportFactory(completed=True, include_contact_info=False, file_content=b"id\n")

    person_erase(email="jo@example.com", user=manager)

    old_contact.refresh_from_db()
    old_plain.refresh_from_db()
    assert (old_contact.status, old_plain.status) == (ExportStatus.EXPIRED, ExportStatus.COMPLETED)


def test_a_later_import_of_the_same_post_cannot_bring_the_contact_data_back(manager):
    lead = LeadFactory(contact_name="Jo", email="jo@example.com", phone="415-555-0165")
    person_erase(phone="+1 415 555 0165", user=manager)

    row = {
        "source_post_id": lead.source_post_id,
        "location": lead.location.site_code,
        "category": lead.category.code,
        "title": lead.title,
        "contact_name": "Jo",
        "email": "jo@example.com",
        "phone": "415.555.0165",
    }
    list(leads_upsert(rows=[row]))

    lead.refresh_from_db()
    assert (lead.contact_name, lead.email, lead.phone) == ("", "", "")


def test_erasing_nobody_is_a_clear_error(manager):
    with pytest.raises(SuppressionError, match="give the e-mail address or the phone number"):
        person_erase(user=manager)


def test_an_export_being_written_when_the_person_is_erased_starts_again_and_keeps_none_of_their_data(
    manager, django_capture_on_commit_callbacks
):
    LeadFactory(email="jo@example.com", phone="", contact_name="Jo Smith", description="Write to jo@example.com")
    LeadFactory(email="pat@example.com", phone="", contact_name="Pat", description="Pat's sofa")
    columns = ["id", "email", "contact_name", "description"]
    export = export_create(
        request=ExportRequest(user=manager, format="csv", columns=columns, include_contact_info=True, background=True)
    )
    erased = []

    def erase_while_writing(rows, total):
        # Called by the writer once its rows (the person's among them) are in the file being written.
        if not erased:
            erased.append(person_erase(email="jo@example.com", user=manager))

    with django_capture_on_commit_callbacks(execute=True) as queued:
        first = export_run(export_id=export.pk, on_progress=erase_while_writing)
        assert first.status == ExportStatus.PENDING  # started again, not completed with the person in it
        assert "by an erasure request (manager)" in first.error_message
    assert erased and len(queued) == 1  # queued again, once

    export.refresh_from_db()
    assert (export.status, export.attempts) == (ExportStatus.COMPLETED, 2)
    with export_storage().open(export.file.name) as handle:
        content = handle.read().decode("utf-8-sig")
    assert "jo@example.com" not in content and "Jo Smith" not in content
    assert "pat@example.com" in content


def test_an_export_run_again_records_the_leads_of_every_attempt():
    from exports.records.lead_ids import export_lead_ids_record

    export = ExportFactory(status=ExportStatus.RUNNING)
    export_lead_ids_record(export=export, ids=[3, 1])
    # The earlier attempt's writer, still finishing after the export was started again, records last.
    export_lead_ids_record(export=export, ids=[2, 1])
    record = ExportLeadIds.objects.get(export=export)
    assert (list(ids_decode(record.ids)), record.count) == ([1, 2, 3], 3)


def test_erasure_cuts_every_spelling_of_the_persons_phone_and_e_mail_from_the_text(manager):
    from leads.contact_extraction import emails_in, phones_in

    lead = LeadFactory(
        email="jo@example.com",
        phone="415-555-0165",
        title="Sofa, call (415) 555-0165 or mail JO@Example.COM",
        description=(
            "Text 415.555.0165, or four one five five five five zero one six five after 5pm, or 4 1 5 5 5 5 0 1 6 5, "
            "or +1 415 555 0165. Write to jo (at) example (dot) com or jo at example dot com. "
            "My husband: (510) 555-0123, pat@example.com; price 450."
        ),
    )
    person_erase(email="jo@example.com", user=manager)

    lead.refresh_from_db()
    text = f"{lead.title}\n{lead.description}"
    assert [phone.value for phone in phones_in(text)] == ["+15105550123"]  # only the husband's number is left
    assert [email.value for email in emails_in(text)] == ["pat@example.com"]
    assert lead.title == f"Sofa, call {REMOVED} or mail {REMOVED}"
    assert "price 450." in lead.description and "after 5pm" in lead.description
