"""Outreach settings in one place, each with its default, read when asked (never at import time).

The twin of `leads/conf.py` and `exports/conf.py`: Django's setting (read from the environment by
`leadsite/settings.py`) overrides the default here. Code never reads `settings.OUTREACH_*` directly.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS = {
    "OUTREACH_MAX_PER_HOUR": 50,
    "OUTREACH_MAX_PER_DAY": 300,
    "OUTREACH_SENDING_HOURS": "08:00-20:00",
    "OUTREACH_SENDER_NAME": "Leadsite",
    "OUTREACH_POSTAL_ADDRESS": "Leadsite, 1 Example Street, San Francisco, CA 94105, USA",
    "OUTREACH_FROM_EMAIL": "",  # empty: DEFAULT_FROM_EMAIL
    "OUTREACH_BATCH_SIZE": 100,
    "AB_TEST_MIN_SAMPLE": 100,
}


def setting(name: str):
    """The value of outreach setting `name`: Django's setting when there is one, else its default."""
    return getattr(settings, name, DEFAULTS[name])


def max_per_hour() -> int:
    """OUTREACH_MAX_PER_HOUR: messages sent in any rolling hour, at most."""
    return int(setting("OUTREACH_MAX_PER_HOUR"))


def max_per_day() -> int:
    """OUTREACH_MAX_PER_DAY: messages sent in any rolling 24 hours, at most."""
    return int(setting("OUTREACH_MAX_PER_DAY"))


def parse_sending_hours(value: str) -> tuple[datetime.time, datetime.time]:
    """ "08:00-20:00" → (08:00, 20:00); a window that wraps midnight ("22:00-06:00") is allowed."""
    try:
        start, end = (datetime.time.fromisoformat(part.strip()) for part in value.split("-"))
    except ValueError as error:
        raise ImproperlyConfigured(f'OUTREACH_SENDING_HOURS must look like "08:00-20:00", not {value!r}.') from error
    if start == end:
        raise ImproperlyConfigured("OUTREACH_SENDING_HOURS must not start and end at the same time.")
    return start, end


def sending_hours() -> tuple[datetime.time, datetime.time]:
    """OUTREACH_SENDING_HOURS in the site's time zone (TIME_ZONE)."""
    return parse_sending_hours(setting("OUTREACH_SENDING_HOURS"))


def sender_name() -> str:
    """OUTREACH_SENDER_NAME: who the messages come from (display name, and named in the footer)."""
    return setting("OUTREACH_SENDER_NAME")


def postal_address() -> str:
    """OUTREACH_POSTAL_ADDRESS: the sender's postal address, printed in every message's footer."""
    return setting("OUTREACH_POSTAL_ADDRESS")


def from_email() -> str:
    """OUTREACH_FROM_EMAIL, else DEFAULT_FROM_EMAIL: the address messages are sent from."""
    return setting("OUTREACH_FROM_EMAIL") or settings.DEFAULT_FROM_EMAIL


def batch_size() -> int:
    """OUTREACH_BATCH_SIZE: messages claimed and sent per pass of the sender."""
    return int(setting("OUTREACH_BATCH_SIZE"))


def ab_test_min_sample() -> int:
    """AB_TEST_MIN_SAMPLE: sends every variant needs before an A/B test can name a winner."""
    return int(setting("AB_TEST_MIN_SAMPLE"))
