# Format and data type keys are validated against the registries (EXPORT_FORMATS, EXPORT_DATASETS)
# instead of choices: a new format or data type needs no migration. No database change.

import exports.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exports', '0002_scheduled_notifications'),
    ]

    operations = [
        migrations.AlterField(
            model_name='export',
            name='data_type',
            field=models.CharField(default='leads', max_length=15, validators=[exports.models.validate_data_type_key]),
        ),
        migrations.AlterField(
            model_name='export',
            name='format',
            field=models.CharField(max_length=10, validators=[exports.models.validate_format_key]),
        ),
        migrations.AlterField(
            model_name='savedexport',
            name='data_type',
            field=models.CharField(default='leads', max_length=15, validators=[exports.models.validate_data_type_key]),
        ),
        migrations.AlterField(
            model_name='savedexport',
            name='format',
            field=models.CharField(default='csv', max_length=10, validators=[exports.models.validate_format_key]),
        ),
    ]
