"""History rows: who changed a row and when, for single writes and for bulk writes.

A single write names its author on the instance before ``save()`` or ``delete()``, where
django-simple-history reads it (:func:`save_with_history`, :func:`delete_with_history`).

django-simple-history records a ``save()``; its ``bulk_create_with_history`` builds one historical
model instance per row in Python first, which costs more than the bulk write itself. Here the
database copies the rows' stored values into the history table in one ``INSERT … SELECT`` per
batch: the same columns django-simple-history fills (every tracked field, the date, the type,
the user, no change reason), read back from the rows as they were just written.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models

from kernel import clock

HISTORY_BATCH = 500  # ids per statement, within every backend's limit on query parameters

CREATED = "+"
CHANGED = "~"
DELETED = "-"
# The change reason of the history row a migration wrote for each row that existed before its
# model had history: the values it had then, not a change anyone made.
BASELINE = "baseline"


def name_author(instance: models.Model, *, by: Any) -> None:
    """Make ``by`` (``None``: an operator's command) at the clock's time the author of the
    history row django-simple-history writes when ``instance`` is next saved or deleted."""
    instance._history_user = by if by is not None and by.is_authenticated else None  # type: ignore[attr-defined]
    instance._history_date = clock.now()  # type: ignore[attr-defined]


def save_with_history(instance: models.Model, *, by: Any) -> None:
    """Save ``instance`` with ``by`` as the author of its history row. Callers save only what
    changed: every save is a history row."""
    name_author(instance, by=by)
    instance.save()


def delete_with_history(instance: models.Model, *, by: Any) -> None:
    """Delete ``instance``; its history keeps its last values, deleted by ``by``."""
    name_author(instance, by=by)
    instance.delete()


def record_history(
    model: type[models.Model],
    pks: Sequence[Any],
    *,
    history_type: str,
    by: Any,
    at: datetime,
) -> None:
    """Add a history row of type ``history_type`` ("+" created, "~" changed) for each row of
    ``model`` with a primary key in ``pks``, by user ``by`` at ``at``. Call it inside the write's
    transaction, after the rows are written."""
    history = model.history.model  # type: ignore[attr-defined]
    tracked = [
        field.column
        for field in history._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in tracked)
    user_id = by.pk if by is not None and by.is_authenticated else None
    date = connection.ops.adapt_datetimefield_value(at)
    pk_column = model._meta.pk.column
    assert pk_column is not None  # a concrete primary key has a column
    with connection.cursor() as cursor:
        for start in range(0, len(pks), HISTORY_BATCH):
            batch = list(pks[start : start + HISTORY_BATCH])
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} "  # names from the models, quoted
                f"({columns}, {quote('history_date')}, {quote('history_type')}, "
                f"{quote('history_user_id')}, {quote('history_change_reason')}) "
                f"SELECT {columns}, %s, %s, %s, NULL FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(pk_column)} IN ({marks})",
                [date, history_type, user_id, *batch],
            )
