"""What goes out comes back unchanged: update-ready CSV, Excel and JSON exports re-import to the stored text.

Each test stores the text, exports the update-ready file, overwrites the stored values, imports the file
and expects the original values back. Excel alone cannot hold every text (32,767 characters per cell,
no control characters in XML): such a cell is marked, and the import refuses it and keeps the stored value.
Runs on SQLite and on PostgreSQL (DATABASE_URL).
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leads.contact_normalisation import normalise_phone
from leads.import_cells import decode_xlsx_text
from leads.imports import LeadImportFileError, lead_import
from leads.models import Lead
from tests.exports.factories import ExportFactory, export_write_bytes
from tests.factories import LeadFactory
from tests.roundtrip.corpus import CORPUS, EXCEL_CELL_MAX, LONG

pytestmark = pytest.mark.django_db

FORMATS = [("csv", "csv"), ("excel", "xlsx"), ("json", "json")]
CHANGED = "changed since the export"
POSTED = {"phone": "phone_as_posted", "email": "email_as_posted"}
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Every text the database accepts: anything but NUL and lone surrogates (leads.validators).
STORABLE = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
EXAMPLES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture
def lead(db):
    return LeadFactory(title="placeholder", phone="")


def excel_cannot_hold(text: str) -> bool:
    quoted = len(text) + 1  # at most one quote more
    return bool(XML_ILLEGAL.search(text)) or len(text.encode("utf-16-le")) // 2 + (quoted - len(text)) > EXCEL_CELL_MAX


def round_trip(lead: Lead, values: dict[str, str], *, export_format: str, import_format: str):
    """Store `values`, export, overwrite them, import the file; returns the import's result or error."""
    Lead.objects.filter(pk=lead.pk).update(**values)
    data = export_write_bytes(
        ExportFactory(format=export_format, include_contact_info=True, options={"update_ready": True})
    )
    Lead.objects.filter(pk=lead.pk).update(**dict.fromkeys(values, CHANGED))
    try:
        return lead_import(file_path_or_bytes=data, format=import_format)
    except LeadImportFileError as error:
        return error


def check(lead: Lead, values: dict[str, str], *, export_format: str, import_format: str) -> None:
    outcome = round_trip(lead, values, export_format=export_format, import_format=import_format)
    lead.refresh_from_db()
    # An e-mail or phone comes back as posted beside its normalised form (leads.contact_fields).
    stored = {field: getattr(lead, POSTED.get(field, field)) or getattr(lead, field) for field in values}
    refused = [field for field, value in values.items() if export_format == "excel" and excel_cannot_hold(value)]
    if refused:
        assert not isinstance(outcome, LeadImportFileError), outcome.message
        assert not outcome.saved
        report = " ".join(error.text for error in outcome.errors)
        for field in refused:
            assert f"row 1, {field}: ends with “[cut by export: see the Notes sheet]”" in report
        assert "never imported over the stored value" in report
        # The stored values are left alone.
        assert {field: getattr(lead, field) for field in values} == dict.fromkeys(values, CHANGED)
    else:
        assert not isinstance(outcome, LeadImportFileError), outcome.message
        assert outcome.errors == (), outcome.errors
        assert stored == values
        if "phone" in values and not lead.contact_extracted:
            assert lead.phone == normalise_phone(values["phone"]).value


@pytest.mark.parametrize(("export_format", "import_format"), FORMATS)
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_hostile_corpus_comes_back_unchanged(lead, name, export_format, import_format):
    text = CORPUS[name]
    values = {"title": text, "description": text, "contact_name": text}
    check(lead, values, export_format=export_format, import_format=import_format)


@pytest.mark.parametrize(("export_format", "import_format"), FORMATS)
def test_a_phone_with_a_genuine_leading_quote_comes_back(lead, export_format, import_format):
    check(lead, {"phone": "'+1 415 555 0100"}, export_format=export_format, import_format=import_format)


@pytest.mark.parametrize(("export_format", "import_format"), FORMATS)
def test_text_over_the_excel_cell_limit_comes_back_or_is_refused(lead, export_format, import_format):
    check(lead, {"description": LONG}, export_format=export_format, import_format=import_format)


@pytest.mark.parametrize(("export_format", "import_format"), FORMATS)
@EXAMPLES
@given(
    title=st.text(STORABLE, min_size=1, max_size=300),
    description=st.text(STORABLE, max_size=400),
    contact_name=st.text(STORABLE, max_size=200),
    phone=st.text(STORABLE, max_size=40).map(str.strip),  # the importer strips phones
)
def test_arbitrary_text_comes_back_unchanged(
    lead, export_format, import_format, title, description, contact_name, phone
):
    values = {"title": title, "description": description, "contact_name": contact_name, "phone": phone}
    check(lead, values, export_format=export_format, import_format=import_format)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("_x005F_x0041_", "_x0041_"),  # Excel's escape of a literal escape
        ("_x0041_", "_x0041_"),  # no writer escapes a letter: LibreOffice writes this text as it is
        ("a_x0009_b_x000D_", "a\tb\r"),  # control characters, as Excel writes them
        ("_x005f_x12_", "_x12_"),
        ("_xFFFE_", "\ufffe"),
        ("_x0041", "_x0041"),
    ],
)
def test_excel_escapes_are_decoded_as_excel_and_libreoffice_read_them(cell, value):
    assert decode_xlsx_text(cell) == value
