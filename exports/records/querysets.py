"""Export-record predicates, under the same names as the lead and scrape-run ones (`leads.predicates`)."""

from django.db import models

from leads.predicates import DayRangeMixin, StatusMixin

VIEW_ALL_EXPORTS = "exports.view_all_exports"


class ExportQuerySet(DayRangeMixin, StatusMixin, models.QuerySet):
    day_field = "created_at"  # an export is dated by the day it was asked for

    def visible_to(self, user):
        """The exports `user` may see: their own, or everyone's with exports.view_all_exports."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_perm(VIEW_ALL_EXPORTS):
            return self
        return self.filter(created_by=user)
