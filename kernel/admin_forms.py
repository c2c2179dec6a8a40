"""Admin pages that write through the services, so every rule runs on every admin write.

The admin saves in ``save_model`` after the form has validated, where a refused write would be a
server error. So :class:`ServiceAdmin` makes the service's write there, once and for real, and
if the service refuses it (having written nothing; the page's transaction is rolled back too)
shows the page again with the refusal as the form's errors. Nothing is written to find out
whether a write would be accepted. A refused deletion, inline change or action is reported as an
admin error message.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.filters import RelatedFieldListFilter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.admin import SimpleHistoryAdmin

from .forms import AmountField
from .money import MoneyField

CONFLICT = gettext_noop(
    "This conflicts with a stored record (the same key twice?); nothing was saved."
)


class ServiceRefused(Exception):
    """A service refused a write that the admin had already validated; nothing was written."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def refusal_reasons(error: ValidationError | PermissionDenied) -> list[str]:
    """The plain words of a service's refusal."""
    if isinstance(error, PermissionDenied):
        return [str(error) or _("You may not do this.")]
    if hasattr(error, "error_dict"):
        return [
            message if field == "__all__" else f"{field}: {message}"
            for field, errors in error.message_dict.items()
            for message in errors
        ]
    return list(error.messages)


@contextmanager
def service_call() -> Iterator[None]:
    """Turn a service's refusal into :class:`ServiceRefused`, which the admin views report."""
    try:
        yield
    except (ValidationError, PermissionDenied) as error:
        raise ServiceRefused(refusal_reasons(error)) from error
    except IntegrityError as error:
        raise ServiceRefused([_(CONFLICT)]) from error


Refusal = ValidationError | PermissionDenied | IntegrityError

# Where ServiceAdmin keeps a refusal for the form of the page it shows again.
REFUSAL = "_service_refusal"


class WriteRefused(ServiceRefused):
    """The service refused the form's write; the page is shown again with the refusal."""

    def __init__(self, error: Refusal) -> None:
        super().__init__(
            [_(CONFLICT)] if isinstance(error, IntegrityError) else refusal_reasons(error)
        )
        self.error = error


class ServiceForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form that shows the service's refusal of its write as its errors.

    ``refusal`` is set by :class:`ServiceAdmin` when it shows the page again after a refusal.
    """

    refusal: Refusal | None = None

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if isinstance(self.refusal, ValidationError):
            self._add_service_error(self.refusal)
        elif isinstance(self.refusal, PermissionDenied):
            self.add_error(None, refusal_reasons(self.refusal))
        elif isinstance(self.refusal, IntegrityError):
            # A database constraint the service did not check first.
            self.add_error(None, ValidationError(_(CONFLICT), code="conflict"))
        return cleaned

    def _add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            if field in self.fields:
                self.add_error(field, errors)
            else:
                for item in errors:
                    reason = " ".join(item.messages)
                    self.add_error(None, reason if field == "__all__" else f"{field}: {reason}")


def fresh(instance: models.Model | None) -> Any:
    """A copy of ``instance`` as stored, for a service to change (the form's copy is not)."""
    if instance is None or instance.pk is None:
        return None
    return type(instance)._default_manager.get(pk=instance.pk)


class MoneyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A model admin whose money fields read amounts as the budget grid does: in the user's
    notation, by the one amount parser (a German "12.5" is refused, never read as 125)."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if isinstance(db_field, MoneyField):
            return AmountField(
                required=not db_field.blank,
                label=capfirst(db_field.verbose_name),
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ServiceAdmin(MoneyAdmin):
    """A model admin whose add, change and delete go through services.

    Subclasses implement :meth:`write` (add and change) and :meth:`remove` (delete); both get the
    stored copy of the object, not the form's.
    """

    form = ServiceForm

    def write(self, request: HttpRequest, original: Any, form: ServiceForm) -> models.Model:
        """Add (``original`` is None) or change the object through its service."""
        raise NotImplementedError

    def remove(self, request: HttpRequest, original: Any) -> None:
        """Delete the object through its service."""
        raise NotImplementedError

    def get_form(  # type: ignore[no-untyped-def]
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"refusal": getattr(request, REFUSAL, None)})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            saved = self.write(request, fresh(obj) if change else None, form)
        except (ValidationError, PermissionDenied, IntegrityError) as error:
            raise WriteRefused(error) from error
        # The admin logs and redirects with the object it built; give it the saved identity.
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with service_call():
            self.remove(request, fresh(obj))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        """All or nothing: the first refusal rolls back every deletion of the action."""
        with service_call():
            for obj in queryset:
                original = fresh(obj)
                if original is not None:  # gone already with an earlier one
                    self.remove(request, original)

    def _refused(self, request: HttpRequest, refused: ServiceRefused) -> HttpResponse:
        for reason in refused.reasons:
            self.message_user(request, reason, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WriteRefused as refused:
            setattr(request, REFUSAL, refused.error)
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            return self._refused(request, refused)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRefused as refused:
            return self._refused(request, refused)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        try:
            # Actions are not atomic in the admin: without this, a refused bulk deletion would
            # keep the deletions before it and the log entries of all.
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        except ServiceRefused as refused:
            return self._refused(request, refused)


class HistoryAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """An object's history (django-simple-history), to read: who changed what when. No version
    is reverted here: a revert is a new write, made on the change page, where the rules run."""

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "POST":
            raise PermissionDenied
        page: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return page


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """History written by the services: viewed by those who may, changed by nobody."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def related_filter(*related: str) -> type[RelatedFieldListFilter]:
    """A foreign-key filter whose choices are read in one query with ``related`` (their names
    need those rows), rather than one query per choice."""

    class Filter(RelatedFieldListFilter):
        def field_choices(  # type: ignore[no-untyped-def, override]
            self, field, request, model_admin
        ) -> list[tuple[Any, str]]:
            ordering = self.field_admin_ordering(field, request, model_admin)
            rows = field.related_model._default_manager.select_related(*related)
            if ordering:
                rows = rows.order_by(*ordering)
            return [(row.pk, str(row)) for row in rows]

    return Filter
