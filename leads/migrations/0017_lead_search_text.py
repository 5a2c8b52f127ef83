"""The searched lead texts move to a side table with their trigram indexes (PostgreSQL only).

Forwards: `leads_leadsearchtext` is created, filled from the leads and indexed, its triggers
installed (leads.search.triggers), then the five trigram indexes on the lead table are dropped, so
a lead update that changes no searched text writes no trigram entries. Backwards: the lead
table's trigram indexes are built again and the side table and its triggers removed. No data is
lost either way (the side table only copies lead columns). Other databases: nothing to do (the
model is unmanaged; SQLite searches the lead columns).
"""

from django.db import migrations, models

from leads.search.triggers import search_text_install, search_text_uninstall

OLD_TRIGRAM_COLUMNS = ("title", "description", "contact_name", "email", "phone")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    search_text_install(schema_editor)
    for column in OLD_TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS lead_{column}_trgm_idx")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for column in OLD_TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS lead_{column}_trgm_idx ON leads_lead USING gin (UPPER({column}) gin_trgm_ops)"
        )
    schema_editor.execute("ANALYZE leads_lead")  # statistics on the indexed expressions, as 0002 gathered them
    search_text_uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0016_lead_total_rollups"),
    ]

    operations = [
        migrations.CreateModel(
            name="LeadSearchText",
            fields=[
                ("lead_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("source_post_id", models.TextField()),
                ("title", models.TextField()),
                ("description", models.TextField()),
                ("contact_name", models.TextField()),
                ("email", models.TextField()),
                ("phone", models.TextField()),
                ("email_as_posted", models.TextField()),
                ("phone_as_posted", models.TextField()),
            ],
            options={"db_table": "leads_leadsearchtext", "managed": False},
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
