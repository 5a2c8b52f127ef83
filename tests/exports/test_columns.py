import pytest
from django.core.exceptions import ValidationError

from exports.columns import (
    COLUMNS_BY_KEY,
    DEFAULT_COLUMN_KEYS,
    LEAD_COLUMNS,
    ValueMode,
    columns_for_update,
    columns_resolve,
)
from exports.row_plans import row_plan

CONTACT = {"contact_name", "email", "phone", "email_as_posted", "phone_as_posted"}


def test_every_column_is_declared_once_with_contact_columns_marked():
    keys = [column.key for column in LEAD_COLUMNS]
    assert len(keys) == len(set(keys))
    assert {column.key for column in LEAD_COLUMNS if column.is_contact} == CONTACT
    assert set(DEFAULT_COLUMN_KEYS) <= set(keys)


def test_none_or_empty_gives_the_defaults_and_drops_contact_columns_without_contact_info():
    assert [column.key for column in columns_resolve(keys=None, include_contact_info=True)] == list(DEFAULT_COLUMN_KEYS)
    without = [column.key for column in columns_resolve(keys=[], include_contact_info=False)]
    assert without == [key for key in DEFAULT_COLUMN_KEYS if key not in CONTACT]


def test_chosen_columns_keep_their_order():
    keys = ["phone", "updated_at", "id", "location_code"]
    assert [column.key for column in columns_resolve(keys=keys, include_contact_info=True)] == keys
    assert [column.key for column in columns_resolve(keys=keys, include_contact_info=False)] == keys[1:]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (["title", "password"], "Unknown column(s): password"),
        (["title", "title"], "repeated: title"),
        (["email"], "Choose at least one column"),
    ],
)
def test_bad_choices_raise_a_columns_error(keys, message):
    with pytest.raises(ValidationError) as caught:
        columns_resolve(keys=keys, include_contact_info=False)
    assert message in caught.value.message_dict["columns"][0]


def test_headers_are_labels_and_dates_name_the_site_time_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert COLUMNS_BY_KEY["email"].header == "E-mail"
    assert COLUMNS_BY_KEY["scraped_at"].header == "Found at (Europe/Paris)"
    assert COLUMNS_BY_KEY["location"].header_for(ValueMode.RAW) == "location"
    assert COLUMNS_BY_KEY["location"].header_for(ValueMode.DOCUMENT) == "location"


def test_update_ready_columns_are_the_importable_ones_after_the_identity_columns():
    chosen = columns_resolve(keys=["title", "location_code", "updated_at", "status", "id"], include_contact_info=False)
    assert [column.key for column in columns_for_update(chosen)] == [
        "id",
        "source_post_id",
        "location",
        "title",
        "status",
    ]


def test_row_plan_reads_each_field_once_and_converts_per_mode():
    columns = columns_resolve(keys=["status", "location", "location_code", "id"], include_contact_info=False)

    readable = row_plan(columns, ValueMode.READABLE)
    assert readable.fields == ("status", "location__name", "location__site_code", "id")
    assert list(readable.read(("new", "SF bay area", "sfbay", 7))) == ["New", "SF bay area", "sfbay", 7]

    raw = row_plan(columns, ValueMode.RAW)
    assert raw.fields == ("status", "location__site_code", "id")  # the site code is read once
    assert list(raw.read(("contacted", "sfbay", 7))) == ["contacted", "sfbay", "sfbay", 7]

    document = row_plan(columns, ValueMode.DOCUMENT)
    cells = document.read(("new", 3, "sfbay", 7, "SF bay area", "CA"))
    assert cells[1] == {"id": 3, "name": "SF bay area", "site_code": "sfbay", "region": "CA"}


def test_a_plan_without_conversions_passes_rows_through():
    columns = columns_resolve(keys=["id", "title"], include_contact_info=False)
    plan = row_plan(columns, ValueMode.RAW)
    row = (1, "A title")
    assert plan.read(row) is row
