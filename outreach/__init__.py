"""Outreach: response templates and their variants, auto-responses (an outbox), A/B tests.

Sits above `leads` (and may read `exports`); `leads` never imports it.
"""
