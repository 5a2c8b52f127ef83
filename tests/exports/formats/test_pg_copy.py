import io
from decimal import Decimal

import pytest
from django.db import connection

from exports.content.columns import LEAD_COLUMNS, ValueMode, columns_resolve
from exports.formats import pg_copy
from exports.formats.base import PROGRESS_EVERY
from exports.formats.delimited import CsvFormat
from exports.services.writing import export_dataset
from leads.models import Lead
from tests.exports.factories import ExportFactory
from tests.factories import LeadFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ALL_KEYS = [column.key for column in LEAD_COLUMNS]


def write_csv(export, *, use_copy: bool, settings) -> bytes:
    settings.EXPORT_CSV_COPY = use_copy
    destination = io.BytesIO()
    CsvFormat().write(dataset=export_dataset(export=export), destination=destination, on_progress=lambda rows: None)
    return destination.getvalue()


def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")


@pytest.mark.parametrize(
    "filters", [{}, {"categories": ["sss"]}, {"status": ["new"], "limit": 3}, {"q": "nothing-matches-this"}]
)
def test_copy_output_is_byte_identical_to_the_portable_path(leads, exporter, settings, filters, monkeypatch):
    needs_postgres()
    copies = []
    real_copy = pg_copy.copy_csv_rows
    monkeypatch.setattr(pg_copy, "copy_csv_rows", lambda **kwargs: copies.append(1) or real_copy(**kwargs))
    LeadFactory(title="\\.", description='\\."', contact_name='a,"\\.",b', phone="\\.")  # COPY's end-of-data marker
    export = ExportFactory(
        format="csv",
        created_by=exporter,
        columns=ALL_KEYS,
        include_contact_info=True,
        filters=filters,
        options={"csv_bom": True},
    )
    assert pg_copy.copy_supported(
        columns=columns_resolve(keys=ALL_KEYS, include_contact_info=True), mode=ValueMode.READABLE
    )

    portable = write_csv(export, use_copy=False, settings=settings)
    copied = write_csv(export, use_copy=True, settings=settings)

    assert copies == [1]  # the second file really came from COPY
    assert copied == portable
    assert portable.count(b"\r\n") >= (1 if "q" in filters else 2)


def test_copy_is_used_only_where_it_is_identical(settings):
    columns = columns_resolve(keys=["id", "title"], include_contact_info=False)
    on_postgres = connection.vendor == "postgresql"
    assert pg_copy.copy_supported(columns=columns, mode=ValueMode.READABLE) is on_postgres
    assert not pg_copy.copy_supported(columns=columns, mode=ValueMode.RAW)  # update-ready: portable path
    assert not pg_copy.copy_supported(columns=columns[:1], mode=ValueMode.READABLE)
    settings.EXPORT_CSV_COPY = False
    assert not pg_copy.copy_supported(columns=columns, mode=ValueMode.READABLE)


def test_copy_matches_across_progress_batches(exporter, settings):
    needs_postgres()
    template = LeadFactory(title="\\.", description="first")
    leads = [
        Lead(
            location=template.location,
            category=template.category,
            source_post_id=f"bulk{number}",
            title="\\." if number % 997 == 0 else f'=row {number}, "quoted"',
            description="line\r\nbreak" if number % 2 else "",
            price=None if number % 3 else Decimal(number) / 4,
            scraped_at=template.scraped_at,
        )
        for number in range(2 * PROGRESS_EVERY + 5)
    ]
    Lead.objects.bulk_create(leads)
    export = ExportFactory(
        format="csv", created_by=exporter, columns=["id", "title", "description", "price", "scraped_at"]
    )

    portable = write_csv(export, use_copy=False, settings=settings)

    assert write_csv(export, use_copy=True, settings=settings) == portable
    assert portable.count(b"\r\n") > 2 * PROGRESS_EVERY
