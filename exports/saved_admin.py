"""Admin for saved (and scheduled) exports: owners see their own, "Run now" runs them through the export services.

Registered from exports.apps.ExportsConfig.ready(). The form only shapes input; validation
and saving go through exports.services.saved, so the admin and every other caller agree.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from exports.columns import LEAD_COLUMNS
from exports.datasets.registry import dataset_choices
from exports.errors import ExportError
from exports.formats.registry import format_choices
from exports.forms import FORMAT_OPTIONS, TRANSFORM_OPTIONS, FormatOptionsForm, transform_options
from exports.models import Export, ExportStatus, SavedExport
from exports.scheduling import WEEKDAY_NAMES, Schedule, schedule_describe
from exports.services.saved import saved_export_clean, saved_export_create, saved_export_update
from exports.services.scheduled import saved_export_run
from leads.admin.strict_changelist import SpecOnlyAdminMixin
from leads.filters import filters_from_query, spec_to_query_string

EXPORT_LEADS = "exports.export_leads"
VIEW_CONTACT_INFO = "exports.view_contact_info"
VIEW_ALL_EXPORTS = "exports.view_all_exports"
# Form fields whose names differ from the service's.
FORM_FIELD_OF = {"filters": "filters_query", "columns": "columns_text"}


class SavedExportForm(FormatOptionsForm, forms.ModelForm):
    """Filters as the lead list's query string, columns as ordered keys, format options as ticks."""

    filters_query = forms.CharField(
        label="Filters",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text=(
            "The lead list's filters as in its address, e.g. <code>status=new&amp;has_email=true&amp;"
            "location_names=sfbay</code>; a whole lead-list URL works too. Empty: all leads."
        ),
    )
    columns_text = forms.CharField(
        label="Columns",
        required=False,
        widget=forms.TextInput(attrs={"size": 80}),
    )
    format = forms.ChoiceField()
    data_type = forms.ChoiceField(label="Data")
    weekday = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "---------"), *enumerate(WEEKDAY_NAMES)],
        help_text="For weekly schedules.",
    )
    day_of_month = forms.IntegerField(
        required=False, min_value=1, max_value=28, help_text="1-28, for monthly schedules."
    )

    class Meta:
        model = SavedExport
        fields = (
            "name",
            "format",
            "data_type",
            "include_contact_info",
            "frequency",
            "run_time",
            "weekday",
            "day_of_month",
            "only_new_since_last_run",
            "email_on_completion",
            "email_to",
            "is_active",
        )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["format"].choices = format_choices()
        self.fields["data_type"].choices = dataset_choices()
        self.fields["columns_text"].help_text = (
            "Column keys in the order wanted, comma-separated; empty: the default columns. Available: "
            + ", ".join(f"{column.key} ({column.label})" for column in LEAD_COLUMNS)
            + ". Contact columns are only written when contact information is included."
        )
        if not user.has_perm(VIEW_CONTACT_INFO) and not self.instance.include_contact_info:
            self.fields.pop("include_contact_info", None)
        instance = self.instance
        if instance.pk:
            self.initial.setdefault("filters_query", spec_to_query_string(instance.filters or {}))
            self.initial.setdefault("columns_text", ", ".join(instance.columns or []))
            for option in FORMAT_OPTIONS:
                self.initial.setdefault(option, bool((instance.options or {}).get(option)))
            for option in TRANSFORM_OPTIONS:
                self.initial.setdefault(option, (instance.options or {}).get(option, ""))

    def clean(self):
        cleaned = super().clean()
        chosen = (*FORMAT_OPTIONS, *TRANSFORM_OPTIONS)
        options = {key: value for key, value in (self.instance.options or {}).items() if key not in chosen}
        options.update({option: True for option in FORMAT_OPTIONS if cleaned.get(option)})
        options.update(transform_options(cleaned))
        values = {
            "name": cleaned.get("name", ""),
            "filters": _query_dict(cleaned.get("filters_query", "")),
            "format": cleaned.get("format"),
            "data_type": cleaned.get("data_type"),
            "columns": [key.strip() for key in cleaned.get("columns_text", "").split(",") if key.strip()],
            "include_contact_info": cleaned.get("include_contact_info", self.instance.include_contact_info),
            "options": options,
            "frequency": cleaned.get("frequency", ""),
            "run_time": cleaned.get("run_time"),
            "weekday": cleaned.get("weekday"),
            "day_of_month": cleaned.get("day_of_month"),
            "only_new_since_last_run": cleaned.get("only_new_since_last_run", False),
            "email_on_completion": cleaned.get("email_on_completion", False),
            "email_to": cleaned.get("email_to", ""),
            "is_active": cleaned.get("is_active", True),
        }
        if values["include_contact_info"] and not self.user.has_perm(VIEW_CONTACT_INFO):
            self.add_error(None, "You may not include contact information; untick it or ask a manager.")
            return cleaned
        owner = self.instance.owner if self.instance.pk else self.user
        try:
            self.saved_export_values = saved_export_clean(owner=owner, exclude_pk=self.instance.pk, **values)
        except ValidationError as error:
            for name, field_messages in error.message_dict.items():
                field_name = FORM_FIELD_OF.get(name, name)
                if field_name in self.errors:
                    continue  # the field's own error (e.g. "required") already says it
                self.add_error(field_name if field_name in self.fields else None, field_messages)
        return cleaned


