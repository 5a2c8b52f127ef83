from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class ExportCreateThrottle(UserRateThrottle):
    """A per-user limit on creating exports: API_EXPORT_RATE, e.g. "30/minute".

    Counts live in the default cache (the database cache on the embedded
    default), so the limit holds across web processes.
    """

    scope = "export_create"

    def get_rate(self):
        # Read at request time so the setting can change without a restart of the class.
        return settings.API_EXPORT_RATE
