import leads.validators
import leads.web_urls
from django.db import migrations


class Migration(migrations.Migration):
    """Only the field's class and validation change; the column stays, so the table is not rebuilt."""

    dependencies = [
        ("leads", "0007_lead_price_id_desc_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="lead",
                    name="url",
                    field=leads.web_urls.WebURLField(
                        blank=True, max_length=500, validators=[leads.validators.validate_storable_text]
                    ),
                ),
            ],
        ),
    ]
