"""Near-identical text found without comparing every pair: the same pairs as comparing every pair."""

import itertools
import random

import pytest

from leads.duplicates.grouping import duplicates_find, duplicates_link
from leads.duplicates.keys import trigram_similarity, trigrams
from leads.duplicates.text_matching import similar_titles
from leads.models import Lead

WORDS = ["oak", "table", "chairs", "six", "6", "vintage", "dining", "mid", "century", "teak", "desk", "lamp"]


def _titles(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    base = [" ".join(rng.sample(WORDS, rng.randint(1, 6))) for _ in range(count // 2)]
    # Near copies: a word dropped, added or swapped, so many pairs sit around the threshold.
    near = [f"{title} {rng.choice(WORDS)}" if rng.random() < 0.5 else title.rsplit(" ", 1)[0] for title in base]
    return base + near


@pytest.mark.parametrize("threshold", [0.5, 0.8, 1.0])
def test_prefix_filtering_finds_exactly_the_pairs_a_full_comparison_finds(threshold):
    sets = {trigrams(title) for title in _titles(7, 400)} - {frozenset()}
    expected = {
        (first, second)
        for first, second in itertools.product(sets, repeat=2)
        if trigram_similarity(first, second) >= threshold
    }
    similar = similar_titles(sets, threshold)
    found = {(first, second) for first, others in similar.items() for second in others}
    assert found == expected
    assert threshold == 1.0 or any(first != second for first, second in expected)  # not a trivial case


def test_queries_find_the_pairs_of_the_queried_titles_only():
    sets = {trigrams(title) for title in _titles(11, 200)} - {frozenset()}
    queries = set(list(sets)[:10])
    similar = similar_titles(sets, 0.8, queries=queries)
    for query in queries:
        assert similar[query] == {other for other in sets if trigram_similarity(query, other) >= 0.8}


@pytest.mark.django_db
def test_descriptions_without_words_are_not_alike(make_lead):
    """similarity() of two texts without trigrams is 0 on PostgreSQL; only two empty ones count as alike."""
    make_lead(title="Vintage oak dining table with six chairs", description="!!!")
    make_lead(title="Vintage oak dining table with six chairs", description="???")
    assert duplicates_find().groups == 0


@pytest.mark.django_db
def test_a_repost_links_to_the_group_and_a_lookalike_title_with_another_text_does_not(make_lead):
    text = "Solid oak, seats six, a few marks on the top. Pick up only, cash."
    first = make_lead(title="Vintage oak dining table with six chairs", description=text, days_ago=5)
    second = make_lead(title="Vintage oak dining table, six chairs", description=text, days_ago=4)
    duplicates_find()
    group = Lead.objects.get(pk=first.pk).duplicate_group_id
    assert group is not None and Lead.objects.get(pk=second.pk).duplicate_group_id == group
    repost = make_lead(title="Vintage oak dining table with 6 chairs", description=text + " ")
    other = make_lead(title="Vintage oak dining table with six chairs", description="Glass top, metal legs, like new.")
    duplicates_link(lead_ids=[repost.pk, other.pk])
    assert Lead.objects.get(pk=repost.pk).duplicate_group_id == group
    assert Lead.objects.get(pk=other.pk).duplicate_group_id is None
