"""Rollups of other apps that follow the lead rollups' refresh (e.g. outreach's message rollups).

A follower's figures are sliced by lead dimensions (found day, location, category, status,
contact availability), so a lead change must reach them too. Rather than a second trigger
on the lead table (which every bulk lead write would pay for), followers reuse the dirty
marks the lead triggers already write: the lead refresh hands each follower the ranges it
recomputed, in the same transaction and under the same lock. A follower whose own rows
change (messages) marks the lead keys of those rows in the same dirty table.

A follower is registered once, from its app's ready(), and offers:
    prepare() -> None                   turn its own marks into the lead dirty keys (first in
                                        every refresh, so `rebuild_rollups --changed` sees them)
    rebuild() -> int                    recompute everything; the rows written
    refresh(ranges) -> int              recompute these (location id, category id,
                                        first local day, last local day) ranges; the rows written
"""

from typing import Protocol

Range = tuple[int, int, "datetime.date", "datetime.date"]  # noqa: F821  (a string: no import needed)


class RollupFollower(Protocol):
    name: str

    def prepare(self) -> None: ...

    def rebuild(self) -> int: ...

    def refresh(self, ranges: list[Range]) -> int: ...


_FOLLOWERS: dict[str, RollupFollower] = {}


def rollup_follower_register(follower: RollupFollower) -> None:
    """Refresh and rebuild `follower` with the lead rollups (idempotent: keyed by its name)."""
    _FOLLOWERS[follower.name] = follower


def rollup_followers() -> list[RollupFollower]:
    return list(_FOLLOWERS.values())
