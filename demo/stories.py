"""The demo applications, each told as the steps that happened to it and when, and the drafts
of the current round.

Pure data, spread over the states of the workflow. Plausible, not historically exact: the
partner regions suit each cluster, the R&D projects and their budgets are invented.
"""

from datetime import date
from decimal import Decimal

from .catalogue import berlin
from .steps import (
    ConceptBudget,
    ConflictDeclared,
    Cost,
    Create,
    Draft,
    Fire,
    GranteeCosts,
    Project,
    ProjectRevision,
    Region,
    Reviewed,
    Story,
    company,
    concept_costs,
    university,
)

SUBMITTED = "Skizze fristgerecht eingereicht."
SELECTED = "Empfehlung des Auswahlgremiums: zur Förderung ausgewählt."
FUND, DO_NOT_FUND, UNDECIDED = "fund", "do_not_fund", "undecided"

STORIES = (
    Story(
        round_number=1,
        cluster="it's OWL",
        manager="its-owl",
        title="it's OWL international: Intelligente Technische Systeme mit Pittsburgh, Bengaluru",
        strategy_summary=(
            "Gemeinsame Forschung zu selbstoptimierenden Produktionssystemen mit der Robotik-"
            "Community in Pittsburgh; Industrie 4.0 für mittelständische Zulieferer in Indien."
        ),
        regions=(
            Region("US", "Pennsylvania (Pittsburgh)", "Carnegie Mellon University"),
            Region("IN", "Karnataka (Bengaluru)", "Indian Institute of Science"),
        ),
        steps=(
            (berlin("2015-01-19 09:30"), Create()),
            (berlin("2015-02-23 16:10"), Fire("submit", SUBMITTED)),
            (berlin("2015-03-09 10:00"), Fire("start_review")),
            (
                berlin("2015-06-15 17:20"),
                Reviewed(
                    "jury-schulz",
                    (5, 4, 4, 4, 5),
                    FUND,
                    "Überzeugende Strategie; die Projekte mit Pittsburgh sind weit gediehen.",
                ),
            ),
            (
                berlin("2015-06-22 09:40"),
                Reviewed(
                    "jury-neumann",
                    (4, 5, 4, 3, 5),
                    FUND,
                    "Sehr gute Partnerwahl; Verstetigung nach der Förderung noch offen.",
                ),
            ),
            (berlin("2015-10-20 14:00"), Fire("select", SELECTED)),
            (
                berlin("2015-11-16 11:20"),
                ConceptBudget(
                    concept_costs("190000.00", "55000.00", "110000.00", "60000.00", "35000.00")
                ),
            ),
            (berlin("2016-01-04 09:00"), Fire("start_concept_phase")),
            (
                berlin("2016-09-12 15:30"),
                Project(
                    "Selbstoptimierende Produktionssysteme",
                    "Lernende Steuerungen für wandlungsfähige Fertigungslinien.",
                    date(2017, 1, 1),
                    date(2019, 12, 1),
                    lead="uni-paderborn",
                    partners=("lippe-automation", "cmu"),
                    budgets=(
                        GranteeCosts("uni-paderborn", university("130000.00", "12000.00")),
                        GranteeCosts("lippe-automation", company("200000.00", "10000.00")),
                    ),
                ),
            ),
            (
                berlin("2016-09-14 10:45"),
                Project(
                    "Industrie 4.0 für Zulieferer in Indien",
                    "Nachrüstbare Sensorik für bestehende Anlagen.",
                    date(2017, 4, 1),
                    date(2019, 12, 1),
                    lead="teuto-sensorsysteme",
                    partners=("uni-paderborn", "iisc"),
                    budgets=(
                        GranteeCosts("teuto-sensorsysteme", company("120000.00", "15000.00")),
                        GranteeCosts("uni-paderborn", university("60000.00", "8000.00")),
                    ),
                ),
            ),
            (berlin("2016-11-30 17:00"), Fire("propose_implementation")),
            (berlin("2017-01-16 10:30"), Fire("approve_implementation")),
            (berlin("2020-03-02 09:15"), Fire("complete", "Verwendungsnachweise geprüft.")),
        ),
    ),
    Story(
        round_number=1,
        cluster="ARENA2036",
        manager="arena2036",
        title="ARENA2036 goes Canada: Leichtbau und flexible Fertigung mit Québec und Ontario",
        strategy_summary=(
            "Partnerschaft mit den Automobil- und Leichtbauregionen Québec und Ontario: "
            "gemeinsame Forschungsfabrik-Projekte zu Leichtbau, Robotik und Batteriesensorik."
        ),
        regions=(
            Region("CA", "Québec (Montréal)", "Polytechnique Montréal"),
            Region("CA", "Ontario (Waterloo)", "University of Waterloo", is_known_partner=True),
        ),
        steps=(
            (berlin("2015-01-12 10:00"), Create()),
            (berlin("2015-02-26 18:40"), Fire("submit", SUBMITTED)),
            (berlin("2015-03-09 10:30"), Fire("start_review")),
            (
                berlin("2015-06-16 11:00"),
                Reviewed(
                    "jury-schulz",
                    (4, 4, 5, 4, 4),
                    FUND,
                    "Die Forschungsfabrik bindet auch kleine Mitglieder gut ein.",
                ),
            ),
            (
                berlin("2015-06-30 15:10"),
                Reviewed(
                    "jury-lange",
                    (5, 4, 4, 4, 4),
                    FUND,
                    "Klare Ziele in Québec und Ontario; Waterloo ist ein bewährter Partner.",
                ),
            ),
            (berlin("2015-10-20 14:05"), Fire("select", SELECTED)),
            (
                berlin("2015-11-20 09:45"),
                ConceptBudget(
                    concept_costs("210000.00", "55000.00", "120000.00", "60000.00", "35000.00")
                ),
            ),
            (berlin("2016-01-04 09:10"), Fire("start_concept_phase")),
            (
                berlin("2016-10-05 14:00"),
                Project(
                    "Leichtbau-Karosserie für urbane Elektrofahrzeuge",
                    "Faserverbund-Strukturbauteile in variantenreicher Kleinserie.",
                    date(2017, 1, 1),
                    date(2019, 12, 1),
                    lead="uni-stuttgart",
                    partners=("filder-fahrzeugtechnik", "polytechnique-montreal"),
                    budgets=(
                        GranteeCosts("uni-stuttgart", university("120000.00", "12000.00")),
                        GranteeCosts("filder-fahrzeugtechnik", company("150000.00", "8000.00")),
                    ),
                ),
            ),
            (
                berlin("2016-10-06 11:30"),
                Project(
                    "Adaptive Fertigung mit vernetzten Robotern",
                    "Mobile Roboter, die sich ohne feste Bandstruktur selbst organisieren.",
                    date(2017, 1, 1),
                    date(2019, 12, 1),
                    lead="fraunhofer-ipa",
                    partners=("neckar-sensorik", "uwaterloo"),
                    budgets=(
                        GranteeCosts(
                            "fraunhofer-ipa",
                            (
                                Cost("0837", Decimal("110000.00"), "Wissenschaftliche Mitarbeiter"),
                                Cost("0838", Decimal("6000.00"), "Reisen nach Waterloo"),
                            ),
                        ),
                        GranteeCosts("neckar-sensorik", company("90000.00", "20000.00")),
                    ),
                ),
            ),
            (
                berlin("2016-10-07 16:15"),
                Project(
                    "Batteriesensorik für Fahrzeugflotten",
                    "Zustandsüberwachung von Traktionsbatterien im Flottenbetrieb.",
                    date(2017, 7, 1),
                    date(2019, 12, 1),
                    lead="neckar-sensorik",
                    partners=("uni-stuttgart", "polytechnique-montreal"),
                    budgets=(
                        GranteeCosts("neckar-sensorik", company("70000.00", "10000.00")),
                        GranteeCosts("uni-stuttgart", university("80000.00", "8000.00")),
                    ),
                ),
            ),
            (berlin("2016-11-25 12:00"), Fire("propose_implementation")),
            (berlin("2017-02-06 10:00"), Fire("approve_implementation")),
        ),
    ),
    Story(
        round_number=1,
        cluster="BioM",
        manager="biom",
        title="BioM – Boston: Zelltherapien und digitale Biomarker",
        strategy_summary=(
            "Brücke zwischen dem Münchner Biotech-Cluster und Boston/Cambridge: gemeinsame "
            "Prozessentwicklung für Zelltherapien und Validierung digitaler Biomarker."
        ),
        regions=(
            Region(
                "US",
                "Massachusetts (Boston)",
                "Massachusetts Biotechnology Council (MassBio)",
                is_known_partner=True,
            ),
        ),
        steps=(
            (berlin("2015-01-26 13:00"), Create()),
            (berlin("2015-02-27 11:05"), Fire("submit", SUBMITTED)),
            (berlin("2015-03-10 09:00"), Fire("start_review")),
            (
                berlin("2015-03-12 08:30"),
                ConflictDeclared(
                    "jury-lange", "Ich habe 2014 ein Mitgliedsunternehmen von BioM beraten."
                ),
            ),
            (
                berlin("2015-06-18 10:15"),
                Reviewed(
                    "jury-schulz",
                    (4, 5, 3, 4, 4),
                    FUND,
                    "Boston passt ideal; der Nutzen für die übrigen Mitglieder bleibt vage.",
                ),
            ),
            (
                berlin("2015-07-01 16:45"),
                Reviewed(
                    "jury-neumann",
                    (4, 4, 3, 3, 5),
                    FUND,
                    "Starke Projekte zu Zelltherapien; Informationsfluss im Cluster ausbauen.",
                ),
            ),
            (berlin("2015-10-20 14:10"), Fire("select", SELECTED)),
            (
                berlin("2015-11-24 15:30"),
                ConceptBudget(
                    concept_costs("225000.00", "55000.00", "130000.00", "55000.00", "30000.00")
                ),
            ),
            (berlin("2016-01-05 10:00"), Fire("start_concept_phase")),
            (
                berlin("2016-09-20 10:00"),
                Project(
                    "Zelltherapien: gemeinsame Prozessentwicklung",
                    "Skalierbare Herstellung autologer Zelltherapeutika.",
                    date(2017, 1, 1),
                    date(2019, 12, 1),
                    lead="lmu",
                    partners=("isar-biologics", "mgh"),
                    budgets=(
                        GranteeCosts("lmu", university("140000.00", "15000.00")),
                        GranteeCosts("isar-biologics", company("160000.00", "40000.00")),
                    ),
                ),
            ),
            (
                berlin("2016-09-21 14:30"),
                Project(
                    "Digitale Biomarker für klinische Studien",
                    "Sensorgestützte Endpunkte für multizentrische Studien.",
                    date(2017, 1, 1),
                    date(2019, 12, 1),
                    lead="tum",
                    partners=("wuermtal-diagnostics", "boston-university"),
                    budgets=(
                        GranteeCosts("tum", university("120000.00", "22000.00")),
                        GranteeCosts("wuermtal-diagnostics", company("130000.00", "10000.00")),
                    ),
                ),
            ),
            (berlin("2016-10-28 16:00"), Fire("propose_implementation")),
            (
                berlin("2016-11-21 11:00"),
                Fire(
                    "return_implementation",
                    "Bitte die Reisekosten der TUM im Projekt „Digitale Biomarker“ begründen "
                    "oder senken.",
                ),
            ),
            (
                berlin("2016-12-05 09:30"),
                ProjectRevision(
                    "Digitale Biomarker für klinische Studien",
                    budgets=(
                        GranteeCosts(
                            "tum",
                            (
                                Cost(
                                    "0846",
                                    Decimal("14000.00"),
                                    "Zwei Forschungsaufenthalte in Boston je Jahr",
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            (berlin("2016-12-09 10:15"), Fire("propose_implementation")),
        ),
    ),
    Story(
        round_number=1,
        cluster="MedicalValley EMN",
        manager="medicalvalley",
        title="Medical Valley EMN: Medizintechnik-Kooperation mit Shenzhen",
        strategy_summary="Markterschließung und gemeinsame Entwicklung bildgebender Verfahren.",
        regions=(
            Region("CN", "Guangdong (Shenzhen)", "Shenzhen Medical Device Industry Association"),
        ),
        steps=(
            (berlin("2015-02-02 10:00"), Create()),
            (berlin("2015-02-27 15:45"), Fire("submit", SUBMITTED)),
            (berlin("2015-03-10 09:30"), Fire("start_review")),
            (
                berlin("2015-06-25 13:00"),
                Reviewed(
                    "jury-neumann",
                    (2, 3, 2, 2, 2),
                    DO_NOT_FUND,
                    "Die FuE-Kooperationen sind noch nicht konkret; Partner fehlen.",
                ),
            ),
            (
                berlin("2015-07-02 10:30"),
                Reviewed(
                    "jury-lange",
                    (3, 2, 2, 3, 2),
                    DO_NOT_FUND,
                    "Marktzugang statt Forschungskooperation; so nicht förderfähig.",
                ),
            ),
            (
                berlin("2015-10-20 14:20"),
                Fire(
                    "reject",
                    "Nicht zur Förderung empfohlen: die geplanten F&E-Kooperationen sind noch zu "
                    "wenig konkret, die Partner in der Zielregion noch nicht gewonnen.",
                ),
            ),
        ),
    ),
    Story(
        round_number=2,
        cluster="Software-Cluster",
        manager="software-cluster",
        title="Software-Cluster Brasil: Sichere Software-Ökosysteme",
        strategy_summary=(
            "Mit dem Software-Cluster in Santa Catarina und der Universität São Paulo: sichere, "
            "offene Plattformen für digitale Dienste in Städten und Unternehmen."
        ),
        regions=(
            Region(
                "BR",
                "Santa Catarina (Florianópolis)",
                "ACATE – Associação Catarinense de Tecnologia",
                is_known_partner=True,
            ),
            Region("BR", "São Paulo", "Universidade de São Paulo"),
        ),
        steps=(
            (berlin("2016-01-11 10:00"), Create()),
            (berlin("2016-02-25 17:30"), Fire("submit", SUBMITTED)),
            (berlin("2016-03-07 09:00"), Fire("start_review")),
            (
                berlin("2016-06-13 14:00"),
                Reviewed(
                    "jury-schulz",
                    (5, 4, 4, 5, 4),
                    FUND,
                    "ACATE ist ein erprobter Partner; die Plattform trägt über die Förderung.",
                ),
            ),
            (
                berlin("2016-06-20 11:30"),
                Reviewed(
                    "jury-neumann",
                    (4, 4, 5, 4, 4),
                    FUND,
                    "Gute Einbindung der Mitglieder über offene Workshops.",
                ),
            ),
            (berlin("2016-10-12 13:00"), Fire("select", SELECTED)),
            (
                berlin("2016-11-10 10:30"),
                ConceptBudget(
                    concept_costs("220000.00", "55000.00", "125000.00", "65000.00", "35000.00")
                ),
            ),
            (berlin("2017-01-09 09:00"), Fire("start_concept_phase")),
            # The implementation plan is being written: one project so far.
            (
                berlin("2017-09-15 14:00"),
                Project(
                    "Sichere Software-Ökosysteme für Smart Cities",
                    "Vertrauenswürdige Datenplattformen für kommunale Dienste.",
                    date(2018, 1, 1),
                    date(2020, 12, 1),
                    lead="tu-darmstadt",
                    partners=("rhein-main-software", "ufsc"),
                    budgets=(
                        GranteeCosts("tu-darmstadt", university("110000.00", "14000.00")),
                        GranteeCosts("rhein-main-software", company("100000.00", "5000.00")),
                    ),
                ),
            ),
        ),
    ),
    Story(
        round_number=2,
        cluster="Hamburg Aviation",
        manager="hamburg-aviation",
        title="Hamburg Aviation – Montréal: Kabine und Wartung der Zukunft",
        strategy_summary=(
            "Zusammenarbeit der Luftfahrtstandorte Hamburg und Montréal zu Kabinensystemen und "
            "vorausschauender Wartung; Seattle als zweite Partnerregion."
        ),
        regions=(
            Region("CA", "Québec (Montréal)", "Aéro Montréal", is_known_partner=True),
            Region("US", "Washington (Seattle)", "Pacific Northwest Aerospace Alliance"),
        ),
        steps=(
            (berlin("2016-01-18 11:00"), Create()),
            (berlin("2016-02-24 12:20"), Fire("submit", SUBMITTED)),
            (berlin("2016-03-07 09:30"), Fire("start_review")),
            (
                berlin("2016-06-14 09:00"),
                Reviewed(
                    "jury-lange",
                    (4, 5, 4, 4, 4),
                    FUND,
                    "Montréal ist die naheliegende Partnerregion; solide Planung.",
                ),
            ),
            (
                berlin("2016-06-27 15:20"),
                Reviewed(
                    "jury-neumann",
                    (3, 4, 4, 4, 3),
                    UNDECIDED,
                    "Die Rolle von Seattle ist noch unklar; Projekte teils wenig konkret.",
                ),
            ),
            (berlin("2016-10-12 13:10"), Fire("select", SELECTED)),
            (
                berlin("2016-11-28 16:00"),
                ConceptBudget(
                    concept_costs("205000.00", "55000.00", "115000.00", "65000.00", "30000.00")
                ),
            ),
        ),
    ),
    Story(
        round_number=2,
        cluster="Optence",
        manager="optence",
        title="Optence – Bordeaux: Photonik für die Produktion",
        strategy_summary="Kooperation mit dem Photonik-Cluster in Nouvelle-Aquitaine.",
        regions=(
            Region(
                "FR",
                "Nouvelle-Aquitaine (Bordeaux)",
                "Alpha – Route des Lasers & des Hyperfréquences",
            ),
        ),
        steps=(
            (berlin("2016-01-25 10:00"), Create()),
            (berlin("2016-02-22 14:00"), Fire("submit", SUBMITTED)),
            (
                berlin("2016-03-01 09:00"),
                Fire(
                    "withdraw",
                    "Die Partnerregion ist noch nicht abgestimmt; wir bewerben uns später erneut.",
                ),
            ),
        ),
    ),
    Story(
        round_number=3,
        cluster="DeepSea Mining Alliance",
        manager="deepsea",
        title="DeepSea Mining Alliance: Umweltverträglicher Tiefseebergbau mit Norwegen und Japan",
        strategy_summary=(
            "Monitoring- und Fördertechnik für den Tiefseebergbau mit NTNU (Trondheim) und "
            "JAMSTEC (Yokosuka)."
        ),
        regions=(
            Region("NO", "Trøndelag (Trondheim)", "NTNU Ocean Space"),
            Region("JP", "Kanagawa (Yokosuka)", "JAMSTEC"),
        ),
        steps=(
            (berlin("2017-01-16 10:00"), Create()),
            (berlin("2017-02-20 15:00"), Fire("submit", SUBMITTED)),
            (berlin("2017-02-27 09:00"), Fire("start_review")),
            (
                berlin("2017-03-01 11:00"),
                Fire(
                    "request_revision",
                    "Bitte die Rolle der japanischen Partner in der Skizze genauer beschreiben.",
                ),
            ),
            (berlin("2017-03-10 16:30"), Fire("submit", "Überarbeitete Skizze.")),
            (berlin("2017-03-20 09:00"), Fire("start_review")),
            # The panel is still at work: one review submitted, one a draft.
            (
                berlin("2017-05-08 10:00"),
                Reviewed(
                    "jury-schulz",
                    (4, 3, 4, 3, 3),
                    UNDECIDED,
                    "Wichtiges Thema; die Umweltstandards der Projekte genauer darlegen.",
                ),
            ),
            (
                berlin("2017-05-15 18:30"),
                Reviewed("jury-lange", (4, 4, 3, 3, 4), "", "Noch in Arbeit.", draft=True),
            ),
        ),
    ),
    Story(
        round_number=3,
        cluster="MERGE",
        manager="merge",
        title="MERGE – Knoxville: Hybride Leichtbaustrukturen in Großserie",
        strategy_summary="Faserverbund-Großserienfertigung mit dem Composites-Institut IACMI.",
        regions=(Region("US", "Tennessee (Knoxville)", "IACMI – The Composites Institute"),),
        steps=(
            (berlin("2017-02-06 10:00"), Create()),
            (berlin("2017-03-14 22:10"), Fire("submit", SUBMITTED)),
        ),
    ),
    Story(
        round_number=3,
        cluster="Leichtbau BW",
        manager="leichtbau-bw",
        title="Leichtbau BW – Korea: Carbon-Leichtbau",
        strategy_summary="",
        regions=(
            Region(
                "KR",
                "Jeollabuk-do (Jeonju)",
                "Korea Institute of Carbon Convergence Technology",
            ),
        ),
        # Started, never finished: the strategy summary is still missing.
        steps=((berlin("2017-03-02 10:00"), Create()),),
    ),
)


# The current round (4): a draft for every demo cluster but it's OWL, whose management can start
# one from its home page. Six are complete and can be submitted at once; three show what is
# missing (partner regions, the strategy summary, all but the title).
CURRENT_DRAFTS = (
    Draft(
        cluster="ARENA2036",
        manager="arena2036",
        title="ARENA2036 – Ulsan: Flexible Fertigung von Batteriezellen",
        strategy_summary=(
            "Mit dem Batterie- und Automobilstandort Ulsan: wandlungsfähige Zellfertigung in der "
            "Forschungsfabrik, gemeinsame Pilotlinien und Austausch von Nachwuchsforschenden."
        ),
        regions=(
            Region("KR", "Ulsan", "Ulsan National Institute of Science and Technology (UNIST)"),
        ),
    ),
    Draft(
        cluster="BioM",
        manager="biom",
        title="BioM – Singapur: Bioprozesse für Zell- und Gentherapien",
        strategy_summary=(
            "Aufbauend auf der Partnerschaft mit Boston: Herstellung von Zell- und Gentherapien "
            "mit dem Biopolis-Campus in Singapur als Tor zu den Märkten Südostasiens."
        ),
        regions=(
            Region(
                "SG", "Singapur (Biopolis)", "Agency for Science, Technology and Research (A*STAR)"
            ),
        ),
    ),
    Draft(
        cluster="Software-Cluster",
        manager="software-cluster",
        title="Software-Cluster – Estland: Digitale Verwaltung als offene Plattform",
        strategy_summary=(
            "Offene, sichere Plattformen für Verwaltungsdienste mit dem estnischen "
            "E-Government-Ökosystem; Mittelständler des Clusters als Anbieter von Modulen."
        ),
        regions=(Region("EE", "Harjumaa (Tallinn)", "Tallinn University of Technology (TalTech)"),),
    ),
    Draft(
        cluster="Hamburg Aviation",
        manager="hamburg-aviation",
        title="Hamburg Aviation – Toulouse: Wasserstoff in der Kabine",
        strategy_summary=(
            "Brennstoffzellen für Kabinensysteme mit dem Luftfahrtcluster Aerospace Valley; "
            "Zulieferer beider Regionen entwickeln gemeinsam Komponenten und Prüfverfahren."
        ),
        regions=(Region("FR", "Occitanie (Toulouse)", "Aerospace Valley", is_known_partner=True),),
    ),
    Draft(
        cluster="MERGE",
        manager="merge",
        title="MERGE – Québec und Nagoya: Naturfaser-Hybridstrukturen",
        strategy_summary=(
            "Leichtbaustrukturen aus Naturfasern und Metall in Großserie, mit Forschenden in "
            "Québec und der Automobilindustrie um Nagoya."
        ),
        regions=(
            Region("CA", "Québec (Trois-Rivières)", "Université du Québec à Trois-Rivières"),
            Region("JP", "Aichi (Nagoya)", "Nagoya University"),
        ),
    ),
    Draft(
        cluster="MedicalValley EMN",
        manager="medicalvalley",
        title="Medical Valley EMN – Tel Aviv: KI in der medizinischen Bildgebung",
        strategy_summary=(
            "Nach der Ablehnung in Runde 1 mit konkreten Forschungspartnern: gemeinsame "
            "Validierung von KI-Verfahren für Bildgebung in Kliniken beider Regionen."
        ),
        regions=(Region("IL", "Tel Aviv", "Tel Aviv University"),),
    ),
    Draft(
        cluster="Optence",
        manager="optence",
        title="Optence – Photonik für die Landwirtschaft",
        strategy_summary=(
            "Optische Sensorik für Präzisionslandwirtschaft; die Partnerregion ist noch nicht "
            "gewählt."
        ),
        regions=(),
    ),
    Draft(
        cluster="DeepSea Mining Alliance",
        manager="deepsea",
        title="DeepSea Mining Alliance – Bergen: Umweltmonitoring am Meeresboden",
        strategy_summary="",
        regions=(Region("NO", "Vestland (Bergen)", "Universitetet i Bergen"),),
    ),
    Draft(
        cluster="Leichtbau BW",
        manager="leichtbau-bw",
        title="Leichtbau BW – Kreislaufwirtschaft im Leichtbau",
        strategy_summary="",
        regions=(),
    ),
)
