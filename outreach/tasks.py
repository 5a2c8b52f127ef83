"""Background task: send what is due now (thin: calls the service)."""

from django.tasks import task

from outreach.services.sending import auto_responses_send_due


@task
def send_due_auto_responses() -> dict:
    """One pass of the outbox within the caps and sending hours; the rows hold the outcome."""
    return auto_responses_send_due().as_dict()
