from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = "Rules"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The "on new leads" trigger listens to the bulk write path; the analytics gain their sections.
        from leads.analytics.sections import register_performance_section
        from leads.signals import demo_data_seeded, leads_arrived
        from rules.analytics import rules_performance, schedules_performance
        from rules.demo import rules_demo_seed
        from rules.receivers import rules_on_leads_arrived

        leads_arrived.connect(rules_on_leads_arrived, dispatch_uid="rules_on_leads_arrived")
        demo_data_seeded.connect(rules_demo_seed, dispatch_uid="rules_demo_seed")
        register_performance_section("rules", rules_performance)
        register_performance_section("schedules", schedules_performance)
