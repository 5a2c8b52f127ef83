"""Outreach admin: templates with their variants, A/B tests, and the messages sent (auto-responses)."""

from outreach.admin import ab_tests, messages, templates  # noqa: F401  (registers the ModelAdmins)
