"""factory_boy factories for export records (append new factories below)."""

import datetime
import hashlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.utils import timezone

from exports.models import Export, ExportStatus, export_upload_to
from exports.storage import export_storage


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user; `UserFactory(permissions=["leads.view_lead", "exports.export_leads", ...])` grants permissions."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    is_staff = True
    password = factory.django.Password("pass-word-123")

    @factory.post_generation
    def permissions(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for name in extracted:
            app_label, codename = name.split(".")
            self.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


class ExportFactory(factory.django.DjangoModelFactory):
    """An export record; `ExportFactory(completed=True, file_content=b"...")` stores a real file for it."""

    class Meta:
        model = Export
        skip_postgeneration_save = True

    created_by = factory.SubFactory(UserFactory)
    format = "csv"
    status = ExportStatus.PENDING
    filters = factory.LazyFunction(dict)
    columns = factory.LazyFunction(list)
    row_count = 0

    class Params:
        running = factory.Trait(
            status=ExportStatus.RUNNING,
            started_at=factory.LazyFunction(timezone.now),
            heartbeat_at=factory.LazyFunction(timezone.now),
        )
        completed = factory.Trait(
            status=ExportStatus.COMPLETED,
            started_at=factory.LazyFunction(timezone.now),
            finished_at=factory.LazyFunction(timezone.now),
            progress=100,
        )

    @factory.post_generation
    def file_content(self, create, extracted, **kwargs):
        """Store `extracted` (bytes) through the export storage as this record's file."""
        if not create or extracted is None:
            return
        self.file_name = self.file_name or "leads_test.csv"
        self.file.name = export_storage().save(export_upload_to(self, self.file_name), ContentFile(extracted))
        self.file_size = len(extracted)
        self.checksum_sha256 = hashlib.sha256(extracted).hexdigest()
        self.rows_written = self.rows_written or extracted.count(b"\n")
        self.save()

    @classmethod
    def aged(cls, *, days: float, **kwargs) -> Export:
        """An export created `days` ago (created_at is auto_now_add, so it is moved afterwards)."""
        export = cls(**kwargs)
        created_at = timezone.now() - datetime.timedelta(days=days)
        Export.objects.filter(pk=export.pk).update(created_at=created_at)
        export.created_at = created_at
        return export


def export_write_bytes(export: Export, *, progress: list | None = None) -> bytes:
    """Run exports.services.writing.export_write for `export` into memory and return the file's bytes."""
    import io

    from exports.services.writing import export_write

    destination = io.BytesIO()
    export_write(
        export=export, destination=destination, on_progress=progress.append if progress is not None else _ignore
    )
    return destination.getvalue()


def _ignore(rows: int) -> None:
    pass


class SavedExportFactory(factory.django.DjangoModelFactory):
    """A saved export (not scheduled unless frequency/run_time are given; next_run_at is not computed)."""

    class Meta:
        model = "exports.SavedExport"

    name = factory.Sequence(lambda n: f"Saved export {n}")
    owner = factory.SubFactory(UserFactory)
    format = "csv"
    filters = factory.LazyFunction(dict)
    columns = factory.LazyFunction(list)
