"""Keyed hashes of a person's normalised e-mail address and phone number.

The do-not-contact list (`leads.suppression`) stores only these keys, never the contact data, and
every lead carries the keys of its own contact fields (`Lead.email_key`, `Lead.phone_key`), so
"which leads are suppressed" is one set-based query (an index probe per lead, no Python loop).

A key is HMAC-SHA256, lower-case hex, of "email:<address trimmed and lower-cased whole>" or
"phone:<E.164 number>" (numbers that do not parse: their digits), with the secret
`SUPPRESSION_HASH_KEY` (default: derived from SECRET_KEY). Changing that secret orphans every
entry of the list: see README ("Do-not-contact list").
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from leads import conf

_NON_DIGITS = re.compile(r"[^\d]")
_E164 = re.compile(r"^\+[1-9]\d{5,14}$")


def canonical_email(value: str) -> str:
    """The address as it is hashed: normalised, then trimmed and lower-cased whole ("" for none)."""
    text = (value or "").strip()
    if not text:
        return ""
    return _normalised_email(text).strip().lower()


def canonical_phone(value: str, *, region: str | None = None) -> str:
    """The number as it is hashed: E.164 when it parses, else its digits ("" for none)."""
    text = (value or "").strip()
    if not text:
        return ""
    normalised = _normalised_phone(text, region=region)
    if _E164.match(normalised):
        return normalised
    # Not a valid number (a fictional 555 one, say): E.164 when it is at least a possible one, else its digits.
    possible = _e164_fallback(text, region=region)
    if _E164.match(possible):
        return possible
    return _NON_DIGITS.sub("", text) or text.lower()


def email_key(value: str, *, normalised: bool = False) -> str:
    """The keyed hash of an e-mail address ("" when there is none); `normalised`: it is stored as normalised."""
    canonical = (value or "").strip().lower() if normalised else canonical_email(value)
    return _keyed(f"email:{canonical}") if canonical else ""


def phone_key(value: str, *, region: str | None = None, normalised: bool = False) -> str:
    """The keyed hash of a phone number ("" when there is none); `normalised`: an E.164 value is used as it is."""
    if normalised and _E164.match(value or ""):
        return _keyed(f"phone:{value}")
    canonical = canonical_phone(value, region=region)
    return _keyed(f"phone:{canonical}") if canonical else ""


def _keyed(text: str) -> str:
    keyed = _base().copy()
    keyed.update(text.encode("utf-8"))
    return keyed.hexdigest()


_BASE: list = []  # the HMAC keyed with the secret, made once (forgotten when a test changes the settings)


def _base() -> "hmac.HMAC":
    if _BASE:
        return _BASE[0]
    configured, secret_key = conf.suppression_hash_key(), settings.SECRET_KEY
    if configured:
        secret = configured.encode("utf-8")
    else:
        secret = hmac.new(secret_key.encode("utf-8"), b"leadsite.suppression-hash-key", hashlib.sha256).digest()
    _BASE.append(hmac.new(secret, digestmod=hashlib.sha256))
    return _BASE[0]


@receiver(setting_changed)
def _secret_changed(*, setting, **kwargs) -> None:
    if setting in ("SUPPRESSION_HASH_KEY", "SECRET_KEY"):
        _BASE.clear()


def _normalised_email(text: str) -> str:
    try:
        from leads.contact_normalisation import normalise_email
    except ImportError:  # until the contact normalisation lands: trim and lower-case the domain
        local, at, domain = text.rpartition("@")
        return f"{local}{at}{domain.lower()}" if at else text
    return normalise_email(text).value or text


def _normalised_phone(text: str, *, region: str | None) -> str:
    try:
        from leads.contact_normalisation import normalise_phone
    except ImportError:
        return _e164_fallback(text, region=region)
    result = normalise_phone(text, region=region) if region else normalise_phone(text)
    return result.value or text


def _e164_fallback(text: str, *, region: str | None) -> str:
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region or "US")
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_possible_number(number):
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def lead_keys_refresh(lead_model, *, batch_size: int = 5_000, only_missing: bool = False) -> int:
    """Recompute every lead's contact keys in batches (the migration, and `refresh_contact_keys`).

    A lead with no contact data keeps its keys (an erased lead stays matched with the list).
    Returns how many leads changed.
    """
    queryset = lead_model.objects.order_by("pk")
    if only_missing:
        queryset = queryset.filter(email_key="", phone_key="")
    changed, last = 0, 0
    while True:
        batch = list(queryset.filter(pk__gt=last).only("pk", "email", "phone", "email_key", "phone_key")[:batch_size])
        if not batch:
            return changed
        last = batch[-1].pk
        dirty = []
        for lead in batch:
            new_email = email_key(lead.email) if lead.email else lead.email_key
            new_phone = phone_key(lead.phone) if lead.phone else lead.phone_key
            if (new_email, new_phone) != (lead.email_key, lead.phone_key):
                lead.email_key, lead.phone_key = new_email, new_phone
                dirty.append(lead)
        lead_model.objects.bulk_update(dirty, ["email_key", "phone_key"], batch_size=1_000)
        changed += len(dirty)
