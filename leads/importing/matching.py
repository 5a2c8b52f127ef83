"""Finding the stored leads a batch of rows names by their (location, post id) pairs, in one query."""

from collections import defaultdict

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from leads.models import Lead


def pairs_matching(keys: set[tuple]):
    """Leads whose (location, post id) pair is among `keys`: one probe of the unique index per pair.

    On PostgreSQL the pairs go as two arrays: a parameter per post made psycopg convert a new
    statement of thousands of placeholders every batch, a good part of the path's Python time."""
    if connection.vendor == "postgresql":
        locations, posts = zip(*keys, strict=True)
        table = connection.ops.quote_name(Lead._meta.db_table)
        pairs = RawSQL(
            f"({table}.location_id, {table}.source_post_id) IN (SELECT * FROM unnest(%s::bigint[], %s::varchar[]))",
            (list(locations), list(posts)),
            output_field=BooleanField(),
        )
        return Lead.objects.filter(pairs)
    by_location: dict[int, list[str]] = defaultdict(list)
    for location, post in keys:
        by_location[location].append(post)
    query = Q(pk__in=[])
    for location, posts in by_location.items():
        query |= Q(location_id=location, source_post_id__in=posts)
    return Lead.objects.filter(query)
