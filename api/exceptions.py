"""Map the product's errors onto HTTP: every client mistake is a 4xx with a JSON body, never a 500.

Body shapes:
    400 {"field": ["message", ...], ...}          invalid input, one entry per bad field
    400 {"detail": "...", "count": N, "limit": M} an export over the row limit
    403/404/405/409/410/429 {"detail": "..."}
    413 {"detail": "..."}                         a body over DATA_UPLOAD_MAX_MEMORY_SIZE
    503 {"detail": "..."}                         a query stopped by the statement time limit
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler

from exports.errors import ExportGone, ExportLimitExceeded, ExportNotReady
from leadsite.db_timeouts import TIMEOUT_MESSAGE, is_statement_timeout


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


@csrf_exempt  # it changes nothing: a POST to an unknown API path gets the JSON 404, not the CSRF page
def api_not_found(request, *args, **kwargs):
    """Any path under /api/ that is no endpoint (a trailing slash included): a JSON 404, not an HTML page."""
    return JsonResponse(
        {"detail": "No API endpoint at this address. Endpoint paths have no trailing slash; see /api/docs/."},
        status=404,
    )


def api_exception_handler(exc, context):
    if is_statement_timeout(exc):
        return Response(
            {"detail": TIMEOUT_MESSAGE}, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": "30"}
        )
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            {"detail": f"The request body is larger than {limit:,} bytes."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
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
