"""Scrapers and their API keys in the admin: a new key is shown once, on the page after saving it."""

from django.contrib import admin, messages
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from ingest.models import Scraper, ScraperAPIKey
from leads.admin.strict_changelist import SpecOnlyAdminMixin

# The package's own key model is unused: scrapers' keys are ScraperAPIKey.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


class ScraperAPIKeyInline(admin.TabularInline):
    model = ScraperAPIKey
    fields = ("prefix", "name", "created", "last_used_at", "expiry_date", "revoked")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # keys are made on the key page, which shows the new key once


@admin.register(Scraper)
class ScraperAdmin(SpecOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "active", "created_by", "created_at")
    list_filter = ("active",)
    search_fields = ("name",)
    fields = ("name", "active", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    inlines = [ScraperAPIKeyInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ScraperAPIKey)
class ScraperAPIKeyAdmin(SpecOnlyAdminMixin, APIKeyModelAdmin):
    list_display = ("prefix", "name", "scraper", "created", "last_used_at", "expiry_date", "_has_expired", "revoked")
    list_filter = ("revoked", "scraper")
    list_select_related = ("scraper",)
    search_fields = ("name", "prefix", "scraper__name")
    fields = ("scraper", "name", "expiry_date", "revoked", "prefix", "created", "last_used_at")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ("prefix", "created", "last_used_at")
        if obj is not None:
            fixed = (*fixed, "scraper")
        return (*super().get_readonly_fields(request, obj), *fixed)

    @admin.action(description="Revoke the selected keys (cannot be undone)", permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked=False).update(revoked=True)
        self.message_user(request, f"{count} key(s) revoked; scrapers using them now get 401.", messages.SUCCESS)
