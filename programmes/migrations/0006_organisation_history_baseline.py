"""A history row for every organisation that existed before organisations had history: its
values then, so the first change after it shows old and new."""

from django.db import migrations
from django.utils import timezone

# kernel.history.BASELINE: the selectors show these rows as the start, not as a change.
BASELINE = "baseline"


def record_baseline(apps, schema_editor):
    organisation = apps.get_model("programmes", "Organisation")
    history = apps.get_model("programmes", "HistoricalOrganisation")
    fields = [field.attname for field in organisation._meta.concrete_fields]
    now = timezone.now()
    history.objects.bulk_create(
        (
            history(
                **{field: getattr(row, field) for field in fields},
                history_date=now,
                history_type="+",
                history_change_reason=BASELINE,
            )
            for row in organisation.objects.iterator()
        ),
        batch_size=500,
    )


def forget_baseline(apps, schema_editor):
    history = apps.get_model("programmes", "HistoricalOrganisation")
    history.objects.filter(history_change_reason=BASELINE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0005_organisation_history"),
    ]

    operations = [migrations.RunPython(record_baseline, forget_baseline)]
