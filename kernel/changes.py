from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

NOT_CHANGEABLE = gettext_noop("This field cannot be changed here.")


def ensure_changeable(changes: Iterable[str], allowed: frozenset[str]) -> None:
    """Refuse changes to fields a service does not offer (an owner or a state, say)."""
    if unknown := sorted(set(changes) - allowed):
        raise ValidationError({name: _(NOT_CHANGEABLE) for name in unknown}, code="not_changeable")
