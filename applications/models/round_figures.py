"""A round's applications counted and their stored budget figures summed per sector and state."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundFigures(models.Model):
    """Per cluster sector and state of a round: how many applications and the sums of their
    budget figures (``budgets.BudgetFigures``), kept in the transaction of every change that
    moves them (``applications.round_figures``), so the round pages read a row per round
    instead of summing every application. ``by_sector``: sector → state → [count, then the six
    figure sums of ``budgets.figures.ALL_FIELDS`` as decimal strings]."""

    round = models.OneToOneField(
        "programmes.Round", on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    by_sector = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("round figures")
        verbose_name_plural = _("round figures")

    def __str__(self) -> str:
        return str(_("Figures of round %(id)s") % {"id": self.round_id})
