"""Scrapers, their API keys, and which scrape runs and leads came through them."""

from django.conf import settings
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from leads.models import Lead, ScrapeRun


class Scraper(models.Model):
    """A program that scrapes Craigslist and posts what it finds; it authenticates with its API keys."""

    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True, help_text="An inactive scraper's keys are refused.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScraperAPIKeyManager(BaseAPIKeyManager):
    def get_usable_keys(self) -> models.QuerySet:
        """Keys neither revoked nor of an inactive scraper (expiry is checked by the caller)."""
        return self.filter(revoked=False, scraper__active=True).select_related("scraper")


class ScraperAPIKey(AbstractAPIKey):
    """A scraper's key: shown once when made, stored hashed (djangorestframework-api-key), revocable."""

    scraper = models.ForeignKey(Scraper, on_delete=models.CASCADE, related_name="api_keys")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScraperAPIKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "scraper API key"
        verbose_name_plural = "scraper API keys"


class ScraperRun(models.Model):
    """Which scraper opened a scrape run (a key may only touch its own scraper's runs)."""

    scrape_run = models.OneToOneField(
        ScrapeRun, on_delete=models.CASCADE, primary_key=True, related_name="scraper_link"
    )
    scraper = models.ForeignKey(Scraper, on_delete=models.PROTECT, related_name="runs")

    def __str__(self) -> str:
        return f"{self.scraper}: run {self.scrape_run_id}"


class ScrapeRunLead(models.Model):
    """A lead ingested into a run, once however often it was sent; `new` when the run created it."""

    scrape_run = models.ForeignKey(ScrapeRun, on_delete=models.CASCADE, related_name="ingested")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="+")
    new = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scrape_run", "lead"], name="scraperunlead_once_per_run")]

    def __str__(self) -> str:
        return f"run {self.scrape_run_id}: lead {self.lead_id}"
