"""Every lead and scrape-run predicate, as a chainable, side-effect-free queryset method.

`leads.filters.LeadFilterSet` maps query parameters to the lead methods and
`leads.run_filters.ScrapeRunFilterSet` to the run methods; nothing else parses
filter parameters. Dates, places and statuses share their methods
(`leads.predicates`), so a predicate has one name and one body on every model.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from leads.predicates import DayRangeMixin, PlaceMixin, StatusMixin
from leads.search.predicates import searched, searched_any

DEFAULT_ORDERING = ("-scraped_at", "-id")


class LeadQuerySet(DayRangeMixin, StatusMixin, PlaceMixin, models.QuerySet):
    day_field = "scraped_at"  # a lead is dated by the day it was found

    def with_related(self):
        return self.select_related("location", "category")

    def scraped_after(self, moment: datetime.datetime):
        """Leads found strictly after `moment` (an aware datetime)."""
        return self.filter(scraped_at__gt=moment)

    def scraped_at_or_before(self, moment: datetime.datetime):
        """Leads found at or before `moment`; with `scraped_after` it makes windows that tile without overlap."""
        return self.filter(scraped_at__lte=moment)

    def price_at_least(self, amount: Decimal):
        return self.filter(price__gte=amount)

    def price_at_most(self, amount: Decimal):
        return self.filter(price__lte=amount)

    def with_email(self, present: bool = True):
        return self.exclude(email="") if present else self.filter(email="")

    def with_phone(self, present: bool = True):
        return self.exclude(phone="") if present else self.filter(phone="")

    def with_contact_quality(self, qualities: Iterable[str]):
        """Leads whose contact quality is one of `qualities` (valid, invalid, none; see leads.contact_fields)."""
        return self.filter(contact_quality__in=list(qualities))

    def containing_all(self, keywords: Iterable[str]):
        """Every keyword appears in the title or the description (case-insensitive)."""
        matches = [_in_text(keyword) for keyword in keywords]
        return self.filter(searched(*matches)) if matches else self

    def containing_none(self, keywords: Iterable[str]):
        """No keyword appears in the title or the description (case-insensitive)."""
        matches = [_in_text(keyword) for keyword in keywords]
        return self.exclude(searched_any(matches)) if matches else self

    def search(self, term: str, *, contacts: bool = True):
        """Free-text search: every word must match a title, description, contact or post id.

        With `contacts=False` (a user who may not see contact details) the contact fields are not
        searched, so a search cannot reveal what they hold.
        """
        matches = search_matches(term, contacts=contacts)
        return self.filter(searched(*matches)) if matches else self

    def suppressed(self):
        """Leads whose e-mail address or phone number is on the do-not-contact list (one query)."""
        return self.filter(_on_suppression_list())

    def not_suppressed(self):
        """Leads neither of whose contact keys is on the do-not-contact list."""
        return self.exclude(_on_suppression_list())

    def with_suppression_flag(self):
        """Annotate `is_suppressed` (True when the lead is on the do-not-contact list)."""
        return self.annotate(is_suppressed=_on_suppression_list())

    def with_ids(self, ids: Iterable[int]):
        return self.filter(pk__in=list(ids))

    def assigned_to(self, user_id: int | None):
        """Leads assigned to the user with id `user_id`; None: leads assigned to nobody."""
        if user_id is None:
            return self.filter(assigned_to__isnull=True)
        return self.filter(assigned_to_id=user_id)

    def first_of_duplicates(self):
        """One lead per duplicate group, the earliest found (leads.duplicates), and every lead that is alone."""
        return self.filter(Q(duplicate_group__isnull=True) | Q(duplicate_group__first_lead=F("pk")))

    def repeated(self):
        """Only leads in a duplicate group (groups have two leads or more)."""
        return self.filter(duplicate_group__isnull=False)

    def reposts(self):
        """Leads in a duplicate group other than its earliest: the reposts."""
        return self.filter(Q(duplicate_group__isnull=False) & ~Q(duplicate_group__first_lead=F("pk")))

    def first_n(self, limit: int):
        """The first `limit` leads in the default order (newest found first).

        Expressed as a primary-key subquery rather than a slice so the result
        can still be filtered, re-ordered, counted and paginated.
        """
        newest_ids = self.order_by(*DEFAULT_ORDERING).values("pk")[:limit]
        return self.model._default_manager.filter(pk__in=newest_ids)


def search_matches(term: str, *, contacts: bool) -> list[Q]:
    """One Q per word of `term` on the searched column names (see LeadQuerySet.search)."""
    matches = []
    for word in term.split():
        match = _in_text(word) | Q(source_post_id__iexact=word)
        if contacts:
            match |= Q(contact_name__icontains=word) | Q(email__icontains=word) | Q(phone__icontains=word)
            # As the post wrote them too, and a phone by its digits however it is written:
            # "415.555.0199" finds the lead whose phone is +14155550199, posted as (415) 555-0199.
            match |= Q(email_as_posted__icontains=word) | Q(phone_as_posted__icontains=word)
            digits = phone_search_digits(word)
            if digits and digits != word:
                match |= Q(phone__icontains=digits)
        matches.append(match)
    return matches


def _in_text(word: str) -> Q:
    """The word in the title or the description, in any case (a Q on the searched column names)."""
    return Q(title__icontains=word) | Q(description__icontains=word)


class ScrapeRunQuerySet(DayRangeMixin, StatusMixin, PlaceMixin, models.QuerySet):
    day_field = "started_at"  # a run is dated by the day it started

    def finished(self):
        return self.filter(finished_at__isnull=False)


PHONE_PUNCTUATION = frozenset("+-.()/")
MIN_PHONE_SEARCH_DIGITS = 3


def phone_search_digits(word: str) -> str:
    """The digits of a search word written like (part of) a phone number ("(415)", "555-0199"), else ""."""
    digits = "".join(character for character in word if character.isascii() and character.isdigit())
    if len(digits) < MIN_PHONE_SEARCH_DIGITS or any(
        not (character.isascii() and character.isdigit()) and character not in PHONE_PUNCTUATION for character in word
    ):
        return ""
    return digits


def _on_suppression_list():
    from leads.suppression import suppressed_expression  # the model module imports this one

    return suppressed_expression()
