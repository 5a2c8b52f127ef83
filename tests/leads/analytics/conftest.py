"""A small hand-made data set whose every figure is worked out by hand in the tests.

Leads (scraped_at in UTC; NOW = 2026-03-31 12:00 UTC):
    L1  03-31 10:00  new        SF  sss    10.00  e-mail + phone
    L2  03-30 09:00  contacted  SF  sss    20.00  e-mail
    L3  03-28 12:00  qualified  SF  hhh    30.00  phone
    L4  03-25 12:00  converted  NY  hhh  1000.00  neither
    L5  03-20 12:00  converted  NY  sss     none  e-mail + phone
    L6  03-10 12:00  rejected   NY  hhh    55.50  e-mail
    L7  02-20 12:00  new        SF  sss    40.00  e-mail + phone

Scrape runs:
    R1  03-30 10:00  60 s   success  SF sss  found 40, new 30, duplicate 10
    R2  03-29 10:00  120 s  partial  SF hhh  found 20, new 10, duplicate 10
    R3  03-28 10:00  300 s  failed   NY sss  "HTTP 403"
    R4  03-27 10:00  -      running  NY hhh  found 5, new 5
    R5  02-01 10:00  30 s   failed   SF sss  "Timed out"
"""

import datetime
from decimal import Decimal

import pytest

from leads.models import LeadStatus, ScrapeRunStatus
from tests.factories import CategoryFactory, LeadFactory, LocationFactory, ScrapeRunFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


def at(month: int, day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=UTC)


@pytest.fixture(params=["rollups", "leads"])
def each_source(request, settings):
    """Run the test once answering from the daily rollups and once from the leads: the figures must agree."""
    settings.LEAD_ROLLUPS = request.param == "rollups"
    return request.param


@pytest.fixture
def places():
    return {
        "sf": LocationFactory(name="SF bay area", site_code="sfbay"),
        "ny": LocationFactory(name="New York City", site_code="newyork"),
        "sss": CategoryFactory(name="for sale", code="sss"),
        "hhh": CategoryFactory(name="housing", code="hhh"),
    }


@pytest.fixture
def leads(places):
    rows = [
        ("L1", at(3, 31, 10), LeadStatus.NEW, "sf", "sss", "10.00", True, True),
        ("L2", at(3, 30, 9), LeadStatus.CONTACTED, "sf", "sss", "20.00", True, False),
        ("L3", at(3, 28), LeadStatus.QUALIFIED, "sf", "hhh", "30.00", False, True),
        ("L4", at(3, 25), LeadStatus.CONVERTED, "ny", "hhh", "1000.00", False, False),
        ("L5", at(3, 20), LeadStatus.CONVERTED, "ny", "sss", None, True, True),
        ("L6", at(3, 10), LeadStatus.REJECTED, "ny", "hhh", "55.50", True, False),
        ("L7", at(2, 20), LeadStatus.NEW, "sf", "sss", "40.00", True, True),
    ]
    return {
        title: LeadFactory(
            title=title,
            scraped_at=scraped_at,
            status=status,
            location=places[location],
            category=places[category],
            price=None if price is None else Decimal(price),
            email=f"{title.lower()}@example.com" if email else "",
            phone="415-555-0100" if phone else "",
        )
        for title, scraped_at, status, location, category, price, email, phone in rows
    }


@pytest.fixture
def runs(places):
    rows = [
        ("R1", at(3, 30, 10), 60, ScrapeRunStatus.SUCCESS, "sf", "sss", 30, 10, ""),
        ("R2", at(3, 29, 10), 120, ScrapeRunStatus.PARTIAL, "sf", "hhh", 10, 10, "Stopped after page 2."),
        ("R3", at(3, 28, 10), 300, ScrapeRunStatus.FAILED, "ny", "sss", 0, 0, "HTTP 403"),
        ("R4", at(3, 27, 10), None, ScrapeRunStatus.RUNNING, "ny", "hhh", 5, 0, ""),
        ("R5", at(2, 1, 10), 30, ScrapeRunStatus.FAILED, "sf", "sss", 0, 0, "Timed out"),
    ]
    return {
        name: ScrapeRunFactory(
            started_at=started_at,
            finished_at=None if duration is None else started_at + datetime.timedelta(seconds=duration),
            status=status,
            location=places[location],
            category=places[category],
            leads_found=new + duplicate,
            leads_new=new,
            leads_duplicate=duplicate,
            error=error,
        )
        for name, started_at, duration, status, location, category, new, duplicate, error in rows
    }
