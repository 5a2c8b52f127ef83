"""Existing leads' e-mail and phone become what their posts said (a separate migration: on PostgreSQL
an UPDATE and an ALTER TABLE of the same table cannot share a transaction)."""

from django.db import migrations
from django.db.models import F


def copy_to_as_posted(apps, schema_editor):
    """What each lead holds now is what its post said; `manage.py normalise_contacts` normalises it."""
    Lead = apps.get_model("leads", "Lead")
    Lead.objects.update(email_as_posted=F("email"), phone_as_posted=F("phone"))


def restore_as_posted(apps, schema_editor):
    """Back to one field each, holding what the post said; extracted contacts were not in the post."""
    Lead = apps.get_model("leads", "Lead")
    Lead.objects.filter(contact_extracted=True).update(email="", phone="")
    posted = Lead.objects.filter(contact_extracted=False)
    posted.exclude(email_as_posted="").update(email=F("email_as_posted"))
    posted.exclude(phone_as_posted="").update(phone=F("phone_as_posted"))


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0009_lead_contact_fields"),
    ]

    operations = [
        migrations.RunPython(copy_to_as_posted, restore_as_posted, elidable=False),
    ]
