"""Provider webhooks through django-anymail (Mailgun): delivery, bounces, complaints, replies.

Anymail's own views do the work (signature check with `MAILGUN_WEBHOOK_SIGNING_KEY`, optional
basic auth with `ANYMAIL_WEBHOOK_SECRET`, normalised `tracking`/`inbound` signals that
`outreach/receivers.py` handles). These wrappers only turn a missing key or a payload sent to the
wrong URL into a clear answer (503 / 400 with a sentence) instead of a server error. A bad
signature is anymail's 400. Another provider is one more pair of routes over its anymail views.
"""

from anymail.exceptions import AnymailConfigurationError
from anymail.webhooks.mailgun import MailgunInboundWebhookView, MailgunTrackingWebhookView
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

app_name = "outreach_webhooks"


def _guarded(view_class):
    @csrf_exempt  # authenticated by the provider's signature (and basic auth), not a browser session
    @require_POST
    def view(request, *args, **kwargs):
        try:
            return view_class.as_view()(request, *args, **kwargs)
        except AnymailConfigurationError as error:
            missing = "signing_key" in str(error).lower() or "webhook_signing_key" in str(error).lower()
            if missing:
                return HttpResponse(
                    "Mailgun webhooks are not configured: set MAILGUN_WEBHOOK_SIGNING_KEY.\n",
                    status=503,
                    content_type="text/plain",
                )
            return HttpResponse(f"{error}\n", status=400, content_type="text/plain")

    return view


urlpatterns = [
    path("mailgun/tracking/", _guarded(MailgunTrackingWebhookView), name="mailgun_tracking"),
    path("mailgun/inbound/", _guarded(MailgunInboundWebhookView), name="mailgun_inbound"),
]
