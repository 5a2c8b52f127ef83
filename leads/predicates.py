"""Predicates shared by every model filtered with the lead spec's dates, places or statuses.

Leads, scrape runs and exports are narrowed by the same concepts, so their
querysets share these methods under the same names (`from_day`, `until_day`,
`in_locations`, `in_location_names`, `in_categories`, `with_status`); each
queryset only says which field dates its rows (`day_field`).
"""

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the site's time zone (TIME_ZONE), as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def ids_matching(model, fields: tuple[str, ...], names: Iterable[str]) -> list[int]:
    """Ids of the small reference rows (locations, categories) whose fields match any name.

    Resolved to a literal id list up front: the planner then estimates the
    filtered rows from the foreign-key index statistics instead of guessing at a join.
    """
    query = Q()
    for name in names:
        for field in fields:
            query |= Q(**{f"{field}__iexact": name})
    if not query:
        return []
    return list(model._default_manager.filter(query).values_list("pk", flat=True))


class DayRangeMixin:
    """`from_day`/`until_day`: rows dated on whole days of the site's time zone, by `day_field`."""

    day_field: str

    def from_day(self, day: datetime.date):
        """Rows dated on `day` or later."""
        return self.filter(**{f"{self.day_field}__gte": start_of_day(day)})

    def until_day(self, day: datetime.date):
        """Rows dated on `day` or earlier: the whole of `day` is included."""
        return self.filter(**{f"{self.day_field}__lt": start_of_day(day + datetime.timedelta(days=1))})


class StatusMixin:
    def with_status(self, statuses: Iterable[str]):
        return self.filter(status__in=list(statuses))


class PlaceMixin:
    """Locations and categories, for models with `location` and `category` foreign keys."""

    def in_locations(self, location_ids: Iterable[int]):
        return self.filter(location_id__in=list(location_ids))

    def in_location_names(self, names: Iterable[str]):
        """Match a location by its name or its site code, case-insensitively."""
        location_model = self.model._meta.get_field("location").related_model
        return self.filter(location_id__in=ids_matching(location_model, ("name", "site_code"), names))

    def in_categories(self, names: Iterable[str]):
        """Match a category by its name or its code, case-insensitively."""
        category_model = self.model._meta.get_field("category").related_model
        return self.filter(category_id__in=ids_matching(category_model, ("name", "code"), names))
