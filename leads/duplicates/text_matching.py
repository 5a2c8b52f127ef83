"""Near-identical text within the window, found without comparing every pair of leads.

Two leads' texts match (leads.duplicates.matching) when they are in one category, found at most the
window apart, their titles have a trigram similarity of at least the threshold and so do their
descriptions (or both descriptions are empty). The similarity is pg_trgm's, computed in Python
(leads.duplicates.keys), so both databases group alike.

Why not pg_trgm in SQL: measured on the 1,000,000 demo leads (bench/README.md), a `%` probe of the
trigram index on UPPER(title) costs about 95 ms per lead even at the 0.8 threshold (titles repeat:
each probe rechecks ~2,600 rows), and similarity() over the ~12,000 leads of a category in a 14-day
window costs as much, so a batch of 1,000 took minutes and a full recompute days. Here:

1. Titles are compared once per distinct trigram set, with prefix filtering: two sets of Jaccard
   similarity >= t share a token among the first |A| - ceil(t * |A|) + 1 tokens of each, in any one
   order; rarest first keeps the candidate lists short. Exact, not an approximation.
2. Descriptions are compared only between leads whose titles match, within the window, and not
   when the two are already connected (by an earlier text pair, or for the incremental link by the
   duplicate group they are in): the grouping needs connected leads, not every pair.
"""

import math
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator

from leads.duplicates.keys import trigram_similarity, trigrams

Pair = tuple[int, int]


def similar_titles(
    title_sets: Iterable[frozenset[str]], threshold: float, *, queries: Iterable[frozenset[str]] | None = None
) -> dict[frozenset, set[frozenset]]:
    """Title trigram sets of similarity >= threshold, both ways: each set (itself included) maps to
    the sets like it. `queries`: only pairs with one of these sets are wanted (the incremental link)."""
    sets = {grams for grams in title_sets if grams}
    frequency = Counter(gram for grams in sets for gram in grams)
    index: dict[str, list[frozenset]] = defaultdict(list)
    prefixes = {grams: _prefix(grams, frequency, threshold) for grams in sets}
    for grams, prefix in prefixes.items():
        for gram in prefix:
            index[gram].append(grams)
    similar: dict[frozenset, set[frozenset]] = defaultdict(set)
    for grams in sets if queries is None else {grams for grams in queries if grams in sets}:
        seen = {grams}
        similar[grams].add(grams)
        low, high = threshold * len(grams), len(grams) / threshold
        for gram in prefixes[grams]:
            for other in index[gram]:
                if other in seen:
                    continue
                seen.add(other)
                if low <= len(other) <= high and trigram_similarity(grams, other) >= threshold:
                    similar[grams].add(other)
                    similar[other].add(grams)
    return similar


def _prefix(grams: frozenset[str], frequency: Counter, threshold: float) -> list[str]:
    """The rarest trigrams of the set that any set like it must share one of."""
    ordered = sorted(grams, key=lambda gram: (frequency[gram], gram))
    return ordered[: len(ordered) - _overlap_needed(len(ordered), threshold) + 1]


def _overlap_needed(size: int, threshold: float) -> int:
    """The fewest shared trigrams a set of `size` needs with any set it is similar to (rounded down
    a little for floating point: a longer prefix only adds candidates, never loses one)."""
    return max(1, math.ceil(threshold * size - 1e-9))


class _Connected:
    """Union-find over lead ids: checks between leads already connected are skipped."""

    def __init__(self):
        self.parent: dict[int, int] = {}

    def root(self, item: int) -> int:
        parent = self.parent
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def join(self, first: int, second: int) -> None:
        a, b = self.root(first), self.root(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def window_text_pairs(
    rows: Iterable[tuple],
    *,
    similar: dict[frozenset, set[frozenset]],
    window,
    threshold: float,
    probes: set[int] | None = None,
    groups: dict[int, int] | None = None,
) -> Iterator[Pair]:
    """Matching pairs among `rows` of ONE category, given as (id, found, title, description) in
    order of (found, id); with `probes`, only pairs involving a probed lead. `groups` (lead id ->
    duplicate group id) counts leads of one group as connected already."""
    connected = _Connected()
    for lead_id, group_id in (groups or {}).items():
        connected.join(lead_id, -group_id)  # groups as negative nodes: they never clash with lead ids
    recent: dict[frozenset, deque] = defaultdict(deque)  # title set -> [id, found, description, grams]
    recent_probes: dict[frozenset, deque] = defaultdict(deque)  # the same, probed leads only
    title_grams: dict[str, frozenset] = {}
    for lead_id, found, title, description in rows:
        grams = title_grams.get(title)
        if grams is None:
            grams = title_grams[title] = trigrams(title)
        if grams not in similar:
            continue  # no trigrams (similarity 0), or a title like no probed one
        entry = [lead_id, found, description, None]
        probed = probes is None or lead_id in probes
        for other_grams in similar[grams]:
            earlier = (recent if probed else recent_probes).get(other_grams)
            while earlier and found - earlier[0][1] > window:
                earlier.popleft()
            for other in earlier or ():
                if connected.root(other[0]) != connected.root(lead_id) and _descriptions_match(entry, other, threshold):
                    connected.join(other[0], lead_id)
                    yield other[0], lead_id
        recent[grams].append(entry)
        if probes is not None and probed:
            recent_probes[grams].append(entry)


def _descriptions_match(entry: list, other: list, threshold: float) -> bool:
    """Both empty, or alike: what `similarity(...) >= t OR (a = '' AND b = '')` says on PostgreSQL."""
    if entry[2] == "" and other[2] == "":
        return True
    for item in (entry, other):
        if item[3] is None:
            item[3] = trigrams(item[2])
    small, large = sorted((len(entry[3]), len(other[3])))
    # The similarity is at most the smaller set's size over the larger's: most pairs stop here.
    return small >= threshold * large and trigram_similarity(entry[3], other[3]) >= threshold
