"""Turn planned scrape runs into lead rows: plausible Craigslist posts, one tuple per lead.

Rows are plain tuples in `LEAD_FIELDS` order so the loader can stream them
with COPY or executemany without building model instances. This is the hot
loop of a million-lead seed, hence the precomputed tables and the manual
weighted picks.
"""

import datetime
import math
import random
import re
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from leads.contact_fields import lead_contact_values
from leads.contact_keys import email_key, phone_key
from leads.demo_data.content import (
    CATEGORIES,
    FIRST_NAMES,
    LAST_NAMES,
    PERSONAL_MAIL_DOMAINS,
    SITES,
    CategoryContent,
    PriceRule,
    Site,
)
from leads.demo_data.planning import RunPlan, weighted_index
from leads.models import LeadStatus

LEAD_FIELDS: tuple[str, ...] = (
    "location",
    "category",
    "source_post_id",
    "url",
    "title",
    "description",
    "price",
    "status",
    "contact_name",
    "email",
    "phone",
    "email_as_posted",
    "phone_as_posted",
    "contact_quality",
    "contact_extracted",
    "posted_at",
    "scraped_at",
    "updated_at",
    "scrape_run",
    "email_key",
    "phone_key",
)

# Reposts (leads.duplicates): this share of posts repeats a recent post of the same category, its
# title, description, price and contact (with the contact's do-not-contact keys, which derive from
# it), usually from another site; REPOST_MEMORY recent posts per category are candidates.
REPOST_SHARE = 0.03
REPOST_MEMORY = 40
_REPOSTED = tuple(
    LEAD_FIELDS.index(name)
    for name in (
        "title",
        "description",
        "price",
        "contact_name",
        "email",
        "phone",
        "email_as_posted",
        "phone_as_posted",
        "contact_quality",
        "contact_extracted",
        "email_key",
        "phone_key",
    )
)

# Craigslist post ids are ten digits and grow over time.
FIRST_POST_ID = 7_600_000_000
POST_ID_STRIDE = 7

# Fresh leads are mostly untouched; older ones have been worked by the sales team.
_FRESH_DAYS = 2
_FRESH_STATUSES = (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.REJECTED)
_FRESH_CUM = tuple(accumulate((0.9, 0.07, 0.03)))
_WORKED_STATUSES = (
    LeadStatus.NEW,
    LeadStatus.CONTACTED,
    LeadStatus.QUALIFIED,
    LeadStatus.CONVERTED,
    LeadStatus.REJECTED,
)
_WORKED_CUM = tuple(accumulate((0.46, 0.22, 0.12, 0.06, 0.14)))

_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_MAX_POSTED_BEFORE = 30 * 24 * 3600.0


@dataclass(frozen=True)
class _CategoryTables:
    content: CategoryContent
    patterns_with_price: tuple[str, ...]
    patterns_without_price: tuple[str, ...]
    log_low: float
    log_high: float


def _tables(content: CategoryContent) -> _CategoryTables:
    without = tuple(pattern for pattern in content.title_patterns if "{price}" not in pattern)
    rule = content.price
    return _CategoryTables(
        content=content,
        patterns_with_price=content.title_patterns,
        patterns_without_price=without or content.title_patterns,
        log_low=math.log(rule.low) if rule and rule.low > 0 else 0.0,
        log_high=math.log(rule.high) if rule and rule.high > 0 else 0.0,
    )


_CATEGORY_TABLES = tuple(_tables(content) for content in CATEGORIES)


def lead_rows(
    *,
    rng: random.Random,
    plans: Sequence[RunPlan],
    location_ids: Sequence[int],
    category_ids: Sequence[int],
    run_ids: Sequence[int | None],
    now: datetime.datetime,
    first_post_index: int = 0,
    repost_rng: random.Random | None = None,
) -> Iterator[tuple]:
    """One row per planned lead, run after run, each lead found during its run.

    `location_ids`/`category_ids` are indexed like `SITES`/`CATEGORIES`,
    `run_ids` like `plans` (None for a pruned run). Post ids start after
    `first_post_index` so a second seed never collides with the first. With `repost_rng` (its own
    stream, so the other posts stay as they were), REPOST_SHARE of the posts are reposts.
    """
    post_index = first_post_index
    recent: dict[int, deque] = {}
    for plan, run_id in zip(plans, run_ids, strict=True):
        count = plan.leads_new
        if not count:
            continue
        site = SITES[plan.site_index]
        tables = _CATEGORY_TABLES[plan.category_index]
        location_id = location_ids[plan.site_index]
        category_id = category_ids[plan.category_index]
        span = (plan.finished_at - plan.started_at).total_seconds()
        for position in range(count):
            scraped_at = plan.started_at + datetime.timedelta(seconds=span * (position + rng.random()) / count)
            post_id = str(FIRST_POST_ID + post_index * POST_ID_STRIDE + int(rng.random() * POST_ID_STRIDE))
            post_index += 1
            row = _lead_row(
                rng=rng,
                site=site,
                tables=tables,
                location_id=location_id,
                category_id=category_id,
                run_id=run_id,
                post_id=post_id,
                scraped_at=scraped_at,
                now=now,
            )
            if repost_rng is not None:
                row = _maybe_repost(
                    repost_rng, row, recent.setdefault(plan.category_index, deque(maxlen=REPOST_MEMORY))
                )
            yield row


