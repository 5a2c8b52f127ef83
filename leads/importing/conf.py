"""Import settings, read when asked (never at import time) so tests and deployments can change them.

Every value comes from leadsite/settings.py, which reads it from the environment with a default.
"""

from datetime import timedelta

from leads import conf

# Rows validated and written per statement batch (the ingest API sends batches of this size too).
BATCH_SIZE = 1000
# Row errors kept for the report; rows with errors past this are counted, not listed.
MAX_REPORTED_ERRORS = 200
# A preview nobody confirmed or cancelled is removed after this long (manage.py cleanup_exports).
PREVIEW_MAX_AGE = timedelta(days=1)


# The limits' defaults live in leads/conf.py (one place for every lead setting).
max_bytes = conf.import_max_bytes
max_rows = conf.import_max_rows
quick_rows = conf.import_quick_rows
import_directory = conf.import_directory
