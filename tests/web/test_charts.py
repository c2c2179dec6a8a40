"""Server-side SVG bar charts: labels and values as text, bars in proportion, limits as
tracks, and nothing a user typed is ever markup."""

import re
from decimal import Decimal

from kernel.charts import BAR_END, BAR_START, Bar, bar_chart

FULL = BAR_END - BAR_START


def widths(svg: str, css_class: str) -> list[Decimal]:
    return [
        Decimal(width)
        for width in re.findall(rf'width="([\d.]+)" height="\d+" class="{css_class}"', svg)
    ]


def test_bars_are_in_proportion_to_their_values():
    svg = bar_chart("T", [Bar("A", 100, "100"), Bar("B", 25, "25")])
    assert widths(svg, "chart-bar") == [Decimal(FULL), Decimal(FULL) / 4]


def test_a_limit_is_drawn_as_a_track_behind_the_bar():
    svg = bar_chart("T", [Bar("Round 1", 30, "30 of 40", limit=40)])
    [track] = re.findall(r'width="([\d.]+)" height="\d+" class="chart-track"', svg)
    assert Decimal(track) == Decimal(FULL)
    assert widths(svg, "chart-bar") == [Decimal(FULL) * 30 / 40]


def test_a_bar_over_its_limit_is_marked():
    svg = bar_chart("T", [Bar("Round 1", 50, "50 of 40", limit=40)])
    assert 'class="chart-bar chart-over"' in svg


def test_labels_and_values_are_text():
    svg = bar_chart("Per sector", [Bar("Optik", Decimal("12.50"), "12,50 €")])
    assert ">Optik</text>" in svg
    assert ">12,50 €</text>" in svg
    assert "<figcaption" in svg
    assert "Per sector" in svg


def test_labels_are_escaped():
    svg = bar_chart("<b>T</b>", [Bar("<script>x</script>", 1, "1")])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "<b>" not in svg


def test_the_chart_is_described_for_screen_readers():
    svg = bar_chart("Applications per state", [Bar("draft", 3, "3"), Bar("selected", 1, "1")])
    assert 'role="img"' in svg
    assert "draft: 3; selected: 1" in svg


def test_an_empty_chart_still_renders():
    svg = bar_chart("Nothing yet", [])
    assert "<svg" in svg
    assert "Nothing yet" in svg


def test_long_labels_are_shortened_but_kept_in_full_as_a_title():
    label = "Spitzencluster für Mikroelektronik und Photonik in Sachsen"
    svg = bar_chart("T", [Bar(label, 1, "1")])
    assert f"<title>{label}</title>" in svg
    assert "…</text>" in svg
