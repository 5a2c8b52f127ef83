"""Template context every page shares."""

from django.utils import timezone


def site_time_zone(request) -> dict:
    """The site's time zone, named once on every page (every time a person reads is in it)."""
    return {"site_time_zone": timezone.get_default_timezone_name()}
