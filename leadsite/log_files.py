"""The application log file, whose folder is made when the first record is written."""

from logging.handlers import RotatingFileHandler
from pathlib import Path


class FolderCreatingRotatingFileHandler(RotatingFileHandler):
    """RotatingFileHandler that opens its file (and makes its folder) on the first record, not at configuration.

    Configuring logging happens whenever Django starts, including for commands
    that never log; settings must not create folders at import time.
    """

    def __init__(self, filename, *args, **kwargs):
        kwargs.setdefault("delay", True)
        super().__init__(filename, *args, **kwargs)

    def _open(self):
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()
