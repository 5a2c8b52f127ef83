"""manage.py import_leads FILE: add and update leads from a CSV, Excel or JSON file, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from leads.imports import LEAD_IMPORT_FORMATS, LeadImportFileError, LeadImportResult, lead_import


class Command(BaseCommand):
    help = (
        "Import leads from a CSV, Excel (.xlsx) or JSON file, the same import as the admin's. A row whose "
        "location + source_post_id is already a lead updates it; other rows add leads; unchanged rows are "
        "left alone. Every row is checked first: when any has an error, each is printed with its row number "
        "(1 = the first lead row) and nothing is imported. The columns and rules are in leads/importing/."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import.")
        parser.add_argument(
            "--format", choices=LEAD_IMPORT_FORMATS, help="The file's format (default: from its extension)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; save nothing.")

    def handle(self, *args, **options):
        def progress(phase: str, rows: int) -> None:
            if options["verbosity"] > 1:
                self.stderr.write(f"{phase} {rows:,} rows")

        try:
            result = lead_import(
                file_path_or_bytes=options["file"],
                format=options["format"],
                dry_run=options["dry_run"],
                on_progress=progress,
            )
        except LeadImportFileError as error:
            raise CommandError(f"Nothing was imported. {error.message}") from None

        if result.ignored_columns:
            self.stdout.write(f"Ignored columns (not lead fields): {', '.join(result.ignored_columns)}.")
        if result.rejected:
            for error in result.errors:
                self.stderr.write(error.text)
            if result.rejected > len(result.errors):
                self.stderr.write(f"... and {result.rejected - len(result.errors)} more rows with errors.")
            raise CommandError(
                f"Nothing was imported: {_rows(result.rejected)} of {result.rows} have errors. "
                "Correct them and run the import again."
            )
        if result.dry_run:
            self.stdout.write(f"Dry run, nothing saved. The import would give: {_counts(result)}.")
        else:
            self.stdout.write(f"Imported {_rows(result.rows)}: {_counts(result)}.")


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _counts(result: LeadImportResult) -> str:
    return f"{result.new} new, {result.updated} updated, {result.unchanged} unchanged"
