"""Build an A/B test's messages in bulk: `sent` sends of a variant, `replied` answered, `converted` converted."""

from django.utils import timezone

from leads.models import Lead
from outreach.models import AutoResponse
from tests.factories import LeadFactory


def messages(test, variant, *, sent: int, replied: int = 0, converted: int = 0, delivered: int | None = None):
    now = timezone.now()
    template = LeadFactory.build()
    location, category = LeadFactory().location, LeadFactory().category
    start = Lead.objects.count()
    leads = Lead.objects.bulk_create(
        [
            Lead(
                location=location,
                category=category,
                source_post_id=f"ab-{variant.pk}-{start + i}",
                title=template.title,
                email=f"ab{variant.pk}.{start + i}@example.com",
                status="converted" if i < converted else "new",
            )
            for i in range(sent)
        ]
    )
    delivered = sent if delivered is None else delivered
    AutoResponse.objects.bulk_create(
        [
            AutoResponse(
                lead=lead,
                template=test.template,
                variant=variant,
                ab_test=test,
                to_email=lead.email,
                status="replied" if i < replied else "sent",
                lead_status_at_queue="new",
                sent_at=now,
                delivered_at=now if i < delivered else None,
                replied_at=now if i < replied else None,
            )
            for i, lead in enumerate(leads)
        ]
    )
