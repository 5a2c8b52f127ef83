from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = "Leads"

    def ready(self):
        from leads.duplicates.receivers import leads_arrived_link_duplicates
        from leads.rollups.triggers import triggers_reinstall_after_migrate
        from leads.signals import leads_arrived

        post_migrate.connect(triggers_reinstall_after_migrate, sender=self, dispatch_uid="leads_rollup_triggers")
        leads_arrived.connect(leads_arrived_link_duplicates, dispatch_uid="leads.duplicates.link")
