"""The lead data model: Craigslist sites, categories, scraping runs and leads."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from leads.duplicates.keys import email_key_expression, phone_key_expression
from leads.querysets import LeadQuerySet, ScrapeRunQuerySet
from leads.validators import validate_storable_text
from leads.web_urls import WebURLField

# Text every database stores alike (leads.validators); on each text field of a lead.
STORABLE = [validate_storable_text]


class Location(models.Model):
    """A Craigslist site, such as "SF bay area" (site code `sfbay`)."""

    name = models.CharField(max_length=100)
    site_code = models.SlugField(max_length=50, unique=True, help_text="Craigslist site code, e.g. sfbay.")
    region = models.CharField(max_length=100, blank=True, help_text="State or region, e.g. CA.")
    country = models.CharField(
        max_length=2,
        default="US",
        db_default="US",
        help_text="ISO 3166 country code, e.g. US; phone numbers written without a country code are read in it.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A Craigslist category, such as "for sale" (code `sss`)."""

    name = models.CharField(max_length=100)
    code = models.SlugField(max_length=20, unique=True, help_text="Craigslist category code, e.g. sss.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class ScrapeRunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCESS = "success", "Success"
    PARTIAL = "partial", "Partial"
    FAILED = "failed", "Failed"


class ScrapeRun(models.Model):
    """One scraping run of one location and category; read by the performance analytics."""

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="scrape_runs")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="scrape_runs")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ScrapeRunStatus.choices, default=ScrapeRunStatus.RUNNING)
    pages_fetched = models.PositiveIntegerField(default=0)
    leads_found = models.PositiveIntegerField(default=0)
    leads_new = models.PositiveIntegerField(default=0)
    leads_duplicate = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    objects = ScrapeRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["-started_at"], name="scraperun_started_idx"),
            models.Index(fields=["status", "-started_at"], name="scraperun_status_started_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.location} / {self.category} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at


class LeadStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    QUALIFIED = "qualified", "Qualified"
    CONVERTED = "converted", "Converted"
    REJECTED = "rejected", "Rejected"


class ContactQuality(models.TextChoices):
    """Whether a lead can be reached: see `leads.contact_normalisation.contact_quality`."""

    VALID = "valid", "Valid"
    INVALID = "invalid", "Invalid"
    NONE = "none", "None"
    # Stored before contacts were normalised; `manage.py normalise_contacts` checks them.
    PENDING = "pending", "Not checked yet"


class Lead(models.Model):
    """A Craigslist post found by a scrape run, worked by the sales team.

    `scraped_at` is when the lead entered Leadsite; the spec's date filters use it.
    """

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="leads")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="leads")
    source_post_id = models.CharField(
        max_length=64,
        help_text="Craigslist's post id; unique per location so a re-scrape never duplicates a lead.",
        validators=STORABLE,
    )
    url = WebURLField(max_length=500, blank=True, validators=STORABLE)  # http(s) only: see leads.web_urls
    title = models.CharField(max_length=300, validators=STORABLE)
    description = models.TextField(blank=True, validators=STORABLE)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=10, choices=LeadStatus.choices, default=LeadStatus.NEW)
    contact_name = models.CharField(max_length=200, blank=True, validators=STORABLE)
    # Normalised (leads.contact_normalisation): domain lower-cased / E.164; invalid ones as posted.
    email = models.CharField("e-mail", max_length=254, blank=True, validators=STORABLE)
    phone = models.CharField(max_length=40, blank=True, validators=STORABLE)
    # Database defaults too: a raw INSERT or COPY that does not know these columns still works.
    email_as_posted = models.CharField(
        max_length=254, blank=True, default="", db_default="", help_text="The e-mail address as the post wrote it."
    )
    phone_as_posted = models.CharField(
        max_length=40, blank=True, default="", db_default="", help_text="The phone number as the post wrote it."
    )
    contact_quality = models.CharField(
        max_length=10,
        choices=ContactQuality.choices,
        default=ContactQuality.PENDING,
        db_default=ContactQuality.PENDING,
        editable=False,
    )
    contact_extracted = models.BooleanField(
        default=False,
        db_default=False,
        editable=False,
        help_text="The e-mail or phone was found in the title or description.",
    )
    # Keyed hashes of the normalised e-mail / phone (leads.contact_keys), kept when contact data is erased:
    # they match the lead with the do-not-contact list in one query and hold no contact data themselves.
    email_key = models.CharField(max_length=64, blank=True, default="", db_default="", editable=False)
    phone_key = models.CharField(max_length=64, blank=True, default="", db_default="", editable=False)
    posted_at = models.DateTimeField(null=True, blank=True, help_text="When the post appeared on Craigslist.")
    scraped_at = models.DateTimeField(default=timezone.now, help_text="When Leadsite found the lead.")
    updated_at = models.DateTimeField(auto_now=True)
    scrape_run = models.ForeignKey(ScrapeRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="leads")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_leads",
        help_text="The salesperson working this lead.",
    )
    # Reposts of the same person or post (leads.duplicates); null when the lead is alone.
    duplicate_group = models.ForeignKey(
        "leads.DuplicateGroup", on_delete=models.SET_NULL, null=True, blank=True, related_name="leads"
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_leads",
        help_text="The lead this duplicate was merged into; the duplicate is kept, with its status and history.",
    )

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-scraped_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["location", "source_post_id"], name="lead_unique_post_per_location"),
        ]
        indexes = [
            # The default order, and date-range filters on it.
            models.Index(fields=["-scraped_at", "-id"], name="lead_scraped_idx"),
            models.Index(fields=["status", "-scraped_at"], name="lead_status_scraped_idx"),
            models.Index(fields=["location", "-scraped_at"], name="lead_location_scraped_idx"),
            models.Index(fields=["category", "-scraped_at"], name="lead_category_scraped_idx"),
            # Price filters, and sorting by price: a backward scan gives "price DESC, id DESC" (the admin's order).
            models.Index(fields=["price", "id"], name="lead_price_id_idx"),
            # The admin's ascending price sort adds "id DESC" ("price ASC, id DESC"), which the one above cannot serve.
            models.Index(fields=["price", "-id"], name="lead_price_id_desc_idx"),
            # The search box's exact post-id match (`source_post_id__iexact` compiles to UPPER(...) = UPPER(...)).
            models.Index(Upper("source_post_id"), name="lead_post_id_upper_idx"),
            models.Index(fields=["contact_quality", "-scraped_at"], name="lead_contact_quality_idx"),
            # The do-not-contact list's matches (erasure finds a person's leads by their keys).
            models.Index(fields=["email_key"], name="lead_email_key_idx"),
            models.Index(fields=["phone_key"], name="lead_phone_key_idx"),
            # Duplicate matching on contact keys (leads.duplicates.keys).
            models.Index(email_key_expression(), name="lead_dup_email_idx"),
            models.Index(phone_key_expression(), name="lead_dup_phone_idx"),
            # The converted leads' ids alone: outreach's conversion figures semi-join on them (an
            # index-only scan of a few percent of the leads instead of reading the lead table).
            models.Index(fields=["id"], condition=models.Q(status="converted"), name="lead_converted_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        """Keep the contact keys in step with the contact fields (the bulk path sets them itself)."""
        from leads.contact_keys import email_key, phone_key

        update_fields = kwargs.get("update_fields")
        if update_fields is None or "email" in update_fields:
            self.email_key = email_key(self.email) if self.email else self.email_key
        if update_fields is None or "phone" in update_fields:
            self.phone_key = phone_key(self.phone) if self.phone else self.phone_key
        if update_fields is not None:
            added = {"email": "email_key", "phone": "phone_key"}
            kwargs["update_fields"] = {*update_fields, *(added[name] for name in update_fields if name in added)}
        super().save(*args, **kwargs)

    @property
    def has_email(self) -> bool:
        return bool(self.email)

    @property
    def has_phone(self) -> bool:
        return bool(self.phone)


class LeadNote(models.Model):
    """A note or a tag on a lead, written by a person or by a rule (`author` empty, `source` says which)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="lead_notes"
    )
    text = models.TextField(blank=True, validators=STORABLE)
    tag = models.SlugField(max_length=50, blank=True, help_text="A short label, e.g. hot-lead.")
    source = models.CharField(max_length=100, blank=True, help_text="Who wrote it when not a person, e.g. a rule.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["lead", "-created_at"], name="leadnote_lead_created_idx"),
            models.Index(fields=["tag"], name="leadnote_tag_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.tag}" if self.tag and not self.text else self.text[:60]


# Duplicate groups and merges live with the duplicates code.
from leads.duplicates.models import DuplicateGroup, LeadMerge  # noqa: E402

# Lead import records live with the import code; imported here so Django finds the model.
from leads.importing.models import LeadImport, LeadImportStatus  # noqa: E402

# The rollup models live in their own module; importing them here registers them with the app.
from leads.rollups.models import LeadDailyRollup, LeadRollupDirty, LeadRollupState, LeadTotalRollup  # noqa: E402

# The search side table (PostgreSQL only, kept by triggers) lives with the search code.
from leads.search.models import LeadSearchText  # noqa: E402

# The do-not-contact list (keyed hashes only): see leads.suppression.
from leads.suppression_models import Suppression, SuppressionKind, SuppressionReason  # noqa: E402

__all__ = [
    "Category",
    "ContactQuality",
    "DuplicateGroup",
    "Lead",
    "LeadDailyRollup",
    "LeadImport",
    "LeadImportStatus",
    "LeadMerge",
    "LeadNote",
    "LeadRollupDirty",
    "LeadRollupState",
    "LeadSearchText",
    "LeadStatus",
    "LeadTotalRollup",
    "Location",
    "ScrapeRun",
    "Suppression",
    "SuppressionKind",
    "SuppressionReason",
]
