"""The InterSpiN programme, its rounds, the demo users and the organisations of the demo stories.

Pure data, no database. Facts about the programme and its rounds come from the Kiel policy brief
(Kiel Policy Brief Nr. 111, December 2017) as summarised in DOMAIN.md; the organisations'
budgets and the companies are invented for the demo.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from programmes.access import Role
from programmes.models import Basis, LegalForm, SizeClass

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(moment: str) -> datetime:
    """``"2015-02-28 23:59"`` as an aware datetime in Europe/Berlin."""
    return datetime.fromisoformat(moment).replace(tzinfo=BERLIN)


PROGRAMME = {
    "name": "Internationalisierung von Spitzenclustern, Zukunftsprojekten und vergleichbaren "
    "Netzwerken",
    "short_name": "InterSpiN",
    "description": (
        "Fördermaßnahme des BMBF, durchgeführt vom Projektträger Jülich: führende deutsche "
        "Technologiecluster bauen F&E-Kooperationen mit Partnerregionen im Ausland auf. "
        "Konzeptionsphase bis zu zwei Jahre mit bis zu 500.000 € je Jahr, Umsetzungsphase mit bis "
        "zu drei F&E-Projekten und bis zu 3 Mio. € in drei Jahren; bis zu 4 Mio. € je Cluster."
    ),
    "concept_annual_cap_amount": Decimal("500000.00"),
    "concept_max_years": 2,
    "max_rd_projects": 3,
    "implementation_cap_amount": Decimal("3000000.00"),
    "implementation_max_years": 3,
    "cluster_cap_amount": Decimal("4000000.00"),
    "max_funding_rate": Decimal("100.00"),
    "projektpauschale_rate": Decimal("20.00"),
}


@dataclass(frozen=True)
class RateDefault:
    legal_form: str
    size_class: str
    basis: str
    funding_rate: Decimal
    has_projektpauschale: bool = False


# Federal convention: universities 100 % of expenditure plus the Projektpauschale; companies 50 %
# of costs plus 20 points if small and 10 if medium-sized.
RATE_DEFAULTS = (
    RateDefault(LegalForm.UNIVERSITY, "", Basis.AZA, Decimal("100.00"), has_projektpauschale=True),
    RateDefault(LegalForm.RESEARCH_INSTITUTE, "", Basis.AZK, Decimal("100.00")),
    RateDefault(LegalForm.NON_PROFIT, "", Basis.AZA, Decimal("100.00")),
    RateDefault(LegalForm.CLUSTER_MANAGEMENT, "", Basis.AZA, Decimal("100.00")),
    RateDefault(LegalForm.COMPANY, SizeClass.SMALL, Basis.AZK, Decimal("70.00")),
    RateDefault(LegalForm.COMPANY, SizeClass.MEDIUM, Basis.AZK, Decimal("60.00")),
    RateDefault(LegalForm.COMPANY, SizeClass.LARGE, Basis.AZK, Decimal("50.00")),
)


@dataclass(frozen=True)
class RoundSpec:
    number: int
    call_published_on: date
    outline_deadline_at: datetime
    funding_starts_on: date
    selection_quota: int
    envelope_amount: Decimal


ROUNDS = (
    # Call of December 2014, outlines due 28 February 2015, concept phases from early 2016.
    RoundSpec(
        number=1,
        call_published_on=date(2014, 12, 1),
        outline_deadline_at=berlin("2015-02-28 23:59"),
        funding_starts_on=date(2016, 1, 1),
        selection_quota=11,
        # EUR 88M for the 22 clusters of rounds 1 and 2: 11 × EUR 4M each.
        envelope_amount=Decimal("44000000.00"),
    ),
    # Guideline of 23 November 2015, start early 2017. The Kiel brief gives no outline deadline
    # for this round; we assume 29 February 2016, about three months after the guideline, as
    # in round 1.
    RoundSpec(
        number=2,
        call_published_on=date(2015, 11, 23),
        outline_deadline_at=berlin("2016-02-29 23:59"),
        funding_starts_on=date(2017, 1, 1),
        selection_quota=11,
        envelope_amount=Decimal("44000000.00"),
    ),
    # Guideline of 7 November 2016, outlines due 15 March 2017, start early 2018; 10 clusters.
    RoundSpec(
        number=3,
        call_published_on=date(2016, 11, 7),
        outline_deadline_at=berlin("2017-03-15 23:59"),
        funding_starts_on=date(2018, 1, 1),
        selection_quota=10,
        envelope_amount=Decimal("40000000.00"),
    ),
)


# Round 4 is invented for the demo (InterSpiN had three rounds): it is open on the day the demo is
# loaded, so a newcomer can submit an outline without editing deadlines.
CURRENT_ROUND_NUMBER = 4
OUTLINE_WEEKS = 8
OUTLINE_DEADLINE_TIME = time(12, 0)


def outline_deadline(now: datetime) -> datetime:
    """Noon (Europe/Berlin) of the day ``OUTLINE_WEEKS`` weeks after ``now``."""
    day = now.astimezone(BERLIN).date() + timedelta(weeks=OUTLINE_WEEKS)
    return datetime.combine(day, OUTLINE_DEADLINE_TIME, tzinfo=BERLIN)


def funding_start(deadline: datetime) -> date:
    """The first 1 January at least six months after the deadline, as in the historic rounds
    (the panel needs the months between to review and select)."""
    local = deadline.astimezone(BERLIN)
    return date(local.year + 1 if local.month <= 6 else local.year + 2, 1, 1)


def current_round(now: datetime) -> RoundSpec:
    """Round 4 as if its call were published on the day of ``now``: outlines due in eight
    weeks; quota and envelope as in round 3."""
    deadline = outline_deadline(now)
    return RoundSpec(
        number=CURRENT_ROUND_NUMBER,
        call_published_on=now.astimezone(BERLIN).date(),
        outline_deadline_at=deadline,
        funding_starts_on=funding_start(deadline),
        selection_quota=10,
        envelope_amount=Decimal("40000000.00"),
    )


@dataclass(frozen=True)
class DemoUser:
    """A demo login. Its password is documented in docs/demo.md: never load this in production."""

    username: str
    role: str
    first_name: str
    last_name: str
    cluster: str = ""

    @property
    def password(self) -> str:
        return f"demo-{self.username}"

    @property
    def is_staff(self) -> bool:
        """Officers and auditors work in the admin for now; cluster managements do not."""
        return self.role in (Role.OFFICER, Role.AUDITOR)


USERS = (
    DemoUser("officer", Role.OFFICER, "Petra", "Schneider"),
    DemoUser("auditor", Role.AUDITOR, "Jonas", "Becker"),
    # One cluster management for each cluster that has a demo application.
    DemoUser("arena2036", Role.CLUSTER_MANAGEMENT, "Anna", "Wagner", "ARENA2036"),
    DemoUser("biom", Role.CLUSTER_MANAGEMENT, "Markus", "Huber", "BioM"),
    DemoUser("software-cluster", Role.CLUSTER_MANAGEMENT, "Sabine", "Koch", "Software-Cluster"),
    DemoUser("hamburg-aviation", Role.CLUSTER_MANAGEMENT, "Lars", "Petersen", "Hamburg Aviation"),
    DemoUser("its-owl", Role.CLUSTER_MANAGEMENT, "Katrin", "Meier", "it's OWL"),
    DemoUser("medicalvalley", Role.CLUSTER_MANAGEMENT, "Thomas", "Fischer", "MedicalValley EMN"),
    DemoUser("optence", Role.CLUSTER_MANAGEMENT, "Julia", "Schmitt", "Optence"),
    DemoUser("deepsea", Role.CLUSTER_MANAGEMENT, "Henrik", "Jansen", "DeepSea Mining Alliance"),
    DemoUser("merge", Role.CLUSTER_MANAGEMENT, "Claudia", "Richter", "MERGE"),
    DemoUser("leichtbau-bw", Role.CLUSTER_MANAGEMENT, "Stefan", "Weber", "Leichtbau BW"),
    # The selection panel (Auswahlgremium): jury members who review the outlines.
    DemoUser("jury-schulz", Role.REVIEWER, "Claudia", "Schulz"),
    DemoUser("jury-neumann", Role.REVIEWER, "Martin", "Neumann"),
    DemoUser("jury-lange", Role.REVIEWER, "Eva", "Lange"),
    # Payment officers (issue 15): two, so one releases what the other's colleague checked and
    # the four-eyes rule can be tried with either.
    DemoUser("payments", Role.PAYMENT_OFFICER, "Miriam", "Vogel"),
    DemoUser("payments-2", Role.PAYMENT_OFFICER, "Ralf", "Keller"),
    # A second officer (issue 16): decides the settlements the first one prepares (four eyes).
    DemoUser("officer-2", Role.OFFICER, "Daniel", "Hoffmann"),
)


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    description: str
    weight: Decimal
    scale_min: int = 1
    scale_max: int = 5


# The criteria every demo round's outlines are scored on (in this order), after the InterSpiN
# call's emphasis: strategy and R&D cooperation weigh most.
CRITERIA = (
    CriterionSpec(
        "Qualität der Internationalisierungsstrategie",
        "Klare Ziele, begründete Auswahl der Partnerregionen, realistischer Zeitplan.",
        Decimal("2.00"),
    ),
    CriterionSpec(
        "Passung der Partnerregionen",
        "Ergänzen die Partnerregionen die Stärken des Clusters? Bekannte oder neue Partner?",
        Decimal("1.50"),
    ),
    CriterionSpec(
        "Nutzen für den gesamten Cluster",
        "Auch für die nicht geförderten Mitglieder: wie erreichen sie Informationen und Kontakte?",
        Decimal("1.50"),
    ),
    CriterionSpec(
        "Nachhaltigkeit über die Förderung hinaus",
        "Tragen die Kooperationen nach dem Ende der Förderung weiter?",
        Decimal("1.00"),
    ),
    CriterionSpec(
        "Qualität der geplanten FuE-Kooperationen",
        "Konkrete Projekte mit Partnern im Ausland, Finanzierung und Umgang mit geistigem "
        "Eigentum.",
        Decimal("2.00"),
    ),
)


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    legal_form: str
    city: str
    country: str = "DE"
    size_class: str = ""


# German grantees and partners abroad of the R&D projects, by a short key the stories use. The
# companies are invented; the universities and institutes are real, their projects are not.
ORGANISATIONS = {
    # ARENA2036, Stuttgart
    "uni-stuttgart": OrganisationSpec("Universität Stuttgart", LegalForm.UNIVERSITY, "Stuttgart"),
    "fraunhofer-ipa": OrganisationSpec(
        "Fraunhofer-Institut für Produktionstechnik und Automatisierung IPA",
        LegalForm.RESEARCH_INSTITUTE,
        "Stuttgart",
    ),
    "neckar-sensorik": OrganisationSpec(
        "Neckar Sensorik GmbH", LegalForm.COMPANY, "Esslingen am Neckar", size_class=SizeClass.SMALL
    ),
    "filder-fahrzeugtechnik": OrganisationSpec(
        "Filder Fahrzeugtechnik GmbH",
        LegalForm.COMPANY,
        "Leinfelden-Echterdingen",
        size_class=SizeClass.MEDIUM,
    ),
    "polytechnique-montreal": OrganisationSpec(
        "Polytechnique Montréal", LegalForm.UNIVERSITY, "Montréal", country="CA"
    ),
    "uwaterloo": OrganisationSpec(
        "University of Waterloo", LegalForm.UNIVERSITY, "Waterloo", country="CA"
    ),
    # BioM, München
    "lmu": OrganisationSpec(
        "Ludwig-Maximilians-Universität München", LegalForm.UNIVERSITY, "München"
    ),
    "tum": OrganisationSpec("Technische Universität München", LegalForm.UNIVERSITY, "München"),
    "isar-biologics": OrganisationSpec(
        "Isar Biologics GmbH", LegalForm.COMPANY, "Planegg-Martinsried", size_class=SizeClass.SMALL
    ),
    "wuermtal-diagnostics": OrganisationSpec(
        "Würmtal Diagnostics GmbH", LegalForm.COMPANY, "Gräfelfing", size_class=SizeClass.MEDIUM
    ),
    "mgh": OrganisationSpec(
        "Massachusetts General Hospital", LegalForm.NON_PROFIT, "Boston", country="US"
    ),
    "boston-university": OrganisationSpec(
        "Boston University", LegalForm.UNIVERSITY, "Boston", country="US"
    ),
    # it's OWL, Ostwestfalen-Lippe
    "uni-paderborn": OrganisationSpec("Universität Paderborn", LegalForm.UNIVERSITY, "Paderborn"),
    "lippe-automation": OrganisationSpec(
        "Lippe Automation AG", LegalForm.COMPANY, "Lemgo", size_class=SizeClass.LARGE
    ),
    "teuto-sensorsysteme": OrganisationSpec(
        "Teuto Sensorsysteme GmbH", LegalForm.COMPANY, "Bielefeld", size_class=SizeClass.SMALL
    ),
    "cmu": OrganisationSpec(
        "Carnegie Mellon University", LegalForm.UNIVERSITY, "Pittsburgh", country="US"
    ),
    "iisc": OrganisationSpec(
        "Indian Institute of Science", LegalForm.UNIVERSITY, "Bengaluru", country="IN"
    ),
    # Software-Cluster, Darmstadt
    "tu-darmstadt": OrganisationSpec(
        "Technische Universität Darmstadt", LegalForm.UNIVERSITY, "Darmstadt"
    ),
    "rhein-main-software": OrganisationSpec(
        "Rhein-Main Softwarehaus GmbH", LegalForm.COMPANY, "Darmstadt", size_class=SizeClass.SMALL
    ),
    "ufsc": OrganisationSpec(
        "Universidade Federal de Santa Catarina", LegalForm.UNIVERSITY, "Florianópolis", "BR"
    ),
}
