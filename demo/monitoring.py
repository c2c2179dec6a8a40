"""The clusters as a whole in the demo: members, activities with contacts and outcomes, and
the member survey, for the ten demo clusters. Built through the monitoring services.

The survey answers reproduce the Kiel brief's Abbildung 2 exactly: of 100 answers programme-wide,
57 know the measure and 64 their cluster's strategy (57 % and 64 %; no rounding needed). MERGE has
only 3 answers, so its results are withheld (and DeepSea's with them, so that the programme total
minus the shown clusters does not give MERGE's); Leichtbau BW's survey is still open.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from kernel import clock
from monitoring.links import survey_token
from monitoring.models import ContactsAbroad, Member
from monitoring.services import (
    ActivityInput,
    ContactInput,
    MemberInput,
    OutcomeInput,
    activity_record,
    members_import,
    survey_answer,
    survey_send,
)
from programmes.models import Cluster, LegalForm, Programme, SizeClass

STEMS = (
    "Sensorik",
    "Datenwerk",
    "Prozesstechnik",
    "Antriebstechnik",
    "Softwarehaus",
    "Messtechnik",
    "Robotik",
    "Materialprüfung",
    "Systemhaus",
    "Leichtbauteile",
    "Optik",
    "Analytik",
    "Engineering",
    "Automation",
    "Photonik",
    "Verbundwerkstoffe",
    "Elektronik",
    "Steuerungstechnik",
    "Simulation",
    "Oberflächentechnik",
)
SUFFIXES = ("GmbH", "AG", "GmbH & Co. KG", "GmbH")
SIZES = (SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.LARGE)
SURVEY_SENT = datetime(2025, 10, 6, 9, 0)
SURVEY_ANSWERED = datetime(2025, 10, 14, 12, 0)


@dataclass(frozen=True)
class Activity:
    kind: str
    title: str
    held_on: date
    country: str
    region: str
    format: str
    participants: int
    contacts: tuple[tuple[str, bool], ...]  # partner abroad, known before
    outcomes: tuple[tuple[str, date], ...] = ()


@dataclass(frozen=True)
class ClusterStory:
    cluster: str
    members: int
    research_members: int  # the last ones are universities and institutes, not companies
    answers: int
    knows_measure: int
    knows_strategy: int
    activities: tuple[Activity, ...]


def _fair(title: str, held_on: date, country: str, region: str, participants: int) -> Activity:
    return Activity("trade_fair", title, held_on, country, region, "in_person", participants, ())


STORIES = (
    ClusterStory(
        "Software-Cluster",
        40,
        0,
        13,
        8,
        9,
        (
            Activity(
                "delegation",
                "Virtuelle Delegationsreise New York und Boston",
                date(2024, 11, 11),
                "US",
                "New York and Boston",
                "virtual",
                36,
                (
                    ("MIT Computer Science and AI Laboratory", False),
                    ("Cornell Tech", False),
                    ("NYU Tandon School of Engineering", True),
                    ("Boston University Hariri Institute", False),
                    ("MassRobotics", False),
                    ("NYC Economic Development Corporation", True),
                    ("Harvard Data Science Initiative", False),
                    ("Northeastern University Khoury College", False),
                ),
                (("memorandum", date(2025, 2, 3)), ("joint_proposal", date(2025, 6, 30))),
            ),
            Activity(
                "matchmaking",
                "Matchmaking Software Engineering mit Israel",
                date(2025, 3, 19),
                "IL",
                "Tel Aviv",
                "in_person",
                8,
                (
                    ("Tel Aviv University, Blavatnik School", False),
                    ("Start-Up Nation Central", True),
                ),
            ),
        ),
    ),
    ClusterStory(
        "ARENA2036",
        30,
        4,
        14,
        8,
        9,
        (
            Activity(
                "delegation",
                "Delegationsreise China: Fahrzeugforschung in Shanghai und Peking",
                date(2025, 4, 7),
                "CN",
                "Shanghai and Beijing",
                "in_person",
                12,
                (
                    ("Tongji University, School of Automotive Studies", True),
                    ("Tsinghua University, State Key Lab of Automotive Safety", False),
                    ("SAIC Motor Innovation Center", False),
                    ("China Automotive Technology and Research Center", False),
                ),
                (("memorandum", date(2025, 5, 20)), ("contract", date(2025, 11, 3))),
            ),
            Activity(
                "ambassador_visit",
                "Botschafter aus Michigan zu Gast in der ARENA2036",
                date(2024, 9, 24),
                "US",
                "Michigan (Detroit)",
                "in_person",
                9,
                (("Michigan Economic Development Corporation", True),),
            ),
        ),
    ),
    ClusterStory(
        "BioM",
        24,
        5,
        13,
        7,
        8,
        (
            _fair(
                "Gemeinschaftsstand BIO International Convention",
                date(2025, 6, 16),
                "US",
                "California (San Diego)",
                7,
            ),
            Activity(
                "matchmaking",
                "Partnering Boston Biotech",
                date(2024, 10, 8),
                "US",
                "Massachusetts (Boston)",
                "virtual",
                6,
                (("MassBio", True), ("Broad Institute", False)),
                (("joint_proposal", date(2025, 3, 14)),),
            ),
        ),
    ),
    ClusterStory(
        "Hamburg Aviation",
        22,
        3,
        12,
        7,
        8,
        (
            Activity(
                "workshop",
                "Workshop Kabinenforschung mit Montréal",
                date(2025, 2, 25),
                "CA",
                "Québec (Montréal)",
                "in_person",
                8,
                (("Aéro Montréal", True), ("CRIAQ", False), ("Concordia University", False)),
                (("memorandum", date(2025, 9, 1)),),
            ),
            Activity(
                "ambassador_visit",
                "Botschafter aus Toulouse in Hamburg",
                date(2024, 6, 18),
                "FR",
                "Occitanie (Toulouse)",
                "in_person",
                5,
                (("Aerospace Valley", True),),
            ),
        ),
    ),
    ClusterStory(
        "it's OWL",
        28,
        4,
        12,
        7,
        8,
        (
            Activity(
                "delegation",
                "Delegation Industrie 4.0 nach Pittsburgh",
                date(2024, 5, 13),
                "US",
                "Pennsylvania (Pittsburgh)",
                "in_person",
                10,
                (
                    ("Carnegie Mellon University, Robotics Institute", True),
                    ("Advanced Robotics for Manufacturing Institute", False),
                ),
                (("joint_proposal", date(2024, 12, 2)),),
            ),
            Activity(
                "ambassador_visit",
                "Botschafter aus Bengaluru in Paderborn",
                date(2025, 7, 8),
                "IN",
                "Karnataka (Bengaluru)",
                "in_person",
                6,
                (("Indian Institute of Science", True),),
            ),
        ),
    ),
    ClusterStory(
        "MedicalValley EMN",
        20,
        4,
        12,
        7,
        7,
        (
            Activity(
                "matchmaking",
                "Medizintechnik-Matchmaking in Tel Aviv",
                date(2025, 1, 21),
                "IL",
                "Tel Aviv",
                "virtual",
                7,
                (("Sheba Medical Center ARC", False), ("Israel Innovation Authority", True)),
                (("contract", date(2025, 8, 12)),),
            ),
            Activity(
                "delegation",
                "Delegation Gesundheitswirtschaft nach Singapur",
                date(2024, 9, 9),
                "SG",
                "Singapore",
                "in_person",
                6,
                (("A*STAR Institute of Bioengineering", False),),
                (("joint_proposal", date(2025, 4, 15)),),
            ),
        ),
    ),
    ClusterStory(
        "Optence",
        16,
        2,
        12,
        7,
        8,
        (
            _fair(
                "Gemeinschaftsstand Photonics West",
                date(2025, 1, 28),
                "US",
                "California (San Francisco)",
                6,
            ),
            Activity(
                "workshop",
                "Photonik-Workshop mit Tucson",
                date(2024, 10, 22),
                "US",
                "Arizona (Tucson)",
                "virtual",
                5,
                (
                    ("University of Arizona, Wyant College of Optical Sciences", True),
                    ("Arizona Optics Industry Association", False),
                ),
            ),
        ),
    ),
    ClusterStory(
        "DeepSea Mining Alliance",
        14,
        2,
        9,
        5,
        5,
        (
            Activity(
                "workshop",
                "Workshop Tiefseebergbau mit Norwegen",
                date(2025, 5, 6),
                "NO",
                "Trondheim",
                "in_person",
                5,
                (("NTNU Ocean Lab", True), ("SINTEF Ocean", False)),
            ),
            Activity(
                "ambassador_visit",
                "Botschafter aus Japan in Kiel",
                date(2024, 11, 26),
                "JP",
                "Tokyo",
                "in_person",
                4,
                (("JOGMEC", False),),
            ),
        ),
    ),
    ClusterStory(
        "MERGE",
        12,
        3,
        3,
        1,
        2,
        (
            Activity(
                "ambassador_visit",
                "Besuch aus Sendai",
                date(2025, 6, 3),
                "JP",
                "Miyagi (Sendai)",
                "in_person",
                4,
                (("Tohoku University", False),),
            ),
            Activity(
                "workshop",
                "Workshop Leichtbau-Textilien mit Kanada",
                date(2024, 10, 1),
                "CA",
                "Ontario (Toronto)",
                "virtual",
                3,
                (("University of Toronto", True),),
            ),
        ),
    ),
    ClusterStory(
        "Leichtbau BW",
        18,
        3,
        0,
        0,
        0,
        (
            Activity(
                "matchmaking",
                "Matchmaking Leichtbau in Nagoya",
                date(2025, 9, 23),
                "JP",
                "Aichi (Nagoya)",
                "in_person",
                6,
                (
                    ("Nagoya University, National Composite Center", False),
                    ("Toyota Industries", False),
                ),
            ),
            _fair(
                "Gemeinschaftsstand JEC World", date(2025, 3, 4), "FR", "Île-de-France (Paris)", 5
            ),
        ),
    ),
)


def _members(cluster: Cluster, story: ClusterStory) -> list[tuple[int, MemberInput]]:
    rows = []
    for n in range(story.members):
        place = cluster.location if n < len(STEMS) else f"{cluster.location}-Süd"
        stem = STEMS[n % len(STEMS)]
        research = n >= story.members - story.research_members
        rows.append(
            (
                n + 2,
                MemberInput(
                    name=f"Institut für {stem} {place}"
                    if research
                    else f"{stem} {place} {SUFFIXES[n % 4]}",
                    legal_form=LegalForm.RESEARCH_INSTITUTE if research else LegalForm.COMPANY,
                    size_class="" if research else SIZES[n % 4],
                    sector=cluster.sector,
                    city=cluster.location,
                    contact_email=f"info@{slugify(f'{stem}-{place}')}-{n}.example",
                ),
            )
        )
    return rows


def _activity(spec: Activity, members: list[Member]) -> ActivityInput:
    participants = members[: spec.participants]
    return ActivityInput(
        kind=spec.kind,
        title=spec.title,
        held_on=spec.held_on,
        country=spec.country,
        region=spec.region,
        format=spec.format,
        participants=participants,
        contacts=[
            ContactInput(name, spec.country, known, participants[i % len(participants)])
            for i, (name, known) in enumerate(spec.contacts)
        ],
        outcomes=[OutcomeInput(kind, on) for kind, on in spec.outcomes],
    )


def _answers(story: ClusterStory, tokens: list[str]) -> None:
    kinds = list(ContactsAbroad)
    for n, token in enumerate(tokens[: story.answers]):
        survey_answer(
            token=token,
            knows_measure=n < story.knows_measure,
            knows_strategy=n < story.knows_strategy,
            took_part=n % 2 == 0,
            contacts_abroad=kinds[n % len(kinds)],
        )


def _moment(naive: datetime) -> datetime:
    return timezone.make_aware(naive)


def monitoring_load(
    programme: Programme,
    clusters: Mapping[str, Cluster],
    managers: Mapping[str, Any],
    log: Callable[[str], None],
) -> int:
    """Each demo cluster's members, activities and survey; a cluster that has members already
    is left as it is. Returns the number of clusters loaded now."""
    loaded = 0
    for story in STORIES:
        cluster, manager = clusters[story.cluster], managers[story.cluster]
        if Member.objects.filter(cluster=cluster).exists():
            continue
        members = members_import(cluster=cluster, rows=_members(cluster, story), by=manager)
        companies = [member for member in members if member.legal_form == LegalForm.COMPANY]
        for spec in story.activities:
            activity_record(cluster=cluster, given=_activity(spec, companies), by=manager)
        sent = _moment(SURVEY_SENT) if story.answers else clock.now()
        with clock.frozen_at(sent):
            survey = survey_send(programme=programme, cluster=cluster, by=manager, mail_links=False)
        tokens = [
            survey_token(pk)
            for pk in survey.invitations.order_by("pk").values_list("pk", flat=True)
        ]
        with clock.frozen_at(_moment(SURVEY_ANSWERED)):
            _answers(story, tokens)
        loaded += 1
        log(
            f"  {story.cluster}: {len(members)} members, {len(story.activities)} activities, "
            f"{story.answers} survey answers."
        )
    return loaded
