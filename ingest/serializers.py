"""Request and response shapes of the ingest API (also its OpenAPI schema)."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from api.strict import StrictFieldsMixin
from ingest import conf
from leads.models import Category, Location, ScrapeRun, ScrapeRunStatus


class ScrapeRunOpenSerializer(StrictFieldsMixin, serializers.Serializer):
    location = serializers.SlugRelatedField(
        slug_field="site_code", queryset=Location.objects.all(), help_text="Craigslist site code, e.g. sfbay."
    )
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.all(), help_text="Craigslist category code, e.g. sss."
    )
    started_at = serializers.DateTimeField(
        help_text="When the run started (ISO 8601). Sending the same three values again returns the same run."
    )


class ScrapeRunFinishSerializer(StrictFieldsMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=[s for s in ScrapeRunStatus.values if s != ScrapeRunStatus.RUNNING])
    pages_fetched = serializers.IntegerField(min_value=0, max_value=2_147_483_647, default=0)
    error = serializers.CharField(allow_blank=True, default="", max_length=10_000, trim_whitespace=False)


class ScrapeRunSerializer(serializers.ModelSerializer):
    location = serializers.SlugRelatedField(slug_field="site_code", read_only=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ScrapeRun
        fields = [
            "id",
            "location",
            "category",
            "started_at",
            "finished_at",
            "status",
            "pages_fetched",
            "leads_found",
            "leads_new",
            "leads_duplicate",
            "error",
        ]
        read_only_fields = fields


class LeadInSerializer(serializers.Serializer):
    """One scraped lead (documentation only: leads are checked one by one, so one bad lead never rejects the batch)."""

    source_post_id = serializers.CharField(help_text="Craigslist's post id; with location, it says which lead this is.")
    location = serializers.CharField(help_text="Site code, e.g. sfbay.")
    category = serializers.CharField(help_text="Category code, e.g. sss (needed for a new lead).")
    url = serializers.URLField(required=False)
    title = serializers.CharField(help_text="Needed for a new lead.")
    description = serializers.CharField(required=False, allow_blank=True)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    posted_at = serializers.DateTimeField(required=False, allow_null=True)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)


# Named for what it carries; drf-spectacular appends "Request" to request bodies ("LeadBatchRequest").
@extend_schema_serializer(component_name="LeadBatch")
class IngestRequestSerializer(serializers.Serializer):
    scrape_run = serializers.IntegerField(
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="The run's id (from POST /api/v1/scrape-runs), or null.",
    )
    leads = serializers.ListField(
        child=LeadInSerializer(), min_length=1, help_text="Up to LEAD_INGEST_MAX_BATCH leads (default 1000)."
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["leads"].max_length = conf.max_batch()  # the setting as it is when the schema is made
        return fields


class IngestResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    source_post_id = serializers.CharField(allow_null=True)
    outcome = serializers.ChoiceField(choices=["created", "updated", "unchanged", "rejected"])
    lead_id = serializers.IntegerField(allow_null=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class IngestTotalsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()


class IngestResponseSerializer(serializers.Serializer):
    results = IngestResultSerializer(many=True)
    totals = IngestTotalsSerializer()


def ingest_body(data) -> tuple[int | None, list]:
    """(scrape_run, leads) from a parsed body; raises serializers.ValidationError (a 400) when malformed."""
    if not isinstance(data, dict):
        raise serializers.ValidationError(
            {"non_field_errors": ['The body is a JSON object: {"scrape_run": …, "leads": […]}.']}
        )
    errors = {}
    unknown = sorted(set(data) - {"scrape_run", "leads"})
    for name in unknown:
        errors[name.encode("utf-8", "backslashreplace").decode("utf-8")] = [
            "Unknown field; the body holds scrape_run and leads."
        ]
    run = data.get("scrape_run")
    if run is not None and (isinstance(run, bool) or not isinstance(run, int) or not 0 < run < 2**63):
        errors["scrape_run"] = ["A scrape run's id (a positive integer), or null."]
    leads = data.get("leads")
    limit = conf.max_batch()
    if not isinstance(leads, list):
        errors["leads"] = ["A list of lead objects is required."]
    elif not leads:
        errors["leads"] = ["Send at least one lead."]
    elif len(leads) > limit:
        errors["leads"] = [f"At most {limit:,} leads per request (LEAD_INGEST_MAX_BATCH); this one has {len(leads):,}."]
    if errors:
        raise serializers.ValidationError(errors)
    return run, leads
