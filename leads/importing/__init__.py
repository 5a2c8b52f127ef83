"""Lead imports: files (CSV, Excel, JSON) and row batches in, leads added and updated, all or nothing.

- `fields`: the fields a row may hold and how headers name them.
- `cleaning`: one row's cells into lead values, with a message per bad field.
- `upsert`: `leads_upsert`, the one set-based write path (file imports and the scraper ingest).
- `readers`: streaming CSV, Excel and JSON readers.
- `files`: `lead_file_import`, a whole file all or nothing in bounded memory.
- `records`: the LeadImport record: previews, background runs, cleanup.
"""
