import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from exports.models import ExportStatus
from tests.exports.factories import ExportFactory


def test_marks_stale_running_exports_failed(db):
    stale = ExportFactory(running=True, heartbeat_at=timezone.now() - datetime.timedelta(minutes=5))
    out = io.StringIO()

    call_command("fail_stale_exports", "--timeout", "60", stdout=out)

    stale.refresh_from_db()
    assert stale.status == ExportStatus.FAILED
    assert out.getvalue().strip() == "1 stale running exports marked failed."


def test_negative_timeout_is_refused(db):
    with pytest.raises(CommandError, match="--timeout"):
        call_command("fail_stale_exports", "--timeout", "-5")
