"""Response templates and their variants (managers create and edit them)."""

from django.contrib import admin

from leads.admin.strict_changelist import SpecOnlyAdminMixin
from outreach.models import ResponseTemplate, TemplateVariant
from outreach.services.rendering import PLACEHOLDERS

PLACEHOLDER_HELP = "Placeholders: " + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS) + "."


class TemplateVariantInline(admin.StackedInline):
    """A variant is a whole message (subject and two bodies): a block each, not a table row."""

    model = TemplateVariant
    extra = 0
    fields = (("name", "weight", "active"), "subject", "body_text", "body_html")


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(SpecOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "subject", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "subject")
    inlines = [TemplateVariantInline]
    readonly_fields = ("created_by", "created_at")
    fieldsets = [
        (None, {"fields": ("name", "subject", "body_text", "body_html", "active"), "description": PLACEHOLDER_HELP})
    ]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
