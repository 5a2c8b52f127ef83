"""Access-matrix rows of the outreach routes outside the admin (the admin's model routes are generated).

- The unsubscribe link and its one-click POST answer everyone (no login: the signed token is the
  proof) and opt the recipient out; a forged token is a 404 page for everyone.
- The provider webhooks answer only signed posts (anymail checks the signature): without the
  provider's signature every role gets 400, whoever is logged in; GET is 405.
"""

from django.urls import reverse

from outreach.models import AutoResponse, AutoResponseStatus
from outreach.services.sending import unsubscribe_token
from tests.outreach.factories import AutoResponseFactory
from tests.security.matrix import ROLES, Row, ok, status

EVERYONE_OK = {role: ok() for role in ROLES}


def _message(world):
    return AutoResponseFactory(lead=world.leads[0])


def _unsubscribe_url(world, target) -> str:
    return reverse("outreach:unsubscribe", kwargs={"token": unsubscribe_token(target.pk)})


def _opted_out(response, *, target, **_):
    assert AutoResponse.objects.get(pk=target.pk).status == AutoResponseStatus.OPTED_OUT


def _webhook(name):
    return lambda world, target: reverse(f"outreach_webhooks:{name}")


def _signing_key_set(world):
    from django.conf import settings

    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": "matrix-signing-key"}


OUTREACH_ROWS = [
    Row(
        "unsubscribe link (GET, no login)",
        "get",
        _unsubscribe_url,
        {r: ok(_opted_out) for r in ROLES},
        prepare=_message,
    ),
    Row(
        "unsubscribe one-click (POST, RFC 8058)",
        "post",
        _unsubscribe_url,
        {r: ok(_opted_out) for r in ROLES},
        prepare=_message,
        data=lambda w, t, u: {"List-Unsubscribe": "One-Click"},
    ),
    Row(
        "unsubscribe with a forged token",
        "get",
        lambda w, t: reverse("outreach:unsubscribe", kwargs={"token": "forged"}),
        {role: status(404) for role in ROLES},
    ),
    *(
        Row(
            f"provider webhook {name} without a signature",
            "post",
            _webhook(name),
            {role: ok(code=400, label="400 bad signature") for role in ROLES},
            prepare=_signing_key_set,
            data=lambda w, t, u: {"timestamp": "1", "token": "x", "signature": "forged"},
        )
        for name in ("mailgun_tracking", "mailgun_inbound")
    ),
    *(
        Row(f"provider webhook {name} (GET)", "get", _webhook(name), {role: status(405) for role in ROLES})
        for name in ("mailgun_tracking", "mailgun_inbound")
    ),
]
