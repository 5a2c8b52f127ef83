"""A stand-in for exports.services.writing.export_write, to drive the lifecycle through failures on cue."""

from collections.abc import Callable

from leads.selectors import lead_list


class FakeWriter:
    """Writes one line per selected lead id and reports progress after every row.

    `fail_after=N, error=E` raises E once N rows are written; `on_row(rows)` runs after each row
    (e.g. to cancel the export mid-way). `calls` counts how often the writer ran.
    """

    def __init__(
        self,
        *,
        fail_after: int | None = None,
        error: BaseException | None = None,
        on_row: Callable[[int], None] | None = None,
    ):
        self.fail_after = fail_after
        self.error = error
        self.on_row = on_row
        self.calls = 0

    def __call__(self, *, export, destination, on_progress) -> int:
        self.calls += 1
        rows = 0
        for lead_id in lead_list(filters=export.filters).values_list("pk", flat=True):
            self._maybe_fail(rows)
            destination.write(f"{lead_id}\n".encode())
            rows += 1
            on_progress(rows)
            if self.on_row is not None:
                self.on_row(rows)
        self._maybe_fail(rows)
        return rows

    def _maybe_fail(self, rows: int) -> None:
        if self.fail_after is not None and rows >= self.fail_after:
            raise self.error or RuntimeError("writer broke")


def install(monkeypatch, writer: FakeWriter) -> FakeWriter:
    monkeypatch.setattr("exports.services.running.export_write", writer)
    return writer
