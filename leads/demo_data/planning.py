"""Plan the scrape runs: where and when each ran, how it ended, and how many leads it brought.

Leads are then generated run by run, so every count on a run matches the
leads linked to it (`leads_new`), and each lead's time falls inside its run.
"""

import datetime
import math
import random
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate

from leads.demo_data.content import CATEGORIES, RUN_ERRORS_FAILED, RUN_ERRORS_PARTIAL, SITES
from leads.models import ScrapeRunStatus

HISTORY_DAYS = 180
# Nothing is planned in the last hour, so every run has finished and every lead is in the past.
MIN_AGE = datetime.timedelta(hours=1)
RESULTS_PER_PAGE = 120  # Craigslist's search pages list 120 posts.
# Share of planned runs that were since deleted: their leads keep existing with no run (SET_NULL).
PRUNED_SHARE = 0.03
RECENT_BIAS = 1.3

SITE_CUM_WEIGHTS = tuple(accumulate(site.weight for site in SITES))
CATEGORY_CUM_WEIGHTS = tuple(accumulate(category.weight for category in CATEGORIES))


@dataclass
class RunPlan:
    site_index: int
    category_index: int
    started_at: datetime.datetime
    status: str
    weight: float
    pruned: bool = False
    finished_at: datetime.datetime | None = None
    pages_fetched: int = 0
    leads_new: int = 0
    leads_duplicate: int = 0
    error: str = ""

    @property
    def leads_found(self) -> int:
        return self.leads_new + self.leads_duplicate


def runs_plan(*, rng: random.Random, runs: int, leads: int, now: datetime.datetime) -> list[RunPlan]:
    """`runs` runs to store plus a few pruned ones, oldest first, sharing out exactly `leads` leads."""
    pruned = 0
    if leads:
        pruned = max(1, round(runs * PRUNED_SHARE)) if runs else max(1, leads // 100)
    # Stratified start times: every stretch of the history gets its share of runs, even when
    # there are few, so the newest runs are always recent.
    plans = [_run_skeleton(rng=rng, now=now, slot=(index + rng.random()) / runs) for index in range(runs)]
    plans += [_run_skeleton(rng=rng, now=now, slot=rng.random(), pruned=True) for _ in range(pruned)]
    _share_leads(plans, leads)
    for plan in plans:
        _finish(plan, rng=rng, now=now)
    plans.sort(key=lambda plan: plan.started_at)
    return plans


def _run_skeleton(*, rng: random.Random, now: datetime.datetime, slot: float, pruned: bool = False) -> RunPlan:
    site_index = weighted_index(rng, SITE_CUM_WEIGHTS)
    category_index = weighted_index(rng, CATEGORY_CUM_WEIGHTS)
    # slot is uniform in [0, 1); the power makes recent days busier: the business is growing.
    age = MIN_AGE + datetime.timedelta(days=HISTORY_DAYS) * slot**RECENT_BIAS
    roll = rng.random()
    if pruned or roll < 0.84:
        status, weight = ScrapeRunStatus.SUCCESS, rng.uniform(0.4, 1.6)
    elif roll < 0.93:
        status, weight = ScrapeRunStatus.PARTIAL, rng.uniform(0.15, 0.7)
    else:
        status, weight = ScrapeRunStatus.FAILED, 0.0
    return RunPlan(site_index, category_index, now - age, status, weight, pruned=pruned)


def _share_leads(plans: list[RunPlan], leads: int) -> None:
    """Largest-remainder split of `leads` by run weight: exact total, no randomness needed."""
    total_weight = sum(plan.weight for plan in plans)
    if not leads or not total_weight:
        return
    shares = [leads * plan.weight / total_weight for plan in plans]
    for plan, share in zip(plans, shares, strict=True):
        plan.leads_new = int(share)
    remainder = leads - sum(plan.leads_new for plan in plans)
    by_fraction = sorted(range(len(plans)), key=lambda index: shares[index] - int(shares[index]), reverse=True)
    for index in by_fraction[:remainder]:
        plans[index].leads_new += 1


def _finish(plan: RunPlan, *, rng: random.Random, now: datetime.datetime) -> None:
    site, category = SITES[plan.site_index], CATEGORIES[plan.category_index]
    if plan.status == ScrapeRunStatus.FAILED:
        plan.pages_fetched = rng.choice((0, 0, 1))
        seconds = rng.uniform(1.5, 35.0)
        plan.error = rng.choice(RUN_ERRORS_FAILED).format(site=site.site_code, code=category.code)
    else:
        # Re-scrapes see posts they already know; those count as duplicates, not new leads.
        plan.leads_duplicate = rng.randint(0, plan.leads_new // 3 + 2)
        plan.pages_fetched = max(1, math.ceil(plan.leads_found / RESULTS_PER_PAGE))
        seconds = rng.uniform(4.0, 20.0) + plan.pages_fetched * rng.uniform(2.5, 7.0) + plan.leads_new * 0.05
        if plan.status == ScrapeRunStatus.PARTIAL:
            plan.error = rng.choice(RUN_ERRORS_PARTIAL).format(page=plan.pages_fetched + 1, skipped=rng.randint(1, 12))
    # A run planned with a huge share of leads must still have finished a few minutes ago.
    seconds = min(seconds, (now - plan.started_at).total_seconds() - 300)
    plan.finished_at = plan.started_at + datetime.timedelta(seconds=round(seconds, 3))


def weighted_index(rng: random.Random, cum_weights: tuple[float, ...]) -> int:
    """Like `rng.choices(range(n), cum_weights=...)[0]`, but several times faster."""
    return bisect(cum_weights, rng.random() * cum_weights[-1])
