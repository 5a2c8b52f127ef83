"""Duplicate leads and reposts: groups of leads that are the same person or post, and merging them.

- `keys`      what makes two leads the same (contact keys, trigram text similarity)
- `matching`  the pairs of matching leads, found in the database (pg_trgm) or portably (SQLite)
- `grouping`  groups from pairs: the batch recompute (`find_duplicates`) and the incremental link
- `merging`   merge a group into one lead, and undo a merge
- `models`    DuplicateGroup and LeadMerge
"""
