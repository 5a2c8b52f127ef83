"""manage.py import_leads FILE: add and update leads from a CSV, Excel or JSON file, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from leads.imports import LEAD_IMPORT_FORMATS, LeadImportFileError, LeadImportResult, lead_import


class Command(BaseCommand):
    help = (
        "Import leads from a CSV, Excel (.xlsx) or JSON file, the same import as the admin's. A row whose "
        "location + source_post_id is already a lead updates it; other rows add leads; unchanged rows are "
        "skipped. When any row has an error, each is printed with its row number (1 = the first lead row) "
        "and nothing is imported. The columns and rules are in leads/resources.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import.")
        parser.add_argument(
            "--format", choices=LEAD_IMPORT_FORMATS, help="The file's format (default: from its extension)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; save nothing.")

    def handle(self, *args, **options):
        try:
            result = lead_import(
                file_path_or_bytes=options["file"], format=options["format"], dry_run=options["dry_run"]
            )
        except LeadImportFileError as error:
            raise CommandError(f"Nothing was imported. {error.message}") from None

        if result.ignored_columns:
            self.stdout.write(f"Ignored columns (not lead fields): {', '.join(result.ignored_columns)}.")
        if result.errors:
            for error in result.errors:
                where = f"Row {error.row}" if error.row is not None else "File"
                for message in error.messages:
                    self.stderr.write(f"{where}: {message}")
            rows_with_errors = len({error.row for error in result.errors})
            raise CommandError(
                f"Nothing was imported: {_rows(rows_with_errors)} of {result.rows} have errors. "
                "Correct them and run the import again."
            )
        if result.dry_run:
            self.stdout.write(f"Dry run, nothing saved. The import would give: {_counts(result)}.")
        else:
            self.stdout.write(f"Imported {_rows(result.rows)}: {_counts(result)}.")


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _counts(result: LeadImportResult) -> str:
    return f"{result.new} new, {result.updated} updated, {result.skipped} unchanged (skipped)"
