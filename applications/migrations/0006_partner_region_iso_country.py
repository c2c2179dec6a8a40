"""Partner regions: the country from the ISO 3166 list (django-countries). The data step moves
codes to ISO 3166 spelling ("fr" → "FR", "UK" → "GB"); codes that are no country ("XX") stay
for the cluster to correct, as the model refuses them at the next change. Going back needs no
data step: the codes written are valid in the plain two-letter column as well.
"""

import django_countries.fields
from django.db import migrations

# Codes some sources use where ISO 3166 has another.
ALIASES = {"UK": "GB", "EL": "GR"}


def iso_codes(apps, schema_editor):
    partner_region = apps.get_model("applications", "PartnerRegion")
    for row in partner_region.objects.only("pk", "country").iterator():
        code = str(row.country or "").strip().upper()
        code = ALIASES.get(code, code)
        if code != row.country:
            partner_region.objects.filter(pk=row.pk).update(country=code)


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0005_reviews_move_to_competition'),
    ]

    operations = [
        migrations.AlterField(
            model_name='partnerregion',
            name='country',
            field=django_countries.fields.CountryField(max_length=2, verbose_name='country'),
        ),
        migrations.RunPython(iso_codes, migrations.RunPython.noop),
    ]
