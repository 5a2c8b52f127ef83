"""Outreach demo data for `seed_demo` (through leads' `demo_data_seeded` signal): three templates with
variants, a finished A/B test (stopped, its winner promoted when the data name one) and a running one,
and auto-responses to every other lead that has an address (about one demo lead in four), with realistic outcomes.

Deterministic for a seed. Outcomes by variant: reply rates differ between variants (so the finished
test has a real winner on the default 5,000 leads), a few bounces, opt-outs and failures, and the
newest messages still queued. A lead's later status (demo leads have contacted/qualified/converted
ones) counts as the message's outcome because the messages record the status "new" at queueing.
"""

import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leads.models import Lead
from outreach.models import ABTest, ABTestStatus, AutoResponse, AutoResponseStatus, ResponseTemplate, TemplateVariant
from outreach.services.ab_tests import ab_test_stop
from outreach.services.variants import variant_choose

SHARE = 2  # one lead in SHARE with an address gets a message: about one demo lead in four
TEMPLATES = (
    (
        "Quick hello",
        "About your post: {title}",
        "Hi {contact_name},\n\nWe saw {title} on Craigslist ({site}). Is it still available?\n\nThanks,\n{sender_name}",
        (("Short subject", "{title}?", 1, 0.20), ("Question subject", "Is {title} still available?", 1, 0.09)),
    ),
    (
        "Price check",
        "Your {title} for {price}",
        "Hi {contact_name},\n\nWould you take an offer close to {price} for {title}?\n\n{sender_name}",
        (("Direct", "", 1, 0.12), ("Friendly", "Quick question about {title}", 1, 0.14)),
    ),
    ("Follow-up", "Following up: {title}", "Hi {contact_name},\n\nJust following up on {title}.\n\n{sender_name}", ()),
)


def outreach_demo_seed(*, seed: int, now: datetime.datetime | None = None, on_message=None) -> int:
    """Create the outreach demo records once (nothing when a template exists); returns the messages made."""
    if ResponseTemplate.objects.exists():
        return 0
    (on_message or (lambda text: None))("Seeding outreach demo data (templates, A/B tests, messages)...")
    rng = random.Random(seed)
    now = now or timezone.now()
    with transaction.atomic():
        templates, rates = _templates()
        templates = list(ResponseTemplate.objects.filter(pk__in=[t.pk for t in templates]).prefetch_related("variants"))
        templates.sort(key=lambda t: [name for name, *_ in TEMPLATES].index(t.name))
        finished = ABTest.objects.create(
            name="Subject line: short vs question",
            template=templates[0],
            status=ABTestStatus.RUNNING,
            started_at=now - datetime.timedelta(days=40),
        )
        running = ABTest.objects.create(
            name="Price opener: direct vs friendly",
            template=templates[1],
            status=ABTestStatus.RUNNING,
            started_at=now - datetime.timedelta(days=12),
        )
        reachable = Lead.objects.not_suppressed().exclude(email="").order_by("pk")
        leads = list(reachable.values_list("pk", "email", "scraped_at"))
        chosen = [lead for index, lead in enumerate(leads) if index % SHARE == 0]
        rows = [_message(lead, templates, rates, finished, running, rng, now) for lead in chosen]
        AutoResponse.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        # The finished test ends ten days ago, its winner promoted when the figures name one.
        try:
            ab_test_stop(test=finished)
        except ValidationError:  # too few demo leads for a winner: stopped without promoting one
            ab_test_stop(test=finished, promote_winner=False)
        ABTest.objects.filter(pk=finished.pk).update(ended_at=now - datetime.timedelta(days=10))
    return len(rows)


def _templates():
    templates, rates = [], {}
    for name, subject, body, variants in TEMPLATES:
        template = ResponseTemplate.objects.create(name=name, subject=subject, body_text=body)
        templates.append(template)
        for variant_name, variant_subject, weight, reply_rate in variants:
            variant = TemplateVariant.objects.create(
                template=template, name=variant_name, subject=variant_subject, weight=weight
            )
            rates[variant.pk] = reply_rate
    return templates, rates


def _message(lead, templates, rates, finished, running, rng, now) -> AutoResponse:
    lead_id, email, scraped_at = lead
    # Some time after the lead was found, within the last 45 days.
    earliest = max(scraped_at, now - datetime.timedelta(days=45))
    span = max((now - earliest).total_seconds(), 60)
    queued_at = earliest + datetime.timedelta(seconds=rng.uniform(0, span) * 0.999)
    if finished.started_at < queued_at < now - datetime.timedelta(days=10) and rng.random() < 0.8:
        template, test = templates[0], finished
    elif queued_at > running.started_at and rng.random() < 0.6:
        template, test = templates[1], running
    else:
        template, test = templates[2], None
    variants = list(template.variants.all()) if test else []  # (prefetched: no query per message)
    variant = variant_choose(variants=variants, lead_id=lead_id, scope=f"abtest:{test.pk}") if test else None
    row = AutoResponse(
        lead_id=lead_id,
        template=template,
        variant=variant,
        ab_test=test if variant else None,
        to_email=email,
        lead_status_at_queue="new",
        queued_at=queued_at,
    )
    if queued_at > now - datetime.timedelta(hours=6):
        return row  # still queued
    sent_at = queued_at + datetime.timedelta(minutes=rng.randint(1, 30))
    row.claimed_at, row.sent_at, row.status = sent_at, sent_at, AutoResponseStatus.SENT
    row.message_id = f"demo-{lead_id}@leadsite.demo"
    roll = rng.random()
    reply_rate = rates.get(variant.pk, 0.1) if variant else 0.1
    if roll < 0.01:
        row.status, row.sent_at, row.failed_at, row.error = AutoResponseStatus.FAILED, None, sent_at, "550 rejected"
    elif roll < 0.05:
        row.status, row.bounced_at = AutoResponseStatus.BOUNCED, sent_at + datetime.timedelta(minutes=2)
    elif roll < 0.07:
        row.delivered_at = sent_at + datetime.timedelta(minutes=1)
        row.status, row.opted_out_at = AutoResponseStatus.OPTED_OUT, sent_at + datetime.timedelta(hours=3)
    else:
        row.delivered_at = sent_at + datetime.timedelta(minutes=1)
        if rng.random() < reply_rate:
            row.status, row.replied_at = (
                AutoResponseStatus.REPLIED,
                sent_at + datetime.timedelta(hours=rng.randint(1, 48)),
            )
    return row
