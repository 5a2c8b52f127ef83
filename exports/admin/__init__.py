"""The exports admin: the history, saved exports, and the export actions the lead admin plugs in.

Importing the package registers the history and saved-export admins (Django's admin autodiscovery
imports `exports.admin`).
"""

from exports.admin import history, saved  # noqa: F401  (register the ModelAdmins)
