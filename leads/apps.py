from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = "Leads"

    def ready(self):
        from leads.duplicates.receivers import leads_arrived_link_duplicates
        from leads.signals import leads_arrived

        leads_arrived.connect(leads_arrived_link_duplicates, dispatch_uid="leads.duplicates.link")
