"""The pairs of leads that are duplicates of each other, found in the database.

Two leads match when they share a contact key (leads.duplicates.keys: e-mail, phone) whenever they
were found, or when their text is near-identical in the same category and they were found within
LEAD_DUPLICATE_WINDOW_DAYS of each other (a repost, possibly on another site). Near-identical text
means a trigram similarity of at least LEAD_DUPLICATE_TEXT_SIMILARITY percent for the titles and for
the descriptions (or two empty descriptions): titles alone are too short and too alike ("Working
car seat") to tell one post from another.

`probe_ids=None` looks at every lead (the batch recompute); a list of ids finds what those leads
match (the incremental link). Pairs are yielded as (id, id) and may repeat: the grouping unions them.
"""

import datetime
from collections import defaultdict, deque
from collections.abc import Iterator, Sequence

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import Length

from leads import conf
from leads.duplicates.keys import (
    MIN_PHONE_DIGITS,
    email_key_expression,
    phone_key_expression,
    trigram_similarity,
    trigrams,
)

Pair = tuple[int, int]
CHUNK = 2_000


def duplicate_pairs(*, probe_ids: Sequence[int] | None = None) -> Iterator[Pair]:
    """Every matching pair (contact keys, near text, earlier merges) involving the probed leads."""
    yield from contact_pairs(probe_ids=probe_ids)
    yield from text_pairs(probe_ids=probe_ids)
    yield from merged_pairs(probe_ids=probe_ids)


def contact_pairs(*, probe_ids: Sequence[int] | None = None) -> Iterator[Pair]:
    from leads.models import Lead

    keyed = (
        Lead.objects.exclude(email="").annotate(key=email_key_expression()),
        Lead.objects.exclude(phone="")
        .annotate(key=phone_key_expression())
        .alias(key_length=Length(phone_key_expression()))
        .filter(key_length__gte=MIN_PHONE_DIGITS),
    )
    for leads in keyed:
        if probe_ids is None:
            shared = leads.order_by().values("key").annotate(n=Count("pk")).filter(n__gt=1).values("key")
        else:
            shared = leads.filter(pk__in=list(probe_ids)).order_by().values("key")
        previous_key, first_id = None, None
        rows = leads.filter(key__in=shared).order_by("key", "pk").values_list("key", "pk")
        for key, lead_id in rows.iterator(chunk_size=CHUNK):
            if key == previous_key:
                yield first_id, lead_id
            else:
                previous_key, first_id = key, lead_id


def merged_pairs(*, probe_ids: Sequence[int] | None = None) -> Iterator[Pair]:
    """A merged lead stays in its survivor's group, whatever its text and contacts say now."""
    from leads.models import Lead

    merged = Lead.objects.filter(merged_into__isnull=False)
    if probe_ids is not None:
        merged = merged.filter(pk__in=list(probe_ids)) | merged.filter(merged_into__in=list(probe_ids))
    yield from merged.values_list("pk", "merged_into_id").iterator(chunk_size=CHUNK)


def text_pairs(*, probe_ids: Sequence[int] | None = None) -> Iterator[Pair]:
    window = datetime.timedelta(days=conf.duplicate_window_days())
    threshold = conf.duplicate_text_similarity() / 100
    if connection.vendor == "postgresql":
        yield from _postgres_text_pairs(probe_ids=probe_ids, window=window, threshold=threshold)
    else:
        yield from _portable_text_pairs(probe_ids=probe_ids, window=window, threshold=threshold)


_POSTGRES_TEXT_PAIRS = """
SELECT a.id, b.id FROM {table} a JOIN {table} b
  ON b.category_id = a.category_id
 AND b.scraped_at BETWEEN a.scraped_at - %s AND a.scraped_at + %s
 AND b.id <> a.id
 AND similarity(UPPER(a.title), UPPER(b.title)) >= %s
 AND (similarity(UPPER(a.description), UPPER(b.description)) >= %s OR (a.description = '' AND b.description = ''))
WHERE a.id = ANY(%s) {only_later}
"""


def _postgres_text_pairs(*, probe_ids, window, threshold) -> Iterator[Pair]:
    """pg_trgm's similarity() on the leads of the same category found within the window.

    The candidates come from the (category, found) index, not from the trigram GIN index on
    UPPER(title) (migration 0002): measured on the demo data, a `%` probe of that index costs about
    24 ms per lead (Craigslist titles share common trigrams, so each probe rechecks thousands of
    rows), while the window holds a few hundred leads of one category that similarity() checks in
    well under a millisecond.
    """
    from leads.models import Lead

    table = connection.ops.quote_name(Lead._meta.db_table)
    # The full recompute probes every lead, so each pair is needed once (b after a).
    sql = _POSTGRES_TEXT_PAIRS.format(table=table, only_later="AND b.id > a.id" if probe_ids is None else "")
    for chunk in _id_chunks(probe_ids):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [window, window, threshold, threshold, list(chunk)])
            yield from cursor.fetchall()


def _id_chunks(probe_ids) -> Iterator[list[int]]:
    from leads.models import Lead

    if probe_ids is not None:
        ids = list(probe_ids)
        for start in range(0, len(ids), CHUNK):
            yield ids[start : start + CHUNK]
        return
    last = 0
    while True:
        chunk = list(Lead.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]


def _portable_text_pairs(*, probe_ids, window, threshold) -> Iterator[Pair]:
    """The same trigram similarity, computed in Python (leads.duplicates.keys) where pg_trgm is missing.

    SQLite has no trigram operator or index; difflib's ratio would group differently from
    PostgreSQL. Leads are read in order of (category, found) and each is compared with the leads of its
    category found within the window before it, so the work grows with the leads per window, not
    with the square of the table.
    """
    from leads.models import Lead

    leads = Lead.objects.order_by()
    probes = None
    if probe_ids is not None:
        probes = set(probe_ids)
        bounds = Lead.objects.filter(pk__in=probes).order_by().values("category_id", "scraped_at")
        if not bounds:
            return
        earliest = min(row["scraped_at"] for row in bounds) - window
        latest = max(row["scraped_at"] for row in bounds) + window
        categories = {row["category_id"] for row in bounds}
        leads = leads.filter(category_id__in=categories, scraped_at__range=(earliest, latest))
    recent: dict[int, deque] = defaultdict(deque)
    rows = leads.order_by("category_id", "scraped_at", "pk").values_list(
        "pk", "category_id", "scraped_at", "title", "description"
    )
    for lead_id, category_id, found, title, description in rows.iterator(chunk_size=CHUNK):
        grams, text_grams = trigrams(title), trigrams(description)
        earlier = recent[category_id]
        while earlier and found - earlier[0][1] > window:
            earlier.popleft()
        for other_id, _, other_grams, other_text_grams in earlier:
            if probes is not None and lead_id not in probes and other_id not in probes:
                continue
            if (
                _could_match(grams, other_grams, threshold)
                and trigram_similarity(grams, other_grams) >= threshold
                and _texts_match(text_grams, other_text_grams, threshold)
            ):
                yield other_id, lead_id
        earlier.append((lead_id, found, grams, text_grams))


def _could_match(first: frozenset[str], second: frozenset[str], threshold: float) -> bool:
    """A cheap bound: the similarity is at most the smaller set's size over the larger's."""
    small, large = sorted((len(first), len(second)))
    return bool(large) and small >= threshold * large


def _texts_match(first: frozenset[str], second: frozenset[str], threshold: float) -> bool:
    """Descriptions alike, or both empty (as the PostgreSQL query says)."""
    return (not first and not second) or trigram_similarity(first, second) >= threshold
