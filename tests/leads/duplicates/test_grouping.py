"""Duplicate grouping: exact contact keys, near-identical titles within the window, the batch recompute."""

import pytest

from leads.duplicates.grouping import duplicates_find, duplicates_link
from leads.duplicates.keys import trigram_similarity, trigrams
from leads.models import DuplicateGroup, Lead
from tests.factories import CategoryFactory, LocationFactory

pytestmark = pytest.mark.django_db


def group_of(lead):
    return Lead.objects.get(pk=lead.pk).duplicate_group_id


def test_same_email_any_case_is_one_group_across_sites(make_lead):
    first = make_lead(email="Pat@Example.com", days_ago=90)
    second = make_lead(email="pat@example.com", location=LocationFactory(site_code="nyc", name="New York"))
    other = make_lead(email="someone@example.com")
    result = duplicates_find()
    assert result.groups == 1
    assert group_of(first) == group_of(second) is not None
    assert group_of(other) is None
    group = DuplicateGroup.objects.get()
    assert (group.size, group.first_lead_id) == (2, first.pk)


def test_same_phone_written_differently_is_one_group(make_lead):
    first = make_lead(phone="(415) 555-0199")
    second = make_lead(phone="415.555.0199")
    third = make_lead(phone="+1 415 555 0199")  # E.164 once normalised: one key
    make_lead(phone="415-555-0123")
    make_lead(phone="12-34")  # too short to identify anyone: never a key
    make_lead(phone="1234")
    duplicates_find()
    assert group_of(first) == group_of(second) == group_of(third) is not None
    assert DuplicateGroup.objects.count() == 1


def test_near_identical_titles_within_window_group(make_lead, settings):
    settings.LEAD_DUPLICATE_WINDOW_DAYS = 14
    first = make_lead(title="Vintage oak dining table with six chairs", days_ago=10)
    repost = make_lead(title="Vintage oak dining table with 6 chairs!", days_ago=1)
    unrelated = make_lead(title="Mountain bike, 21 speeds", days_ago=2)
    duplicates_find()
    assert group_of(first) == group_of(repost) is not None
    assert group_of(unrelated) is None


def test_near_identical_titles_outside_window_do_not_group(make_lead, settings):
    settings.LEAD_DUPLICATE_WINDOW_DAYS = 14
    old = make_lead(title="Vintage oak dining table with six chairs", days_ago=40)
    new = make_lead(title="Vintage oak dining table with six chairs", days_ago=1)
    duplicates_find()
    assert group_of(old) is None and group_of(new) is None
    settings.LEAD_DUPLICATE_WINDOW_DAYS = 60
    duplicates_find()
    assert group_of(old) == group_of(new) is not None


def test_titles_in_other_categories_do_not_group(make_lead):
    make_lead(title="Vintage oak dining table with six chairs")
    make_lead(title="Vintage oak dining table with six chairs", category=CategoryFactory(code="fuo", name="furniture"))
    duplicates_find()
    assert not DuplicateGroup.objects.exists()


def test_chains_join_and_recompute_keeps_group_ids(make_lead):
    a = make_lead(email="a@example.com", phone="4155550001")
    b = make_lead(email="a@example.com")
    c = make_lead(phone="415 555 0001")
    duplicates_find()
    group_id = group_of(a)
    assert group_of(b) == group_of(c) == group_id
    Lead.objects.filter(pk=c.pk).update(phone="")
    result = duplicates_find()
    assert (group_of(a), group_of(b), group_of(c)) == (group_id, group_id, None)
    assert result.groups_created == 0
    assert DuplicateGroup.objects.get().size == 2


def test_recompute_dissolves_groups_that_no_longer_match(make_lead):
    a = make_lead(email="a@example.com")
    b = make_lead(email="a@example.com")
    duplicates_find()
    Lead.objects.filter(pk=b.pk).update(email="b@example.com")
    result = duplicates_find()
    assert result.groups == 0 and result.groups_removed == 1
    assert group_of(a) is None and not DuplicateGroup.objects.exists()


def test_link_joins_new_leads_to_existing_group_and_merges_groups(make_lead):
    a = make_lead(email="a@example.com", days_ago=3)
    b = make_lead(email="a@example.com", days_ago=2)
    c = make_lead(phone="4155550002", days_ago=3)
    d = make_lead(phone="4155550002", days_ago=2)
    duplicates_find()
    first_group, second_group = group_of(a), group_of(c)
    assert first_group != second_group
    bridge = make_lead(email="A@example.com", phone="415-555-0002")
    assert duplicates_link(lead_ids=[bridge.pk]) == 2
    assert {group_of(x) for x in (a, b, c, d, bridge)} == {min(first_group, second_group)}
    group = DuplicateGroup.objects.get()
    assert (group.size, group.first_lead_id) == (5, a.pk)


def test_link_leaves_unmatched_leads_alone(make_lead):
    make_lead(email="a@example.com")
    lonely = make_lead(email="b@example.com")
    assert duplicates_link(lead_ids=[lonely.pk]) == 0
    assert not DuplicateGroup.objects.exists()


def test_portable_similarity_matches_pg_trgm_figures():
    # pg_trgm: similarity('word', 'two words') = 0.363636 (4 shared of 11 trigrams).
    assert round(trigram_similarity(trigrams("word"), trigrams("two words")), 6) == 0.363636
    assert trigram_similarity(trigrams("Oak table"), trigrams("oak TABLE!")) == 1.0


@pytest.mark.parametrize(
    "first, second",
    [
        ("Vintage oak dining table with six chairs", "Vintage oak dining table with 6 chairs!"),
        ("Honda Civic 2012, low miles", "2012 Honda civic - LOW MILES"),
        ("Queen mattress", "Mountain bike"),
    ],
)
def test_portable_similarity_equals_pg_trgm(first, second):
    """On PostgreSQL the grouping uses pg_trgm; the portable figure must be the same one."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("compares with PostgreSQL's pg_trgm")
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity(UPPER(%s), UPPER(%s))", [first, second])
        expected = cursor.fetchone()[0]
    assert trigram_similarity(trigrams(first), trigrams(second)) == pytest.approx(expected, abs=1e-6)


def test_same_title_with_another_description_is_another_post(make_lead):
    make_lead(title="Working car seat", description="Graco infant seat, clean, base included.")
    make_lead(title="Working car seat", description="Britax convertible, some wear on the straps, no box.")
    duplicates_find()
    assert not DuplicateGroup.objects.exists()


def test_link_merges_groups_once_when_two_new_leads_reach_the_same_group(make_lead):
    a, b = make_lead(email="a@example.com", days_ago=3), make_lead(email="a@example.com", days_ago=2)
    c = make_lead(email="c@example.com", phone="4155550001", days_ago=3)
    d = make_lead(email="c@example.com", phone="4155550002", days_ago=2)
    duplicates_find()
    first, second = group_of(a), group_of(c)
    assert group_of(d) == second != first
    bridge = make_lead(email="a@example.com", phone="415 555 0001")  # reaches both groups
    late = make_lead(phone="415-555-0002")  # reaches the second group only, through d
    duplicates_link(lead_ids=[late.pk, bridge.pk])
    assert {group_of(x) for x in (a, b, c, d, bridge, late)} == {min(first, second)}
    assert DuplicateGroup.objects.get().size == 6
