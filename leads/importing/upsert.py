"""The one bulk write path for leads: rows in, per-row outcomes out, set-based per batch.

`leads_upsert` serves file imports (admin, command line, background) and the scraper ingest: it takes
any iterable of row mappings (field name -> cell, see `leads.importing.fields`), cleans each row
(`leads.importing.cleaning`), and per batch looks up the existing leads in one query and writes the
new and changed ones in one `INSERT ... ON CONFLICT (location, source_post_id) DO UPDATE`.

Which lead a row is (dedupe): the pair location + source_post_id, as for the scraper (the model's
unique constraint). A row whose pair matches a lead updates it; any other row adds one. `id` is
optional and only a check: when given, it must be the id of the lead the pair names, so a file from
another database cannot update the wrong leads and an import never moves a lead. A pair repeated in
one batch is applied in order: the later row updates what the earlier one wrote. A field the row does
not give is left as it is; a new lead needs a title and a category.

After each batch is committed, `leads.signals.leads_arrived` is sent (from `batch_write`, through
`transaction.on_commit`) with the ids it created and updated and its `source` ("import" or "ingest");
a batch rolled back (an all-or-nothing import that failed) sends nothing.

The function does not decide all-or-nothing: each batch is written in its own savepoint, rejected rows
are simply not written. Callers wanting all-or-nothing (file imports) run it in a transaction and roll
back when any row is rejected (see `leads.importing.files`).
"""

import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice

from django.db import DatabaseError, transaction

from leads.contact_fields import contacts_settle, location_regions
from leads.importing import conf
from leads.importing.cleaning import DEFERRED_CHECKS, RowCleaner
from leads.importing.fields import NEW_LEAD_FIELDS, STORED_VALUE_FIELDS
from leads.importing.matching import pairs_matching
from leads.importing.row_state import Outcome, RowOutcome, identity_errors, merged_state
from leads.importing.suppression_hook import (
    KEY_FIELDS,
    contacts_came_in,
    exported_blanks_dropped,
    flagged_pairs,
    state_keys_set,
    states_suppression_settle,
)
from leads.importing.writing import lead_rows_write
from leads.models import Lead
from leads.signals import leads_arrived

logger = logging.getLogger("leads.imports")

# The lead's stored values an import compares and writes (scrape_run and updated_at are the site's own).
_STORED = ("id", "location_id", "category_id", "source_post_id", *STORED_VALUE_FIELDS, *KEY_FIELDS, "updated_at")
DATABASE_REFUSED = "the database refused this batch of rows; nothing of it was saved"


@dataclass(slots=True)
class CleanRow:
    """One row after cleaning (picklable: a file import keeps them on disk between its two passes)."""

    number: int
    values: dict
    errors: dict
    key: tuple | None = None
    outcome: Outcome = Outcome.REJECTED
    state: dict | None = None


@dataclass
class BatchPlan:
    """What one batch of rows does: each row's outcome, and the inserts and updates that carry it out.

    `snapshot` is (id, updated_at) of every stored lead the batch matched when it was planned: a
    plan whose snapshot still holds can be written later without matching the rows again.
    """

    rows: list[CleanRow]
    snapshot: dict[tuple, tuple]
    creates: list[dict] = field(default_factory=list)  # full states of new leads
    updates: list[tuple[int, dict]] = field(default_factory=list)  # (lead id, changed fields)

    def keys(self) -> set[tuple]:
        return {row.key for row in self.rows if row.key is not None}

    def outcomes(self) -> list[RowOutcome]:
        new_ids = {(state["location_id"], state["source_post_id"]): state.get("id") for state in self.creates}
        return [
            RowOutcome(
                number=row.number,
                outcome=row.outcome,
                errors=row.errors,
                lead_id=None if row.state is None else row.state.get("id") or new_ids.get(row.key),
            )
            for row in self.rows
        ]

    def to_spool(self) -> tuple:
        """Plain tuples (quick to pickle) of what writing the plan later needs."""
        rows = [
            (row.number, row.values, row.errors, row.outcome.value, None if row.state is None else row.state.get("id"))
            for row in self.rows
        ]
        return rows, self.snapshot, self.creates, self.updates

    @classmethod
    def from_spool(cls, spooled: tuple) -> "BatchPlan":
        rows, snapshot, creates, updates = spooled
        plan = cls(rows=[], snapshot=snapshot, creates=creates, updates=updates)
        for number, values, errors, outcome, lead_id in rows:
            row = CleanRow(number=number, values=values, errors=errors, outcome=Outcome(outcome))
            row.key = None if errors else (values["location"], values["source_post_id"])
            row.state = None if row.outcome == Outcome.REJECTED else {"id": lead_id}
            plan.rows.append(row)
        return plan


