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
from collections import defaultdict
from collections.abc import Iterator, Sequence

from django.db.models import Count
from django.db.models.functions import Length

from leads import conf
from leads.duplicates.keys import MIN_PHONE_DIGITS, email_key_expression, phone_key_expression, trigrams
from leads.duplicates.text_matching import similar_titles, window_text_pairs

Pair = tuple[int, int]
CHUNK = 2_000
# A longer list of titles is matched in Python instead (SQLite caps the parameters of a statement).
MAX_TITLES_IN_QUERY = 5_000


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
        # A batch's matches are read at once and sorted here: through a server-side cursor PostgreSQL
        # plans for the first rows and walks the whole key index in order (6.4 s at 1,000,000 leads, not 0.4 s).
        rows = leads.filter(key__in=shared).values_list("key", "pk")
        rows = rows.order_by("key", "pk").iterator(chunk_size=CHUNK) if probe_ids is None else sorted(rows.order_by())
        for key, lead_id in rows:
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
    """Near-identical text within the window (leads.duplicates.text_matching), one category at a time."""
    window = datetime.timedelta(days=conf.duplicate_window_days())
    threshold = conf.duplicate_text_similarity() / 100
    if probe_ids is None:
        yield from _all_text_pairs(window=window, threshold=threshold)
    else:
        yield from _probed_text_pairs(set(probe_ids), window=window, threshold=threshold)


def _all_text_pairs(*, window, threshold) -> Iterator[Pair]:
    """The batch recompute: each category's leads streamed in order of finding, a window at a time."""
    from leads.models import Lead

    categories = Lead.objects.order_by("category_id").values_list("category_id", flat=True).distinct()
    for category_id in list(categories):
        leads = Lead.objects.filter(category_id=category_id).order_by()
        titles = leads.values_list("title", flat=True).distinct().iterator(chunk_size=CHUNK)
        similar = similar_titles((trigrams(title) for title in titles), threshold)
        rows = leads.order_by("scraped_at", "pk").values_list("pk", "scraped_at", "title", "description")
        yield from window_text_pairs(
            rows.iterator(chunk_size=CHUNK), similar=similar, window=window, threshold=threshold
        )


def _probed_text_pairs(probes: set[int], *, window, threshold) -> Iterator[Pair]:
    """The incremental link: per category of the batch, only the leads found within the window of
    the batch whose titles are like a probed one are read (two queries per category)."""
    from leads.models import Lead

    spans: dict[int, list] = {}
    probe_rows = Lead.objects.filter(pk__in=probes).order_by().values_list("category_id", "scraped_at", "title")
    probe_titles: dict[int, set[frozenset]] = defaultdict(set)
    for category_id, found, title in probe_rows:
        span = spans.setdefault(category_id, [found, found])
        span[0], span[1] = min(span[0], found), max(span[1], found)
        probe_titles[category_id].add(trigrams(title))
    for category_id, (earliest, latest) in spans.items():
        pool = Lead.objects.filter(category_id=category_id, scraped_at__range=(earliest - window, latest + window))
        by_grams: dict[frozenset, list[str]] = defaultdict(list)
        for title in pool.order_by().values_list("title", flat=True).distinct().iterator(chunk_size=CHUNK):
            by_grams[trigrams(title)].append(title)
        similar = similar_titles(by_grams, threshold, queries=probe_titles[category_id])
        wanted = set(similar)
        if not wanted:
            continue
        titles = [title for grams in wanted for title in by_grams[grams]]
        if len(titles) <= MAX_TITLES_IN_QUERY:
            pool = pool.filter(title__in=titles)
        rows = pool.order_by("scraped_at", "pk").values_list(
            "pk", "scraped_at", "title", "description", "duplicate_group_id"
        )
        groups: dict[int, int] = {}
        texts = []
        for lead_id, found, title, description, group_id in rows.iterator(chunk_size=CHUNK):
            texts.append((lead_id, found, title, description))
            if group_id is not None:
                groups[lead_id] = group_id
        yield from window_text_pairs(
            texts, similar=similar, window=window, threshold=threshold, probes=probes, groups=groups
        )
