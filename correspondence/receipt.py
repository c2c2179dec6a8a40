"""The receipt of a submission: a PDF of the outline as submitted, in the submitter's language.

ReportLab (pure Python wheels, its own fonts) rather than WeasyPrint: no Pango or other system
libraries on the servers, developers' machines or CI. Bitstream Vera, shipped with ReportLab, is
embedded so that umlauts and other Latin letters come out right in any viewer.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from applications.models import Application, ApplicationTransition
from budgets.arithmetic import Figures
from budgets.selectors import budget_summary
from kernel.dates import format_day
from kernel.money import format_eur

RECEIPT_TITLE = gettext_noop("Receipt of the submission")
RECEIPT_INTRO = gettext_noop(
    "The outline below was submitted to the funding programme. This receipt records it as "
    "submitted."
)
UNTITLED = gettext_noop("(untitled)")
LABEL_TITLE = gettext_noop("Title")
LABEL_CLUSTER = gettext_noop("Cluster")
LABEL_ROUND = gettext_noop("Round")
ROUND_NAME = gettext_noop("%(programme)s, round %(number)s")
LABEL_SUBMITTED_AT = gettext_noop("Submitted at")
LABEL_SUBMITTED_BY = gettext_noop("Submitted by")
LABEL_CONCEPT = gettext_noop("Concept phase")
LABEL_IMPLEMENTATION = gettext_noop("Implementation phase")
LABEL_REGIONS = gettext_noop("Target partner regions")
KNOWN_PARTNER = gettext_noop("known partner")
NO_REGIONS = gettext_noop("None.")
LABEL_STRATEGY = gettext_noop("Internationalisation strategy")
NOT_WRITTEN = gettext_noop("Not written.")
LABEL_BUDGET = gettext_noop("Budget")
LABEL_ELIGIBLE = gettext_noop("Eligible costs")
LABEL_GRANT = gettext_noop("Grant")
LABEL_PROJEKTPAUSCHALE = gettext_noop("Projektpauschale")
LABEL_FUNDING = gettext_noop("Funding")
LABEL_TOTAL = gettext_noop("Total")
LABEL_DOCUMENTS = gettext_noop("Documents of the outline")
RECEIPT_FILENAME = gettext_noop("receipt")

FONT = "ReceiptVera"
FONT_BOLD = "ReceiptVeraBold"
FONTS = Path(reportlab.__file__).parent / "fonts"


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS / "VeraBd.ttf")))


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    head: ParagraphStyle

    @classmethod
    def make(cls) -> "Styles":
        body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
        return cls(
            title=ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=16, leading=20),
            heading=ParagraphStyle(
                "heading", parent=body, fontName=FONT_BOLD, fontSize=12, leading=16, spaceBefore=8
            ),
            body=body,
            cell=ParagraphStyle("cell", parent=body, fontSize=9, leading=11),
            # Column heads such as "Zuwendungsfähige Ausgaben" must not break inside a word.
            head=ParagraphStyle("head", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10),
        )


def _text(value: str, style: ParagraphStyle) -> Paragraph:
    """Users' text as text: escaped for ReportLab's markup, line breaks kept."""
    return Paragraph(escape(value).replace("\n", "<br/>"), style)


def _submitter(submission: ApplicationTransition) -> str:
    user = submission.by
    full_name = user.get_full_name().strip()
    return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


def receipt_filename(application: Application) -> str:
    return f"{_(RECEIPT_FILENAME)}-{application.pk}.pdf"


def _facts(application: Application, submission: ApplicationTransition, styles: Styles) -> Table:
    round_ = application.round
    rows = [
        (LABEL_TITLE, application.title or _(UNTITLED)),
        (LABEL_CLUSTER, application.cluster.name),
        (
            LABEL_ROUND,
            _(ROUND_NAME) % {"programme": round_.programme.short_name, "number": round_.number},
        ),
        (
            LABEL_SUBMITTED_AT,
            formats.date_format(timezone.localtime(submission.at), "DATETIME_FORMAT"),
        ),
        (LABEL_SUBMITTED_BY, _submitter(submission)),
        (
            LABEL_CONCEPT,
            f"{format_day(application.concept_start_on)} – "
            f"{format_day(application.concept_end_on)}",
        ),
        (
            LABEL_IMPLEMENTATION,
            f"{format_day(application.implementation_start_on)} – "
            f"{format_day(application.implementation_end_on)}",
        ),
    ]
    table = Table(
        [[_text(_(label), styles.cell), _text(value, styles.cell)] for label, value in rows],
        colWidths=[45 * mm, 120 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _budget(application: Application, styles: Styles) -> Table:
    """The budget summary's totals: one column per phase and the total, one row per figure."""
    summary = budget_summary(application)
    columns: list[Figures] = [
        summary.concept.total.figures,
        summary.implementation.total.figures,
        summary.total.figures,
    ]
    rows: list[tuple[str, Callable[[Figures], Decimal]]] = [
        (LABEL_ELIGIBLE, lambda figures: figures.eligible_amount),
        (LABEL_GRANT, lambda figures: figures.grant_amount),
        (LABEL_PROJEKTPAUSCHALE, lambda figures: figures.projektpauschale_amount),
        (LABEL_FUNDING, lambda figures: figures.funding_amount),
    ]
    head = [
        _text("", styles.head),
        *(
            _text(_(label), styles.head)
            for label in (LABEL_CONCEPT, LABEL_IMPLEMENTATION, LABEL_TOTAL)
        ),
    ]
    body = [
        [
            _text(_(label), styles.cell),
            *(_text(format_eur(amount_of(figures)), styles.cell) for figures in columns),
        ]
        for label, amount_of in rows
    ]
    table = Table([head, *body], colWidths=[57 * mm, 36 * mm, 36 * mm, 36 * mm])
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def receipt_pdf(
    application: Application, submission: ApplicationTransition, documents: list[str]
) -> bytes:
    """The receipt in the active language; ``documents`` names the outline's documents."""
    _register_fonts()
    styles = Styles.make()
    regions = [
        f"{region.country.name}, {region.region}: {region.partner_name}"
        + (f" ({_(KNOWN_PARTNER)})" if region.is_known_partner else "")
        for region in application.partner_regions.all()
    ]
    story = [
        _text(_(RECEIPT_TITLE), styles.title),
        Spacer(1, 4 * mm),
        _text(_(RECEIPT_INTRO), styles.body),
        Spacer(1, 4 * mm),
        _facts(application, submission, styles),
        _text(_(LABEL_REGIONS), styles.heading),
        *[_text(f"• {line}", styles.body) for line in regions or [_(NO_REGIONS)]],
        _text(_(LABEL_STRATEGY), styles.heading),
        _text(application.strategy_summary or _(NOT_WRITTEN), styles.body),
        _text(_(LABEL_BUDGET), styles.heading),
        _budget(application, styles),
    ]
    if documents:
        story += [
            _text(_(LABEL_DOCUMENTS), styles.heading),
            *[_text(f"• {name}", styles.body) for name in documents],
        ]
    buffer = BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_(RECEIPT_TITLE),
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        # The same outline gives the same file: no creation time or random id in it.
        invariant=True,
    )
    pdf.build(story)
    return buffer.getvalue()
