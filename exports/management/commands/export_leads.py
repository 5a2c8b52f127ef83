"""manage.py export_leads: export leads to a file through the export service (recorded in the history)."""

import shutil
import sys
from argparse import BooleanOptionalAction
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from exports.datasets.registry import dataset_keys
from exports.errors import ExportError, ExportValidationError
from exports.formats.registry import format_keys
from exports.models import DEFAULT_DATA_TYPE, ExportSource, ExportStatus
from exports.services import ExportRequest, export_create, export_run
from exports.storage import export_storage
from exports.transforms import CHOICES as TRANSFORM_CHOICES
from leads.cli import add_filter_arguments, filters_from_options


class Command(BaseCommand):
    help = (
        "Export the leads that the filters select to a file, in any registered format (EXPORT_FORMATS). "
        "The export goes through the same service as the admin and is recorded in the export history."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=format_keys(), help="File format.")
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE", help="Where to write the file; '-' for standard output."
        )
        parser.add_argument("--data-type", default=DEFAULT_DATA_TYPE, choices=dataset_keys(), help="What to export.")
        parser.add_argument("--columns", metavar="KEYS", help="Comma-separated column keys, in order.")
        parser.add_argument(
            "--contact-info",
            action=BooleanOptionalAction,
            default=False,
            help="Include e-mail, phone and contact name (default: no).",
        )
        parser.add_argument("--bom", action="store_true", help="Start CSV files with a byte order mark (for Excel).")
        parser.add_argument(
            "--update-ready", action="store_true", help="Write ids and raw codes, so the file re-imports as updates."
        )
        for name, choices in TRANSFORM_CHOICES.items():
            parser.add_argument(
                f"--{name.replace('_', '-')}", choices=choices, help=f"Transformation: {' | '.join(choices)}."
            )
        parser.add_argument(
            "--one-per-duplicate-group", action="store_true", help="Keep one lead per duplicate group (the earliest)."
        )
        parser.add_argument(
            "--user", metavar="USERNAME", help="Record the export under this user (default: the first superuser)."
        )
        add_filter_arguments(parser)

    def handle(self, *args, **options):
        user = _user(options["user"])
        output = options["output"]
        if output != "-" and not Path(output).parent.is_dir():
            raise CommandError(f"The folder {Path(output).parent} does not exist.")
        columns = [key.strip() for key in (options["columns"] or "").split(",") if key.strip()]
        try:
            export = export_create(
                request=ExportRequest(
                    user=user,
                    filters=filters_from_options(options),
                    format=options["format"],
                    data_type=options["data_type"],
                    columns=columns or None,
                    include_contact_info=options["contact_info"],
                    options={
                        "csv_bom": options["bom"],
                        "update_ready": options["update_ready"],
                        **{name: options[name] for name in TRANSFORM_CHOICES if options[name]},
                        **({"one_per_duplicate_group": True} if options["one_per_duplicate_group"] else {}),
                    },
                    source=ExportSource.CLI,
                )
            )
        except ExportValidationError as error:
            raise CommandError(_validation_sentence(error)) from None
        except (ExportError, PermissionDenied) as error:
            raise CommandError(str(error)) from None

        bar = _ProgressBar(self.stderr) if sys.stderr.isatty() else None
        export = export_run(export_id=export.pk, on_progress=bar.update if bar else None)
        if bar:
            bar.finish()
        if export is None or export.status != ExportStatus.COMPLETED:
            reason = export.error_message if export is not None else "the export record disappeared"
            raise CommandError(f"The export failed: {reason}")

        _copy_to(export.file.name, output)
        summary = (
            f"Exported {export.rows_written:,} rows to {'standard output' if output == '-' else output} "
            f"({filesizeformat(export.file_size).replace(chr(160), ' ')}, sha256 {export.checksum_sha256})."
        )
        (self.stderr if output == "-" else self.stdout).write(summary)


def _user(username: str | None):
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(**{get_user_model().USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No active user is named {username!r}.")
        return user
    user = users.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise CommandError("No active superuser exists; create one with createsuperuser or pass --user USERNAME.")
    return user


def _validation_sentence(error: ExportValidationError) -> str:
    parts = []
    for field, messages in error.message_dict.items():
        if field == NON_FIELD_ERRORS:
            parts.append(" ".join(messages))
        else:
            parts.append(f"--{field.replace('_', '-')}: {' '.join(messages)}")
    return "Invalid input: " + "; ".join(parts)


def _copy_to(name: str, output: str) -> None:
    with export_storage().open(name, "rb") as source:
        if output == "-":
            shutil.copyfileobj(source, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            return
        target = Path(output)
        try:
            with target.open("wb") as destination:
                shutil.copyfileobj(source, destination)
        except OSError as error:
            target.unlink(missing_ok=True)
            raise CommandError(f"Could not write {target}: {error.strerror or error}.") from None


class _ProgressBar:
    """A one-line progress bar on a terminal, redrawn at most once per percent."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.last_drawn: tuple[int, int] | None = None

    def update(self, rows: int, total: int | None) -> None:
        percent = min(100, rows * 100 // total) if total else 0
        if self.last_drawn == (percent, rows if not total else 0):
            return
        self.last_drawn = (percent, rows if not total else 0)
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        of_total = f"/{total:,}" if total else ""
        self.stream.write(f"\r[{bar}] {percent:3d}% {rows:,}{of_total} rows", style_func=_plain, ending="")
        self.stream.flush()

    def finish(self) -> None:
        if self.last_drawn is not None:
            self.stream.write("", style_func=_plain)


def _plain(text: str) -> str:
    # stderr is styled as errors on a terminal; the progress bar is not an error.
    return text
