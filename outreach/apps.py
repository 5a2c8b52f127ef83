from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OutreachConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outreach"
    verbose_name = "Outreach"

    def ready(self) -> None:
        from leads.analytics.sections import register_performance_section
        from leads.rollups.followers import rollup_follower_register
        from outreach import receivers  # noqa: F401  (provider webhook and demo-data receivers)
        from outreach.analytics import ab_tests_performance, auto_responses_performance
        from outreach.rollups.refresh import MessageRollups
        from outreach.rollups.triggers import triggers_reinstall_after_migrate

        register_performance_section("auto_responses", auto_responses_performance)
        register_performance_section("ab_tests", ab_tests_performance)
        rollup_follower_register(MessageRollups())
        post_migrate.connect(triggers_reinstall_after_migrate, sender=self, dispatch_uid="outreach_rollup_triggers")
