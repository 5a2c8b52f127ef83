import pytest

from exports.content.columns import DEFAULT_COLUMN_KEYS, LEAD_COLUMNS
from exports.formats.registry import available_formats
from exports.forms import LeadExportForm
from tests.exports.factories import UserFactory

CONTACT_KEYS = {column.key for column in LEAD_COLUMNS if column.is_contact}


@pytest.fixture
def exporter(db):
    return UserFactory(username="staff", permissions=["leads.view_lead", "exports.export_leads"])


@pytest.fixture
def contact_viewer(db):
    return UserFactory(
        username="manager", permissions=["leads.view_lead", "exports.export_leads", "exports.view_contact_info"]
    )


def test_formats_come_from_the_registry(exporter):
    form = LeadExportForm(user=exporter)

    assert form.fields["format"].choices == [(writer.key, writer.label) for writer in available_formats()]


def test_without_permission_contact_columns_are_offered_masked_or_hashed_only(exporter):
    form = LeadExportForm(user=exporter)

    assert "include_contact_info" in form.fields
    assert [key for key, _ in form.fields["contact_mode"].choices] == ["masked", "hashed"]
    assert {key for key, _ in form.fields["columns"].choices} >= CONTACT_KEYS
    labels = {choice.key: choice.label for choice in form.column_choices()}
    assert labels["email"] == "E-mail (masked or hashed)" and labels["title"] == "Title"


@pytest.mark.parametrize("mode", ["masked", "hashed"])
def test_without_permission_masked_or_hashed_contact_columns_are_exported(exporter, mode):
    data = {"format": "csv", "columns": ["title", "email"], "include_contact_info": "on", "contact_mode": mode}
    form = LeadExportForm(data, user=exporter)

    assert form.is_valid(), form.errors
    arguments = form.export_arguments()
    assert arguments["columns"] == ["title", "email"] and arguments["include_contact_info"] is True
    assert arguments["options"]["contact_mode"] == mode


@pytest.mark.parametrize("mode", ["plain", ""])
def test_without_permission_plain_contact_values_are_a_form_error(exporter, mode):
    data = {"format": "csv", "columns": ["title", "email"], "include_contact_info": "on", "contact_mode": mode}
    form = LeadExportForm(data, user=exporter)

    assert not form.is_valid()
    assert form.errors["contact_mode"] == [
        "You may not export plain contact values: choose masked or hashed contact "
        "values, or leave contact information out."
    ]


def test_without_permission_and_without_contact_info_no_contact_mode_is_recorded(exporter):
    form = LeadExportForm({"format": "csv", "columns": ["title", "email"], "contact_mode": "masked"}, user=exporter)

    assert form.is_valid(), form.errors
    assert form.export_arguments()["columns"] == ["title"]
    assert "contact_mode" not in form.export_arguments()["options"]


def test_the_preview_never_shows_plain_values_to_a_user_without_permission(exporter, contact_viewer):
    assert LeadExportForm(user=exporter).preview_transforms().contact_mode == "masked"
    posted = {"format": "csv", "columns": ["email"], "include_contact_info": "on"}
    assert (
        LeadExportForm({**posted, "contact_mode": "plain"}, user=exporter).preview_transforms().contact_mode == "masked"
    )
    assert (
        LeadExportForm({**posted, "contact_mode": "hashed"}, user=exporter).preview_transforms().contact_mode
        == "hashed"
    )
    assert LeadExportForm(user=contact_viewer).preview_transforms().contact_mode == "plain"


def test_with_permission_contact_columns_are_offered_and_start_ticked(contact_viewer):
    form = LeadExportForm(user=contact_viewer)

    assert "include_contact_info" in form.fields
    assert {key for key, _ in form.fields["columns"].choices} >= CONTACT_KEYS
    assert set(form.fields["columns"].initial) >= CONTACT_KEYS


def test_contact_columns_are_dropped_unless_contact_info_is_included(contact_viewer):
    data = {"format": "csv", "columns": ["email", "title", "phone"]}

    without = LeadExportForm(data, user=contact_viewer)
    with_contact = LeadExportForm({**data, "include_contact_info": "on"}, user=contact_viewer)

    assert without.is_valid(), without.errors
    assert without.export_arguments()["columns"] == ["title"]
    assert without.export_arguments()["include_contact_info"] is False
    assert with_contact.is_valid(), with_contact.errors
    assert with_contact.export_arguments()["columns"] == ["email", "title", "phone"]
    assert with_contact.export_arguments()["include_contact_info"] is True


def test_columns_keep_the_submitted_order(exporter):
    form = LeadExportForm({"format": "json", "columns": ["price", "id", "title"]}, user=exporter)

    assert form.is_valid(), form.errors
    assert form.export_arguments() == {
        "format": "json",
        "columns": ["price", "id", "title"],
        "include_contact_info": False,
        "options": {"csv_bom": False, "update_ready": False},
    }


def test_options_are_passed_as_booleans(exporter):
    form = LeadExportForm({"format": "csv", "columns": ["id"], "csv_bom": "on", "update_ready": "on"}, user=exporter)

    assert form.is_valid(), form.errors
    assert form.export_arguments()["options"] == {"csv_bom": True, "update_ready": True}


@pytest.mark.parametrize("columns", [[], ["email"]])
def test_at_least_one_exportable_column_is_required(contact_viewer, columns):
    form = LeadExportForm({"format": "csv", "columns": columns}, user=contact_viewer)

    assert not form.is_valid()
    assert form.errors["columns"] == ["Choose at least one column."]


@pytest.mark.parametrize("data", [{"format": "pdf", "columns": ["id"]}, {"columns": ["id"]}])
def test_an_unknown_or_missing_format_is_an_error(exporter, data):
    form = LeadExportForm(data, user=exporter)

    assert not form.is_valid()
    assert "format" in form.errors


def test_an_unknown_column_is_an_error(exporter):
    form = LeadExportForm({"format": "csv", "columns": ["id", "secret"]}, user=exporter)

    assert not form.is_valid()
    assert "columns" in form.errors


def test_the_picker_lists_chosen_columns_first_in_order_then_the_rest(exporter):
    form = LeadExportForm({"format": "csv", "columns": ["price", "id"]}, user=exporter)

    choices = form.column_choices()

    assert [choice.key for choice in choices[:2]] == ["price", "id"]
    assert all(choice.checked for choice in choices[:2])
    assert not any(choice.checked for choice in choices[2:])
    assert {choice.key for choice in choices} == {column.key for column in form.available_columns}


def test_the_unbound_picker_ticks_the_default_columns(exporter):
    choices = LeadExportForm(user=exporter).column_choices()

    ticked = [choice.key for choice in choices if choice.checked]
    assert [key for key in ticked if key not in CONTACT_KEYS] == [
        key for key in DEFAULT_COLUMN_KEYS if key not in CONTACT_KEYS
    ]
    # Contact columns start ticked, hidden (and not sent) until contact information is included.
    assert set(ticked) >= CONTACT_KEYS
