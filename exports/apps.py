from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "Exports"

    def ready(self):
        # Imported for their side effects: the system checks and the SavedExport admin register themselves.
        from exports import checks, saved_admin  # noqa: F401
        from exports.services.erasure import on_contacts_erased
        from leads.signals import contacts_erased

        # An erased person's export files are expired (see exports.services.erasure).
        contacts_erased.connect(on_contacts_erased, dispatch_uid="exports.expire_for_erasure")
