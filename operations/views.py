"""GET /health/: database, export worker and storage, as JSON for load balancers (no login)."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from operations.services.health import health_report


@never_cache
@require_GET
def health_view(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report.checks, status=200 if report.ok else 503)
