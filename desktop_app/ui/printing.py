"""Binder printouts with Qt's own printing: HTML laid out by QTextDocument, painted page by page
onto QPdfWriter (or a QPrinter), with a footer, "Page X of Y" and a DEMO watermark on every page."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
)

from desktop_app import __version__
from desktop_app.rules import Determination, LoadedProtocol
from desktop_app.rules.applicability import applicable_document
from desktop_app.rules.messages import domain_in_words
from desktop_app.store.clock import local_text, now_text
from desktop_app.store.models import Screening
from desktop_app.store.reports import Consort, PrintedLogRow, ScreeningRecord
from desktop_app.ui.print_table import LongTable, TablePainter

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
_CSS = """
body { color: #000000; font-family: 'DejaVu Sans', 'WenQuanYi Micro Hei', 'Microsoft YaHei', 'PingFang SC', sans-serif; font-size: 8.5pt; }
h1 { font-size: 13pt; margin: 0; } h2 { font-size: 10.5pt; margin-top: 10px; margin-bottom: 3px; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2px 4px; vertical-align: top; }
th { background: #e8e8e8; color: #000000; }
table.log { border-collapse: separate; } table.log td, table.log th { border: none; border-bottom: 1px solid #999; }
.banner { font-size: 14pt; font-weight: bold; color: #b00020; }
.small { font-size: 7.5pt; color: #444; }
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def header_html(protocol: LoadedProtocol, site_name: str, investigator: str) -> str:
    meta = protocol.protocol.metadata
    return (
        f"<h1>{_e(meta.title['en'])}</h1>"
        f"<p>{_e(meta.registry_id)} · protocol version {_e(meta.protocol_version)} · sha256 "
        f"<span class='small'>{_e(protocol.sha256)}</span><br>Site: {_e(site_name)} · "
        f"Principal investigator: {_e(investigator)}</p>"
    )


def summary_html(protocol: LoadedProtocol, record: ScreeningRecord) -> str:
    s, result, site = record.screening, record.determination, record.site
    parts = [f"<html><head><style>{_CSS}</style></head><body>"]
    parts.append(
        header_html(
            protocol, site.name if site else "", site.principal_investigator if site else ""
        )
    )
    valid = [x for x in record.signatures if x.check == "valid"]
    if record.tampered:
        items = "".join(f"<li>{_e(line)}</li>" for line in record.tampered)
        parts.append("<p class='banner'>TAMPERED: the record is not what its audit trail "
                     f"records</p><ul class='small'>{items}</ul>")  # fmt: skip
    elif any(x.check == "tampered" for x in record.signatures):
        parts.append("<p class='banner'>TAMPERED: the record no longer matches its signature</p>")
    elif any(x.check == "invalidated" for x in record.signatures) and not valid:
        parts.append("<p class='banner'>SIGNATURE INVALIDATED</p>")
    elif not valid:
        parts.append("<p class='banner'>UNSIGNED DRAFT</p>")
    if s.protocol_sha256 and s.protocol_sha256 != protocol.sha256:
        parts.append(
            f"<p><b>Note:</b> this screening was determined under protocol {_e(s.protocol_id)} version "
            f"{_e(s.protocol_version)} (sha256 {_e(s.protocol_sha256[:12])}); the labels below are those of "
            f"version {_e(protocol.version)} ({_e(protocol.sha256[:12])}).</p>"
        )
    # Only what applies is evidence: a consent date kept after "consent not given" is not printed.
    answers = applicable_document(protocol.protocol, record.answers)
    parts.append(
        f"<h2>Screening {_e(s.screening_number)} (attempt {s.attempt})</h2><p>Consent: "
        f"{_e(answers.get('consent_date', '—'))}, form version {_e(answers.get('consent_form_version', '—'))} · "
        f"Screening date: {_e(answers.get('screening_date', '—'))} · Initials: {_e(s.initials)}</p>"
    )
    if result is None:
        parts.append("<p>No determination yet.</p>")
    else:
        parts.append(_criteria_table(protocol, result, answers))
        parts.append(_acr_table(protocol, result))
        if result.glucocorticoid:
            gc = result.glucocorticoid
            parts.append(f"<h2>Glucocorticoid conversion</h2><p>{_e(gc.drug)} {_e(gc.dose_mg_per_day)} mg/day = "
                         f"prednisone {_e(gc.prednisone_equivalent_mg_per_day)} mg/day (limit "
                         f"{_e(gc.limit_mg_per_day)} mg/day: {'within' if gc.within_limit else 'above'})</p>")  # fmt: skip
        reasons = "".join(
            f"<li>{_e(c.text)}</li>" for c in result.criteria if c.fails or c.verdict == "unknown"
        )
        parts.append(
            f"<h2>Determination: {_e(result.determination.upper())}</h2><ul>{reasons}</ul>"
        )
        if result.warnings:
            items = "".join(
                f"<li>{_e(w.text)} — acknowledged by {_e(record.acknowledged[w.code]['by'])} on "
                f"{_e(_when(record.acknowledged[w.code]))}</li>" if w.code in record.acknowledged
                else f"<li>{_e(w.text)} — NOT acknowledged</li>"
                for w in result.warnings
            )  # fmt: skip
            parts.append(f"<h2>Warnings</h2><ul>{items}</ul>")
    parts.append(f"<h2>Outcome after screening</h2><p>{_e(_outcome_in_words(s))}</p>")
    sig = "".join(f"<li>{_e(x.manifestation)}{'' if x.check == 'valid' else ' — ' + _e(x.detail)}</li>"
                  for x in record.signatures)  # fmt: skip
    # The signatures and the wet-ink lines in one borderless table: keep_together() moves them
    # to the next page as one block, never the wet-ink line alone.
    parts.append("<h2>Electronic signatures</h2><table width='100%' style='border: none'>"
                 f"<tr><td style='border: none'><ul>{sig or '<li>none</li>'}</ul>"
                 "<p><b>Investigator (wet ink)</b></p><p>Signature: ________________________________ "
                 "&nbsp;&nbsp; Date: ______________</p></td></tr></table></body></html>")  # fmt: skip
    return "".join(parts)


def _when(acknowledged: dict[str, str]) -> str:
    return local_text(acknowledged["at_utc"], acknowledged.get("utc_offset", "+00:00"))


def _outcome_in_words(screening: Screening) -> str:
    """The outcome after screening, with the randomization number and date when enrolled."""
    detail = screening.outcome_detail
    note = f"; note: {detail['note']}" if detail.get("note") else ""
    if screening.outcome == "enrolled":
        return (f"Enrolled: randomization number {detail.get('randomization_number', '—')}, "
                f"enrollment date {detail.get('date', '—')}{note}")  # fmt: skip
    words = {"declined": "Eligible but declined", "screen_failure": "Screen failure",
             "withdrawn": "Withdrawn before enrollment"}  # fmt: skip
    if screening.outcome in words:
        return words[screening.outcome] + note
    return "Not recorded yet"


def _criteria_table(
    protocol: LoadedProtocol, result: Determination, answers: dict[str, object]
) -> str:
    rows = []
    for c in result.criteria:
        label = protocol.protocol.criterion(c.id).label["en"]
        rows.append(f"<tr><td>{_e(c.id)}</td><td>{_e(label)}</td><td>{_e(c.verdict.replace('_', ' '))}</td>"
                    f"<td>{_e(c.text.split(': ', 1)[-1])}</td></tr>")  # fmt: skip
    return ("<h2>Criteria</h2><table width='100%'><tr><th>Id</th><th>Criterion</th><th>Verdict</th>"
            f"<th>Answer and evidence</th></tr>{''.join(rows)}</table>")  # fmt: skip


def _acr_table(protocol: LoadedProtocol, result: Determination) -> str:
    acr = result.acr_eular
    definitions = {d.id: d for d in protocol.protocol.acr_eular.domains}
    rows = []
    for d in acr.domains:
        item, detail = domain_in_words(definitions[d.domain], d)
        rows.append(f"<tr><td>{_e(definitions[d.domain].label['en'])}</td><td>{_e(item)}</td>"
                    f"<td>{_e(detail)}</td><td align='right'>{d.points}</td></tr>")  # fmt: skip
    entry = {True: "met", False: "not met", None: "not answered"}[acr.entry]
    labels = {x.id: x.label["en"] for x in protocol.protocol.acr_eular.exclusions}
    exclusions = (
        "; ".join(f"{x} {labels.get(x, '')}" for x in acr.exclusions_present) or "none present"
    )
    return (f"<h2>2019 ACR/EULAR worksheet</h2><p>Entry criterion: {entry} · Exclusion items: {_e(exclusions)}</p>"
            "<table width='100%'><tr><th>Domain</th><th>Item chosen</th><th>Evidence (IgG4/ULN ratio, staining cell)</th>"
            f"<th>Points</th></tr>{''.join(rows)}<tr><td colspan='3'><b>Total</b> (classified at ≥ {acr.threshold})"
            f"</td><td align='right'><b>{acr.total}</b></td></tr></table>")  # fmt: skip


LOG_HEADINGS = ("Screening number", "Initials", "Sex", "Age", "Consent (date, version)", "Screening date",
                "Eligible", "Reasons (criterion ids)", "Outcome", "Coordinator", "Investigator sign-off")  # fmt: skip
_LOG_WIDTHS = (10, 5, 5, 4, 10, 8, 5, 16, 12, 11, 14)


def log_html(protocol: LoadedProtocol, site_name: str, investigator: str, tampered: int = 0) -> str:
    """What the log prints above its table: the protocol and site, a TAMPERED banner when rows
    below are not what the audit trail records, and the title."""
    banner = (
        f"<p class='banner'>TAMPERED: {tampered} screening(s) below are not what the audit trail "
        "records (marked TAMPERED)</p>"
        if tampered
        else ""
    )
    return (
        f"<html><head><style>{_CSS}</style></head><body>{header_html(protocol, site_name, investigator)}"
        f"{banner}<h2>Screening and enrollment log</h2></body></html>"
    )


def log_table(rows: list[PrintedLogRow]) -> LongTable:
    """The log's rows, painted page by page (print_table) rather than laid out as one document."""
    return LongTable(LOG_HEADINGS, _LOG_WIDTHS, [
        (f"{r.screening_number}" + (f" /{r.attempt}" if r.attempt > 1 else "")
         + (" TAMPERED" if r.tampered else ""), r.initials, r.sex,
         r.age_at_consent, r.consent, r.screening_date, r.eligible, r.reasons, r.outcome, r.coordinator,
         r.investigator)
        for r in rows
    ])  # fmt: skip


def log_tail_html(consort: Consort) -> str:
    """What the log prints below its table: the end mark and the CONSORT counts."""
    by = "".join(f"<tr><td>&nbsp;&nbsp;{_e(c)}</td><td align='right'>{n}</td></tr>"
                 for c, n in consort.by_criterion.items())  # fmt: skip
    return (
        f"<html><head><style>{_CSS}</style></head><body>"
        "<p><b>End of log.</b></p><h2>CONSORT counts</h2><table>"
        f"<tr><td>Assessed for eligibility</td><td align='right'>{consort.assessed}</td></tr>"
        f"<tr><td>Excluded: not meeting criteria</td><td align='right'>{consort.not_meeting_criteria}</td></tr>{by}"
        f"<tr><td>Excluded: declined</td><td align='right'>{consort.declined}</td></tr>"
        f"<tr><td>Excluded: other (withdrawn or not concluded)</td><td align='right'>{consort.other}</td></tr>"
        f"<tr><td>Enrolled</td><td align='right'>{consort.enrolled}</td></tr></table></body></html>"
    )


def draw_consort(painter: QPainter, area: QRectF, consort: Consort) -> None:
    """The CONSORT flow as boxes and arrows: assessed, excluded (by reason), enrolled."""
    painter.save()
    scale = area.width() / 1000
    painter.setFont(QFont("DejaVu Sans", 9))
    painter.setPen(QColor("#222222"))

    def box(x: float, y: float, w: float, h: float, text: str) -> QRectF:
        rect = QRectF(area.left() + x * scale, area.top() + y * scale, w * scale, h * scale)
        painter.drawRect(rect)
        flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
        painter.drawText(rect.adjusted(8 * scale, 6 * scale, -8 * scale, -6 * scale), flags, text)
        return rect

    def arrow(start: QPointF, end: QPointF) -> None:
        painter.drawLine(start, end)
        head = 10 * scale
        if abs(end.x() - start.x()) > abs(end.y() - start.y()):  # pointing right
            painter.drawLine(end, QPointF(end.x() - head, end.y() - head / 2))
            painter.drawLine(end, QPointF(end.x() - head, end.y() + head / 2))
        else:  # pointing down
            painter.drawLine(end, QPointF(end.x() - head / 2, end.y() - head))
            painter.drawLine(end, QPointF(end.x() + head / 2, end.y() - head))

    assessed = box(300, 0, 400, 90, f"Assessed for eligibility\n(n = {consort.assessed})")
    reasons = ", ".join(f"{c} {n}" for c, n in consort.by_criterion.items()) or "none"
    excluded_n = consort.not_meeting_criteria + consort.declined + consort.other
    excluded = box(560, 150, 440, 250, f"Excluded (n = {excluded_n})\n• Not meeting criteria (n = "
                   f"{consort.not_meeting_criteria}): {reasons}\n• Declined (n = {consort.declined})\n"
                   f"• Other: withdrawn or not concluded (n = {consort.other})")  # fmt: skip
    enrolled = box(300, 460, 400, 90, f"Enrolled\n(n = {consort.enrolled})")
    middle = assessed.center().x()
    arrow(QPointF(middle, assessed.bottom()), QPointF(middle, enrolled.top()))
    arrow(QPointF(middle, excluded.center().y()), QPointF(excluded.left(), excluded.center().y()))
    painter.restore()


class NotPrintedError(Exception):
    """A printout that could not be written; the message says why, in words."""


class PrintCancelledError(NotPrintedError):
    """The person cancelled a printout while it was being made."""


Progress = Callable[[int, int], bool]
"""Told (pages done, pages in all) as a printout is made; returns False to cancel it."""


def _document(html_text: str, device: QPagedPaintDevice, body: QSizeF) -> QTextDocument:
    document = QTextDocument()
    document.documentLayout().setPaintDevice(device)
    document.setPageSize(body)  # before the HTML, so that the text is laid out once
    document.setHtml(html_text)
    keep_together(document, body.height())
    return document


def _used_on_last_page(document: QTextDocument, body: QSizeF) -> float:
    return document.size().height() - (document.pageCount() - 1) * body.height()


PagePainter = Callable[[QPainter], None]


def _document_pages(document: QTextDocument, body: QSizeF, top: float = 0.0) -> list[PagePainter]:
    """One painter per page of a laid-out document; the first starts `top` pixels down."""

    def page(index: int) -> PagePainter:
        def paint(painter: QPainter) -> None:
            painter.save()
            painter.translate(0, top - index * body.height())
            draw_on_paper(
                document, painter, QRectF(0, index * body.height(), body.width(), body.height())
            )
            painter.restore()

        return paint

    return [page(i) for i in range(document.pageCount())]


def _with(first: PagePainter, second: PagePainter) -> PagePainter:
    def both(painter: QPainter) -> None:
        first(painter)
        second(painter)

    return both


def _consort_page(consort: Consort, body: QSizeF) -> PagePainter:
    def paint(painter: QPainter) -> None:
        painter.setFont(QFont("DejaVu Sans", 12, QFont.Weight.Bold))
        painter.drawText(
            QRectF(0, 0, body.width(), body.height() * 0.08), "CONSORT flow of the screening log"
        )
        side = min(body.width(), body.height() * 1.5)
        draw_consort(
            painter,
            QRectF((body.width() - side) / 2, body.height() * 0.12, side, side * 0.6),
            consort,
        )

    return paint


def _plan(
    html_text: str, device: QPagedPaintDevice, body: QSizeF, table: LongTable | None,
    tail_html: str | None, consort: Consort | None,
) -> list[PagePainter]:  # fmt: skip
    """Every page, in order, as a function that paints it: the document; then the table, from
    below the document's end, its rows split into pages by height; then the tail, on the table's
    last page when it fits there whole, else from a new page; then the CONSORT flow diagram."""
    head = _document(html_text, device, body)
    pages = _document_pages(head, body)
    if table is not None:
        margin = head.documentMargin()  # the table lines up with the text above and below it
        rows = TablePainter(table, device, body.width() - 2 * margin)
        top = _used_on_last_page(head, body)
        below = top
        for number, on_page in enumerate(rows.pages(body.height() - top, body.height())):
            start = top if number == 0 else 0.0

            def paint_rows(
                painter: QPainter, on_page: range = on_page, start: float = start
            ) -> None:
                painter.save()
                painter.translate(margin, 0)
                rows.paint(painter, on_page, start)
                painter.restore()

            if number == 0:
                pages[-1] = _with(pages[-1], paint_rows)
            else:
                pages.append(paint_rows)
            below = start + rows.heading_height + sum(rows.heights[i] for i in on_page)
        if tail_html is not None:
            tail = _document(tail_html, device, body)
            if tail.pageCount() == 1 and below + tail.size().height() <= body.height():
                pages[-1] = _with(pages[-1], _document_pages(tail, body, top=below)[0])
            else:
                pages += _document_pages(tail, body)
    if consort is not None:
        pages.append(_consort_page(consort, body))
    return pages


def render(
    html_text: str, device: QPagedPaintDevice, *, footer: str, demo: bool, landscape: bool = False,
    consort: Consort | None = None, table: LongTable | None = None, tail_html: str | None = None,
    progress: Progress | None = None,
) -> int:  # fmt: skip
    """Lay out the document on the device's pages, then `table` (a long table painted page by
    page, its headings repeated) and `tail_html` after it; paint a footer with "Page X of Y" (and
    the DEMO watermark) on each; with `consort`, a last page with the drawn flow diagram.
    `progress(done, total)` is told before each page and may cancel (PrintCancelledError) by
    returning False. Returns the number of pages."""
    layout = device.pageLayout()
    layout.setOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    layout.setMargins(QMarginsF(15, 15, 15, 18))
    device.setPageLayout(layout)
    painter = QPainter(device)
    if not painter.isActive():  # Qt only warns: a PDF file that cannot be opened, a printer gone
        raise NotPrintedError("the printer or file could not be opened for writing")
    page_rect = QRectF(device.pageLayout().paintRectPixels(device.logicalDpiX()))
    footer_height = device.logicalDpiY() * 0.35
    body = QSizeF(page_rect.width(), page_rect.height() - footer_height)
    plan = _plan(html_text, device, body, table, tail_html, consort)
    for page, paint in enumerate(plan):
        if progress is not None and not progress(page, len(plan)):
            painter.end()
            raise PrintCancelledError("printing was cancelled")
        if page:
            device.newPage()
        paint(painter)
        painter.setFont(QFont("DejaVu Sans", 7))
        painter.setPen(QColor("#333333"))
        painter.drawText(QRectF(0, body.height() + 4, body.width(), footer_height), Qt.AlignmentFlag.AlignLeft,
                         footer)  # fmt: skip
        painter.drawText(QRectF(0, body.height() + 4, body.width(), footer_height), Qt.AlignmentFlag.AlignRight,
                         f"Page {page + 1} of {len(plan)}")  # fmt: skip
        if demo:
            painter.save()
            painter.setPen(QColor(176, 0, 32, 60))
            painter.setFont(QFont("DejaVu Sans", 60, QFont.Weight.Bold))
            painter.translate(page_rect.width() / 2, body.height() / 2)
            painter.rotate(-35)
            painter.drawText(QPointF(-260, 30), "DEMO")
            painter.restore()
    painter.end()
    return len(plan)


def print_palette() -> QPalette:
    """Black on white, whatever the screen's theme: paper is white, and a dark system palette
    (light text) must never reach it."""
    palette = QPalette(QColor("#ffffff"))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):  # fmt: skip
        palette.setColor(role, QColor("#000000"))
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
        palette.setColor(role, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Link, QColor("#0000a0"))
    return palette


def draw_on_paper(document: QTextDocument, painter: QPainter, clip: QRectF) -> None:
    """QTextDocument.drawContents() with the print palette instead of the application's (which
    would paint a dark theme's light grey text on white paper)."""
    painter.save()
    painter.setClipRect(clip)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.palette = print_palette()
    context.clip = clip
    document.documentLayout().draw(painter, context)
    painter.restore()


def keep_together(document: QTextDocument, page_height: float) -> None:
    """Blocks that must not be split across pages start a new page when they would be: every
    table shorter than a page (the CONSORT counts, the signatures and wet-ink lines) with the
    heading just above it, and a heading left alone at the foot of a page. Tables longer than a
    page (the log itself) flow on."""
    for _ in range(50):  # each pass moves one block; a document has a few dozen at most
        if not (
            _move_split_table(document, page_height) or _move_lone_heading(document, page_height)
        ):
            return


def _page(y: float, page_height: float) -> int:
    return int(y // page_height)


def _move_split_table(document: QTextDocument, page_height: float) -> bool:
    layout = document.documentLayout()
    for frame in document.rootFrame().childFrames():
        box = layout.frameBoundingRect(frame)
        if box.height() >= page_height * 0.9:
            continue  # longer than a page: it flows on
        if _page(box.top(), page_height) != _page(box.bottom() - 1, page_height):
            before = document.findBlock(frame.firstPosition() - 1)
            heading = before if before.isValid() and before.blockFormat().headingLevel() else None
            _break_before(frame, heading)
            return True
    return False


def _move_lone_heading(document: QTextDocument, page_height: float) -> bool:
    layout = document.documentLayout()
    block = document.begin()
    while block.isValid():
        following = block.next()
        if (
            block.blockFormat().headingLevel()
            and following.isValid()
            and block.blockFormat().pageBreakPolicy() == QTextFormat.PageBreakFlag.PageBreak_Auto
        ):
            here = layout.blockBoundingRect(block)
            there = layout.blockBoundingRect(following)
            # A table after the heading is checked as a whole by _move_split_table.
            if _page(here.top(), page_height) != _page(
                there.top() + min(there.height(), 20), page_height
            ):
                _break_block(block)
                return True
        block = following
    return False


def _break_before(frame: QTextFrame, heading: QTextBlock | None) -> None:
    """A page break before the table, or before the heading that introduces it."""
    if heading is not None:
        _break_block(heading)
        return
    table_format = frame.frameFormat()
    table_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    frame.setFrameFormat(table_format)


def _break_block(block: QTextBlock) -> None:
    block_format: QTextBlockFormat = block.blockFormat()
    block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(block_format)


def footer_text(protocol: LoadedProtocol) -> str:
    printed = now_text()
    return f"Eligo {__version__} · rules {protocol.id} v{protocol.version} ({protocol.sha256[:12]}) · printed {printed}"


def pdf_writer(path: Path, page_size: str = "A4") -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageSize(QPageSize(PAGE_SIZES[page_size]))
    writer.setTitle("Eligo printout")
    writer.setCreator(f"Eligo {__version__}")
    return writer
