"""SQLite that creates the folder of its database file when it first connects.

Settings only name the file (`$DATA_DIR/leadsite.sqlite3`); the folder is made
here, when a process actually opens the database, so importing the settings
(`check --deploy`, a read-only container, a test run) writes nothing to disk.
"""

from pathlib import Path

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        name = conn_params.get("database")
        if name and not self.creation.is_in_memory_db(name) and not str(name).startswith("file:"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        return super().get_new_connection(conn_params)
