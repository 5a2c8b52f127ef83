"""The spec's predicates on rollup rows, under the names `LeadQuerySet` gives them.

`LeadFilterSet` applies a spec by calling these methods on whatever queryset
it is given, so the same FilterSet filters leads or rollups and the spec is
parsed in one place only. Only the rollup dimensions exist here; a spec that
uses another parameter is answered from the leads (see
`LeadFilterSet.answerable_by_rollups`).
"""

import datetime
from collections.abc import Iterable

from django.db import models

from leads.querysets import _ids_matching


class RollupQuerySet(models.QuerySet):
    def scraped_from(self, day: datetime.date):
        return self.filter(day__gte=day)

    def scraped_until(self, day: datetime.date):
        return self.filter(day__lte=day)

    def with_status(self, statuses: Iterable[str]):
        return self.filter(status__in=list(statuses))

    def in_locations(self, location_ids: Iterable[int]):
        return self.filter(location_id__in=list(location_ids))

    def in_location_names(self, names: Iterable[str]):
        location_model = self.model._meta.get_field("location").related_model
        return self.filter(location_id__in=_ids_matching(location_model, ("name", "site_code"), names))

    def in_categories(self, names: Iterable[str]):
        category_model = self.model._meta.get_field("category").related_model
        return self.filter(category_id__in=_ids_matching(category_model, ("name", "code"), names))

    def with_email(self, present: bool = True):
        return self.filter(has_email=present)

    def with_phone(self, present: bool = True):
        return self.filter(has_phone=present)
