"""The do-not-contact list, as outreach sees it: `leads.suppression` (owned by the privacy work).

Outreach checks it before queueing and again before sending, and adds to it on unsubscribe and
hard bounce. Until `leads.suppression` is merged, an interim stand-in treats an address that
unsubscribed from any auto-response as suppressed (the caller records the opt-out on the row).
"""

try:
    from leads.suppression import is_suppressed, suppress
except ImportError:  # pragma: no cover - removed once ws/privacy is merged

    def is_suppressed(*, email: str = "", phone: str = "") -> bool:
        from outreach.models import AutoResponse, AutoResponseStatus

        return bool(email) and (
            AutoResponse.objects.filter(to_email__iexact=email, status=AutoResponseStatus.OPTED_OUT).exists()
        )

    def suppress(*, email: str = "", phone: str = "", reason: str, added_by=None) -> None:
        return None


__all__ = ["is_suppressed", "suppress"]
