"""The page: the document template (bookmarks and link targets that headings carry), the canvas
that stamps header, footer and "Page X of Y" once it knows the page count, and the report's
dates.

Reproducibility: the canvas runs in reportlab's invariant mode, the PDF's dates are the
report's generation date and the document id does not depend on the clock, so the same Result
and the same ``generated_on`` give byte-identical files.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import md5
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from .components import fit
from .theme import (
    FONT,
    FONT_BOLD,
    FRAME_H,
    FRAME_W,
    INK,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MUTED,
    PAGE_H,
    PAGE_SIZE,
    PAGE_W,
    RULE,
    SIZE_SMALL,
    SIZE_TINY,
)

# --------------------------------------------------------------------------------------------
# Document template and canvas: header, footer, Page X of Y, bookmarks, dates
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageInfo:
    """What the header and footer of every page show (plain text, already drawable)."""

    company: str
    program: str
    generated_on: str


class ReportDoc(BaseDocTemplate):
    """reportlab's document template, turning the marks headings carry into bookmarks."""

    def afterFlowable(self, flowable: Flowable) -> None:
        """Register the link targets and bookmarks that headings carry, at their top."""
        dest = getattr(flowable, "_aeo_dest", None)
        outline = getattr(flowable, "_aeo_outline", None)
        if dest is None and outline is None:
            return
        top = min(self.frame._y + getattr(flowable, "height", 0) + 8, PAGE_H)
        if dest is not None:
            self.canv.bookmarkHorizontal(dest, 0, top)
        if outline is not None:
            key, title, level = outline
            self.canv.bookmarkHorizontal(key, 0, top)
            self.canv.addOutlineEntry(title, key, level=level)


def canvas_maker(info: PageInfo) -> Callable[..., Canvas]:
    year, month, day = (int(x) for x in info.generated_on.split("-"))
    stamp = f"D:{year:04d}{month:02d}{day:02d}000000+00'00'"

    class _NumberedCanvas(Canvas):
        """Holds each page until the end, then stamps header, footer and "Page X of Y"."""

        def __init__(self, *args: Any, **kw: Any) -> None:
            kw["invariant"] = 1
            super().__init__(*args, **kw)
            self._pages: list[dict[str, Any]] = []
            # The document's dates are the report's date; its id must not depend on the clock
            # (nor on SOURCE_DATE_EPOCH), so seed the signature from the date alone.
            self.setDateFormatter(lambda *_: stamp)
            sig = md5(b"aeo-check report", usedforsecurity=False)
            sig.update(info.generated_on.encode())
            self._doc.signature = sig

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            # Pages are named by the document's counter ("Page3"); advance it now so that
            # bookmarks and links made on the next page point at the right page.
            self._doc.pageCounter += 1
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            self._doc.pageCounter = 1
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _decorate(self, total: int) -> None:
            page = self._pageNumber
            self.saveState()
            left, right = MARGIN_LEFT, PAGE_W - MARGIN_RIGHT
            if page > 1:
                y = PAGE_H - MARGIN_TOP + 22
                self.setFont(FONT_BOLD, SIZE_SMALL)
                self.setFillColor(INK)
                prog = info.program
                self.drawRightString(right, y, prog)
                room = right - left - stringWidth(prog, FONT_BOLD, SIZE_SMALL) - 20
                self.setFont(FONT, SIZE_SMALL)
                self.drawString(left, y, fit(info.company, FONT, SIZE_SMALL, room))
                self.setStrokeColor(RULE)
                self.setLineWidth(0.6)
                self.line(left, y - 6, right, y - 6)
            y = MARGIN_BOTTOM - 30
            self.setStrokeColor(RULE)
            self.setLineWidth(0.6)
            self.line(left, y + 11, right, y + 11)
            self.setFont(FONT, SIZE_TINY)
            self.setFillColor(MUTED)
            self.drawString(
                left,
                y,
                f"Generated {info.generated_on} by aeo-check · self-assessment, "
                "not a certification",
            )
            self.setFont(FONT_BOLD, SIZE_TINY)
            self.drawRightString(right, y, f"Page {page} of {total}")
            self.restoreState()

    return _NumberedCanvas


def report_date(generated_on: str | None) -> str:
    """The report's date as YYYY-MM-DD: today, or ``generated_on`` checked."""
    if generated_on is None:
        return _dt.date.today().isoformat()
    try:
        return _dt.date.fromisoformat(generated_on).isoformat()
    except (TypeError, ValueError):
        raise ValueError(f"generated_on must be a date YYYY-MM-DD, not {generated_on!r}") from None


def new_doc(buf: Any, *, first_page: Callable[..., None] | None = None, **meta: Any) -> ReportDoc:
    """The document: letter pages with the report's margins, one frame, and its metadata.

    ``first_page`` draws on the first page (the cover band), which gets a page template of its
    own, "cover"; every other page uses "body". ``meta``: title, author, subject, keywords.
    """
    doc = ReportDoc(
        buf,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        creator="aeo-check",
        invariant=1,
        lang="en",
        **meta,
    )
    frame = Frame(
        MARGIN_LEFT, MARGIN_BOTTOM, FRAME_W, FRAME_H, id="body",
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
    )  # fmt: skip
    templates = [PageTemplate(id="body", frames=[frame])]
    if first_page is not None:
        templates.insert(0, PageTemplate(id="cover", frames=[frame], onPage=first_page))
    doc.addPageTemplates(templates)
    return doc
