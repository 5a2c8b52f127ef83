"""Normalising the contacts of stored leads in batches (`manage.py normalise_contacts`).

Leads are read in primary-key order, a batch of ids at a time by keyset on the primary key (memory
does not grow with the table, and no batch costs more than the one before: the read never filters on
`contact_quality` in SQL, which could make PostgreSQL sort every unchecked lead per batch). Their
contact fields are derived as the import derives them (`leads.contact_fields.lead_contact_values`,
from what the post gave: `*_as_posted`, or the field itself where that is empty), compared with what
is stored, and only the leads that differ are written back: one UPDATE per batch, each batch in its
own transaction. A lead already normalised costs a read, never a write. `updated_at` is left alone:
nothing a person sees as a change happened.

By default only leads not checked yet (contact quality "pending": stored before normalisation, or by
a path that does not normalise) are handled, between the first and the last such id found at the
start, so a run that stopped is resumed by running it again. `recheck_all` reads every lead after
`after_id` (each batch reports the last id it read).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Max, Min

from leads.contact_fields import CONTACT_STATE_FIELDS, lead_contact_values, location_regions, posted_contacts
from leads.contact_normalisation import DEFAULT_REGION
from leads.importing.suppression_hook import KEY_FIELDS, state_keys_set
from leads.models import ContactQuality, Lead

DEFAULT_BATCH_SIZE = 2_000
# The keys follow the normalised values: a phone read in its site's country now may hash apart
# from the raw text hashed before, and the do-not-contact list and duplicates match on the keys.
_WRITTEN = (*CONTACT_STATE_FIELDS, *KEY_FIELDS)
_READ = ("id", "location_id", "title", "description", *_WRITTEN)


@dataclass
class BackfillProgress:
    total: int  # leads to read, counted at the start
    done: int = 0  # leads read so far
    changed: int = 0  # leads whose contact fields were rewritten
    last_id: int = 0  # the last lead id read: `after_id` to resume a `recheck_all` run


def leads_contacts_normalise(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    recheck_all: bool = False,
    after_id: int = 0,
    on_batch: Callable[[BackfillProgress], None] | None = None,
) -> BackfillProgress:
    """Normalise the contacts of stored leads; `on_batch` is called after each committed batch."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    leads = Lead.objects.order_by("id")
    if recheck_all:
        progress = BackfillProgress(total=leads.filter(id__gt=after_id).count(), last_id=after_id)
        stop = None
    else:
        pending = leads.filter(id__gt=after_id, contact_quality=ContactQuality.PENDING).aggregate(
            total=Count("id"), first=Min("id"), last=Max("id")
        )
        progress = BackfillProgress(total=pending["total"], last_id=after_id)
        if not pending["total"]:
            return progress
        start, stop = pending["first"] - 1, pending["last"]
    regions = location_regions()
    next_id = progress.last_id if recheck_all else start
    while stop is None or next_id < stop:
        with transaction.atomic():
            rows = leads.filter(id__gt=next_id)
            if stop is not None:
                rows = rows.filter(id__lte=stop)
            batch = list(rows.values(*_READ)[:batch_size])
            if not batch:
                break
            if not recheck_all:
                batch_end = batch[-1]["id"]
                batch = [lead for lead in batch if lead["contact_quality"] == ContactQuality.PENDING]
            changes = [(lead["id"], values) for lead in batch if (values := _changed(lead, regions))]
            _write(changes)
        next_id = batch_end if not recheck_all else batch[-1]["id"]
        progress.done += len(batch)
        progress.changed += len(changes)
        progress.last_id = next_id
        if on_batch is not None and batch:
            on_batch(progress)
    return progress


def _changed(lead: dict, regions: dict[int, str]) -> dict | None:
    """The lead's derived contact fields when any differs from what is stored, else None.

    The row is written whole (its six contact fields): PostgreSQL writes a new row version with new
    entries in every index whichever columns a SET names, so naming fewer columns saves nothing, and
    one column list keeps the batch a single statement.
    """
    values = _derived(lead, regions)
    return values if any(lead[name] != value for name, value in values.items()) else None


def _derived(lead: dict, regions: dict[int, str]) -> dict:
    email, phone = posted_contacts(lead)
    values = lead_contact_values(
        email=email,
        phone=phone,
        title=lead["title"],
        description=lead["description"],
        region=regions.get(lead["location_id"], DEFAULT_REGION),
    )
    values.update({name: lead[name] for name in KEY_FIELDS})  # no contact value: the key stays
    state_keys_set(values)
    return values


def _write(changes: list[tuple[int, dict]]) -> None:
    if not changes:
        return
    table = connection.ops.quote_name(Lead._meta.db_table)
    columns = [connection.ops.quote_name(Lead._meta.get_field(name).column) for name in _WRITTEN]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement for the batch, one array per column.
            types = [Lead._meta.get_field(name).db_type(connection) for name in _WRITTEN]
            arrays = ", ".join(f"%s::{kind}[]" for kind in (Lead._meta.pk.rel_db_type(connection), *types))
            cursor.execute(
                f"UPDATE {table} SET {', '.join(f'{column} = new.{column}' for column in columns)} "
                f"FROM unnest({arrays}) AS new(id, {', '.join(columns)}) WHERE {table}.id = new.id",
                [[pk for pk, _ in changes], *([new[name] for _, new in changes] for name in _WRITTEN)],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET {', '.join(f'{column} = %s' for column in columns)} WHERE id = %s",
                [[*(values[name] for name in _WRITTEN), pk] for pk, values in changes],
            )
