"""The positions of the federal budget forms, kept as data.

They are written after every ``migrate`` (and so after a test database is flushed), so the table
always holds them; names may be corrected here and reach every database on its next migrate.
"""

from typing import Any

from .models import BudgetPosition

# Keyed by basis and code: 0850 means different things on the two bases.
FEDERAL_POSITIONS = [
    ("AZA", "0812", "Beschäftigte E12–E15", "Staff, pay grades E12–E15"),
    ("AZA", "0817", "Beschäftigte E1–E11", "Staff, pay grades E1–E11"),
    ("AZA", "0822", "Beschäftigungsentgelte (Hilfskräfte)", "Student and research assistants"),
    ("AZA", "0831", "Gegenstände bis 800 €", "Items up to EUR 800"),
    ("AZA", "0834", "Mieten und Rechnerkosten", "Rent and computing"),
    ("AZA", "0835", "Vergabe von Aufträgen", "Contracts to third parties"),
    ("AZA", "0843", "Sonstige allgemeine Verwaltungsausgaben", "Other administrative expenses"),
    ("AZA", "0846", "Dienstreisen", "Travel"),
    (
        "AZA",
        "0850",
        "Gegenstände und Investitionen über 800 €",
        "Equipment and investments over EUR 800",
    ),
    ("AZK", "0813", "Materialkosten", "Materials"),
    ("AZK", "0823", "FE-Fremdleistungen", "R&D subcontracting"),
    ("AZK", "0837", "Personalkosten", "Personnel costs"),
    ("AZK", "0838", "Reisekosten", "Travel"),
    (
        "AZK",
        "0847",
        "Abschreibungen auf vorhabenspezifische Anlagen",
        "Depreciation of project-specific equipment",
    ),
    ("AZK", "0850", "Sonstige unmittelbare Vorhabenkosten", "Other direct project costs"),
]


def sync_budget_positions(**_kwargs: Any) -> None:
    for basis, code, name_de, name_en in FEDERAL_POSITIONS:
        BudgetPosition.objects.update_or_create(
            basis=basis, code=code, defaults={"name_de": name_de, "name_en": name_en}
        )
