"""The demo data includes reposts, grouped as duplicates when it is seeded."""

import pytest

from leads.demo_data.seeding import demo_data_seed
from leads.models import DuplicateGroup, Lead

pytestmark = pytest.mark.django_db


def test_seed_demo_includes_duplicate_groups_across_sites():
    demo_data_seed(leads=1_500)
    groups = DuplicateGroup.objects.filter(size__gte=2)
    assert groups.count() >= 10
    sites_per_group = [len({lead.location_id for lead in group.leads.all()}) for group in groups]
    assert max(sites_per_group) >= 2  # the same post on another site
    assert Lead.objects.filter(duplicate_group__isnull=False).count() < Lead.objects.count() // 4  # no clumping


@pytest.mark.parametrize("format", ["csv", "excel", "json"])
def test_an_update_ready_export_of_the_demo_data_re_imports_unchanged(format):
    # Reposts copy another post's contacts; their do-not-contact keys must come with them, or the
    # import (which derives the keys from the contacts) reports leads as changed that nobody touched.
    from leads.imports import lead_import
    from tests.exports.factories import ExportFactory, export_write_bytes

    demo_data_seed(leads=1_500)
    export = ExportFactory(format=format, include_contact_info=True, options={"update_ready": True})
    content = export_write_bytes(export)

    result = lead_import(file_path_or_bytes=content, format={"excel": "xlsx"}.get(format, format), dry_run=True)

    assert result.errors == ()
    assert (result.new, result.updated, result.unchanged) == (0, 0, Lead.objects.count())
