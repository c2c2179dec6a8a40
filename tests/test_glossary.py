"""docs/glossary.md names every money figure the API shows, with its German word, and the
README links to it."""

from pathlib import Path

from django.conf import settings

from applications.api.serializers import RoundOverviewSerializer
from budgets.api.serializers import FiguresSerializer

ROOT = Path(settings.BASE_DIR)


def test_the_glossary_names_every_figure_with_its_api_field_and_german_word():
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    figures = set(FiguresSerializer().fields)
    assert figures == {
        "eligible_amount",
        "grant_amount",
        "projektpauschale_amount",
        "funding_amount",
    }
    round_figures = {"envelope_amount", "committed", "planned", "envelope_headroom_amount"}
    assert round_figures <= set(RoundOverviewSerializer().fields)
    for field in figures | round_figures:
        assert f"`{field}`" in glossary
    for german in (
        "zuwendungsfähiger Betrag",
        "Zuwendung",
        "Projektpauschale",
        "Förderung",
        "gebundene Förderung",
        "geplante Förderung",
    ):
        assert german in glossary


def test_the_readme_links_the_glossary():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/glossary.md)" in readme
