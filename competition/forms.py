"""Forms of the competition's pages: shape only. The services decide who may assign, declare
or review what, and say why not."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from programmes.models import Cluster

from .models import Recommendation, ReviewCriterion
from .services import ScoreInput


class ReviewForm(forms.Form):
    """A score (on the criterion's scale) and a comment per criterion, the recommendation and
    an overall comment. A draft may leave anything empty; submitting needs everything. The
    page names each criterion once, in the legend of its fieldset."""

    recommendation = forms.ChoiceField(
        label=capfirst(_("recommendation")),
        choices=[("", "–"), *Recommendation.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=capfirst(_("overall comment")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, criteria: Sequence[ReviewCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score-{criterion.pk}"] = forms.TypedChoiceField(
                label=capfirst(_("score")),
                choices=[
                    ("", "–"),
                    *[(n, n) for n in range(criterion.scale_min, criterion.scale_max + 1)],
                ],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"note-{criterion.pk}"] = forms.CharField(
                label=capfirst(_("comment")),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[ReviewCriterion, Any, Any]]:
        return [(c, self[f"score-{c.pk}"], self[f"note-{c.pk}"]) for c in self.criteria]

    def scores(self) -> list[ScoreInput]:
        data = self.cleaned_data
        return [
            ScoreInput(c, data.get(f"score-{c.pk}"), data.get(f"note-{c.pk}") or "")
            for c in self.criteria
        ]


class ConflictForm(forms.Form):
    """A jury member's declaration: the cluster and why. A blank reason is the service's
    refusal, so that it has one message."""

    cluster = forms.ModelChoiceField(
        label=capfirst(_("cluster")), queryset=Cluster.objects.order_by("name")
    )
    reason = forms.CharField(
        label=capfirst(_("reason")),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JurySearchForm(forms.Form):
    q = forms.CharField(
        label=capfirst(_("search")),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("name or username"),
                # jury-filter.js narrows these rows while one types.
                "data-filters": "#jury-members tbody tr",
            }
        ),
    )


class AssignForm(forms.Form):
    """Any user: whether they are a jury member who may review the application is the
    service's rule, and its refusal says so."""

    reviewer = forms.ModelChoiceField(queryset=get_user_model()._default_manager.all())


class RecordConflictForm(ConflictForm):
    """An officer records a jury member's conflict with a cluster of the round (the member told
    them by letter or telephone). Whether the user is a jury member is the service's rule."""

    reviewer = forms.ModelChoiceField(
        label=capfirst(_("jury member")), queryset=get_user_model()._default_manager.all()
    )

    def __init__(self, *args: Any, clusters: Any, jury: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cluster_field: Any = self.fields["cluster"]
        cluster_field.queryset = clusters
        reviewer_field: Any = self.fields["reviewer"]
        reviewer_field.queryset = jury
        reviewer_field.label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} ({user.username})"
        )
