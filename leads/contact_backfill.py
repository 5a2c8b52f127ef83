"""Normalising the contacts of stored leads in batches (`manage.py normalise_contacts`).

Leads are read in primary-key order, a batch at a time (memory does not grow with the table), their
contact fields derived as the import derives them (`leads.contact_fields.lead_contact_values`, from
what the post gave: `*_as_posted`, or the field itself where that is empty) and written back with
one UPDATE per batch, each batch in its own transaction. `updated_at` is left alone: nothing a
person sees as a change happened.

By default only leads not checked yet (contact quality "pending": stored before normalisation, or by
a path that does not normalise) are read, so a run that stopped is resumed by running it again.
`recheck_all` reads every lead after `after_id` (each batch reports the last id it wrote).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from leads.contact_fields import CONTACT_STATE_FIELDS, lead_contact_values, location_regions, posted_contacts
from leads.contact_normalisation import DEFAULT_REGION
from leads.models import ContactQuality, Lead

DEFAULT_BATCH_SIZE = 2_000
_READ = ("id", "location_id", "title", "description", *CONTACT_STATE_FIELDS)


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
    leads = Lead.objects.order_by("id").filter(id__gt=after_id)
    if not recheck_all:
        leads = leads.filter(contact_quality=ContactQuality.PENDING)
    progress = BackfillProgress(total=leads.count(), last_id=after_id)
    regions = location_regions()
    while True:
        with transaction.atomic():
            batch = list(leads.filter(id__gt=progress.last_id).values(*_READ)[:batch_size])
            if not batch:
                break
            changes = [
                (lead["id"], values)
                for lead in batch
                if (values := _derived(lead, regions)) != {name: lead[name] for name in CONTACT_STATE_FIELDS}
            ]
            _write(changes)
        progress.done += len(batch)
        progress.changed += len(changes)
        progress.last_id = batch[-1]["id"]
        if on_batch is not None:
            on_batch(progress)
    return progress


def _derived(lead: dict, regions: dict[int, str]) -> dict:
    email, phone = posted_contacts(lead)
    return lead_contact_values(
        email=email,
        phone=phone,
        title=lead["title"],
        description=lead["description"],
        region=regions.get(lead["location_id"], DEFAULT_REGION),
    )


def _write(changes: list[tuple[int, dict]]) -> None:
    if not changes:
        return
    table = connection.ops.quote_name(Lead._meta.db_table)
    columns = [connection.ops.quote_name(Lead._meta.get_field(name).column) for name in CONTACT_STATE_FIELDS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement for the batch, one array per column.
            types = [Lead._meta.get_field(name).db_type(connection) for name in CONTACT_STATE_FIELDS]
            arrays = ", ".join(f"%s::{kind}[]" for kind in (Lead._meta.pk.rel_db_type(connection), *types))
            cursor.execute(
                f"UPDATE {table} SET {', '.join(f'{column} = new.{column}' for column in columns)} "
                f"FROM unnest({arrays}) AS new(id, {', '.join(columns)}) WHERE {table}.id = new.id",
                [[pk for pk, _ in changes], *([new[name] for _, new in changes] for name in CONTACT_STATE_FIELDS)],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET {', '.join(f'{column} = %s' for column in columns)} WHERE id = %s",
                [[*(values[name] for name in CONTACT_STATE_FIELDS), pk] for pk, values in changes],
            )
