"""What a script can ask for: formats, data types, filters and columns."""

from drf_spectacular.types import OPENAPI_TYPE_MAPPING, OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.spec_schema import lead_filter_parameters
from exports import conf
from exports.columns import DEFAULT_COLUMN_KEYS, LEAD_COLUMNS
from exports.formats.registry import available_formats
from exports.models import ExportDataType

OBJECT_RESPONSE = {200: OpenApiResponse(OpenApiTypes.OBJECT)}


class ExportTypesView(APIView):
    @extend_schema(responses=OBJECT_RESPONSE, summary="Available export formats and columns")
    def get(self, request):
        return Response(
            {
                "export_types": [
                    {
                        "value": writer.key,
                        "label": writer.label,
                        "extension": writer.extension,
                        "content_type": writer.content_type,
                    }
                    for writer in available_formats()
                ],
                "columns": [
                    {"key": column.key, "header": column.header, "is_contact": column.is_contact}
                    for column in LEAD_COLUMNS
                ],
                "default_columns": list(DEFAULT_COLUMN_KEYS),
                "limits": {
                    "max_records": conf.max_records(),
                    "quick_export_limit": conf.quick_export_limit(),
                    "cleanup_days": conf.cleanup_days(),
                    "compression_level": conf.compression_level(),
                },
            }
        )


class DataTypesView(APIView):
    @extend_schema(responses=OBJECT_RESPONSE, summary="Available data types")
    def get(self, request):
        return Response({"data_types": [{"value": value, "label": label} for value, label in ExportDataType.choices]})


class FiltersView(APIView):
    @extend_schema(responses=OBJECT_RESPONSE, summary="The lead filter spec's parameters")
    def get(self, request):
        filters = []
        for parameter in lead_filter_parameters():
            schema = parameter.type if isinstance(parameter.type, dict) else OPENAPI_TYPE_MAPPING[parameter.type]
            filters.append({"name": parameter.name, "description": parameter.description, "schema": schema})
        return Response(
            {
                "filters": filters,
                "notes": [
                    "date_from/date_to are inclusive calendar dates compared with the day a lead was found "
                    "(scraped_at) in the site's time zone.",
                    "List parameters may repeat or be comma-separated in query strings, and are arrays in JSON.",
                ],
            }
        )
