"""Calendar arithmetic, and dates worded for people in the active language ("27 Feb 2015",
"27.02.2015"; see funding/formats/). Data (API fields, filenames, workbook cells) keeps its
ISO values; only the words change."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import formats, timezone


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class LocalDate:
    """A date in a message's parameters, worded in the language active when the message is
    rendered, not when it was made (a violation is made once and shown in either language)."""

    value: date
    format: str = "DATE_FORMAT"

    def __str__(self) -> str:
        return formats.date_format(self.value, self.format)


def day(value: date) -> LocalDate:
    """``value`` as a day: "27 Feb 2015", "27.02.2015"."""
    return LocalDate(value)


def month(value: date) -> LocalDate:
    """``value`` as a month: "February 2015", "Februar 2015"."""
    return LocalDate(value, "YEAR_MONTH_FORMAT")


def format_day(value: date) -> str:
    """``value`` as a day in the active language."""
    return str(day(value))


def format_month(value: date) -> str:
    """``value``'s month in the active language."""
    return str(month(value))


def format_moment(value: datetime) -> str:
    """``value`` in local time (Europe/Berlin) in the active language, to the second, so a
    deadline missed by one second says so: "27 Feb 2015, 11:05:00", "27.02.2015, 11:05:00"."""
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'DATE_FORMAT')}, {formats.time_format(local, 'H:i:s')}"
