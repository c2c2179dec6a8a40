"""A history row for every grantee terms, R&D project and project partner that existed before
these models had history: their values then, so the first change after it shows old and new."""

from django.db import migrations
from django.utils import timezone

# kernel.history.BASELINE: the selectors show these rows as the start, not as a change.
BASELINE = "baseline"
MODELS = ("GranteeTerms", "RDProject", "ProjectPartner")


def record_baseline(apps, schema_editor):
    now = timezone.now()
    for name in MODELS:
        model = apps.get_model("budgets", name)
        history = apps.get_model("budgets", "Historical" + name)
        fields = [field.attname for field in model._meta.concrete_fields]
        history.objects.bulk_create(
            (
                history(
                    **{field: getattr(row, field) for field in fields},
                    history_date=now,
                    history_type="+",
                    history_change_reason=BASELINE,
                )
                for row in model.objects.iterator()
            ),
            batch_size=500,
        )


def forget_baseline(apps, schema_editor):
    for name in MODELS:
        history = apps.get_model("budgets", "Historical" + name)
        history.objects.filter(history_change_reason=BASELINE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0003_terms_projects_partners_history"),
    ]

    operations = [migrations.RunPython(record_baseline, forget_baseline)]
