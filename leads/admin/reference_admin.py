from django.contrib import admin

from leads.models import Category, Location, ScrapeRun


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "site_code", "region"]
    search_fields = ["name", "site_code", "region"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(ScrapeRun)
class ScrapeRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "location", "category", "status", "leads_found", "leads_new"]
    list_filter = ["status", "location", "category"]
    list_select_related = ["location", "category"]
