import pytest
from rest_framework.test import APIClient

from ingest.models import Scraper
from ingest.services import scraper_key_create
from tests.factories import CategoryFactory, LocationFactory


@pytest.fixture
def places(db):
    return LocationFactory(site_code="sfbay", name="SF bay area"), CategoryFactory(code="sss", name="for sale")


@pytest.fixture
def scraper(db):
    return Scraper.objects.create(name="cl-west")


@pytest.fixture
def key(scraper):
    return scraper_key_create(scraper=scraper, name="prod")


@pytest.fixture
def client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key[1]}")
    return client


def lead(post_id: str, **fields) -> dict:
    return {
        "source_post_id": post_id,
        "location": "sfbay",
        "category": "sss",
        "url": f"https://sfbay.craigslist.org/sfc/bik/d/x/{post_id}.html",
        "title": f"Bike {post_id}",
        "description": "A bike.",
        "price": "120.00",
        "posted_at": "2026-11-30T09:30:00-08:00",
        "contact_name": "Sam",
        "email": "sam@example.com",
        "phone": "415-555-0134",
    } | fields
