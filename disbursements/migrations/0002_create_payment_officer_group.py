from django.db import migrations

PAYMENT_OFFICER = "payment officer"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=PAYMENT_OFFICER)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=PAYMENT_OFFICER).delete()


class Migration(migrations.Migration):
    dependencies = [("disbursements", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group, delete_group)]