def _lead_row(
    *,
    rng: random.Random,
    site: Site,
    tables: _CategoryTables,
    location_id: int,
    category_id: int,
    run_id: int | None,
    post_id: str,
    scraped_at: datetime.datetime,
    now: datetime.datetime,
) -> tuple:
    content = tables.content
    price = _price(rng, content.price, tables, site.price_factor)
    item = _pick(rng, content.items)
    adjective = _pick(rng, content.adjectives)
    extra = _pick(rng, content.extras)
    words = {
        "item": item,
        "item_lower": item[0].lower() + item[1:],
        "adj": adjective,
        "adj_lower": adjective.lower(),
        "extra": extra,
        "site": site.name,
        "price": f"${price:,}" if price is not None else "",
        "miles": f"{(12 + int(rng.random() * 228)) * 1000:,}",
    }
    patterns = tables.patterns_with_price if price is not None else tables.patterns_without_price
    title = _pick(rng, patterns).format_map(words)
    opener = _pick(rng, content.openers).format_map(words)
    description = " ".join(
        (
            opener[0].upper() + opener[1:],
            *_some(rng, content.details),
            _pick(rng, content.closers),
        )
    )
    slug = _SLUG_JUNK.sub("-", f"{site.site_code} {title}".lower()).strip("-")[:60].rstrip("-")
    url = f"https://{site.site_code}.craigslist.org/{content.code}/d/{slug}/{post_id}.html"

    age_days = (now - scraped_at).total_seconds() / 86400
    if age_days < _FRESH_DAYS:
        status = _FRESH_STATUSES[weighted_index(rng, _FRESH_CUM)]
    else:
        status = _WORKED_STATUSES[weighted_index(rng, _WORKED_CUM)]
    contact_name, email, phone = _contact(rng, content, site)
    # Stored as the import would store them: normalised, with what the post said (leads.contact_fields).
    contacts = lead_contact_values(email=email, phone=phone, title=title, description=description, region="US")
    posted_at = scraped_at - datetime.timedelta(seconds=min(60 + rng.expovariate(1 / 86400), _MAX_POSTED_BEFORE))
    if status == LeadStatus.NEW:
        updated_at = scraped_at
    else:
        worked_after = rng.uniform(0.02, min(age_days, 21.0)) * 86400
        updated_at = scraped_at + datetime.timedelta(seconds=worked_after)
    return (
        location_id,
        category_id,
        post_id,
        url,
        title,
        description,
        price,
        status.value,
        contact_name,
        contacts["email"],
        contacts["phone"],
        contacts["email_as_posted"],
        contacts["phone_as_posted"],
        contacts["contact_quality"],
        contacts["contact_extracted"],
        posted_at,
        scraped_at,
        updated_at,
        run_id,
        # The do-not-contact list's keys of the stored (normalised) contacts (leads.contact_keys).
        email_key(contacts["email"], normalised=True),
        phone_key(contacts["phone"], normalised=True),
    )


def _maybe_repost(rng: random.Random, row: tuple, recent: deque) -> tuple:
    """The row, or (REPOST_SHARE of the time) the row carrying a recent post's content and contact."""
    if recent and rng.random() < REPOST_SHARE:
        original = recent[int(rng.random() * len(recent))]
        row = list(row)
        for index in _REPOSTED:
            row[index] = original[index]
        return tuple(row)
    recent.append(row)
    return row


def _pick(rng: random.Random, items: Sequence):
    """`rng.choice(items)`, several times faster; this loop runs a dozen picks per lead."""
    return items[int(rng.random() * len(items))]


def _some(rng: random.Random, items: Sequence) -> list:
    """One to three different items, in a random rotation of their order."""
    start, count = int(rng.random() * len(items)), min(1 + int(rng.random() * 3), len(items))
    return [items[(start + offset) % len(items)] for offset in range(count)]


def _price(rng: random.Random, rule: PriceRule | None, tables: _CategoryTables, site_factor: float) -> Decimal | None:
    if rule is None or rng.random() < rule.empty_share:
        return None
    if rule.high <= 0:
        return Decimal(0)
    amount = math.exp(rng.uniform(tables.log_low, tables.log_high))
    if rule.scales_with_site:
        amount *= site_factor
    return Decimal(max(rule.round_to, round(amount / rule.round_to) * rule.round_to))


def _contact(rng: random.Random, content: CategoryContent, site: Site) -> tuple[str, str, str]:
    """(name, e-mail, phone): about a third of posts show none, some show both."""
    if rng.random() >= content.contact_share:
        # Reply-through-Craigslist posts, sometimes signed with a first name.
        return (_pick(rng, FIRST_NAMES) if rng.random() < 0.1 else "", "", "")
    first, last = _pick(rng, FIRST_NAMES), _pick(rng, LAST_NAMES)
    name = f"{first} {last}" if rng.random() < 0.85 else ""
    kind = rng.random()
    email = phone = ""
    if kind < 0.75:  # e-mail only (0-0.4) or both (0.4-0.75)
        if rng.random() < 0.65:
            email = f"{rng.getrandbits(128):032x}@{content.relay}.craigslist.org"
        else:
            email = f"{first[0].lower()}{last.lower()}{1 + int(rng.random() * 99)}@{_pick(rng, PERSONAL_MAIL_DOMAINS)}"
    if kind >= 0.4:  # both (0.4-0.75) or phone only (0.75-1)
        area, line = _pick(rng, site.area_codes), int(rng.random() * 100)
        phone = _pick(rng, (f"({area}) 555-01{line:02d}", f"{area}-555-01{line:02d}", f"{area}.555.01{line:02d}"))
    return name, email, phone
