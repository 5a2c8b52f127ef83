"""Strict input for the API: a request the server does not fully understand is refused, naming the field.

- `StrictFieldsMixin` (request serializers): an unknown top-level field is a 400 naming it, and so is
  text no column can store (NUL, lone surrogates such as "\\ud800"), wherever it sits in the body.
- `StrictLimitOffsetPagination`: `limit` and `offset` are whole numbers in range, or a 400.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from leads.filter_fields import text_check

MAX_PAGE_SIZE = 1000
MAX_OFFSET = 2**31 - 1


def _text_problems(value, path: str) -> list[str]:
    """Messages for every string (keys included) under `value` that no column could store."""
    if isinstance(value, str):
        try:
            text_check(value)
        except DjangoValidationError as error:
            return [f"{path}: {message}" if path else message for message in error.messages]
        return []
    problems: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            problems += _text_problems(key, path)
            problems += _text_problems(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problems += _text_problems(item, f"{path}[{index}]")
    return problems


class StrictFieldsMixin:
    """Unknown fields are refused, and so is text holding NUL characters or lone surrogates."""

    # (Shown as the request body's description in the API schema; checked before any field is validated.)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(name) for name in set(data) - set(self.fields))
            errors = {name: ["Unknown field. Known fields: " + ", ".join(self.fields) + "."] for name in unknown}
            for name, value in data.items():
                if name in self.fields and (problems := _text_problems(value, "")):
                    errors[name] = problems
                elif isinstance(self.fields.get(name), serializers.BooleanField) and not isinstance(value, bool):
                    # JSON has true and false; "yes", 1 or "on" is a client bug, not a choice.
                    errors[name] = ["Must be true or false (a JSON boolean)."]
            if errors:
                # Keys the client sent may themselves be unprintable: report them in a safe form.
                raise ValidationError({_printable(name): messages for name, messages in errors.items()})
        return super().to_internal_value(data)


def _printable(name: str) -> str:
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """LimitOffsetPagination that refuses a bad `limit`/`offset` instead of silently using the default."""

    max_limit = MAX_PAGE_SIZE

    def get_limit(self, request):
        return self._whole_number(request, self.limit_query_param, minimum=1, maximum=self.max_limit) or (
            self.default_limit
        )

    def get_offset(self, request):
        return self._whole_number(request, self.offset_query_param, minimum=0, maximum=MAX_OFFSET) or 0

    @staticmethod
    def _whole_number(request, name: str, *, minimum: int, maximum: int) -> int | None:
        if name not in request.query_params:
            return None
        raw = request.query_params[name]
        if not raw.isascii() or not raw.isdigit():
            raise ValidationError({name: [f"Enter a whole number from {minimum} to {maximum}."]})
        value = int(raw)
        if not minimum <= value <= maximum:
            raise ValidationError({name: [f"Enter a whole number from {minimum} to {maximum}."]})
        return value

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


class StrictSerializer(StrictFieldsMixin, serializers.Serializer):
    """A plain Serializer with the strict rules (for query-parameter serializers)."""