def leads_upsert(
    *,
    rows: Iterable[Mapping[str, object]],
    write: bool = True,
    batch_size: int = conf.BATCH_SIZE,
    first_number: int = 1,
    cleaner: RowCleaner | None = None,
    source: str = "import",
    created_values: Mapping[str, object] | None = None,
) -> Iterator[RowOutcome]:
    """Clean, match and (when `write`) save `rows`; yields one RowOutcome per row, in order.

    Rows are numbered from `first_number`. With `write=False` nothing is saved and the outcomes
    say what saving would do (a pair repeated across batches is then compared with the stored lead,
    not with the earlier row). A batch the database refuses (a constraint broken meanwhile) is rolled
    back to its savepoint and its valid rows are rejected with a sentence; the details are logged.
    `source` goes with the `leads_arrived` signal; `created_values` (e.g. {"scrape_run_id": 7}) are
    set on the leads a batch creates, never on the ones it updates.
    """
    cleaner = cleaner or RowCleaner()
    numbered = enumerate(rows, start=first_number)
    while batch := list(islice(numbered, batch_size)):
        rows_batch = rows_clean(batch, cleaner=cleaner)
        # Writing locks the batch's leads from the read to the write; a check takes no lock at all.
        # (No savepoint inside a caller's transaction: batch_write has its own for a refused batch.)
        with transaction.atomic(savepoint=False) if write else nullcontext():
            plan = batch_plan(rows_batch, lock=write)
            if write:
                for state in plan.creates:
                    state.update(created_values or {})
                batch_write(plan, source=source)
        yield from plan.outcomes()


def rows_clean(batch: Iterable[tuple[int, Mapping]], *, cleaner: RowCleaner) -> list[CleanRow]:
    """Clean numbered rows; the result is planned now or later (`batch_plan`)."""
    rows = []
    for number, mapping in batch:
        values, errors = cleaner.clean(mapping)
        rows.append(CleanRow(number=number, values=values, errors=errors))
    return rows


def batch_plan(rows: list[CleanRow], *, lock: bool) -> BatchPlan:
    """Match cleaned rows with the stored leads (locked when `lock`, inside a transaction) and plan the writes."""
    for row in rows:
        row.outcome, row.state = Outcome.REJECTED, None
        row.key = None if row.errors else (row.values["location"], row.values["source_post_id"])
    stored = _stored_leads({row.key for row in rows if row.key}, lock=lock)
    dirty = _apply(rows, stored=stored, named=_named_leads(rows, stored))
    plan = BatchPlan(rows=rows, snapshot={key: (lead["id"], lead["updated_at"]) for key, lead in stored.items()})
    for key, state in dirty.items():
        before = stored.get(key)
        if before is None:
            plan.creates.append(state)
        else:
            changes = {name: value for name, value in state.items() if before[name] != value}
            plan.updates.append((before["id"], changes))
    return plan


def batch_snapshot(keys: set[tuple]) -> dict[tuple, tuple]:
    """(id, updated_at) of the stored leads among `keys`, locked until the transaction ends."""
    if not keys:
        return {}
    found = (
        pairs_matching(keys)
        .order_by()
        .select_for_update()
        .values_list("location_id", "source_post_id", "id", "updated_at")
    )
    return {(location, post): (pk, updated) for location, post, pk, updated in found}


