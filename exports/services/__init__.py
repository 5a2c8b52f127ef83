"""Export services: the only code that creates, runs, serves and removes export records and files.

Admin, views, the API, tasks and commands call these; they hold no export logic of their own.
"""

from exports.services.cleanup import CleanupResult, exports_cleanup, exports_fail_stale
from exports.services.creation import ExportRequest, export_create, export_is_immediate
from exports.services.downloads import DownloadFile, export_open_download
from exports.services.lifecycle import export_cancel, export_delete, export_enqueue, export_rerun, export_start
from exports.services.running import export_run

__all__ = [
    "CleanupResult",
    "DownloadFile",
    "ExportRequest",
    "export_cancel",
    "export_create",
    "export_delete",
    "export_enqueue",
    "export_is_immediate",
    "export_open_download",
    "export_rerun",
    "export_run",
    "export_start",
    "exports_cleanup",
    "exports_fail_stale",
]
