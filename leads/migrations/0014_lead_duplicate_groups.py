"""Duplicate groups and merges (leads.duplicates): Lead.duplicate_group and Lead.merged_into, and the
contact-key expression indexes the matching reads. Only adds tables, columns and indexes; reversing
removes them (groups can be recomputed with `manage.py find_duplicates`)."""

import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('leads', '0013_email_spelled_e_mail'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LeadMerge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('merged_ids', models.JSONField(default=list)),
                ('previous', models.JSONField(default=dict)),
                ('chosen', models.JSONField(default=dict, help_text='Field name -> id of the lead whose value won.')),
                ('merged_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('undone_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['-merged_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='lead',
            name='merged_into',
            field=models.ForeignKey(blank=True, help_text='The lead this duplicate was merged into; the duplicate is kept, with its status and history.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='merged_leads', to='leads.lead'),
        ),
        migrations.CreateModel(
            name='DuplicateGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('size', models.PositiveIntegerField(default=0)),
                ('last_found_at', models.DateTimeField(blank=True, help_text='When its newest lead was found.', null=True)),
                ('first_lead', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='leads.lead')),
            ],
            options={
                'ordering': ['-last_found_at', '-id'],
                'permissions': [('merge_leads', 'Can merge duplicate leads')],
            },
        ),
        migrations.AddField(
            model_name='lead',
            name='duplicate_group',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='leads', to='leads.duplicategroup'),
        ),
        migrations.AddIndex(
            model_name='lead',
            index=models.Index(django.db.models.functions.text.Lower(models.F('email')), name='lead_dup_email_idx'),
        ),
        migrations.AddIndex(
            model_name='lead',
            index=models.Index(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(models.F('phone'), models.Value(' '), models.Value('')), models.Value('-'), models.Value('')), models.Value('('), models.Value('')), models.Value(')'), models.Value('')), models.Value('.'), models.Value('')), models.Value('+'), models.Value('')), name='lead_dup_phone_idx'),
        ),
        migrations.AddField(
            model_name='leadmerge',
            name='group',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='merges', to='leads.duplicategroup'),
        ),
        migrations.AddField(
            model_name='leadmerge',
            name='merged_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='leadmerge',
            name='survivor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='merges', to='leads.lead'),
        ),
        migrations.AddField(
            model_name='leadmerge',
            name='undone_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='duplicategroup',
            index=models.Index(fields=['-last_found_at', '-id'], name='dupgroup_last_found_idx'),
        ),
    ]
