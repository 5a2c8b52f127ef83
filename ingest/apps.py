from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "ingest"
    verbose_name = "Scrapers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ingest import schema  # noqa: F401  (registers the key's OpenAPI security scheme)
