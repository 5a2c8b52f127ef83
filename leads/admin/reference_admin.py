"""Admins for what leads refer to: Craigslist sites, categories and scraping runs.

Lead counts come from one annotated query per page (never a query per row) and
link to the lead changelist filtered with the spec's own parameters.
"""

from django.contrib import admin
from django.db.models import Count, DurationField, ExpressionWrapper, F
from django.urls import reverse
from django.utils.html import format_html

from leads.admin import display
from leads.admin.spec_list_filter import RunSpecListFilter
from leads.admin.strict_changelist import SpecOnlyAdminMixin
from leads.filters import spec_to_query_string
from leads.models import Category, Location, ScrapeRun


def lead_list_link(spec: dict, count: int) -> str:
    """ "N leads", linking to the lead changelist filtered by `spec`; no link to an empty list."""
    label = f"{count:,} lead{'' if count == 1 else 's'}"
    if not count:
        return format_html('<span class="quiet">{}</span>', label)
    url = f"{reverse('admin:leads_lead_changelist')}?{spec_to_query_string(spec)}"
    return format_html('<a href="{}">{}</a>', url, label)


class LeadCountAdmin(SpecOnlyAdminMixin, admin.ModelAdmin):
    """Adds a `lead_count` annotation to the changelist and a column that links to those leads."""

    class Media:
        css = {"all": ["leads/admin.css"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("_changelist"):
            queryset = queryset.annotate(lead_count=Count("leads"))
        return queryset

    def lead_spec(self, obj) -> dict:
        raise NotImplementedError

    @admin.display(description="Leads", ordering="lead_count")
    def leads_link(self, obj):
        return lead_list_link(self.lead_spec(obj), obj.lead_count)


@admin.register(Location)
class LocationAdmin(LeadCountAdmin):
    list_display = ["name", "site_code", "region", "leads_link"]
    search_fields = ["name", "site_code", "region"]

    def lead_spec(self, obj: Location) -> dict:
        return {"location_ids": [obj.pk]}


@admin.register(Category)
class CategoryAdmin(LeadCountAdmin):
    list_display = ["name", "code", "leads_link"]
    search_fields = ["name", "code"]

    def lead_spec(self, obj: Category) -> dict:
        return {"categories": [obj.code]}


@admin.register(ScrapeRun)
class ScrapeRunAdmin(SpecOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "started",
        "location",
        "category",
        "status_badge",
        "duration_display",
        "pages",
        "found",
        "new",
        "duplicates",
    ]
    list_display_links = ["started"]
    list_filter = [RunSpecListFilter, "status", "location", "category"]
    list_select_related = ["location", "category"]
    date_hierarchy = "started_at"
    show_full_result_count = False

    class Media:
        css = {"all": ["leads/admin.css"]}

    @admin.display(description="Started", ordering="started_at")
    def started(self, run: ScrapeRun):
        return display.moment(run.started_at)

    @admin.display(description="Status", ordering="status")
    def status_badge(self, run: ScrapeRun):
        return display.status_badge(run.status, run.get_status_display())

    @admin.display(
        description="Duration",
        ordering=ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField()),
    )
    def duration_display(self, run: ScrapeRun):
        return display.duration(run.duration)

    # Short headers for the counters, so the run list fits beside the filters.

    @admin.display(description="Pages", ordering="pages_fetched")
    def pages(self, run: ScrapeRun) -> str:
        return f"{run.pages_fetched:,}"

    @admin.display(description="Found", ordering="leads_found")
    def found(self, run: ScrapeRun) -> str:
        return f"{run.leads_found:,}"

    @admin.display(description="New", ordering="leads_new")
    def new(self, run: ScrapeRun) -> str:
        return f"{run.leads_new:,}"

    @admin.display(description="Duplicates", ordering="leads_duplicate")
    def duplicates(self, run: ScrapeRun) -> str:
        return f"{run.leads_duplicate:,}"
