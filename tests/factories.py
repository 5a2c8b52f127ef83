"""factory_boy factories for the lead data model."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from leads.contact_fields import lead_contact_values
from leads.models import Category, Lead, LeadStatus, Location, ScrapeRun, ScrapeRunStatus


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("site_code",)

    name = factory.Sequence(lambda n: f"Location {n}")
    site_code = factory.Sequence(lambda n: f"site{n}")
    region = "CA"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Category {n}")
    code = factory.Sequence(lambda n: f"c{n}")


class ScrapeRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScrapeRun

    location = factory.SubFactory(LocationFactory)
    category = factory.SubFactory(CategoryFactory)
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyAttribute(lambda run: run.started_at + datetime.timedelta(minutes=3))
    status = ScrapeRunStatus.SUCCESS
    pages_fetched = 5
    leads_found = 40
    leads_new = 30
    leads_duplicate = 10


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    location = factory.SubFactory(LocationFactory)
    category = factory.SubFactory(CategoryFactory)
    source_post_id = factory.Sequence(lambda n: f"{7800000000 + n}")
    url = factory.LazyAttribute(
        lambda lead: f"https://{lead.location.site_code}.craigslist.org/{lead.source_post_id}.html"
    )
    title = factory.Sequence(lambda n: f"Lead number {n}")
    description = "A post found on Craigslist."
    price = Decimal("100.00")
    status = LeadStatus.NEW
    contact_name = "Pat Doe"
    email = factory.Sequence(lambda n: f"lead{n}@example.com")
    phone = "415-555-0100"
    posted_at = factory.LazyFunction(timezone.now)
    scraped_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """The e-mail and phone given are what the post said; the stored contact fields follow from them
        as the import would store them (unless a test sets `contact_quality` itself)."""
        if "contact_quality" not in kwargs:
            kwargs |= lead_contact_values(
                email=kwargs.get("email", ""),
                phone=kwargs.get("phone", ""),
                title=kwargs.get("title", ""),
                description=kwargs.get("description", ""),
                region=kwargs["location"].country,
            )
        return super()._create(model_class, *args, **kwargs)
