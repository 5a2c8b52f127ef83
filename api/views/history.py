"""Export history for scripts: list, one record, its file, and cleanup."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import HasModelPermission
from api.serializers import CleanupResultSerializer, ExportSerializer, RegistryChoiceField
from api.views.exports import AnyExportFileSchema
from exports import services
from exports.formats.registry import format_choices
from exports.http import export_file_response
from exports.models import ExportStatus
from exports.records.selectors import export_get_for_user, export_history

BAD_REQUEST = OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: each bad field with its messages.")
FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="Missing permission.")


class HistoryFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ExportStatus.choices, required=False)
    export_type = RegistryChoiceField(registry_choices=format_choices, required=False)


class ExportHistoryView(ListAPIView):
    serializer_class = ExportSerializer

    @extend_schema(
        parameters=[HistoryFilterSerializer],  # enums read from the registry when the schema is made
        responses={200: ExportSerializer(many=True), 400: BAD_REQUEST},
        summary="Export history (own exports; everyone's with the view-all permission)",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # A plain dict: a blank value is refused like any unknown one (a QueryDict would read it as absent).
        filters = HistoryFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        queryset = export_history(user=self.request.user).select_related("created_by")
        if "status" in filters.validated_data:
            queryset = queryset.filter(status=filters.validated_data["status"])
        if "export_type" in filters.validated_data:
            queryset = queryset.filter(format=filters.validated_data["export_type"])
        return queryset


class ExportDetailView(APIView):
    @extend_schema(
        responses={200: ExportSerializer, 404: OpenApiResponse(OpenApiTypes.OBJECT)},
        summary="One export: status and progress",
    )
    def get(self, request, export_id):
        export = export_get_for_user(user=request.user, export_id=export_id)
        return Response(ExportSerializer(export, context={"request": request}).data)


class ExportFileSchema(AnyExportFileSchema):
    extra_responses = {
        404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such export."),
        409: OpenApiResponse(OpenApiTypes.OBJECT, description="Not completed yet."),
        410: OpenApiResponse(OpenApiTypes.OBJECT, description="Expired; the file was cleaned up."),
    }


class ExportFileView(APIView):
    schema = ExportFileSchema()

    @extend_schema(summary="Download a completed export")
    def get(self, request, export_id):
        export = export_get_for_user(user=request.user, export_id=export_id)
        return export_file_response(services.export_open_download(export=export, user=request.user))


class CleanupQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=36500, required=False)
    dry_run = serializers.BooleanField(required=False, default=False)


class ExportCleanupView(APIView):
    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permissions = ("exports.cleanup_exports",)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "days",
                {"type": "integer", "minimum": 1, "maximum": 36500},
                description="Older than this many days (EXPORT_CLEANUP_DAYS).",
            ),
            OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="Report only; delete nothing."),
        ],
        responses={200: CleanupResultSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
        summary="Delete old export files; their records are kept and marked expired",
    )
    def delete(self, request):
        query = CleanupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = services.exports_cleanup(
            days=query.validated_data.get("days"), dry_run=query.validated_data["dry_run"]
        )
        return Response(CleanupResultSerializer(result).data)
