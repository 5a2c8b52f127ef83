"""OpenAPI descriptions of the lead filter spec, derived from LeadFilterSet.

Only documentation is derived here: validation always goes through the
FilterSet itself (leads.selectors), so the API cannot drift from the spec.
"""

from decimal import Decimal

from django_filters import CharFilter, ChoiceFilter, NumberFilter
from drf_spectacular.utils import OpenApiParameter

from leads.filter_fields import IntegerListField
from leads.filter_types import (
    AssigneeFilter,
    IntegerFilter,
    IntegerListFilter,
    IsoDateFilter,
    IsoDateTimeFilter,
    SplitModelMultipleChoiceFilter,
    SplitMultipleChoiceFilter,
    StrictBooleanFilter,
    TextListFilter,
)
from leads.filters import MAX_LIMIT, LeadFilterSet
from leadsite.env import FALSE_WORDS, TRUE_WORDS

# A blank value (`date_from=` in a query string, "" in JSON) means "not set", as everywhere in the spec.
BLANK = {"type": "string", "maxLength": 0}
MAX_PRICE = Decimal("9999999999.99")  # 12 digits, 2 of them decimals
# Text values: no NUL character (nor a lone surrogate, which JSON Schema cannot say; both are a 400).
NO_NUL = "^[^\\u0000]*$"
# Dates and date-times are kept within years 1900-2999 (leads.filter_fields), as written.
YEARS_KEPT = "^(19[0-9]{2}|2[0-9]{3})-"
CROSS_FIELD_RULES = " Ranges must be in order: date_from <= date_to, found_after < found_until, min_price <= max_price."


def _bounds(filter_) -> dict:
    extra = filter_.extra
    bounds = {}
    if extra.get("min_value") is not None:
        bounds["minimum"] = extra["min_value"]
    if extra.get("max_value") is not None:
        bounds["maximum"] = extra["max_value"]
    return bounds


def _value_schema(filter_) -> dict:
    """The JSON schema of one spec value (a list parameter's items excluded)."""
    if isinstance(filter_, IsoDateFilter):
        return {"type": "string", "format": "date", "pattern": YEARS_KEPT}
    if isinstance(filter_, IsoDateTimeFilter):
        return {"type": "string", "format": "date-time", "pattern": YEARS_KEPT}
    if isinstance(filter_, SplitMultipleChoiceFilter):
        return {"type": "array", "items": {"type": "string", "enum": [c[0] for c in filter_.extra["choices"]]}}
    # Model choices take ids of existing rows: a schema cannot list them (GET config/filters does); unknown is a 400.
    if isinstance(filter_, SplitModelMultipleChoiceFilter | IntegerListFilter):
        return {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": IntegerListField.MAX_ID}}
    if isinstance(filter_, TextListFilter):
        items = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": NO_NUL}
        return {"type": "array", "items": items, "maxItems": 50}
    if isinstance(filter_, ChoiceFilter):
        return {"type": "string", "enum": [choice[0] for choice in filter_.extra["choices"]]}
    if isinstance(filter_, StrictBooleanFilter):
        return {"type": "boolean"}
    if isinstance(filter_, NumberFilter):
        return {"type": "number", "minimum": 0, "maximum": float(MAX_PRICE), "multipleOf": 0.01}
    if isinstance(filter_, IntegerFilter):
        return {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, **_bounds(filter_)}
    if isinstance(filter_, AssigneeFilter):
        return {"type": "string", "pattern": "^([0-9]+|me|none)$"}
    if isinstance(filter_, CharFilter):
        return {"type": "string", "maxLength": filter_.extra.get("max_length") or 200, "pattern": NO_NUL}
    raise TypeError(f"No schema mapping for {type(filter_).__name__}")


# In JSON the spec also takes a value as the query string writes it ("5", "true"), so one spec reads the same.
_AS_TEXT = {
    "integer": {"type": "string", "pattern": "^[0-9]+$"},
    "number": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]{1,2})?$"},
    "boolean": {"type": "string", "enum": sorted(TRUE_WORDS | FALSE_WORDS)},
}


def _body_value_schema(filter_) -> dict:
    schema = _value_schema(filter_)
    if schema["type"] == "array":
        return schema
    return {"anyOf": [schema, *([_AS_TEXT[schema["type"]]] if schema["type"] in _AS_TEXT else []), BLANK]}


LEAD_FILTERS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "description": "The lead filter spec; every value may be null or blank (not set)." + CROSS_FIELD_RULES,
    "properties": {
        name: {
            "description": str(filter_.label or ""),
            "nullable": True,
            **(
                {"anyOf": [_value_schema(filter_), BLANK]}
                if _value_schema(filter_)["type"] != "array"
                else _value_schema(filter_)
            ),
        }
        for name, filter_ in LeadFilterSet.base_filters.items()
    },
}
# The body's `filters` object (api.serializers.FiltersField documents itself with it).
LeadFiltersSerializer = LEAD_FILTERS_SCHEMA


def lead_filter_parameters(*, exclude: tuple[str, ...] = ()) -> list[OpenApiParameter]:
    """Query parameters for the spec; list parameters may repeat or be comma-separated, blanks mean unset."""
    parameters = []
    for name, filter_ in LeadFilterSet.base_filters.items():
        if name in exclude:
            continue
        schema = _value_schema(filter_)
        description = str(filter_.label or "") + (CROSS_FIELD_RULES if name in _RANGE_PARAMETERS else "")
        if schema["type"] == "array":
            items = schema["items"]
            parameters.append(
                OpenApiParameter(
                    name, {"type": "array", "items": {"anyOf": [items, BLANK]}}, explode=True, description=description
                )
            )
        else:
            parameters.append(OpenApiParameter(name, {"anyOf": [schema, BLANK]}, description=description))
    return parameters


_RANGE_PARAMETERS = {"date_from", "date_to", "found_after", "found_until", "min_price", "max_price"}


def add_export_links(result, generator, request, public):
    """drf-spectacular postprocessing hook: link a created export to its record and its file.

    OpenAPI links let clients (and schemathesis' stateful run) follow `id` from the answer of
    POST create to GET history/{export_id} and GET history/{export_id}/file.
    """
    paths = result.get("paths", {})
    targets = {
        "GetExport": "/api/v1/export/history/{export_id}",
        "GetExportFile": "/api/v1/export/history/{export_id}/file",
    }
    links = {}
    for name, path in targets.items():
        operation = paths.get(path, {}).get("get")
        if operation and operation.get("operationId"):
            links[name] = {
                "operationId": operation["operationId"],
                "parameters": {"export_id": "$response.body#/id"},
            }
    # The request bodies refuse unknown fields (api.strict.StrictFieldsMixin): say so.
    for name in ("NewExportRequest", "AnalyticsRequest"):
        component = result.get("components", {}).get("schemas", {}).get(name)
        if component is not None:
            component["additionalProperties"] = False
    create = paths.get("/api/v1/export/create", {}).get("post")
    if create and links:
        for code in ("201", "202"):
            if code in create.get("responses", {}):
                create["responses"][code]["links"] = links
    return result
