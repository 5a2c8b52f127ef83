"""Signals other apps listen to; `leads` only sends them, so it never imports the apps above it.

`leads_arrived` is sent once per committed batch of the one bulk write path (`leads_upsert`: file
imports and the scraper ingest), after the transaction commits, with:

- `created_ids`: ids of the leads the batch created (a list, possibly empty);
- `updated_ids`: ids of the existing leads whose scraped fields it changed;
- `source`: "import" or "ingest".

Receivers (the rule engine's "on new leads" trigger) must be quick: enqueue work, do not do it.

"""

from django.dispatch import Signal

leads_arrived = Signal()
# Sent by `leads.erasure.person_erase` after a person's contact data left their leads, with
# `lead_ids` (the leads erased) and `user` (who asked). A receiver returns how many export files it
# expired (the exports app); the total is reported to the person erasing.
contacts_erased = Signal()

# Sent by `manage.py seed_demo` after the demo leads are in, with `seed` (int) and `on_message` (a
# callable taking a line of text): the apps above leads add their demo records (rules and their runs,
# schedule runs, outreach messages) so the dashboard and exports show real figures on first run.
demo_data_seeded = Signal()
