"""The text predicates' one switch: the side table on PostgreSQL, the lead columns elsewhere.

`LeadQuerySet` builds its text matches as Q objects on the searched column names (the same on the
lead and on `LeadSearchText`); `searched` applies them where the database's indexes are.
"""

from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Exists, OuterRef, Q

from leads.search.models import LeadSearchText


def searched(*matches: Q) -> Q | Exists:
    """Leads whose texts meet every one of `matches`: one EXISTS on the side table on PostgreSQL."""
    if connection.vendor == "postgresql":
        rows = LeadSearchText.objects.filter(lead_id=OuterRef("pk"))
        for match in matches:
            rows = rows.filter(match)
        return Exists(rows)
    return reduce(lambda left, right: left & right, matches, Q())


def searched_any(matches: list[Q]) -> Q | Exists:
    """Leads whose texts meet at least one of `matches` (for an exclusion: one NOT EXISTS)."""
    return searched(reduce(or_, matches))
