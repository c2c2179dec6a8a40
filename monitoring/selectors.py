"""Reads: a cluster's members and activities, and the indicators of the Kiel brief per cluster,
per round, per year and for the programme, each in a fixed number of queries however many
members, activities and answers there are.

The programme's clusters are those with an application in one of its rounds; a round's are those
it selected. Survey results pass ``disclosure`` before anyone sees them: a share rests on at least
the programme's ``survey_min_answers`` answers, also after subtraction.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from applications.models import Application
from applications.states import SELECTED_STATES
from programmes.models import Cluster, Programme, Round

from .disclosure import Shares, Table, Tally, share, table, whole_beside
from .models import (
    Activity,
    ActivityKind,
    Contact,
    ContactsAbroad,
    Member,
    Outcome,
    OutcomeKind,
    Survey,
    SurveyAnswer,
)

NOT_IN_A_ROUND = 0  # the group of clusters no round selected (counted, never shown)


def members_of(cluster: Cluster) -> QuerySet[Member]:
    return Member.objects.filter(cluster=cluster).annotate(activity_count=Count("activities"))


def activities_of(cluster: Cluster) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(cluster=cluster)
        .annotate(
            participant_count=Count("participants", distinct=True),
            contact_count=Count("contacts", distinct=True),
            outcome_count=Count("outcomes", distinct=True),
        )
        .order_by("-held_on", "title")
    )


def surveys_of(cluster: Cluster) -> QuerySet[Survey]:
    """The cluster's surveys with how many were asked and how many answered (no shares)."""
    return (
        Survey.objects.filter(cluster=cluster)
        .select_related("programme")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__is_used=True), distinct=True),
        )
        .order_by("-sent_at")
    )