def batch_write(plan: BatchPlan, *, source: str = "import") -> None:
    """Write a plan in a savepoint; a refusal rejects the batch's rows (the database's words go to the log).

    Once the transaction commits, `leads_arrived` announces what the batch created and changed.
    """
    if not plan.creates and not plan.updates:
        return
    try:
        with transaction.atomic():
            lead_rows_write(creates=plan.creates, updates=plan.updates)
    except DatabaseError as error:
        # The raw error may quote row values: it goes to the log, never to the person importing.
        logger.warning("lead batch refused rows=%s-%s error=%r", plan.rows[0].number, plan.rows[-1].number, error)
        for row in plan.rows:
            if row.outcome != Outcome.REJECTED:
                row.outcome, row.errors, row.state = Outcome.REJECTED, {"": [DATABASE_REFUSED]}, None
        plan.creates, plan.updates = [], []
        return
    created_ids = [state["id"] for state in plan.creates]
    updated_ids = [pk for pk, _ in plan.updates]

    def announce() -> None:
        leads_arrived.send(sender=Lead, created_ids=created_ids, updated_ids=updated_ids, source=source)

    transaction.on_commit(announce)


def _stored_leads(keys: set[tuple], *, lock: bool) -> dict[tuple, dict]:
    if not keys:
        return {}
    queryset = pairs_matching(keys).order_by()
    if lock:
        queryset = queryset.select_for_update()  # no concurrent edit between this read and the write
    return {(values["location_id"], values["source_post_id"]): values for values in queryset.values(*_STORED)}


def _named_leads(rows: list[CleanRow], stored: dict[tuple, dict]) -> dict[int, dict]:
    """The leads named by id in rows whose pair is not a stored lead (for the error message)."""
    ids = {row.values["id"] for row in rows if row.key and row.values.get("id") and row.key not in stored}
    if not ids:
        return {}
    leads = Lead.objects.filter(pk__in=ids).values("id", "source_post_id", "location__site_code")
    return {lead["id"]: lead for lead in leads}


def _apply(rows: list[CleanRow], *, stored: dict[tuple, dict], named: dict[int, dict]) -> dict[tuple, dict]:
    """Decide each row's outcome in order; returns the new state of every pair to write."""
    current: dict[tuple, dict] = {}
    dirty: dict[tuple, dict] = {}
    regions = location_regions() if any(row.key for row in rows) else {}
    flagged = flagged_pairs(stored)
    settled: list[tuple[CleanRow, dict | None]] = []
    for row in rows:
        if row.key is None:
            continue
        before = current.get(row.key) or stored.get(row.key)
        errors = identity_errors(row, before=before, named=named)
        if before is None:
            for name in NEW_LEAD_FIELDS:
                if name not in row.values:
                    errors.setdefault(name, []).append(f"a new lead needs a {name}")
        for name, check in DEFERRED_CHECKS.items():
            value = row.values.get(name)
            if value and (before is None or before[name] != value) and (message := check(value)) is not None:
                errors.setdefault(name, []).append(message)
        if errors:
            row.errors = errors
            continue
        given = exported_blanks_dropped(row.values) if row.key in flagged else row.values
        after = merged_state(before, given)
        contacts_settle(after, before=before, given=given, region=regions.get(after["location_id"]))
        state_keys_set(after)
        settled.append((row, before))
        if before is None:
            row.outcome = Outcome.CREATED
        else:
            row.outcome = Outcome.UNCHANGED if after == before else Outcome.UPDATED
        row.state = after
        current[row.key] = after
        if after != stored.get(row.key):
            dirty[row.key] = after
        else:  # a pair repeated in the batch came back to what is stored: nothing to write
            dirty.pop(row.key, None)
    _suppression_settle(settled, stored=stored, dirty=dirty)
    return dirty


def _suppression_settle(settled: list, *, stored: dict, dirty: dict) -> None:
    """The do-not-contact list: suppressed people's contact data is dropped, outcomes decided again."""
    incoming = [row.state for row, before in settled if contacts_came_in(row.state, before=before)]
    dropped = {id(state) for state in states_suppression_settle(incoming)}
    for row, before in settled:
        if id(row.state) not in dropped:
            continue
        if before is not None:
            row.outcome = Outcome.UNCHANGED if row.state == before else Outcome.UPDATED
        if row.state == stored.get(row.key):
            dirty.pop(row.key, None)
