from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "Exports"

    def ready(self):
        # Imported for their side effects: the system checks and the SavedExport admin register themselves.
        from exports import checks  # noqa: F401
        from exports.admin import saved  # noqa: F401
