"""Both databases hold the same data: NUL characters and lone surrogates are refused at every way in."""

import json

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from leads.imports import lead_import
from leads.models import Lead
from leads.validators import storable_text_problem, validate_storable_text
from tests.factories import CategoryFactory, LeadFactory, LocationFactory

pytestmark = pytest.mark.django_db

# name: (text, 1-based position of the bad character)
UNSTORABLE = {
    "NUL": ("before\x00after", 7),
    "lone high surrogate": ("a\ud800b", 2),
    "lone low surrogate": ("\udfff", 1),
}
TEXT_FIELDS = ["title", "description", "contact_name", "phone", "source_post_id", "url", "email"]


@pytest.mark.parametrize("name", sorted(UNSTORABLE))
def test_the_validator_names_the_character_and_where_it_is(name):
    text, position = UNSTORABLE[name]
    with pytest.raises(ValidationError) as raised:
        validate_storable_text(text)
    message = raised.value.messages[0]
    assert ("NUL character (U+0000)" if name == "NUL" else "lone surrogate (U+D") in message
    assert f"at character {position}," in message


@pytest.mark.parametrize("text", ["", "plain", "🚲 emoji pairs are fine", "\x01\x7f\ufffe controls are storable"])
def test_storable_text_passes(text):
    validate_storable_text(text)
    assert storable_text_problem(text) is None


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_every_lead_text_field_refuses_unstorable_text(field):
    lead = LeadFactory()
    setattr(lead, field, "x\x00y")
    with pytest.raises(ValidationError) as raised:
        lead.full_clean()
    assert "NUL character" in " ".join(raised.value.message_dict[field])


@pytest.mark.parametrize("text", sorted(text for text, _ in UNSTORABLE.values()))
def test_the_admin_form_refuses_it(text, admin_user):
    lead = LeadFactory()
    model_admin = admin.site._registry[Lead]
    request = RequestFactory().post("/")
    request.user = admin_user
    form_class = model_admin.get_form(request, lead)
    data = {name: getattr(lead, name) for name in ("title", "status", "description", "url", "source_post_id")}
    data |= {"location": lead.location_id, "category": lead.category_id, "contact_name": text, "price": "1"}
    form = form_class(data=data, instance=lead)
    assert not form.is_valid()
    assert form.errors["contact_name"]


@pytest.mark.parametrize(("name", "escaped"), [("NUL", "\\u0000"), ("surrogate", "\\ud800")])
def test_an_import_refuses_it_naming_row_and_column(name, escaped):
    location, category = LocationFactory(site_code="sfbay"), CategoryFactory(code="sss")
    good = {"location": location.site_code, "category": category.code, "source_post_id": "1", "title": "fine"}
    bad = {**good, "source_post_id": "2", "title": "ok", "description": "x"}
    data = json.dumps([good, bad]).replace('"x"', f'"before{escaped}after"').encode()

    result = lead_import(file_path_or_bytes=data, format="json")

    report = " ".join(error.text for error in result.errors)
    assert "row 2, description: contains a " in report
    assert ("NUL character" if name == "NUL" else "lone UTF-16 surrogate") in report
    assert not result.saved
    assert not Lead.objects.exists()  # nothing saved


def test_a_csv_with_a_nul_in_a_lead_row_names_the_row_instead_of_calling_it_binary():
    location, category = LocationFactory(site_code="sfbay"), CategoryFactory(code="sss")
    data = f"location,category,source_post_id,title\n{location.site_code},{category.code},1,a\x00b\n".encode()

    result = lead_import(file_path_or_bytes=data, format="csv")

    assert [error.text for error in result.errors] == ["row 1, title: contains a NUL character"]
    assert not Lead.objects.exists()
