"""The scraper key in the OpenAPI schema: `Authorization: Api-Key <key>` (loaded by IngestConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ScraperKeyScheme(OpenApiAuthenticationExtension):
    target_class = "ingest.authentication.ScraperKeyAuthentication"
    name = "scraperApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A scraper's key, made in the admin (Scrapers): `Api-Key <key>`.",
        }


def strict_bodies(result, generator, request, public):
    """drf-spectacular postprocessing hook: the ingest request bodies refuse unknown fields; say so."""
    schemas = result.get("components", {}).get("schemas", {})
    for name in ("ScrapeRunOpenRequest", "ScrapeRunFinishRequest", "LeadBatchRequest", "LeadInRequest"):
        if name in schemas:
            schemas[name]["additionalProperties"] = False
    return result
