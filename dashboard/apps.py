from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The analytics dashboard: reads leads and exports, and nothing below it imports it."""

    name = "dashboard"
    verbose_name = "Dashboard"
