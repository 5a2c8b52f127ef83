"""Outreach services: queueing, rendering, sending (the outbox), tracking, A/B tests.

The public entry points are re-exported here; the rules app calls `auto_responses_queue`.
"""

from outreach.services.queueing import auto_responses_queue

__all__ = ["auto_responses_queue"]
