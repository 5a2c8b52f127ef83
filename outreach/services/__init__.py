"""Outreach services: queueing, rendering, sending (the outbox), tracking, A/B tests.

The public entry points are re-exported here; the rules app calls `auto_responses_queue_leads`.
"""

from outreach.services.queueing import QueueResult, auto_responses_queue, auto_responses_queue_leads

__all__ = ["QueueResult", "auto_responses_queue", "auto_responses_queue_leads"]
