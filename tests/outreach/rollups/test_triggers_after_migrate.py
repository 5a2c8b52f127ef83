"""A migration that remakes the lead table (SQLite) still works, and migrate puts every trigger back.

SQLite checks every trigger when it renames the remade table into place: a message trigger naming
the lead table would make each such later migration fail. Remaking the message table drops its
triggers; `migrate` reinstalls them.
"""

import pytest
from django.core.management import call_command
from django.db import connection, models

from leads.models import Lead
from outreach.models import AutoResponse, MessageRollupDirty
from tests.outreach.factories import AutoResponseFactory
from tests.outreach.rollups.test_migration import TRIGGERS, message_triggers

pytestmark = pytest.mark.django_db(transaction=True)


def _remake(model, name: str) -> None:
    old = model._meta.get_field(name)
    new = models.CharField(max_length=old.max_length + 1)
    new.set_attributes_from_name(name)
    new.model = model
    with connection.schema_editor() as schema_editor:
        schema_editor.alter_field(model, old, new)
        schema_editor.alter_field(model, new, old)


def test_remaking_the_lead_and_message_tables_then_migrating_keeps_the_marks_coming():
    try:
        _remake(Lead, "title")
        _remake(AutoResponse, "message_id")
    finally:
        call_command("migrate", verbosity=0)
    assert message_triggers() >= TRIGGERS

    message = AutoResponseFactory()

    assert MessageRollupDirty.objects.filter(lead_id=message.lead_id).exists()
