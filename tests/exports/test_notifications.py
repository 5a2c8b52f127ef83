"""E-mails about scheduled exports: the link, the recipient, and safe subjects."""

import pytest
from django.urls import reverse

from exports.models import ExportStatus
from exports.notifications import (
    export_download_url,
    export_finished_notify,
    exports_notify_finished,
    saved_export_failure_notify,
)
from tests.exports.factories import ExportFactory, SavedExportFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_download_url_is_absolute_on_the_site_url(settings):
    settings.SITE_URL = "https://leads.example.com/"
    export = ExportFactory(completed=True)
    assert export_download_url(export) == "https://leads.example.com" + reverse("exports:download", args=[export.pk])


def test_without_the_download_view_the_link_falls_back_to_the_admin(settings):
    settings.ROOT_URLCONF = "tests.exports.urls_admin_only"
    export = ExportFactory(completed=True)
    assert export_download_url(export) == settings.SITE_URL.rstrip("/") + "/admin/"


def test_completed_mail_names_the_saved_export_rows_and_link(mailoutbox):
    saved = SavedExportFactory(name="West coast")
    export = ExportFactory(
        completed=True, saved_export=saved, notify_email="team@example.com", rows_written=1234, file_size=2048
    )
    export_finished_notify(export=export)
    [message] = mailoutbox
    assert message.subject == "[Leadsite] West coast: your export is ready"
    assert "Rows: 1,234" in message.body
    assert "2.0\xa0KB" in message.body
    assert export_download_url(export) in message.body


def test_failure_mail_goes_to_the_owner_and_keeps_the_subject_on_one_line(mailoutbox):
    owner = UserFactory(username="pat", email="pat@example.com")
    saved = SavedExportFactory(owner=owner, name="Odd\nname")
    saved_export_failure_notify(saved_export=saved, message="Over the limit.")
    [message] = mailoutbox
    assert message.to == ["pat@example.com"]
    assert message.subject == "[Leadsite] Odd name: the scheduled export could not run"
    assert "Over the limit." in message.body


def test_only_finished_exports_that_ask_for_mail_are_sent_once(mailoutbox):
    ExportFactory(completed=True, notify_email="")
    ExportFactory(status=ExportStatus.RUNNING, notify_email="a@example.com")
    wanted = ExportFactory(completed=True, notify_email="b@example.com")
    assert exports_notify_finished() == 1
    assert exports_notify_finished() == 0
    assert [message.to for message in mailoutbox] == [["b@example.com"]]
    wanted.refresh_from_db()
    assert wanted.notified_at is not None
