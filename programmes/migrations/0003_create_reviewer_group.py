from django.db import migrations

REVIEWER = "reviewer"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=REVIEWER)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=REVIEWER).delete()


class Migration(migrations.Migration):
    dependencies = [("programmes", "0002_create_role_groups")]

    operations = [migrations.RunPython(create_group, delete_group)]
