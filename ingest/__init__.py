"""The scraper ingest API: scrapers, their API keys, scrape runs opened and finished over HTTP, lead batches.

Above `leads` (it writes through `leads.importing.upsert.leads_upsert`, the one bulk write path).
"""
