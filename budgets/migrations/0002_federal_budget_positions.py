from django.db import migrations

# The positions of the federal budget forms, keyed by basis and code (0850 differs between them).
POSITIONS = [
    ("AZA", "0812", "Beschäftigte E12–E15", "Staff, pay grades E12–E15"),
    ("AZA", "0817", "Beschäftigte E1–E11", "Staff, pay grades E1–E11"),
    ("AZA", "0822", "Beschäftigungsentgelte (Hilfskräfte)", "Student and research assistants"),
    ("AZA", "0831", "Gegenstände bis 800 €", "Items up to EUR 800"),
    ("AZA", "0834", "Mieten und Rechnerkosten", "Rent and computing"),
    ("AZA", "0835", "Vergabe von Aufträgen", "Contracts to third parties"),
    ("AZA", "0843", "Sonstige allgemeine Verwaltungsausgaben", "Other administrative expenses"),
    ("AZA", "0846", "Dienstreisen", "Travel"),
    ("AZA", "0850", "Gegenstände und Investitionen über 800 €", "Equipment and investments over EUR 800"),
    ("AZK", "0813", "Materialkosten", "Materials"),
    ("AZK", "0823", "FE-Fremdleistungen", "R&D subcontracting"),
    ("AZK", "0837", "Personalkosten", "Personnel costs"),
    ("AZK", "0838", "Reisekosten", "Travel"),
    ("AZK", "0847", "Abschreibungen auf vorhabenspezifische Anlagen", "Depreciation of project-specific equipment"),
    ("AZK", "0850", "Sonstige unmittelbare Vorhabenkosten", "Other direct project costs"),
]


def create_positions(apps, schema_editor):
    BudgetPosition = apps.get_model("budgets", "BudgetPosition")
    for basis, code, name_de, name_en in POSITIONS:
        BudgetPosition.objects.update_or_create(
            basis=basis, code=code, defaults={"name_de": name_de, "name_en": name_en}
        )


def delete_positions(apps, schema_editor):
    BudgetPosition = apps.get_model("budgets", "BudgetPosition")
    for basis, code, _name_de, _name_en in POSITIONS:
        BudgetPosition.objects.filter(basis=basis, code=code).delete()


class Migration(migrations.Migration):
    dependencies = [("budgets", "0001_initial")]

    operations = [migrations.RunPython(create_positions, delete_positions)]
