"""The lead texts the search box and keyword filters read, on PostgreSQL in a side table of their own.

- `models`: `LeadSearchText`, one row per lead with its searched texts (PostgreSQL only).
- `triggers`: the table, its trigram indexes and the triggers that keep it in step with the leads.
- `predicates`: the Q objects `LeadQuerySet` filters with, on the side table or the lead columns.

Why a side table: a trigram GIN index gets an entry per trigram for every new row version, and
PostgreSQL writes a new version of a lead for any change (a status change too: status is indexed,
so no update is HOT). With the texts and their indexes apart, changing a lead's status, owner or
price writes no trigram entries; only a change of a searched text does. SQLite has no trigram
indexes, so it searches the lead columns as they are.
"""
