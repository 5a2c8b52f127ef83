"""OpenAPI descriptions of the lead filter spec, derived from LeadFilterSet.

Only documentation is derived here: validation always goes through the
FilterSet itself (leads.selectors), so the API cannot drift from the spec.
"""

from django_filters import CharFilter, NumberFilter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from leads.filters import (
    IntegerFilter,
    IntegerListFilter,
    IsoDateFilter,
    IsoDateTimeFilter,
    LeadFilterSet,
    SplitModelMultipleChoiceFilter,
    SplitMultipleChoiceFilter,
    StrictBooleanFilter,
    TextListFilter,
)


def _serializer_field(filter_) -> serializers.Field:
    help_text = str(filter_.label or "")
    common = {"required": False, "help_text": help_text}
    if isinstance(filter_, IsoDateFilter):
        return serializers.DateField(**common)
    if isinstance(filter_, IsoDateTimeFilter):
        return serializers.DateTimeField(**common)
    if isinstance(filter_, SplitMultipleChoiceFilter):
        return serializers.ListField(child=serializers.ChoiceField(choices=filter_.extra["choices"]), **common)
    if isinstance(filter_, SplitModelMultipleChoiceFilter | IntegerListFilter):
        return serializers.ListField(child=serializers.IntegerField(min_value=1), **common)
    if isinstance(filter_, TextListFilter):
        return serializers.ListField(child=serializers.CharField(max_length=200), **common)
    if isinstance(filter_, StrictBooleanFilter):
        return serializers.BooleanField(allow_null=True, default=None, **common)
    if isinstance(filter_, NumberFilter):
        return serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, coerce_to_string=False, **common)
    if isinstance(filter_, IntegerFilter):
        return serializers.IntegerField(min_value=1, **common)
    if isinstance(filter_, CharFilter):
        return serializers.CharField(**common)
    raise TypeError(f"No schema mapping for {type(filter_).__name__}")


LeadFiltersSerializer = type(
    "LeadFilters",
    (serializers.Serializer,),
    {name: _serializer_field(filter_) for name, filter_ in LeadFilterSet.base_filters.items()},
)

_PARAMETER_TYPES = {
    IsoDateFilter: OpenApiTypes.DATE,
    IsoDateTimeFilter: OpenApiTypes.DATETIME,
    StrictBooleanFilter: OpenApiTypes.BOOL,
    NumberFilter: OpenApiTypes.NUMBER,
    IntegerFilter: OpenApiTypes.INT,
    CharFilter: OpenApiTypes.STR,
}


def lead_filter_parameters(*, exclude: tuple[str, ...] = ()) -> list[OpenApiParameter]:
    """Query parameters for the spec; list parameters may repeat or be comma-separated."""
    parameters = []
    for name, filter_ in LeadFilterSet.base_filters.items():
        if name in exclude:
            continue
        description = str(filter_.label or "")
        if isinstance(filter_, SplitMultipleChoiceFilter):
            parameters.append(
                OpenApiParameter(
                    name,
                    {"type": "array", "items": {"type": "string", "enum": [c[0] for c in filter_.extra["choices"]]}},
                    explode=True,
                    description=description,
                )
            )
        elif isinstance(filter_, SplitModelMultipleChoiceFilter | IntegerListFilter):
            parameters.append(
                OpenApiParameter(
                    name,
                    {"type": "array", "items": {"type": "integer", "minimum": 1}},
                    explode=True,
                    description=description,
                )
            )
        elif isinstance(filter_, TextListFilter):
            parameters.append(
                OpenApiParameter(
                    name, {"type": "array", "items": {"type": "string"}}, explode=True, description=description
                )
            )
        else:
            parameters.append(OpenApiParameter(name, _PARAMETER_TYPES[type(filter_)], description=description))
    return parameters
