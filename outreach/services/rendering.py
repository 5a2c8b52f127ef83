"""Turning a template (or variant) and a lead into a message's subject, text and HTML.

Placeholders are `{name}` from `placeholders()`; an unknown one is left as written, so a typo shows
in the message preview instead of failing the send. HTML bodies get escaped values.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape

from outreach import conf

PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLACEHOLDERS = ("title", "site", "site_code", "category", "price", "url", "contact_name", "sender_name")


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str  # "" when the template has no HTML version


def placeholders(lead) -> dict[str, str]:
    price = "" if lead.price is None else f"${lead.price:,.2f}".replace(".00", "")
    return {
        "title": lead.title,
        "site": lead.location.name,
        "site_code": lead.location.site_code,
        "category": lead.category.name,
        "price": price,
        "url": lead.url,
        "contact_name": lead.contact_name or "there",
        "sender_name": conf.sender_name(),
    }


def _fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def message_render(*, template, variant, lead, unsubscribe_url: str) -> RenderedMessage:
    """The message for `lead`, with the sender identity, postal address and unsubscribe link appended."""
    subject = (variant.subject if variant and variant.subject else template.subject).replace("\n", " ")
    text = variant.body_text if variant and variant.body_text else template.body_text
    html = variant.body_html if variant and variant.body_html else template.body_html
    values = placeholders(lead)
    footer = (
        f"\n\n--\n{conf.sender_name()}\n{conf.postal_address()}\n"
        f"You received this because you posted on Craigslist. Unsubscribe: {unsubscribe_url}\n"
    )
    rendered_html = ""
    if html:
        escaped = {key: escape(value) for key, value in values.items()}
        rendered_html = _fill(html, escaped) + (
            f"<hr><p>{escape(conf.sender_name())}<br>{escape(conf.postal_address())}</p>"
            f'<p><a href="{escape(unsubscribe_url)}">Unsubscribe</a></p>'
        )
    return RenderedMessage(subject=_fill(subject, values), text=_fill(text, values) + footer, html=rendered_html)
