from rest_framework.throttling import UserRateThrottle


class ExportCreateThrottle(UserRateThrottle):
    """A per-user limit on creating exports (API_EXPORT_RATE, e.g. "30/minute")."""

    scope = "export_create"
