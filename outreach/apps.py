from django.apps import AppConfig


class OutreachConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outreach"
    verbose_name = "Outreach"

    def ready(self) -> None:
        from leads.analytics.sections import register_performance_section
        from outreach import receivers  # noqa: F401  (provider webhook and demo-data receivers)
        from outreach.analytics import ab_tests_performance, auto_responses_performance

        register_performance_section("auto_responses", auto_responses_performance)
        register_performance_section("ab_tests", ab_tests_performance)
