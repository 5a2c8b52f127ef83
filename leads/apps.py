from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = "Leads"

    def ready(self):
        from leads.rollups.triggers import triggers_reinstall_after_migrate

        post_migrate.connect(triggers_reinstall_after_migrate, sender=self, dispatch_uid="leads_rollup_triggers")
