"""Export creation and the quick file endpoints: thin wrappers over exports.services."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import HasModelPermission
from api.serializers import ExportRequestSerializer, ExportSerializer
from api.spec_schema import lead_filter_parameters
from api.throttling import ExportCreateThrottle
from exports import conf, services
from exports.formats.registry import get_format
from exports.http import export_file_response
from exports.models import ExportDataType, ExportFormat, ExportSource
from leads.filter_fields import StrictBooleanField
from leads.filters import FILTER_PARAMETERS

ERROR_RESPONSES = {
    (400, "application/json"): OpenApiResponse(
        OpenApiTypes.OBJECT, description="Invalid input: each bad field with its messages."
    ),
    (403, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="Missing permission."),
    (409, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="The export failed."),
    (429, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="Too many exports; see Retry-After."),
}


def file_responses(*formats: str) -> dict:
    """The 200 response of a file endpoint: one media type per format it can return."""
    responses = {}
    for key in formats:
        media_type = get_format(key).content_type.split(";")[0]
        # A JSON export is a JSON document; every other format is opaque bytes.
        body = OpenApiTypes.OBJECT if media_type == "application/json" else OpenApiTypes.BINARY
        responses[(200, media_type)] = OpenApiResponse(body, description="The export file, as an attachment.")
    return responses


ANY_FILE_RESPONSE = file_responses(*ExportFormat.values)


def _options(data: dict) -> dict:
    return {"csv_bom": data.get("csv_bom", False), "update_ready": data.get("update_ready", False)}


class ExportPermissionMixin:
    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permissions = ("exports.export_leads",)
    throttle_classes = [ExportCreateThrottle]


class ExportCreateView(ExportPermissionMixin, APIView):
    @extend_schema(
        request=ExportRequestSerializer,
        responses={
            (201, "application/json"): ExportSerializer,
            (202, "application/json"): ExportSerializer,
            **ERROR_RESPONSES,
        },
        summary="Create an export (immediate or scheduled in the background)",
    )
    def post(self, request):
        data = _validated(ExportRequestSerializer, request.data)
        export = services.export_create(
            user=request.user,
            filters=data["filters"],
            format=data["export_type"],
            data_type=data["data_type"],
            columns=data.get("columns"),
            include_contact_info=data["include_contact_info"],
            options=_options(data),
            source=ExportSource.API,
        )
        if data["scheduled"] or not services.export_is_immediate(export):
            services.export_enqueue(export=export)
            return Response(ExportSerializer(export, context={"request": request}).data, status=202)
        export = services.export_run(export_id=export.pk)
        return Response(ExportSerializer(export, context={"request": request}).data, status=201)


class ExportDownloadNowView(ExportPermissionMixin, APIView):
    @extend_schema(
        request=ExportRequestSerializer,
        responses={**ANY_FILE_RESPONSE, **ERROR_RESPONSES},
        summary="Export and download at once (up to QUICK_EXPORT_LIMIT rows)",
    )
    def post(self, request):
        data = _validated(ExportRequestSerializer, request.data)
        return _run_and_serve(
            request,
            filters=data["filters"],
            format=data["export_type"],
            data_type=data["data_type"],
            columns=data.get("columns"),
            include_contact_info=data["include_contact_info"],
            options=_options(data),
        )


def _validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _run_and_serve(request, *, filters, format, data_type, columns=None, include_contact_info=False, options=None):
    """The quick path: create, run now, serve the stored file. Refused above QUICK_EXPORT_LIMIT rows."""
    export = services.export_create(
        user=request.user,
        filters=filters,
        format=format,
        data_type=data_type,
        columns=columns,
        include_contact_info=include_contact_info,
        options=options or {},
        source=ExportSource.API,
        max_rows=conf.quick_export_limit(),
    )
    export = services.export_run(export_id=export.pk)
    download = services.export_open_download(export=export, user=request.user)
    return export_file_response(download)


QUICK_PARAMETERS = [
    *lead_filter_parameters(),
    OpenApiParameter("include_contact_info", OpenApiTypes.BOOL, description="Include e-mail, phone, contact name."),
    OpenApiParameter(
        "columns",
        {"type": "array", "items": {"type": "string"}},
        explode=True,
        description="Column keys in order; defaults when omitted.",
    ),
]


def _quick_filters(request) -> dict:
    """The spec from the query string, with `limit` defaulting to (and capped at) QUICK_EXPORT_LIMIT."""
    filters = {name: request.query_params.getlist(name) for name in FILTER_PARAMETERS if name in request.query_params}
    filters = {name: values if len(values) > 1 else values[0] for name, values in filters.items()}
    cap = conf.quick_export_limit()
    raw_limit = filters.get("limit")
    if raw_limit in (None, ""):
        filters["limit"] = cap
    else:
        try:
            too_many = int(raw_limit) > cap
        except (TypeError, ValueError):
            too_many = False  # the FilterSet reports the field's own message
        if too_many:
            raise ValidationError({"limit": [f"Quick exports return at most {cap} rows; use POST create for more."]})
    return filters


def _quick_flags(request) -> tuple[bool, list[str] | None]:
    try:
        include = StrictBooleanField(required=False).clean(request.query_params.get("include_contact_info"))
    except ValidationError as error:
        raise ValidationError({"include_contact_info": error.messages}) from None
    columns = [c for value in request.query_params.getlist("columns") for c in value.split(",") if c.strip()]
    return bool(include), columns or None


class QuickExportView(ExportPermissionMixin, APIView):
    """GET a file for the spec in the query string (the seed's quick export endpoints)."""

    format: str = ExportFormat.CSV
    data_type: str = ExportDataType.LEADS

    def serve(self, request):
        include_contact_info, columns = _quick_flags(request)
        return _run_and_serve(
            request,
            filters=_quick_filters(request),
            format=self.format,
            data_type=self.data_type,
            columns=columns,
            include_contact_info=include_contact_info,
        )


def quick_schema(summary: str, format: str):
    return extend_schema(
        parameters=QUICK_PARAMETERS, responses={**file_responses(format), **ERROR_RESPONSES}, summary=summary
    )


class LeadsCsvView(QuickExportView):
    format, data_type = ExportFormat.CSV, ExportDataType.LEADS

    @quick_schema("Export leads as CSV", ExportFormat.CSV)
    def get(self, request):
        return self.serve(request)


class LeadsExcelView(QuickExportView):
    format, data_type = ExportFormat.EXCEL, ExportDataType.LEADS

    @quick_schema("Export leads as Excel", ExportFormat.EXCEL)
    def get(self, request):
        return self.serve(request)


class AnalyticsJsonView(QuickExportView):
    format, data_type = ExportFormat.JSON, ExportDataType.ANALYTICS

    @quick_schema("Export analytics as JSON", ExportFormat.JSON)
    def get(self, request):
        return self.serve(request)


class ComprehensiveZipView(QuickExportView):
    format, data_type = ExportFormat.ZIP, ExportDataType.COMPREHENSIVE

    @quick_schema("Export the comprehensive package (leads and analytics) as ZIP", ExportFormat.ZIP)
    def get(self, request):
        return self.serve(request)
