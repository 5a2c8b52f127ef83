"""A lead's post address: only http and https are ever stored or drawn as a link.

A scraped or imported `javascript:` or `data:` address would run in the viewer's session when
clicked, so the model refuses it and the pages show anything that is not http(s) as plain text.
"""

from urllib.parse import urlsplit

from django.core.validators import URLValidator
from django.db import models

WEB_SCHEMES = ("http", "https")

validate_web_url = URLValidator(
    schemes=list(WEB_SCHEMES), message="Enter a valid URL. Only http:// and https:// addresses are accepted."
)


class WebURLField(models.URLField):
    """A URLField that accepts http and https only (Django's also takes ftp and ftps)."""

    default_validators = [validate_web_url]


def safe_web_url(url: str | None) -> str | None:
    """`url` when it is an http(s) address fit for a link, else None."""
    if not url:
        return None
    candidate = url.strip()
    # Browsers drop tabs and newlines inside a scheme ("java\tscript:"); anything of the kind is refused.
    if any(ord(char) < 32 or ord(char) == 127 for char in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.netloc:
        return None
    return candidate
