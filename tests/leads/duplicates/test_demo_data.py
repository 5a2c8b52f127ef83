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
