"""Analytics sections other apps add to the report and the performance API, without leads importing them.

`settings.ANALYTICS_SECTIONS` lists dotted paths of section objects; each has a `key` (its name in
the report, e.g. "auto_responses") and is called as `section(filters=spec, now=now)`, returning a
JSON-safe dict (the conventions of `leads.analytics.common`). The analytics report, the API's
performance analytics, the analytics JSON/Excel exports and the comprehensive ZIP all show them.
Adding a section is one line in the setting: apps never edit each other's code to appear here.
"""

import datetime
from collections.abc import Mapping
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string

from leads import conf


@cache
def _sections() -> tuple:
    found = []
    for path in conf.setting("ANALYTICS_SECTIONS"):
        try:
            section = import_string(path)
        except ImportError as error:
            raise ImproperlyConfigured(f"ANALYTICS_SECTIONS: cannot import {path!r} ({error}).") from error
        if not isinstance(getattr(section, "key", None), str) or not callable(section):
            raise ImproperlyConfigured(f"ANALYTICS_SECTIONS: {path!r} needs a `key` and must be callable.")
        found.append(section)
    return tuple(found)


@receiver(setting_changed)
def _reset(*, setting, **kwargs):
    if setting == "ANALYTICS_SECTIONS":
        _sections.cache_clear()


def section_keys() -> list[str]:
    return [section.key for section in _sections()]


def section_schemas() -> dict[str, dict]:
    """Each section's OpenAPI schema (its `schema` attribute; a plain object when it has none)."""
    return {section.key: getattr(section, "schema", {"type": "object"}) for section in _sections()}


def analytics_sections(*, filters: Mapping, now: datetime.datetime | None = None) -> dict[str, dict]:
    """Every plugged-in section for the (already validated) spec, by key, in the setting's order."""
    now = now or timezone.now()
    return {section.key: section(filters=filters, now=now) for section in _sections()}
