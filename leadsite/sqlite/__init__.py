"""Django's SQLite backend, making the database file's folder on first connection (see base.py)."""