def activity_detail(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities with everything their page and the API show, in four queries."""
    return activities.select_related("cluster").prefetch_related(
        Prefetch("participants", queryset=Member.objects.order_by("name")),
        Prefetch("contacts", queryset=Contact.objects.select_related("member")),
        "outcomes",
    )


@dataclass
class Reach:
    """What activities did: members reached (of all members), contacts, outcomes by type."""

    members: int = 0
    reached: int = 0
    activities: int = 0
    contacts_known: int = 0
    contacts_new: int = 0
    outcomes: int = 0

    @property
    def reached_share(self) -> Decimal | None:
        return share(self.reached, self.members)

    def __add__(self, other: "Reach") -> "Reach":
        return Reach(
            *(getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__)
        )


@dataclass
class ClusterRow:
    cluster: Cluster
    reach: Reach
    survey: Shares


@dataclass
class PeriodRow:
    """A round's or a year's figures."""

    label: str
    key: int
    reach: Reach
    survey: Shares


@dataclass
class Median:
    reached_share: Decimal | None
    knows_measure: Decimal | None
    knows_strategy: Decimal | None


@dataclass
class Indicators:
    programme: Programme
    min_answers: int
    clusters: list[ClusterRow]
    total: Reach
    survey: Shares
    rounds: list[PeriodRow]
    years: list[PeriodRow]
    outcomes: dict[str, dict[str, int]]  # activity type -> outcome type -> count
    median: Median
    outcome_kinds: list[tuple[str, str]] = field(default_factory=list)
    activity_kinds: list[tuple[str, str]] = field(default_factory=list)
    # The answers' counts behind the shares, for the cluster view's own rule; never shown.
    tallies: dict[int, Tally] = field(default_factory=dict, repr=False)
    survey_tally: Tally = field(default_factory=Tally, repr=False)


def programme_for(cluster: Cluster, asked: str | None) -> Programme | None:
    """The programme whose figures a cluster's pages compare with: the one asked for (an id),
    else the one of the cluster's newest application, else the first."""
    programmes = Programme.objects.order_by("name")
    if asked and asked.isdigit():
        return programmes.filter(pk=int(asked)).first()
    own = programmes.filter(rounds__applications__cluster=cluster).order_by("-rounds__number")
    return own.first() or programmes.first()


def programme_clusters(programme: Programme) -> QuerySet[Cluster]:
    return Cluster.objects.filter(
        pk__in=Application.objects.filter(round__programme=programme).values("cluster_id")
    ).order_by("name")


def _tallies(answers: QuerySet[SurveyAnswer], key: Any) -> dict[int, Tally]:
    known = [ContactsAbroad.KNOWN, ContactsAbroad.BOTH]
    new = [ContactsAbroad.NEW, ContactsAbroad.BOTH]
    rows = answers.values(group=key).annotate(
        answers=Count("pk"),
        knows_measure=Count("pk", filter=Q(knows_measure=True)),
        knows_strategy=Count("pk", filter=Q(knows_strategy=True)),
        took_part=Count("pk", filter=Q(took_part=True)),
        contacts_known=Count("pk", filter=Q(contacts_abroad__in=known)),
        contacts_new=Count("pk", filter=Q(contacts_abroad__in=new)),
    )
    return {
        row.pop("group"): Tally(**row)  # type: ignore[misc]
        for row in rows.order_by()
    }


@dataclass(frozen=True)
class Grouping:
    """How each model's rows are grouped: by cluster, or by the activity's year."""

    reached: Any
    activity: Any
    via_activity: Any
    members_by_cluster: bool


BY_CLUSTER = Grouping(F("cluster_id"), F("cluster_id"), F("activity__cluster_id"), True)
BY_YEAR = Grouping(
    ExtractYear("activities__held_on"),
    ExtractYear("held_on"),
    ExtractYear("activity__held_on"),
    False,
)


def _reach(cluster_ids: list[int], by: Grouping) -> dict[int, Reach]:
    """Members, reached members, activities, contacts and outcomes per group, in five grouped
    queries. By year, a member counts as reached in each year it took part in something."""
    found: dict[int, Reach] = defaultdict(Reach)
    members = Member.objects.filter(cluster_id__in=cluster_ids)
    if by.members_by_cluster:
        for member_row in members.values("cluster_id").annotate(n=Count("pk")).order_by():
            found[member_row["cluster_id"]].members = member_row["n"]
    reached = members.filter(activities__isnull=False).values(group=by.reached)
    for reached_row in reached.annotate(n=Count("pk", distinct=True)).order_by():
        found[reached_row["group"]].reached = reached_row["n"]
    activities = Activity.objects.filter(cluster_id__in=cluster_ids).values(group=by.activity)
    for activity_row in activities.annotate(n=Count("pk")).order_by():
        found[activity_row["group"]].activities = activity_row["n"]
    contacts = Contact.objects.filter(activity__cluster_id__in=cluster_ids)
    for contact_row in (
        contacts.values(group=by.via_activity)
        .annotate(
            known=Count("pk", filter=Q(is_known_partner=True)),
            new=Count("pk", filter=Q(is_known_partner=False)),
        )
        .order_by()
    ):
        found[contact_row["group"]].contacts_known = contact_row["known"]
        found[contact_row["group"]].contacts_new = contact_row["new"]
    outcomes = Outcome.objects.filter(activity__cluster_id__in=cluster_ids)
    for outcome_row in outcomes.values(group=by.via_activity).annotate(n=Count("pk")).order_by():
        found[outcome_row["group"]].outcomes = outcome_row["n"]
    return found


def _outcomes_by_type(cluster_ids: list[int]) -> dict[str, dict[str, int]]:
    """Outcome counts per activity type (in the types' order) and outcome type."""
    counts = {kind.value: {outcome.value: 0 for outcome in OutcomeKind} for kind in ActivityKind}
    rows = (
        Outcome.objects.filter(activity__cluster_id__in=cluster_ids)
        .values("activity__kind", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["activity__kind"]][row["kind"]] = row["n"]
    return counts


def _round_clusters(programme: Programme) -> tuple[list[Round], dict[int, set[int]]]:
    rounds = list(Round.objects.filter(programme=programme).order_by("number"))
    selected: dict[int, set[int]] = defaultdict(set)
    for round_id, cluster_id in (
        Application.objects.filter(round__programme=programme, state__in=SELECTED_STATES)
        .values_list("round_id", "cluster_id")
        .order_by()
    ):
        selected[round_id].add(cluster_id)
    return rounds, selected


def _median(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    if not present:
        return None
    return Decimal(median(present)).quantize(Decimal(1), ROUND_HALF_UP)


def programme_indicators(programme: Programme) -> Indicators:
    """Every indicator of the programme: per cluster, per round, per year and in total, with
    the survey's shares withheld where a group is below the programme's threshold."""
    k = programme.survey_min_answers
    clusters = list(programme_clusters(programme))
    ids = [cluster.pk for cluster in clusters]
    answers = SurveyAnswer.objects.filter(survey__programme=programme, survey__cluster_id__in=ids)
    by_cluster = _reach(ids, BY_CLUSTER)
    tallies = _tallies(answers, F("survey__cluster_id"))
    cluster_table: Table[int] = table({pk: tallies.get(pk, Tally()) for pk in ids}, k)
    rows = [ClusterRow(c, by_cluster[c.pk], cluster_table.rows[c.pk]) for c in clusters]
    total_tally = sum(tallies.values(), Tally())

    rounds, selected = _round_clusters(programme)
    round_groups = {
        round_.pk: sum((tallies.get(pk, Tally()) for pk in selected[round_.pk]), Tally())
        for round_ in rounds
    }
    in_some_round = set().union(*selected.values()) if selected else set()
    round_groups[NOT_IN_A_ROUND] = sum(
        (tallies.get(pk, Tally()) for pk in ids if pk not in in_some_round), Tally()
    )
    round_table = table(round_groups, k, unshown={NOT_IN_A_ROUND})
    round_rows = [
        PeriodRow(
            str(round_),
            round_.pk,
            sum((by_cluster[pk] for pk in selected[round_.pk]), Reach()),
            round_table.rows[round_.pk],
        )
        for round_ in rounds
    ]

    by_year = _reach(ids, BY_YEAR)
    year_tallies = _tallies(answers, ExtractYear("survey__sent_at"))
    year_table = table(year_tallies, k)
    total = sum(by_cluster.values(), Reach())
    years = sorted(set(by_year) | set(year_tallies))
    year_rows = [
        PeriodRow(
            str(year),
            year,
            Reach(members=total.members, **_without_members(by_year[year])),
            year_table.rows.get(year, Shares(answers=None, shown=False)),
        )
        for year in years
    ]
    shown = [row.survey for row in rows if row.survey.shown]
    return Indicators(
        programme=programme,
        min_answers=k,
        clusters=rows,
        total=total,
        survey=cluster_table.total,
        rounds=round_rows,
        years=year_rows,
        outcomes=_outcomes_by_type(ids),
        median=Median(
            reached_share=_median(row.reach.reached_share for row in rows),
            knows_measure=_median(s.knows_measure for s in shown),
            knows_strategy=_median(s.knows_strategy for s in shown),
        ),
        outcome_kinds=[(str(kind.value), str(kind.label)) for kind in OutcomeKind],
        activity_kinds=[(str(kind.value), str(kind.label)) for kind in ActivityKind],
        tallies=tallies,
        survey_tally=total_tally,
    )


def _without_members(reach: Reach) -> dict[str, int]:
    return {name: getattr(reach, name) for name in reach.__dataclass_fields__ if name != "members"}


@dataclass
class ClusterIndicators:
    """A cluster's figures beside the programme's: the programme's survey shares only where
    the rest of the programme (without this cluster) has enough answers too."""

    cluster: Cluster
    reach: Reach
    survey: Shares
    programme: Indicators
    programme_survey: Shares


def cluster_indicators(cluster: Cluster, programme: Programme) -> ClusterIndicators:
    """The cluster's own figures (its survey from the threshold on) beside the programme's."""
    figures = programme_indicators(programme)
    k = figures.min_answers
    own = next((row.reach for row in figures.clusters if row.cluster.pk == cluster.pk), None)
    if own is None:  # not a cluster of the programme (yet): only its activities count
        own = _reach([cluster.pk], BY_CLUSTER)[cluster.pk]
    own_tally = figures.tallies.get(cluster.pk, Tally())
    whole = figures.survey_tally
    return ClusterIndicators(
        cluster=cluster,
        reach=own,
        survey=Shares.of(own_tally, shown=own_tally.answers >= k),
        programme=figures,
        programme_survey=whole_beside(whole, own_tally, k),
    )
