"""Filter building blocks for the API's lists."""

from typing import Any

import django_filters
from django import forms

from .fields import LARGEST_ID


class IdFilter(django_filters.NumberFilter):
    """An id in a query: a whole number a primary key can hold; anything else is a 400, never
    a database error (a huge or fractional number reaches no query)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", LARGEST_ID)
        super().__init__(*args, **kwargs)
