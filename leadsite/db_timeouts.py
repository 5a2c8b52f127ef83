"""A time limit on every database statement of a web request (PostgreSQL), and a clear answer when it hits.

A request whose query runs away (a pathological search, a filter the planner gets wrong) is cancelled
by PostgreSQL after DB_STATEMENT_TIMEOUT seconds instead of holding a web worker until the server
kills it. The cancelled request is answered with 503 and a sentence: JSON under /api/, a page
elsewhere. The export worker runs with its own, longer EXPORT_STATEMENT_TIMEOUT (see settings).
"""

import logging

from django.conf import settings
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse

logger = logging.getLogger("leadsite.db")

TIMEOUT_MESSAGE = (
    "The database took too long to answer this request, so it was stopped. "
    "Narrow the filters (fewer keywords, a shorter date range) and try again."
)


def statement_timeout_apply(*, seconds: int) -> None:
    """Give this process's connection `seconds` per statement (0 = no limit), once per connection."""
    if connection.vendor != "postgresql":
        return
    connection.ensure_connection()
    # Remembered per database session: a reconnect (CONN_MAX_AGE, health checks) sets it again.
    applied = (id(connection.connection), seconds)
    if getattr(connection, "leadsite_statement_timeout", None) == applied:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{seconds * 1000}"])
    connection.leadsite_statement_timeout = applied


def is_statement_timeout(error: BaseException) -> bool:
    """True for PostgreSQL's "canceling statement due to statement timeout" (psycopg's QueryCanceled)."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    return type(cause).__name__ == "QueryCanceled" or "statement timeout" in str(error)


def statement_timeout_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": TIMEOUT_MESSAGE}, status=503, headers={"Retry-After": "30"})
    response = TemplateResponse(
        request, "statement_timeout.html", {"title": "Request stopped", "message": TIMEOUT_MESSAGE}, status=503
    )
    response["Retry-After"] = "30"
    return response.render()


class StatementTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        statement_timeout_apply(seconds=settings.DB_STATEMENT_TIMEOUT)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_statement_timeout(exception):
            return None
        logger.warning("statement timeout path=%s user=%s", request.path, getattr(request.user, "pk", None))
        return statement_timeout_response(request)
