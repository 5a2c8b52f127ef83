import datetime
import itertools

import pytest
from django.utils import timezone

from tests.factories import CategoryFactory, LeadFactory, LocationFactory

_TITLES = itertools.count()
UNIQUE_WORDS = ["walnut", "bicycle", "trumpet", "sofa", "kayak", "guitar", "lamp", "printer", "tractor", "camera"]


@pytest.fixture
def category(db):
    return CategoryFactory(code="sss", name="for sale")


@pytest.fixture
def make_lead(db, category):
    """A lead with no contact data and a title unlike any other, unless told otherwise."""
    now = timezone.now()

    def make(*, days_ago: float = 0, **fields):
        number = next(_TITLES)
        defaults = {
            "category": category,
            "title": f"{UNIQUE_WORDS[number % 10]} {number * 7919} zq{number}",
            "email": "",
            "phone": "",
            "scraped_at": now - datetime.timedelta(days=days_ago),
        }
        if "location" not in fields:
            defaults["location"] = LocationFactory(site_code="sfbay", name="SF bay area")
        return LeadFactory(**{**defaults, **fields})

    return make
