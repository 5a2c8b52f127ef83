"""Duplicate groups from matching pairs: the batch recompute and the incremental link.

`duplicates_find` recomputes every group (the `find_duplicates` command); `duplicates_link` joins
newly arrived leads to the groups of the leads they match (the `leads_arrived` receiver). Both keep
existing group ids where they can, so the duplicates page and merge records stay stable.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Count, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from leads.duplicates.matching import duplicate_pairs
from leads.duplicates.models import DuplicateGroup

BATCH = 1_000


@dataclass(frozen=True)
class GroupingResult:
    groups: int  # groups after the run
    grouped_leads: int  # leads in those groups
    groups_created: int
    groups_removed: int


def _components(pairs: Iterable[tuple[int, int]]) -> list[set[int]]:
    """Connected leads (union-find with path halving)."""
    parent: dict[int, int] = {}

    def root(item: int) -> int:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for first, second in pairs:
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    components: dict[int, set[int]] = {}
    for item in parent:
        components.setdefault(root(item), set()).add(item)
    return [members for members in components.values() if len(members) > 1]


def duplicates_find(*, on_progress: Callable[[str], None] | None = None) -> GroupingResult:
    """Recompute every duplicate group from scratch, keeping group ids where the members agree."""
    from leads.models import Lead

    say = on_progress or (lambda text: None)
    say("Matching contact keys and titles…")
    components = _components(duplicate_pairs())
    say(f"{len(components):,} groups found; saving…")
    with transaction.atomic():
        current = dict(Lead.objects.filter(duplicate_group__isnull=False).values_list("pk", "duplicate_group_id"))
        wanted: dict[int, int] = {}
        used: set[int] = set()
        fresh: list[set[int]] = []
        for members in sorted(components, key=min):
            votes = Counter(current[lead_id] for lead_id in members if lead_id in current)
            group_id = next((gid for gid, _ in votes.most_common() if gid not in used), None)
            if group_id is None:
                fresh.append(members)
                continue
            used.add(group_id)
            wanted.update(dict.fromkeys(members, group_id))
        # New groups in one INSERT per batch (a recompute of 1,000,000 leads makes tens of thousands).
        for group, members in zip(_new_groups(len(fresh)), fresh, strict=True):
            used.add(group.pk)
            wanted.update(dict.fromkeys(members, group.pk))
        created = len(fresh)
        changed = [
            Lead(pk=lead_id, duplicate_group_id=gid) for lead_id, gid in wanted.items() if current.get(lead_id) != gid
        ]
        Lead.objects.bulk_update(changed, ["duplicate_group"], batch_size=BATCH)
        alone = [lead_id for lead_id in current if lead_id not in wanted]
        for start in range(0, len(alone), BATCH):
            Lead.objects.filter(pk__in=alone[start : start + BATCH]).update(duplicate_group=None)
        removed, _ = DuplicateGroup.objects.filter(leads__isnull=True).delete()  # groups left empty
        groups_refresh(group_ids=used)
    return GroupingResult(groups=len(used), grouped_leads=len(wanted), groups_created=created, groups_removed=removed)


def duplicates_link(*, lead_ids: Sequence[int]) -> int:
    """Join these (newly arrived or changed) leads to the groups of the leads they match.

    Groups the matches join together become one (the oldest group keeps its id). Never splits a
    group: that is the batch recompute's job. Returns the number of groups touched.
    """
    from leads.models import Lead

    lead_ids = list(lead_ids)
    if not lead_ids:
        return 0
    pairs = list(duplicate_pairs(probe_ids=lead_ids))
    if not pairs:
        return 0
    with transaction.atomic():
        matched = {lead_id for pair in pairs for lead_id in pair}
        current = dict(
            Lead.objects.filter(pk__in=matched, duplicate_group__isnull=False).values_list("pk", "duplicate_group_id")
        )
        # A group joins the leads it holds (as node -id): matches that reach one group become one.
        components = _components([*pairs, *((lead_id, -group_id) for lead_id, group_id in current.items())])
        plans = [
            (sorted(-node for node in nodes if node < 0), {node for node in nodes if node > 0}) for nodes in components
        ]
        fresh = iter(_new_groups(sum(1 for groups, _ in plans if not groups)))
        moved_groups: dict[int, int] = {}  # group id -> the group it joins
        moved_leads: dict[int, int] = {}  # lead id -> its group
        touched: set[int] = set()
        for groups, members in plans:
            target = groups[0] if groups else next(fresh).pk
            moved_groups.update(dict.fromkeys(groups[1:], target))
            # Whole groups join: a lead already grouped brings its group's other leads along.
            moved_leads.update({lead_id: target for lead_id in members if current.get(lead_id) != target})
            touched.update(groups)
            touched.add(target)
        _regroup(moved_groups, moved_leads)
        groups_refresh(group_ids=touched)
    return len(touched)


def _new_groups(count: int) -> list[DuplicateGroup]:
    return DuplicateGroup.objects.bulk_create([DuplicateGroup() for _ in range(count)], batch_size=BATCH)


def _regroup(moved_groups: dict[int, int], moved_leads: dict[int, int]) -> None:
    """Move whole groups, then single leads, with one UPDATE per batch of each."""
    from leads.models import Lead

    groups = list(moved_groups.items())
    for start in range(0, len(groups), BATCH):
        chunk = dict(groups[start : start + BATCH])
        Lead.objects.filter(duplicate_group__in=chunk).update(
            duplicate_group=Case(*(When(duplicate_group=old, then=Value(new)) for old, new in chunk.items()))
        )
    Lead.objects.bulk_update(
        [Lead(pk=lead_id, duplicate_group_id=group_id) for lead_id, group_id in moved_leads.items()],
        ["duplicate_group"],
        batch_size=BATCH,
    )


def groups_refresh(*, group_ids: Iterable[int]) -> None:
    """Recount size, first lead and newest find of these groups; dissolve those left with one lead."""
    from leads.models import Lead

    ids = list(group_ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        leads = Lead.objects.filter(duplicate_group=OuterRef("pk")).order_by()
        DuplicateGroup.objects.filter(pk__in=chunk).update(
            size=Coalesce(Subquery(leads.values("duplicate_group").annotate(n=Count("pk")).values("n")), 0),
            first_lead=Subquery(leads.order_by("scraped_at", "pk").values("pk")[:1]),
            last_found_at=Subquery(leads.order_by("-scraped_at", "-pk").values("scraped_at")[:1]),
        )
        lonely = DuplicateGroup.objects.filter(pk__in=chunk, size__lt=2)
        Lead.objects.filter(duplicate_group__in=lonely).update(duplicate_group=None)
        lonely.delete()
