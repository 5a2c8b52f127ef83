import datetime
import zoneinfo

import pytest

from tests.outreach.smtp import smtp_inbox  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _outreach_settings(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    settings.OUTREACH_SENDING_HOURS = "00:00-23:59"
    settings.OUTREACH_MAX_PER_HOUR = 1000
    settings.OUTREACH_MAX_PER_DAY = 1000
    settings.OUTREACH_SENDER_NAME = "Acme Leads"
    settings.OUTREACH_POSTAL_ADDRESS = "Acme Leads, 12 Market St, San Francisco, CA 94105"
    settings.OUTREACH_FROM_EMAIL = "hello@acme.example"
    settings.SITE_URL = "https://leads.example"


def site_time(hour: int, minute: int = 0) -> datetime.datetime:
    """A moment on 2 Dec 2026 at hour:minute in the tests' site time zone."""
    return datetime.datetime(2026, 12, 2, hour, minute, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles"))


from tests.api.conftest import manager_user, sales_user  # noqa: E402, F401  (fixtures)
