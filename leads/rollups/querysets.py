"""The spec's predicates on rollup rows, under the names the lead querysets give them.

`LeadFilterSet` applies a spec by calling these methods on whatever queryset
it is given, so the same FilterSet filters leads or rollups and the spec is
parsed in one place only. Only the rollup dimensions exist here; a spec that
uses another parameter is answered from the leads (see
`LeadFilterSet.answerable_by_rollups`).
"""

import datetime

from django.db import models

from leads.predicates import PlaceMixin, StatusMixin


class RollupQuerySet(StatusMixin, PlaceMixin, models.QuerySet):
    def from_day(self, day: datetime.date):
        # The rows' day already is the day found in the site's time zone.
        return self.filter(day__gte=day)

    def until_day(self, day: datetime.date):
        return self.filter(day__lte=day)

    def with_email(self, present: bool = True):
        return self.filter(has_email=present)

    def with_phone(self, present: bool = True):
        return self.filter(has_phone=present)
