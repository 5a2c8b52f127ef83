"""Signals other apps listen to; `leads` only sends them, so it never imports the apps above it.

`leads_arrived` is sent once per committed batch of the one bulk write path (`leads_upsert`: file
imports and the scraper ingest), after the transaction commits, with:

- `created_ids`: ids of the leads the batch created (a list, possibly empty);
- `updated_ids`: ids of the existing leads whose scraped fields it changed;
- `source`: "import" or "ingest".

Receivers (the rule engine's "on new leads" trigger) must be quick: enqueue work, do not do it.

`demo_data_seeded` is sent by `seed_demo` (leads.demo_data.seeding) after the demo leads are
written, with `seed` (the random seed), `now` (the moment demo times count back from) and
`on_message` (a progress printer), so the apps above leads add their own demo records (outreach:
templates, A/B tests, messages) in the same run.
"""

from django.dispatch import Signal

leads_arrived = Signal()
demo_data_seeded = Signal()

# Sent by `leads.erasure.person_erase` after a person's contact data left their leads, with
# `lead_ids` (the leads erased) and `user` (who asked). A receiver returns how many export files it
# expired (the exports app); the total is reported to the person erasing.
contacts_erased = Signal()
