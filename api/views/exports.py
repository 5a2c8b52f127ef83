"""Export creation and the quick file endpoints: thin wrappers over exports.services.

Formats and data types come from their registries when a request (or the OpenAPI schema) is
made, so a format listed in EXPORT_FORMATS is accepted, served and documented without a change here.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import HasModelPermission
from api.serializers import ExportRequestSerializer, ExportSerializer
from api.spec_schema import lead_filter_parameters
from api.throttling import ExportCreateThrottle
from exports import conf, services
from exports.content.columns import COLUMNS_BY_KEY
from exports.datasets.base import Dataset
from exports.datasets.registry import dataset_label, get_dataset
from exports.formats.registry import format_keys, format_label, get_format
from exports.http import export_file_response
from exports.models import ExportSource, ExportStatus
from exports.services import ExportRequest
from leads.filter_fields import StrictBooleanField
from leads.filters import filters_from_query

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
        media_type = get_format(key).media_type
        # A JSON export is a JSON document; every other format is opaque bytes.
        body = OpenApiTypes.OBJECT if media_type == "application/json" else OpenApiTypes.BINARY
        responses[(200, media_type)] = OpenApiResponse(body, description="The export file, as an attachment.")
    return responses


class AnyExportFileSchema(AutoSchema):
    """Responses of an endpoint that serves any export's file: every registered format, read at schema time."""

    extra_responses: dict = ERROR_RESPONSES

    def get_response_serializers(self):
        return {**file_responses(*format_keys()), **self.extra_responses}


class ExportPermissionMixin:
    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permissions = ("exports.export_leads",)
    throttle_classes = [ExportCreateThrottle]


def _validated_request(request, **extra) -> ExportRequest:
    serializer = ExportRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    return ExportRequest(
        user=request.user,
        filters=data["filters"],
        format=data["export_type"],
        data_type=data["data_type"],
        columns=data.get("columns"),
        include_contact_info=data["include_contact_info"],
        options={"csv_bom": data["csv_bom"], "update_ready": data["update_ready"], **data.get("options", {})},
        source=ExportSource.API,
        # scheduled=true: always in the background; otherwise the service decides by size.
        background=True if data["scheduled"] else None,
        **extra,
    )


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
        export = services.export_start(request=_validated_request(request))
        queued = export.status == ExportStatus.PENDING
        return Response(ExportSerializer(export, context={"request": request}).data, status=202 if queued else 201)


def _serve_now(request, export_request: ExportRequest):
    """The quick path: create, run now, serve the stored file. Refused above QUICK_EXPORT_LIMIT rows."""
    export = services.export_start(request=export_request.but(max_rows=conf.quick_export_limit(), background=False))
    return export_file_response(services.export_open_download(export=export, user=request.user))


class ExportDownloadNowView(ExportPermissionMixin, APIView):
    schema = AnyExportFileSchema()

    @extend_schema(
        request=ExportRequestSerializer, summary="Export and download at once (up to QUICK_EXPORT_LIMIT rows)"
    )
    def post(self, request):
        return _serve_now(request, _validated_request(request))


QUICK_PARAMETERS = [
    *lead_filter_parameters(),
    OpenApiParameter("include_contact_info", OpenApiTypes.BOOL, description="Include e-mail, phone, contact name."),
]
COLUMNS_PARAMETER = OpenApiParameter(
    "columns",
    {"type": "array", "items": {"type": "string", "enum": list(COLUMNS_BY_KEY)}, "uniqueItems": True},
    explode=True,
    description=(
        "Column keys in order, each once; defaults when omitted. Without include_contact_info at least one column"
        " must not be contact information."
    ),
)


def data_type_takes_columns(data_type: str) -> bool:
    """Data types with fixed columns (analytics) refuse `columns`; the schema offers it only where it is read."""
    return get_dataset(data_type).clean_columns.__func__ is not Dataset.clean_columns.__func__


def _quick_flags(request) -> tuple[bool, list[str] | None]:
    try:
        include = StrictBooleanField(required=False).clean(request.query_params.get("include_contact_info"))
    except ValidationError as error:
        raise ValidationError({"include_contact_info": error.messages}) from None
    columns = [c for value in request.query_params.getlist("columns") for c in value.split(",") if c.strip()]
    return bool(include), columns or None


class QuickExportSchema(AutoSchema):
    """The schema of one quick-export route, from the (format, data type) it serves."""

    def get_summary(self):
        return f"Export {dataset_label(self.view.data_type).lower()} as {format_label(self.view.format)}"

    def get_override_parameters(self):
        return [*QUICK_PARAMETERS, *([COLUMNS_PARAMETER] if data_type_takes_columns(self.view.data_type) else [])]

    def get_response_serializers(self):
        return {**file_responses(self.view.format), **ERROR_RESPONSES}


class QuickExportView(ExportPermissionMixin, APIView):
    """GET a file for the spec in the query string, in the route's format and data type.

    Routed once per (format, data type), e.g. `QuickExportView.as_view(format="csv", data_type="leads")`.
    `limit` defaults to QUICK_EXPORT_LIMIT and may not exceed it.
    """

    format: str = "csv"
    data_type: str = "leads"
    schema = QuickExportSchema()

    def get(self, request):
        include_contact_info, columns = _quick_flags(request)
        export_request = ExportRequest(
            user=request.user,
            filters=filters_from_query(request.query_params, user=request.user),
            format=self.format,
            data_type=self.data_type,
            columns=columns,
            include_contact_info=include_contact_info,
            source=ExportSource.API,
            max_limit=conf.quick_export_limit(),
        )
        return _serve_now(request, export_request)
