"""Admin for saved (and scheduled) exports: owners see their own, "Run now" runs them through the export services.

Registered from exports.apps.ExportsConfig.ready(). The form only shapes input; validation
and saving go through exports.services.saved, so the admin and every other caller agree.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format

from exports.admin.list_filters import ActiveListFilter, FormatListFilter, ScheduleListFilter
from exports.admin.saved_form import SavedExportForm
from exports.admin.saved_pages import SavedExportPagesMixin, run_message
from exports.errors import ExportError
from exports.forms import TRANSFORM_OPTIONS
from exports.models import Export, SavedExport
from exports.scheduling import Schedule, schedule_describe
from exports.services.saved import saved_export_create, saved_export_update
from exports.services.scheduled import saved_export_run
from leads.admin.strict_changelist import SpecOnlyAdminMixin
from leads.filters import filters_from_query

EXPORT_LEADS = "exports.export_leads"
VIEW_CONTACT_INFO = "exports.view_contact_info"
VIEW_ALL_EXPORTS = "exports.view_all_exports"


@admin.register(SavedExport)
class SavedExportAdmin(SavedExportPagesMixin, SpecOnlyAdminMixin, admin.ModelAdmin):
    form = SavedExportForm
    list_display = ("name", "owner", "format_label", "schedule", "last_run", "last_result", "next_run", "active")
    list_display_links = ("name",)
    list_filter = (("frequency", ScheduleListFilter), FormatListFilter, ActiveListFilter)
    search_fields = ("name",)
    readonly_fields = (
        "owner",
        "filters_summary",
        "change_in_lead_list",
        "next_run_at",
        "last_run_at",
        "last_slot",
        "last_error",
        "created_at",
        "updated_at",
    )
    actions = ("run_now",)
    fieldsets = (
        (None, {"fields": ("name", "owner")}),
        (
            "Which leads",
            {
                "fields": ("filters_summary", "filters", "change_in_lead_list"),
                "description": "Choose the leads as in the lead list's sidebar, or open the lead list to see them.",
            },
        ),
        (
            "Columns and format",
            {"fields": ("format", "data_type", "include_contact_info", "columns", "csv_bom", "update_ready")},
        ),
        ("Transformations", {"fields": TRANSFORM_OPTIONS, "classes": ("collapse",)}),
        (
            "Schedule",
            {
                "fields": (
                    "is_active",
                    "frequency",
                    "run_time",
                    "weekday",
                    "day_of_month",
                    "only_new_since_last_run",
                    "email_on_completion",
                    "email_to",
                ),
                "description": "Times are in the site's time zone. Not scheduled: it runs when you click Run now.",
            },
        ),
        (
            "Runs",
            {
                "fields": ("next_run_at", "last_run_at", "last_slot", "last_error", "created_at", "updated_at"),
                "classes": ("collapse",),
            },
        ),
    )

    def get_queryset(self, request):
        latest_run = Export.objects.filter(saved_export=OuterRef("pk")).order_by("-created_at")
        queryset = (
            super()
            .get_queryset(request)
            .select_related("owner")
            .annotate(last_status=Subquery(latest_run.values("status")[:1]))
        )
        if request.user.has_perm(VIEW_ALL_EXPORTS):
            return queryset
        return queryset.filter(owner=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class FormWithUser(form_class):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, user=request.user, **form_kwargs)

        return FormWithUser

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        hidden = set()
        if obj is None:
            # Nothing saved or run yet: the new export is the user's own.
            hidden |= {"owner", "filters_summary", "next_run_at", "last_run_at", "last_slot", "last_error"}
            hidden |= {"created_at", "updated_at"}
        if not (request.user.has_perm(VIEW_CONTACT_INFO) or (obj is not None and obj.include_contact_info)):
            hidden.add("include_contact_info")
        shown = [
            (title, {**options, "fields": tuple(name for name in options["fields"] if name not in hidden)})
            for title, options in fieldsets
        ]
        return [(title, options) for title, options in shown if options["fields"]]

    def get_changeform_initial_data(self, request):
        """`?filters=<the lead list's query string>` pre-fills the filters (a "save these filters" link)."""
        initial = super().get_changeform_initial_data(request)
        initial.pop("filters", None)
        if "filters" in request.GET:
            query = request.GET["filters"].split("#", 1)[0]
            initial["filters"] = filters_from_query(QueryDict(query.split("?", 1)[-1]))
        return initial

    def save_model(self, request, obj, form, change):
        values = form.saved_export_values
        try:
            if change:
                saved = saved_export_update(
                    saved_export=SavedExport.objects.get(pk=obj.pk), user=request.user, **values
                )
            else:
                saved = saved_export_create(user=request.user, **values)
        except ValidationError as error:  # a race with another save of the same name
            raise PermissionDenied(" ".join(error.messages)) from error
        obj.pk = saved.pk
        obj.refresh_from_db()

    # Permissions: the owner, or anyone allowed to see all exports; adding and running need export_leads.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.has_perm(EXPORT_LEADS)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_use(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_use(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_use(request, obj)

    def has_run_permission(self, request):
        return request.user.has_perm(EXPORT_LEADS)

    @staticmethod
    def _may_use(request, obj) -> bool:
        return obj is None or obj.owner_id == request.user.pk or request.user.has_perm(VIEW_ALL_EXPORTS)

    @admin.display(description="Schedule", ordering="frequency")
    def schedule(self, obj):
        return schedule_describe(Schedule.of(obj))

    @admin.display(description="Active", boolean=True, ordering="is_active")
    def active(self, obj):
        return obj.is_active

    @admin.display(description="Last run", ordering="last_run_at")
    def last_run(self, obj):
        return date_format(timezone.localtime(obj.last_run_at), "DATETIME_FORMAT") if obj.last_run_at else "Never"

    @admin.action(description="Run selected saved exports now", permissions=["run"])
    def run_now(self, request, queryset):
        for saved_export in queryset.select_related("owner"):
            try:
                export = saved_export_run(saved_export=saved_export, user=request.user)
            except (PermissionDenied, ValidationError, ExportError) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{saved_export.name}: {text}", messages.ERROR)
                continue
            self.message_user(request, *run_message(saved_export, export))
