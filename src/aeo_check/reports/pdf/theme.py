"""The report's look, held as data: page size and margins, fonts and sizes, colours, labels and
paragraph styles. Nothing here draws; change a value here and every section follows.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch

from ...model import Priority, Verdict

# --------------------------------------------------------------------------------------------
# Layout, held as data
# --------------------------------------------------------------------------------------------

PAGE_SIZE = LETTER  # users are North American
PAGE_W, PAGE_H = PAGE_SIZE
MARGIN_LEFT = MARGIN_RIGHT = 0.75 * inch
MARGIN_TOP = 0.95 * inch
MARGIN_BOTTOM = 0.85 * inch
FRAME_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
ACTION_FIELD_MAX = 160  # characters of owner/due/status shown in the action plan table
KEEP_TOGETHER_MAX = 0.45  # blocks taller than this share of a page may split across pages
COVER_BAND_H = 1.15 * inch

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
FONT_ITALIC = "Helvetica-Oblique"

SIZE_BODY = 9.5
SIZE_SMALL = 8
SIZE_TINY = 7.5
SIZE_H1 = 17
SIZE_H2 = 12.5
SIZE_H3 = 10.5
SIZE_COVER_TITLE = 24
SIZE_SCORE = 46

INK = colors.HexColor("#1E2328")
MUTED_HEX = "#5F6B76"
MUTED = colors.HexColor(MUTED_HEX)
RULE = colors.HexColor("#C9D1D9")
TINT = colors.HexColor("#EEF3F8")
ZEBRA = colors.HexColor("#F7F9FB")
TRACK = colors.HexColor("#EBEFF3")
ACCENT_HEX = "#1F4E79"  # the one accent colour
ACCENT = colors.HexColor(ACCENT_HEX)
WHITE = colors.white

VERDICT_COLOURS: dict[Verdict, str] = {
    Verdict.READY: "#2E7D32",
    Verdict.NEARLY_READY: "#B86E00",
    Verdict.NOT_READY: "#C62828",
    Verdict.NOT_ELIGIBLE: "#6B1E1E",
}
PRIORITY_COLOURS: dict[Priority, str] = {
    Priority.BLOCKER: "#6B1E1E",
    Priority.CRITICAL: "#C62828",
    Priority.HIGH: "#D35400",
    Priority.MEDIUM: "#B08900",
    Priority.LOW: "#607D8B",
}
PRIORITY_MEANING: dict[Priority, str] = {
    Priority.BLOCKER: "Eligibility requirement answered no: the company cannot apply yet",
    Priority.CRITICAL: "Must criterion answered no or not answered; eligibility not confirmed",
    Priority.HIGH: "Must criterion met only in part, or N/A still to justify",
    Priority.MEDIUM: "Should criterion answered no or not answered",
    Priority.LOW: "Should criterion met only in part",
}
ANSWER_LABELS: dict[str, str] = {
    "yes": "Yes",
    "partial": "Partial",
    "no": "No",
    "na": "N/A",
    "unanswered": "Not answered",
}
ANSWER_COLOURS: dict[str, str] = {
    "yes": "#2E7D32",
    "partial": "#B86E00",
    "no": "#C62828",
    "na": "#5F6B76",
    "unanswered": "#5F6B76",
}
GATE_LABELS = {"yes": "Yes", "no": "No: blocks the application", "unanswered": "Not answered"}
FLAG_COLOUR = "#B86E00"  # marks for unverified items and working ids
BAR_ROW_H = 17
BAR_H = 9
BAR_LABEL_W = 185

DISCLAIMER = (
    "This report is a self-assessment prepared with aeo-check from the answers given by the "
    "company. It is not a certification, an audit or legal advice: only the customs agency "
    "certifies a company, after its own review and validation. Check the criteria against the "
    "agency's current official documents before relying on them."
)


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base = {"fontName": FONT, "fontSize": SIZE_BODY, "leading": SIZE_BODY * 1.3, "textColor": INK}
    base.update(kw)
    return ParagraphStyle(name, **base)


# Styles are built once, at import; nothing copies a style per paragraph.
STYLES: dict[str, ParagraphStyle] = {
    "body": _style("body", spaceAfter=5),
    "cell": _style("cell", fontSize=8.5, leading=10.8),
    "cell_b": _style("cell_b", fontName=FONT_BOLD, fontSize=8.5, leading=10.8),
    "cell_h": _style("cell_h", fontName=FONT_BOLD, fontSize=8.5, leading=10.8, textColor=WHITE),
    "cell_r": _style("cell_r", fontSize=8.5, leading=10.8, alignment=2),
    "label": _style("label", fontName=FONT_BOLD, fontSize=8, leading=10.8, textColor=MUTED),
    "small": _style(
        "small", fontSize=SIZE_SMALL, leading=SIZE_SMALL * 1.3, textColor=MUTED, spaceBefore=3
    ),
    "bullet": _style("bullet", leftIndent=14, bulletIndent=3, spaceAfter=3),
    "step": _style("step", leftIndent=18, bulletIndent=0, spaceAfter=5),
    "h1": _style(
        "h1",
        fontName=FONT_BOLD,
        fontSize=SIZE_H1,
        leading=SIZE_H1 * 1.2,
        textColor=ACCENT,
        spaceAfter=10,
    ),
    "h2": _style(
        "h2",
        fontName=FONT_BOLD,
        fontSize=SIZE_H2,
        leading=SIZE_H2 * 1.25,
        textColor=ACCENT,
        spaceBefore=12,
        spaceAfter=6,
        keepWithNext=1,
    ),
    "h3": _style(
        "h3",
        fontName=FONT_BOLD,
        fontSize=SIZE_H3,
        leading=SIZE_H3 * 1.3,
        spaceBefore=9,
        spaceAfter=4,
        keepWithNext=1,
    ),
    "crit": _style(
        "crit",
        fontName=FONT_BOLD,
        fontSize=9.5,
        leading=12.5,
        backColor=TINT,
        borderPadding=(3, 4, 3, 4),
        spaceBefore=11,
        spaceAfter=5,
        keepWithNext=1,
    ),
    "crit_body": _style("crit_body", fontSize=8.8, leading=11.6, leftIndent=4, spaceAfter=2.5),
    "cover_kicker": _style(
        "cover_kicker", fontName=FONT_BOLD, fontSize=10.5, leading=14, textColor=ACCENT
    ),
    "cover_title": _style(
        "cover_title",
        fontName=FONT_BOLD,
        fontSize=SIZE_COVER_TITLE,
        leading=SIZE_COVER_TITLE * 1.18,
        spaceBefore=6,
        spaceAfter=8,
    ),
    "cover_sub": _style("cover_sub", fontSize=12, leading=16, textColor=MUTED),
    "score": _style(
        "score", fontName=FONT_BOLD, fontSize=SIZE_SCORE, leading=SIZE_SCORE * 1.05, textColor=INK
    ),
}
