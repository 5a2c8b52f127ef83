"""Daily lead rollups: lead counts and price figures per day x location x category x status x contact.

`LeadDailyRollup` holds one row per (day, location, category, status,
has_email, has_phone) that has leads; the day is the day the lead was found
in the site's time zone (the one `LeadRollupState.time_zone` names). The
dashboard and the analytics API read it instead of the leads when a spec only
uses those dimensions (see leads.analytics.sources).

`LeadRollupDirty` lists the (UTC day, location, category) keys whose leads
changed since the last refresh. Database triggers on the lead table write it
(see leads.rollups.triggers), so every write path is covered: the ORM,
bulk_create, update(), COPY, raw SQL and deletions. `rollups_refresh()`
recomputes those keys from the leads (see leads.rollups.refresh).
"""

from django.db import models

from leads.rollups.querysets import RollupQuerySet

# Fixed price bands (lower bounds; the last one is open): the dashboard's price distribution.
PRICE_BAND_BOUNDS = (0, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000)
PRICE_BAND_FIELDS = tuple(f"band_{index}" for index in range(len(PRICE_BAND_BOUNDS)))


class RollupCell(models.Model):
    """The figures of a rollup cell: leads with one location, category, status and contact availability."""

    location = models.ForeignKey("leads.Location", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("leads.Category", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10)
    has_email = models.BooleanField()
    has_phone = models.BooleanField()
    leads = models.PositiveIntegerField()
    priced = models.PositiveIntegerField(help_text="Leads with a price.")
    price_sum = models.DecimalField(max_digits=22, decimal_places=2, null=True)
    price_min = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    price_max = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    # Leads per price band (PRICE_BAND_BOUNDS): the distribution, and where the median lies.
    band_0 = models.PositiveIntegerField(default=0)
    band_1 = models.PositiveIntegerField(default=0)
    band_2 = models.PositiveIntegerField(default=0)
    band_3 = models.PositiveIntegerField(default=0)
    band_4 = models.PositiveIntegerField(default=0)
    band_5 = models.PositiveIntegerField(default=0)
    band_6 = models.PositiveIntegerField(default=0)
    band_7 = models.PositiveIntegerField(default=0)
    band_8 = models.PositiveIntegerField(default=0)
    band_9 = models.PositiveIntegerField(default=0)
    band_10 = models.PositiveIntegerField(default=0)
    band_11 = models.PositiveIntegerField(default=0)

    objects = RollupQuerySet.as_manager()

    class Meta:
        abstract = True


class LeadDailyRollup(RollupCell):
    """The leads found on one day in one location and category, with one status and contact availability."""

    day = models.DateField(help_text="The day the leads were found, in the site's time zone.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["location", "category", "day", "status", "has_email", "has_phone"],
                name="leadrollup_unique_cell",
            ),
        ]
        indexes = [models.Index(fields=["day"], name="leadrollup_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.location_id}/{self.category_id} {self.status}: {self.leads}"


class LeadTotalRollup(RollupCell):
    """The daily rollups of one cell summed over every day: what a spec without dates reads.

    Derived from LeadDailyRollup by the refresh (the pairs it recomputed), so a spec without
    dates sums a few thousand rows (locations x categories x statuses x contact) whatever the
    number of days and leads, instead of every daily cell.
    """

    first_day = models.DateField()
    last_day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["location", "category", "status", "has_email", "has_phone"], name="leadtotalrollup_unique_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location_id}/{self.category_id} {self.status}: {self.leads}"


class LeadRollupDirty(models.Model):
    """A (UTC day, location, category) whose leads changed since the rollups were last refreshed."""

    utc_day = models.DateField()
    location_id = models.BigIntegerField()
    category_id = models.BigIntegerField()

    class Meta:
        # Not unique: writers never wait for each other on a shared key; the refresh reads each key once.
        indexes = [models.Index(fields=["utc_day", "location_id", "category_id"], name="leadrollupdirty_key_idx")]

    def __str__(self) -> str:
        return f"{self.utc_day} {self.location_id}/{self.category_id}"


class LeadRollupState(models.Model):
    """One row: the time zone the rollups were built in and when they were last refreshed."""

    time_zone = models.CharField(max_length=64)
    rebuilt_at = models.DateTimeField()
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"rollups in {self.time_zone}, refreshed {self.refreshed_at:%Y-%m-%d %H:%M:%S}"
