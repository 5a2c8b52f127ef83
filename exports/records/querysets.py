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

    def back_to_pending(self, **recorded) -> int:
        """Put these (running) exports back to pending, as if never started; returns how many.

        The one reset of a run for whoever starts it again (recovery after a dead worker, an
        erasure): `recorded` adds what that caller notes on the record (a message, requeued_at).
        """
        from exports.models import ExportStatus  # the model module imports this one

        return self.update(
            status=ExportStatus.PENDING,
            worker_id="",
            started_at=None,
            heartbeat_at=None,
            rows_written=0,
            progress=0,
            **recorded,
        )
