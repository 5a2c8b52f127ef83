"""`LeadSearchText`: a lead's searched texts, copied by triggers (PostgreSQL; see leads.search.triggers).

Unmanaged: the migration creates the table on PostgreSQL only, and nothing writes it but the
triggers. It has no foreign key to the lead (a TRUNCATE of the leads, which Django's test flush
runs, would refuse one): the triggers remove the rows of deleted leads.
"""

from django.db import models

# The lead columns copied, in the table's column order; every one but source_post_id has a trigram index.
SEARCHED_COLUMNS = (
    "source_post_id",
    "title",
    "description",
    "contact_name",
    "email",
    "phone",
    "email_as_posted",
    "phone_as_posted",
)
TRIGRAM_COLUMNS = SEARCHED_COLUMNS[1:]


class LeadSearchText(models.Model):
    """The searched texts of one lead (the row's primary key is the lead's id)."""

    lead_id = models.BigIntegerField(primary_key=True)
    source_post_id = models.TextField()
    title = models.TextField()
    description = models.TextField()
    contact_name = models.TextField()
    email = models.TextField()
    phone = models.TextField()
    email_as_posted = models.TextField()
    phone_as_posted = models.TextField()

    class Meta:
        managed = False
        db_table = "leads_leadsearchtext"

    def __str__(self) -> str:
        return f"lead {self.lead_id}: {self.title[:60]}"
