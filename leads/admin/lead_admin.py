from django.contrib import admin

from leads.admin.changelist import LeadChangeList
from leads.models import Lead


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "price", "location", "category", "scraped_at"]
    list_select_related = ["location", "category"]
    search_fields = ["title"]
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return LeadChangeList

    def get_search_results(self, request, queryset, search_term):
        # The search term is the spec's `q`, applied by LeadChangeList with the other filters.
        return queryset, False
