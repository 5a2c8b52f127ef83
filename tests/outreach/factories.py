"""factory_boy factories for outreach."""

import factory

from outreach.models import ABTest, ABTestStatus, AutoResponse, ResponseTemplate, TemplateVariant
from tests.factories import LeadFactory


class ResponseTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponseTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    subject = "About your post: {title}"
    body_text = "Hi {contact_name}, we saw {title} on {site} for {price}."
    body_html = ""


class TemplateVariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateVariant

    template = factory.SubFactory(ResponseTemplateFactory)
    name = factory.Sequence(lambda n: f"V{n}")
    weight = 1


class ABTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ABTest

    name = factory.Sequence(lambda n: f"Test {n}")
    template = factory.SubFactory(ResponseTemplateFactory)
    status = ABTestStatus.RUNNING
    started_at = factory.LazyFunction(__import__("django.utils.timezone", fromlist=["now"]).now)


class AutoResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AutoResponse

    lead = factory.SubFactory(LeadFactory)
    template = factory.SubFactory(ResponseTemplateFactory)
    to_email = factory.LazyAttribute(lambda row: row.lead.email)
