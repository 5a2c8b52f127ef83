"""manage.py find_duplicates: recompute every duplicate group from the leads."""

from django.core.management.base import BaseCommand

from leads.duplicates.grouping import duplicates_find


class Command(BaseCommand):
    help = (
        "Recompute the duplicate groups of every lead: the same e-mail or phone, or near-identical titles "
        "in one category found within LEAD_DUPLICATE_WINDOW_DAYS. Group ids are kept where the members agree."
    )

    def handle(self, *args, **options):
        result = duplicates_find(on_progress=lambda text: self.stdout.write(text))
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.groups:,} duplicate groups with {result.grouped_leads:,} leads "
                f"({result.groups_created:,} new, {result.groups_removed:,} removed)."
            )
        )
