from django.db import migrations

OLD_NAME = "Can export contact information"
NEW_NAME = "Can view contact information"


def _rename(apps, schema_editor, *, old: str, new: str) -> None:
    # post_migrate creates missing permissions but never renames existing ones: relabel the row here.
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="exports", codename="view_contact_info", name=old).update(
        name=new
    )


def relabel(apps, schema_editor):
    _rename(apps, schema_editor, old=OLD_NAME, new=NEW_NAME)


def restore(apps, schema_editor):
    _rename(apps, schema_editor, old=NEW_NAME, new=OLD_NAME)


class Migration(migrations.Migration):
    """The contact permission governs viewing contact details as well as exporting them."""

    dependencies = [
        ("exports", "0004_export_worker"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="export",
            options={
                "ordering": ["-created_at"],
                "permissions": [
                    ("export_leads", "Can export leads"),
                    ("view_contact_info", NEW_NAME),
                    ("view_all_exports", "Can view everyone's exports"),
                    ("cleanup_exports", "Can clean up old exports"),
                ],
            },
        ),
        migrations.RunPython(relabel, restore),
    ]
