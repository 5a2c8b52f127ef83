"""What a script can ask for: formats, data types, filters and columns."""

from drf_spectacular.types import OPENAPI_TYPE_MAPPING, OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.spec_schema import lead_filter_parameters
from exports import conf
from exports.content.columns import DEFAULT_COLUMN_KEYS, LEAD_COLUMNS
from exports.datasets.registry import available_datasets
from exports.formats.registry import available_formats, formats_for

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
                        "data_types": [dataset.key for dataset in available_datasets() if writer.supports(dataset)],
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
        return Response(
            {
                "data_types": [
                    {
                        "value": dataset.key,
                        "label": dataset.label,
                        "export_types": [writer.key for writer in formats_for(dataset)],
                    }
                    for dataset in available_datasets()
                ]
            }
        )


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
