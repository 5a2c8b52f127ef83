"""Scraper API keys on the wire: `Authorization: Api-Key <key>`.

`ScraperKeyAuthentication` is one of the API's default authentication classes, so a scraper's key
is recognised everywhere: on the ingest endpoints `IsScraper` lets it in; on every other endpoint
the staff permissions refuse it with 403 (it authenticated, as no staff user).
"""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework_api_key.permissions import KeyParser

from ingest.models import Scraper, ScraperAPIKey

KEYWORD = "Api-Key"
# The last-used time is written at most once a minute per key (not a write on every request).
LAST_USED_PRECISION = timedelta(minutes=1)
INVALID_KEY = "This API key is not valid: it is unknown, was revoked, has expired, or its scraper is inactive."


class ScraperIdentity(AnonymousUser):
    """The request's user when a scraper key authenticated it: no staff user, no permissions."""

    def __init__(self, scraper: Scraper):
        self.scraper = scraper

    def __str__(self) -> str:
        return f"scraper {self.scraper.name}"


class ScraperKeyAuthentication(BaseAuthentication):
    parser = KeyParser()

    def authenticate(self, request):
        key = self.parser.get(request)
        if key is None:
            return None
        try:
            api_key = ScraperAPIKey.objects.get_from_key(key.strip())
        except ScraperAPIKey.DoesNotExist:
            raise AuthenticationFailed(INVALID_KEY) from None
        if api_key.has_expired:
            raise AuthenticationFailed(INVALID_KEY)
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_PRECISION:
            ScraperAPIKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        return ScraperIdentity(api_key.scraper), api_key

    def authenticate_header(self, request):
        return KEYWORD


class IsScraper(BasePermission):
    """Only a scraper's API key (no staff token or session) uses the ingest endpoints."""

    message = "Only a scraper's API key can use this endpoint: send Authorization: Api-Key <key>."

    def has_permission(self, request, view):
        return isinstance(request.auth, ScraperAPIKey)


def request_scraper(request) -> Scraper:
    return request.auth.scraper
