"""Send the auto-responses that are due now (within the caps and sending hours); for cron."""

from django.core.management.base import BaseCommand

from outreach.services.sending import auto_responses_send_due

REASONS = {
    "outside_hours": "outside the sending hours (OUTREACH_SENDING_HOURS)",
    "hourly_cap": "the hourly cap (OUTREACH_MAX_PER_HOUR) is reached",
    "daily_cap": "the daily cap (OUTREACH_MAX_PER_DAY) is reached",
}


class Command(BaseCommand):
    help = "Send the queued auto-responses that are due now, within the caps and sending hours."

    def handle(self, *args, **options):
        result = auto_responses_send_due()
        line = f"{result.sent} sent, {result.failed} failed, {result.suppressed} suppressed"
        if result.reason:
            line += f"; stopped: {REASONS[result.reason]}"
        self.stdout.write(line)
