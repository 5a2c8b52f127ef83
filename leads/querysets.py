"""Every lead predicate, as a chainable, side-effect-free queryset method.

`leads.filters.LeadFilterSet` maps query parameters to these methods; nothing
else parses filter parameters.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

DEFAULT_ORDERING = ("-scraped_at", "-id")


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the site's time zone (TIME_ZONE), as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _ids_matching(model, fields: tuple[str, ...], names: Iterable[str]) -> list[int]:
    """Ids of the small reference rows (locations, categories) whose fields match any name.

    Resolved to a literal id list up front: the planner then estimates the lead
    rows from the foreign-key index statistics instead of guessing at a join.
    """
    query = Q()
    for name in names:
        for field in fields:
            query |= Q(**{f"{field}__iexact": name})
    if not query:
        return []
    return list(model._default_manager.filter(query).values_list("pk", flat=True))


class LeadQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("location", "category")

    def scraped_from(self, day: datetime.date):
        """Leads found on `day` or later (site time zone)."""
        return self.filter(scraped_at__gte=start_of_day(day))

    def scraped_until(self, day: datetime.date):
        """Leads found on `day` or earlier: the whole of `day` is included."""
        return self.filter(scraped_at__lt=start_of_day(day + datetime.timedelta(days=1)))

    def scraped_after(self, moment: datetime.datetime):
        """Leads found strictly after `moment` (an aware datetime)."""
        return self.filter(scraped_at__gt=moment)

    def scraped_at_or_before(self, moment: datetime.datetime):
        """Leads found at or before `moment`; with `scraped_after` it makes windows that tile without overlap."""
        return self.filter(scraped_at__lte=moment)

    def with_status(self, statuses: Iterable[str]):
        return self.filter(status__in=list(statuses))

    def in_locations(self, location_ids: Iterable[int]):
        return self.filter(location_id__in=list(location_ids))

    def in_location_names(self, names: Iterable[str]):
        """Match a location by its name or its site code, case-insensitively."""
        location_model = self.model._meta.get_field("location").related_model
        return self.filter(location_id__in=_ids_matching(location_model, ("name", "site_code"), names))

    def in_categories(self, names: Iterable[str]):
        """Match a category by its name or its code, case-insensitively."""
        category_model = self.model._meta.get_field("category").related_model
        return self.filter(category_id__in=_ids_matching(category_model, ("name", "code"), names))

    def price_at_least(self, amount: Decimal):
        return self.filter(price__gte=amount)

    def price_at_most(self, amount: Decimal):
        return self.filter(price__lte=amount)

    def with_email(self, present: bool = True):
        return self.exclude(email="") if present else self.filter(email="")

    def with_phone(self, present: bool = True):
        return self.exclude(phone="") if present else self.filter(phone="")

    def containing_all(self, keywords: Iterable[str]):
        """Every keyword appears in the title or the description (case-insensitive)."""
        queryset = self
        for keyword in keywords:
            queryset = queryset.filter(Q(title__icontains=keyword) | Q(description__icontains=keyword))
        return queryset

    def containing_none(self, keywords: Iterable[str]):
        """No keyword appears in the title or the description (case-insensitive)."""
        queryset = self
        for keyword in keywords:
            queryset = queryset.exclude(Q(title__icontains=keyword) | Q(description__icontains=keyword))
        return queryset

    def search(self, term: str):
        """Free-text search: every word must match a title, description, contact or post id."""
        queryset = self
        for word in term.split():
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(contact_name__icontains=word)
                | Q(email__icontains=word)
                | Q(phone__icontains=word)
                | Q(source_post_id__iexact=word)
            )
        return queryset

    def with_ids(self, ids: Iterable[int]):
        return self.filter(pk__in=list(ids))

    def first_n(self, limit: int):
        """The first `limit` leads in the default order (newest found first).

        Expressed as a primary-key subquery rather than a slice so the result
        can still be filtered, re-ordered, counted and paginated.
        """
        newest_ids = self.order_by(*DEFAULT_ORDERING).values("pk")[:limit]
        return self.model._default_manager.filter(pk__in=newest_ids)
