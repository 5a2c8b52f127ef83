"""Queueing auto-responses: the outbox rows are written before anything is sent.

`auto_responses_queue` is what the rules app (and the admin) call. It never queues a second message
to the same lead for the same template (a unique constraint backs the check, so two rules racing
cannot both queue), nor to a lead without a valid address, nor to a suppressed one.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from leads.models import Lead
from leadsite.batch_sql import rows_insert, values_in
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


@dataclass
class QueueResult:
    """What a queueing did: the counts by reason, the leads queued, and why each other lead was not."""

    counts: Counter = field(default_factory=lambda: Counter({"queued": 0, **dict.fromkeys(REASONS, 0)}))
    queued: set[int] = field(default_factory=set)
    skipped: dict[int, str] = field(default_factory=dict)  # lead id -> its reason (one of REASONS)

    def skip(self, lead_id: int, reason: str) -> None:
        self.counts[reason] += 1
        self.skipped[lead_id] = reason


def auto_responses_queue(
    *, lead_ids: Iterable[int], template: ResponseTemplate, rule_execution_id: int | None = None
) -> dict[str, int]:
    """Queue `template` for each lead; returns {"queued": n, "skipped_<reason>": n, ...} (every key present)."""
    return dict(
        auto_responses_queue_leads(lead_ids=lead_ids, template=template, rule_execution_id=rule_execution_id).counts
    )


def auto_responses_queue_leads(
    *, lead_ids: Iterable[int], template: ResponseTemplate, rule_execution_id: int | None = None
) -> QueueResult:
    """Queue `template` for each lead, saying which leads were queued and why the others were not.

    Each chunk of CHUNK leads is a handful of statements whatever its size: the leads with whether
    this template already went to them, one lookup of the addresses' keyed hashes on the
    do-not-contact list, one of earlier bounces, and one INSERT ... ON CONFLICT DO NOTHING
    RETURNING (a lead another queueing took meanwhile comes back as already queued).
    """
    result = QueueResult()
    ids = list(dict.fromkeys(int(i) for i in lead_ids))
    if not template.active:
        for lead_id in ids:
            result.skip(lead_id, SKIP_INACTIVE)
        return result
    test = running_test(template)
    variants = list(template.variants.filter(active=True))
    for start in range(0, len(ids), CHUNK):
        _queue_chunk(ids[start : start + CHUNK], template, test, variants, rule_execution_id, result)
    if result.queued:
        transaction.on_commit(_enqueue_sending)
    return result


def _enqueue_sending() -> None:
    from outreach.tasks import send_due_auto_responses

    send_due_auto_responses.enqueue()


def _queue_chunk(ids, template, test, variants, rule_execution_id, result: QueueResult) -> None:
    already = AutoResponse.objects.filter(template=template, lead=OuterRef("pk"))
    leads = {
        pk: (email, status, done)
        for pk, email, status, done in Lead.objects.filter(pk__in=values_in(ids))
        .annotate(done=Exists(already))
        .values_list("pk", "email", "status", "done")
    }
    addresses = {(email or "").strip() for email, _, _ in leads.values()} - {""}
    suppressed = suppressed_emails(addresses)
    bounced = {
        email.lower()
        for email in AutoResponse.objects.filter(
            status=AutoResponseStatus.BOUNCED, to_email__in=values_in(addresses, db_type="text")
        ).values_list("to_email", flat=True)
    }
    rows: dict[str, list] = {name: [] for name in ("lead", "variant", "ab_test", "to_email", "lead_status_at_queue")}
    for lead_id in ids:
        if lead_id not in leads:
            result.skip(lead_id, SKIP_MISSING)
            continue
        email, status, done = leads[lead_id]
        email = (email or "").strip()
        if done:
            result.skip(lead_id, SKIP_ALREADY)
        elif not email:
            result.skip(lead_id, SKIP_NO_EMAIL)
        elif not _valid(email):
            result.skip(lead_id, SKIP_INVALID)
        elif email in suppressed:
            result.skip(lead_id, SKIP_SUPPRESSED)
        elif email.lower() in bounced:
            result.skip(lead_id, SKIP_BOUNCED)
        else:
            variant = variant_for(template=template, test=test, variants=variants, lead_id=lead_id)
            for name, value in (
                ("lead", lead_id),
                ("variant", variant.pk if variant is not None else None),
                ("ab_test", test.pk if variant is not None and test is not None else None),
                ("to_email", email),
                ("lead_status_at_queue", status),
            ):
                rows[name].append(value)
    # ON CONFLICT DO NOTHING: a concurrent queue of the same template for the same lead loses quietly,
    # and RETURNING says which rows were really inserted.
    inserted = rows_insert(
        AutoResponse,
        columns=rows,
        constants={
            "template": template.pk,
            "rule_execution_id": rule_execution_id,
            "status": AutoResponseStatus.QUEUED,
            "message_id": "",
            "error": "",
            "queued_at": timezone.now(),
        },
        returning="lead",
    )
    result.queued.update(inserted)
    result.counts["queued"] += len(inserted)
    for lead_id in set(rows["lead"]) - result.queued:
        result.skip(lead_id, SKIP_ALREADY)
