"""Request and response shapes of the export API (the seed's field names)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.spec_schema import LeadFiltersSerializer
from api.strict import StrictFieldsMixin
from exports.datasets.registry import dataset_choices
from exports.formats.registry import format_choices
from exports.models import DEFAULT_DATA_TYPE, Export
from exports.transforms import CHOICES as TRANSFORM_CHOICES
from leads.filters import FILTER_PARAMETERS


class RegistryChoiceField(serializers.ChoiceField):
    """A choice among a registry's keys, read each time a serializer is made (requests, the OpenAPI schema).

    DRF rebuilds declared fields from their arguments for every serializer instance, so the choices
    (and drf-spectacular's enum) follow EXPORT_FORMATS / EXPORT_DATASETS, override_settings included.
    """

    def __init__(self, *, registry_choices, **kwargs):
        self.registry_choices = registry_choices
        super().__init__(choices=registry_choices(), **kwargs)


@extend_schema_field(LeadFiltersSerializer)
class FiltersField(serializers.DictField):
    """The lead filter spec as a JSON object; values are validated by LeadFilterSet."""

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        unknown = sorted(set(data) - set(FILTER_PARAMETERS))
        if unknown:
            raise serializers.ValidationError(
                f"Unknown filter(s): {', '.join(unknown)}. Known filters: {', '.join(FILTER_PARAMETERS)}."
            )
        return data


class ExportOptionsSerializer(StrictFieldsMixin, serializers.Serializer):
    """Transformation options (exports.transforms); each left out takes its default."""

    phone_format = serializers.ChoiceField(choices=TRANSFORM_CHOICES["phone_format"], required=False)
    contact_mode = serializers.ChoiceField(
        choices=TRANSFORM_CHOICES["contact_mode"],
        required=False,
        help_text="masked or hashed contact values need no contact permission (include_contact_info=true).",
    )
    date_style = serializers.ChoiceField(choices=TRANSFORM_CHOICES["date_style"], required=False)
    headers = serializers.ChoiceField(choices=TRANSFORM_CHOICES["headers"], required=False)
    one_per_duplicate_group = serializers.BooleanField(required=False)


class ExportRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    export_type = RegistryChoiceField(
        registry_choices=format_choices, help_text="A format key; GET config/export-types lists them."
    )
    data_type = RegistryChoiceField(
        registry_choices=dataset_choices,
        default=DEFAULT_DATA_TYPE,
        help_text="What to export; GET config/data-types lists them.",
    )
    filters = FiltersField(required=False, default=dict)
    columns = serializers.ListField(
        child=serializers.CharField(max_length=50),
        required=False,
        allow_empty=True,
        max_length=100,
        help_text="Column keys in order (GET config/export-types lists them); default columns when omitted.",
    )
    include_contact_info = serializers.BooleanField(default=False)
    scheduled = serializers.BooleanField(
        default=False, help_text="true: run in the background and return at once (202); false: run now if small."
    )
    csv_bom = serializers.BooleanField(default=False, help_text="Start CSV files with a UTF-8 BOM (for Excel).")
    update_ready = serializers.BooleanField(
        default=False, help_text="Write ids and raw codes so the file re-imports and updates the leads."
    )
    options = ExportOptionsSerializer(required=False, help_text="Transformation options; see exports.transforms.")


class AnalyticsRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    filters = FiltersField(required=False, default=dict)


class ExportSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    export_type = serializers.CharField(source="format", read_only=True)
    status_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Export
        fields = [
            "id",
            "status",
            "progress",
            "export_type",
            "data_type",
            "source",
            "filters",
            "columns",
            "include_contact_info",
            "options",
            "row_count",
            "rows_written",
            "file_name",
            "file_size",
            "checksum_sha256",
            "error_message",
            "download_count",
            "last_downloaded_at",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "status_url",
            "download_url",
        ]
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_status_url(self, export: Export) -> str:
        return self._absolute(reverse("api:export-detail", args=[export.pk]))

    def get_download_url(self, export: Export) -> str | None:
        if export.status != "completed":
            return None
        return self._absolute(reverse("api:export-file", args=[export.pk]))


class CleanupResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    days = serializers.IntegerField()
    files_deleted = serializers.IntegerField()
    bytes_freed = serializers.IntegerField()
    records_expired = serializers.IntegerField()
