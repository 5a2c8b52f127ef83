import pytest
from django.core.exceptions import PermissionDenied

from exports.content.columns import DEFAULT_COLUMN_KEYS, LEAD_COLUMNS
from exports.errors import ExportLimitExceeded, ExportValidationError
from exports.models import Export, ExportSource, ExportStatus
from exports.services import ExportRequest, export_create, export_is_immediate
from tests.exports.factories import ExportFactory, UserFactory

CONTACT_KEYS = {column.key for column in LEAD_COLUMNS if column.is_contact}


def test_creates_a_pending_record_with_the_normalised_spec(exporter, leads):
    export = export_create(
        request=ExportRequest(
            user=exporter,
            filters={"status": "new", "has_email": "yes", "min_price": "10.50"},
            format="csv",
            options={"csv_bom": True},
            source=ExportSource.CLI,
        )
    )

    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING
    assert export.created_by == exporter
    assert export.filters == {"status": ["new"], "has_email": True, "min_price": "10.50"}
    assert export.row_count == 2
    assert export.columns == [key for key in DEFAULT_COLUMN_KEYS if key not in CONTACT_KEYS]
    assert export.options == {"csv_bom": True}
    assert export.source == ExportSource.CLI
    assert export.rows_written == 0 and not export.file


def test_chosen_columns_are_kept_in_order(exporter, leads):
    keys = [column.key for column in LEAD_COLUMNS if not column.is_contact][:3][::-1]

    export = export_create(request=ExportRequest(user=exporter, filters={}, format="json", columns=keys))

    assert export.columns == keys


def test_needs_the_export_permission(leads):
    user = UserFactory()

    with pytest.raises(PermissionDenied):
        export_create(request=ExportRequest(user=user, filters={}, format="csv"))
    assert not Export.objects.exists()


def test_contact_info_needs_its_own_permission(exporter, leads):
    with pytest.raises(PermissionDenied, match="contact information"):
        export_create(request=ExportRequest(user=exporter, filters={}, format="csv", include_contact_info=True))


def test_contact_columns_only_with_contact_info(exporter, manager, leads):
    without = export_create(
        request=ExportRequest(user=exporter, filters={}, format="csv", columns=[c.key for c in LEAD_COLUMNS])
    )
    with_contact = export_create(
        request=ExportRequest(
            user=manager, filters={}, format="csv", columns=[c.key for c in LEAD_COLUMNS], include_contact_info=True
        )
    )

    assert not CONTACT_KEYS & set(without.columns)
    assert set(with_contact.columns) >= CONTACT_KEYS
    assert with_contact.include_contact_info


def test_invalid_filters_keep_their_field_messages(exporter, leads):
    with pytest.raises(ExportValidationError) as caught:
        export_create(
            request=ExportRequest(user=exporter, filters={"status": "bogus", "date_from": "yesterday"}, format="csv")
        )

    assert set(caught.value.message_dict) == {"status", "date_from"}
    assert "YYYY-MM-DD" in caught.value.message_dict["date_from"][0]


def test_unknown_format_and_data_type(exporter, leads):
    with pytest.raises(ExportValidationError) as caught:
        export_create(request=ExportRequest(user=exporter, filters={}, format="pdf", data_type="everything"))

    assert set(caught.value.message_dict) == {"format", "data_type"}
    assert "csv" in caught.value.message_dict["format"][0]


def test_unknown_column(exporter, leads):
    with pytest.raises(ExportValidationError) as caught:
        export_create(request=ExportRequest(user=exporter, filters={}, format="csv", columns=["title", "shoe_size"]))

    assert "columns" in caught.value.message_dict


def test_boolean_options_must_be_booleans(exporter, leads):
    with pytest.raises(ExportValidationError) as caught:
        export_create(request=ExportRequest(user=exporter, filters={}, format="csv", options={"csv_bom": "maybe"}))

    assert "options" in caught.value.message_dict


def test_over_the_limit_is_refused_with_count_and_limit(exporter, leads, settings):
    settings.EXPORT_MAX_RECORDS = 2

    with pytest.raises(ExportLimitExceeded) as caught:
        export_create(request=ExportRequest(user=exporter, filters={}, format="csv"))

    assert (caught.value.count, caught.value.limit) == (3, 2)
    assert "3 leads" in str(caught.value) and "limit of 2" in str(caught.value)
    assert not Export.objects.exists()


def test_max_rows_lowers_the_limit(exporter, leads, settings):
    settings.EXPORT_MAX_RECORDS = 100

    with pytest.raises(ExportLimitExceeded) as caught:
        export_create(request=ExportRequest(user=exporter, filters={}, format="csv", max_rows=1))
    assert caught.value.limit == 1

    assert (
        export_create(
            request=ExportRequest(user=exporter, filters={"status": "contacted"}, format="csv", max_rows=1)
        ).row_count
        == 1
    )


def test_analytics_summarise_and_are_not_row_limited(exporter, leads, settings):
    settings.EXPORT_MAX_RECORDS = 1

    export = export_create(request=ExportRequest(user=exporter, filters={}, format="json", data_type="analytics"))

    assert export.row_count == 3


@pytest.mark.parametrize(("row_count", "immediate"), [(0, True), (5, True), (6, False), (None, False)])
def test_export_is_immediate_up_to_the_quick_limit(db, settings, row_count, immediate):
    settings.QUICK_EXPORT_LIMIT = 5

    assert export_is_immediate(ExportFactory.build(row_count=row_count)) is immediate


def test_the_format_must_hold_the_data_type(exporter, leads):
    with pytest.raises(ExportValidationError) as caught:
        export_create(request=ExportRequest(user=exporter, filters={}, format="csv", data_type="analytics"))

    assert "cannot hold analytics exports" in caught.value.message_dict["format"][0]
