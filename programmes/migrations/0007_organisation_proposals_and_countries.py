"""Organisations: proposals by cluster managements, confirmed by officers; register and VAT
numbers; the country from the ISO 3166 list (django-countries); the key of the name that finds
duplicates.

Every organisation that exists is reference data an officer or operator wrote: it is confirmed
as of this migration (``confirmed_at`` is set to now, nobody named as confirming it). The data
step writes each name's key and moves country codes to ISO 3166 spelling ("de" → "DE",
"UK" → "GB"); codes that are no country at all are left as they are for an officer to correct
(the model refuses them at the next change). Going back needs no data step: the keys go with
their column, and the codes written are valid in the plain two-letter column as well.
"""

import django.db.models.deletion
import django_countries.fields
import kernel.clock
from django.conf import settings
from django.db import migrations, models

from programmes.names import name_key

# Codes some sources use where ISO 3166 has another.
ALIASES = {"UK": "GB", "EL": "GR"}


def iso_code(code):
    code = str(code or "").strip().upper()
    return ALIASES.get(code, code)


def keys_and_codes(apps, schema_editor):
    organisation = apps.get_model("programmes", "Organisation")
    for row in organisation.objects.only("pk", "name", "country").iterator():
        code = iso_code(row.country)
        taken = organisation.objects.filter(name=row.name, country=code).exclude(pk=row.pk)
        organisation.objects.filter(pk=row.pk).update(
            name_key=name_key(row.name), country=row.country if taken.exists() else code
        )


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0006_organisation_history_baseline'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalorganisation',
            name='confirmed_at',
            field=models.DateTimeField(blank=True, default=kernel.clock.now, null=True, verbose_name='confirmed at'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='confirmed_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='name_key',
            field=models.CharField(db_index=True, default='', editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='proposed_by_cluster',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.cluster', verbose_name='proposed by cluster'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='register_number',
            field=models.CharField(blank=True, help_text='Commercial or association register, e.g. HRB 12345, Amtsgericht Dresden.', max_length=60, verbose_name='register number'),
        ),
        migrations.AddField(
            model_name='historicalorganisation',
            name='vat_number',
            field=models.CharField(blank=True, help_text='e.g. DE123456789.', max_length=20, verbose_name='VAT number'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='confirmed_at',
            field=models.DateTimeField(blank=True, default=kernel.clock.now, null=True, verbose_name='confirmed at'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='confirmed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='name_key',
            field=models.CharField(db_index=True, default='', editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name='organisation',
            name='proposed_by_cluster',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='proposed_organisations', to='programmes.cluster', verbose_name='proposed by cluster'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='register_number',
            field=models.CharField(blank=True, help_text='Commercial or association register, e.g. HRB 12345, Amtsgericht Dresden.', max_length=60, verbose_name='register number'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='vat_number',
            field=models.CharField(blank=True, help_text='e.g. DE123456789.', max_length=20, verbose_name='VAT number'),
        ),
        migrations.AlterField(
            model_name='historicalorganisation',
            name='country',
            field=django_countries.fields.CountryField(default='DE', max_length=2, verbose_name='country'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='country',
            field=django_countries.fields.CountryField(default='DE', max_length=2, verbose_name='country'),
        ),
        migrations.RunPython(keys_and_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='organisation',
            constraint=models.CheckConstraint(condition=models.Q(('confirmed_at__isnull', False), ('proposed_by_cluster__isnull', False), _connector='OR'), name='organisation_confirmed_or_proposed'),
        ),
        migrations.AddConstraint(
            model_name='organisation',
            constraint=models.CheckConstraint(condition=models.Q(('confirmed_by__isnull', True), ('confirmed_at__isnull', False), _connector='OR'), name='organisation_confirmed_by_only_when_confirmed'),
        ),
    ]
