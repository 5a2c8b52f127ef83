"""Outreach reads: A/B test results, auto-response figures."""
