"""Queueing auto-responses: the outbox rows are written before anything is sent.

`auto_responses_queue` is what the rules app (and the admin) call. It never queues a second message
to the same lead for the same template (a unique constraint backs the check, so two rules racing
cannot both queue), nor to a lead without a valid address, nor to a suppressed one.
"""

from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from leads.models import Lead
from outreach.models import ABTest, ABTestStatus, AutoResponse, AutoResponseStatus, ResponseTemplate
from outreach.services.variants import variant_choose
from outreach.suppression import suppressed_emails

CHUNK = 1000

# Reasons a lead is skipped (the keys of the returned counts besides "queued").
SKIP_MISSING = "skipped_missing"  # no such lead
SKIP_NO_EMAIL = "skipped_no_email"
SKIP_INVALID = "skipped_invalid_email"
SKIP_SUPPRESSED = "skipped_suppressed"  # on the do-not-contact list
SKIP_BOUNCED = "skipped_bounced"  # an earlier message to the address bounced
SKIP_ALREADY = "skipped_already_queued"  # this template already went (or will go) to this lead
SKIP_INACTIVE = "skipped_inactive_template"
REASONS = (SKIP_MISSING, SKIP_NO_EMAIL, SKIP_INVALID, SKIP_SUPPRESSED, SKIP_BOUNCED, SKIP_ALREADY, SKIP_INACTIVE)


def _valid(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def running_test(template: ResponseTemplate) -> ABTest | None:
    return ABTest.objects.filter(template=template, status=ABTestStatus.RUNNING).first()


def variant_for(*, template: ResponseTemplate, test: ABTest | None, variants: list, lead_id: int):
    """The lead's variant: from the running test's hash when there is one, else the template's."""
    scope = f"abtest:{test.pk}" if test else f"template:{template.pk}"
    return variant_choose(variants=variants, lead_id=lead_id, scope=scope)


def auto_responses_queue(
    *, lead_ids: Iterable[int], template: ResponseTemplate, rule_execution_id: int | None = None
) -> dict[str, int]:
    """Queue `template` for each lead; returns {"queued": n, "skipped_<reason>": n, ...} (every key present)."""
    counts = Counter({"queued": 0, **dict.fromkeys(REASONS, 0)})
    ids = list(dict.fromkeys(int(i) for i in lead_ids))
    if not template.active:
        counts[SKIP_INACTIVE] = len(ids)
        return dict(counts)
    test = running_test(template)
    variants = list(template.variants.filter(active=True))
    for start in range(0, len(ids), CHUNK):
        _queue_chunk(ids[start : start + CHUNK], template, test, variants, rule_execution_id, counts)
    if counts["queued"]:
        transaction.on_commit(_enqueue_sending)
    return dict(counts)


def _enqueue_sending() -> None:
    from outreach.tasks import send_due_auto_responses

    send_due_auto_responses.enqueue()


def _queue_chunk(ids, template, test, variants, rule_execution_id, counts: Counter) -> None:
    leads = {
        pk: (email, status)
        for pk, email, status in Lead.objects.filter(pk__in=ids).values_list("pk", "email", "status")
    }
    counts[SKIP_MISSING] += len(ids) - len(leads)
    done = set(AutoResponse.objects.filter(template=template, lead_id__in=leads).values_list("lead_id", flat=True))
    addresses = {(email or "").strip() for email, _ in leads.values()} - {""}
    suppressed = suppressed_emails(addresses)
    bounced = {
        email.lower()
        for email in AutoResponse.objects.filter(status=AutoResponseStatus.BOUNCED, to_email__in=addresses).values_list(
            "to_email", flat=True
        )
    }
    rows = []
    for lead_id in ids:
        if lead_id not in leads:
            continue
        email, status = (leads[lead_id][0] or "").strip(), leads[lead_id][1]
        if lead_id in done:
            counts[SKIP_ALREADY] += 1
        elif not email:
            counts[SKIP_NO_EMAIL] += 1
        elif not _valid(email):
            counts[SKIP_INVALID] += 1
        elif email in suppressed:
            counts[SKIP_SUPPRESSED] += 1
        elif email.lower() in bounced:
            counts[SKIP_BOUNCED] += 1
        else:
            variant = variant_for(template=template, test=test, variants=variants, lead_id=lead_id)
            rows.append(
                AutoResponse(
                    lead_id=lead_id,
                    template=template,
                    variant=variant,
                    ab_test=test if variant is not None else None,
                    rule_execution_id=rule_execution_id,
                    to_email=email,
                    lead_status_at_queue=status,
                )
            )
    with transaction.atomic():
        # ignore_conflicts: a concurrent queue of the same template for the same lead loses quietly.
        created = AutoResponse.objects.bulk_create(rows, ignore_conflicts=True)
    # bulk_create with ignore_conflicts cannot tell which rows lost; count what is really there.
    queued = (
        AutoResponse.objects.filter(
            template=template, lead_id__in=[row.lead_id for row in created], rule_execution_id=rule_execution_id
        ).count()
        if rows
        else 0
    )
    queued = min(queued, len(rows))
    counts["queued"] += queued
    counts[SKIP_ALREADY] += len(rows) - queued
