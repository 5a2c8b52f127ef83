"""Leads with every awkward value an export must carry: formula payloads, control characters,
long text, emoji/RTL/CJK, quotes, commas and line breaks, missing prices and dates."""

import datetime
from decimal import Decimal

import pytest

from leads.models import LeadStatus
from tests.exports.factories import UserFactory
from tests.factories import CategoryFactory, LeadFactory, LocationFactory

ZONE = "America/Los_Angeles"
FORMULA_PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(1)", "\tTab first", "\rCR first", "\nLF first", "{=1+1}"]
LONG_DESCRIPTION = ("Forty thousand characters. " * 1500)[:40_000]
WORLD_TEXT = "Vélo 🚲 à vendre — דירה להשכרה — 公寓出租 — Ünïcödé"
CSV_HOSTILE = 'He said "hi", then, left\nand came back\r\nlater'
CONTROL_TEXT = "Bell\x07 vertical\x0b form\x0c escape\x1b end"


@pytest.fixture(autouse=True)
def _site_time_zone(settings):
    settings.TIME_ZONE = ZONE


@pytest.fixture
def exporter(db):
    return UserFactory(username="exporter")


@pytest.fixture
def leads(db):
    """Leads in two locations and two categories; returns them keyed by what makes each awkward."""
    sfbay = LocationFactory(name="SF bay area", site_code="sfbay", region="CA")
    telaviv = LocationFactory(name="תל אביב", site_code="telaviv", region="")
    for_sale = CategoryFactory(name="for sale", code="sss")
    housing = CategoryFactory(name="housing", code="hhh")
    base = datetime.datetime(2026, 11, 27, 17, 30, 15, 123456, tzinfo=datetime.UTC)
    made = {}
    for number, payload in enumerate(FORMULA_PAYLOADS):
        made[f"payload{number}"] = LeadFactory(
            location=sfbay,
            category=for_sale,
            title=payload,
            description=payload,
            contact_name=payload,
            phone="+1 415 555 0100",
            status=LeadStatus.NEW,
            scraped_at=base - datetime.timedelta(minutes=number),
            price=Decimal("1234.50"),
        )
    made["long"] = LeadFactory(
        location=sfbay,
        category=housing,
        title="Long one",
        description=LONG_DESCRIPTION,
        status=LeadStatus.CONTACTED,
        scraped_at=base - datetime.timedelta(hours=1),
    )
    made["world"] = LeadFactory(
        location=telaviv,
        category=housing,
        title=WORLD_TEXT,
        description=WORLD_TEXT,
        contact_name="王小明",
        status=LeadStatus.QUALIFIED,
        scraped_at=base - datetime.timedelta(hours=2),
        price=Decimal("0.99"),
    )
    made["hostile"] = LeadFactory(
        location=telaviv,
        category=for_sale,
        title=CSV_HOSTILE,
        description=CSV_HOSTILE,
        status=LeadStatus.CONVERTED,
        scraped_at=base - datetime.timedelta(hours=3),
    )
    made["control"] = LeadFactory(
        location=sfbay,
        category=for_sale,
        title=CONTROL_TEXT,
        description=CONTROL_TEXT,
        status=LeadStatus.REJECTED,
        scraped_at=base - datetime.timedelta(hours=4),
    )
    made["bare"] = LeadFactory(
        location=telaviv,
        category=housing,
        title="No price, no date, no contact",
        description="",
        price=None,
        posted_at=None,
        contact_name="",
        email="",
        phone="",
        scraped_at=base - datetime.timedelta(days=40),
    )
    return made