def _query_dict(text: str) -> dict:
    """The spec in a lead-list address or query string, read as every other entry point reads one."""
    text = (text or "").strip()
    if "?" in text:
        text = text.split("?", 1)[1]
    return filters_from_query(QueryDict(text.split("#", 1)[0]))


@admin.register(SavedExport)
class SavedExportAdmin(SpecOnlyAdminMixin, admin.ModelAdmin):
    form = SavedExportForm
    list_display = ("name", "owner", "format", "schedule", "next_run_at", "last_run", "is_active")
    list_display_links = ("name",)
    list_filter = ("frequency", "format", "is_active")
    search_fields = ("name",)
    readonly_fields = ("owner", "next_run_at", "last_run_at", "last_slot", "last_error", "created_at", "updated_at")
    actions = ("run_now",)
    fieldsets = (
        (None, {"fields": ("name", "owner", "filters_query", "data_type", "format", "columns_text")}),
        ("Contents", {"fields": ("include_contact_info", "csv_bom", "update_ready")}),
        ("Transformations", {"fields": TRANSFORM_OPTIONS}),
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
                "description": "Times are in the site's time zone. Leave the frequency empty to run it by hand only.",
            },
        ),
        ("Runs", {"fields": ("next_run_at", "last_run_at", "last_slot", "last_error", "created_at", "updated_at")}),
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
        if request.user.has_perm(VIEW_CONTACT_INFO) or (obj is not None and obj.include_contact_info):
            return fieldsets
        return [
            (title, {**options, "fields": tuple(name for name in options["fields"] if name != "include_contact_info")})
            for title, options in fieldsets
        ]

    def get_changeform_initial_data(self, request):
        """`?filters=<the lead list's query string>` pre-fills the filters (a "save these filters" link)."""
        initial = super().get_changeform_initial_data(request)
        initial.pop("filters", None)
        if "filters" in request.GET:
            initial["filters_query"] = request.GET["filters"]
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

    @admin.display(description="Last run", ordering="last_run_at")
    def last_run(self, obj):
        if obj.last_run_at is None:
            return "Never"
        status = getattr(obj, "last_status", None)
        when = date_format(timezone.localtime(obj.last_run_at), "DATETIME_FORMAT")
        if obj.last_error:
            return format_html('{} <span class="errornote">could not run</span>', when)
        return f"{when} ({ExportStatus(status).label.lower()})" if status else when

    @admin.action(description="Run selected saved exports now", permissions=["run"])
    def run_now(self, request, queryset):
        for saved_export in queryset.select_related("owner"):
            try:
                export = saved_export_run(saved_export=saved_export, user=request.user)
            except (PermissionDenied, ValidationError, ExportError) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{saved_export.name}: {text}", messages.ERROR)
                continue
            self.message_user(request, *_run_message(saved_export, export))


def _run_message(saved_export: SavedExport, export: Export) -> tuple[str, str]:
    if export.status == ExportStatus.COMPLETED:
        link = _url("exports:download", export.pk)
        text = f"{saved_export.name}: {export.rows_written:,} rows exported."
        return (format_html('{} <a href="{}">Download</a>', text, link) if link else text), messages.SUCCESS
    if export.status == ExportStatus.FAILED:
        return f"{saved_export.name}: the export failed: {export.error_message}", messages.ERROR
    link = _url("exports:history")
    text = f"{saved_export.name}: {export.row_count or 0:,} rows are being exported in the background."
    return (format_html('{} <a href="{}">See the export history</a>', text, link) if link else text), messages.INFO


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
