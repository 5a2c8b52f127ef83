"""Map the product's errors onto HTTP: every client mistake is a 4xx with a JSON body, never a 500.

Body shapes:
    400 {"field": ["message", ...], ...}          invalid input, one entry per bad field
    400 {"detail": "...", "count": N, "limit": M} an export over the row limit
    403/404/405/409/410/429 {"detail": "..."}
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler

from exports.errors import ExportGone, ExportLimitExceeded, ExportNotReady


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The export is not completed yet."
    default_code = "not_ready"


class Gone(APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "The export's file is no longer available."
    default_code = "gone"


def _validation_body(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {"non_field_errors": list(error.messages)}


def api_exception_handler(exc, context):
    if isinstance(exc, ExportLimitExceeded):
        return Response(
            {"detail": str(exc), "count": exc.count, "limit": exc.limit}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, ValidationError):
        return Response(_validation_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ExportNotReady):
        exc = Conflict(str(exc) or None)
    elif isinstance(exc, ExportGone):
        exc = Gone(str(exc) or None)
    elif isinstance(exc, PermissionDenied | Http404):
        pass  # DRF's own handler turns these into 403/404
    return exception_handler(exc, context)
