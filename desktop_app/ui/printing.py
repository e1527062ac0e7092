"""Binder printouts with Qt's own printing: HTML laid out by QTextDocument, painted page by page
onto QPdfWriter (or a QPrinter), with a footer, "Page X of Y" and a DEMO watermark on every page."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSizeF, Qt
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
from desktop_app.rules import Determination, LoadedProtocol, messages
from desktop_app.rules.applicability import applicable_document
from desktop_app.rules.messages import domain_in_words
from desktop_app.store.clock import local_text, now_text
from desktop_app.store.models import Screening
from desktop_app.store.reports import Consort, PrintedLogRow, ScreeningRecord
from desktop_app.store.signatures import MEANINGS, SignatureStatus
from desktop_app.ui.forms import QT_TRANSLATE_NOOP
from desktop_app.ui.language import current, tx
from desktop_app.ui.log_model import attempt_label
from desktop_app.ui.missing_codes import coded_answers_html
from desktop_app.ui.print_table import LongTable, TablePainter

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
_CSS = """
body { color: #000000; font-family: 'DejaVu Sans', 'WenQuanYi Micro Hei', 'Microsoft YaHei', 'PingFang SC', sans-serif; font-size: 8.5pt; }
h1 { font-size: 13pt; margin: 0; } h2 { font-size: 10.5pt; margin-top: 10px; margin-bottom: 3px; }
h3 { font-size: 8.5pt; margin-top: 6px; margin-bottom: 0; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2px 4px; vertical-align: top; }
th { background: #e8e8e8; color: #000000; }
table.log { border-collapse: separate; } table.log td, table.log th { border: none; border-bottom: 1px solid #999; }
.banner { font-size: 14pt; font-weight: bold; color: #b00020; }
.small { font-size: 7.5pt; color: #444; }
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def translate(context: str, text: str) -> str:
    """A printout text in the signed-in user's language (lupdate reads these calls)."""
    return QCoreApplication.translate(context, text)


def _language_line() -> str:
    """Small type under the heading: the printout's language, and what does not depend on it."""
    return (
        "<p class='small'>"
        + _e(translate("Printout", "Printed in English. Codes and criterion ids (I1-I4, E1-E9) are "
                       "language-neutral: they mean the same in every language of this printout."))
        + "</p>"
    )  # fmt: skip


def _sep() -> str:
    return "；" if current() == "zh-CN" else "; "


def header_html(protocol: LoadedProtocol, site_name: str, investigator: str) -> str:
    meta = protocol.protocol.metadata
    return (
        f"<h1>{_e(tx(meta.title))}</h1>"
        f"<p>{_e(meta.registry_id)} · "
        + _e(translate("Printout", "protocol version {0}").format(meta.protocol_version))
        + f" · sha256 <span class='small'>{_e(protocol.sha256)}</span><br>"
        + _e(translate("Printout", "Site: {0}").format(site_name))
        + " · "
        + _e(translate("Printout", "Principal investigator: {0}").format(investigator))
        + "</p>"
        + _language_line()
    )


def manifestation(x: SignatureStatus) -> str:
    """The signature manifestation (meaning, printed name, time with its zone, key) in words."""
    meaning = {
        MEANINGS["screening_performed"]: translate("Printout", "Screening performed by"),
        MEANINGS["eligibility_confirmed"]: translate(
            "Printout", "Eligibility confirmed by investigator"
        ),
    }.get(x.meaning, x.meaning)
    # The local date and time with its zone, as a person reads it (the data keeps the exact UTC).
    return translate("Printout", "{0} {1}, {2}, key {3}").format(
        meaning, x.printed_name, local_text(x.signed_at, x.utc_offset), x.key_fingerprint
    )


_INVALIDATED = re.compile(r"signature invalidated on (.+?) by (.+?): (.*)", re.DOTALL)


def signature_detail(x: SignatureStatus) -> str:
    """Why a signature is not valid, in words of the user's language (the reason typed by the
    person who invalidated it stays as typed)."""
    found = _INVALIDATED.fullmatch(x.detail)
    if found is not None:
        return translate("Printout", "signature invalidated on {0} by {1}: {2}").format(
            *found.groups()
        )
    return {
        "TAMPERED: the stored signature does not verify": translate(
            "Printout", "TAMPERED: the stored signature does not verify"
        ),
        "TAMPERED: the record was changed after it was signed": translate(
            "Printout", "TAMPERED: the record was changed after it was signed"
        ),
    }.get(x.detail, x.detail)


def summary_html(protocol: LoadedProtocol, record: ScreeningRecord) -> str:
    s, result, site = record.screening, record.determination, record.site
    language = current()
    parts = [f"<html><head><style>{_CSS}</style></head><body>"]
    parts.append(
        header_html(
            protocol, site.name if site else "", site.principal_investigator if site else ""
        )
    )
    valid = [x for x in record.signatures if x.check == "valid"]
    if record.tampered:
        items = "".join(f"<li>{_e(line)}</li>" for line in record.tampered)
        banner = translate("Printout", "TAMPERED: the record is not what its audit trail records")
        parts.append(f"<p class='banner'>{_e(banner)}</p><ul class='small'>{items}</ul>")
    elif any(x.check == "tampered" for x in record.signatures):
        banner = translate("Printout", "TAMPERED: the record no longer matches its signature")
        parts.append(f"<p class='banner'>{_e(banner)}</p>")
    elif any(x.check == "invalidated" for x in record.signatures) and not valid:
        parts.append(f"<p class='banner'>{_e(translate('Printout', 'SIGNATURE INVALIDATED'))}</p>")
    elif not valid:
        parts.append(f"<p class='banner'>{_e(translate('Printout', 'UNSIGNED DRAFT'))}</p>")
    if s.protocol_sha256 and s.protocol_sha256 != protocol.sha256:
        note = translate(
            "Printout",
            "Note: this screening was determined under protocol {0} version {1} (sha256 {2}); the "
            "labels below are those of version {3} ({4}).",
        ).format(s.protocol_id, s.protocol_version, s.protocol_sha256[:12], protocol.version,
                 protocol.sha256[:12])  # fmt: skip
        parts.append(f"<p>{_e(note)}</p>")
    # Only what applies is evidence: a consent date kept after "consent not given" is not printed.
    answers = applicable_document(protocol.protocol, record.answers)
    heading = translate("Printout", "Screening {0} (attempt {1})").format(
        s.screening_number, s.attempt
    )
    facts = translate(
        "Printout", "Consent: {0}, form version {1} · Screening date: {2} · Initials: {3}"
    ).format(
        answers.get("consent_date", "—"),
        answers.get("consent_form_version", "—"),
        answers.get("screening_date", "—"),
        s.initials,
    )
    parts.append(f"<h2>{_e(heading)}</h2><p>{_e(facts)}</p>")
    if result is None:
        parts.append(f"<p>{_e(translate('Printout', 'No determination yet.'))}</p>")
    else:
        parts.append(_criteria_table(protocol, result, answers, record.notes))
        parts.append(coded_answers_html(protocol.protocol, answers,
                                        translate("Printout", "Answers given a missing-data code")))  # fmt: skip
        parts.append(_acr_table(protocol, result))
        if result.glucocorticoid:
            gc = result.glucocorticoid
            found = protocol.protocol.glucocorticoid(gc.drug)
            line = translate(
                "Printout", "{0} {1} mg/day = prednisone {2} mg/day (limit {3} mg/day: {4})"
            ).format(
                tx(found.name) if found else gc.drug,
                gc.dose_mg_per_day,
                gc.prednisone_equivalent_mg_per_day,
                gc.limit_mg_per_day,
                translate("Printout", "within")
                if gc.within_limit
                else translate("Printout", "above"),
            )
            title = translate("Printout", "Glucocorticoid conversion")
            parts.append(f"<h2>{_e(title)}</h2><p>{_e(line)}</p>")
        reasons = "".join(
            f"<li>{_e(messages.criterion_text(c, language, protocol.protocol))}</li>"
            for c in result.criteria
            if c.fails or c.verdict == "unknown"
        )
        title = translate("Printout", "Determination: {0}").format(
            translate("Printout", DETERMINATIONS[result.determination])
        )
        parts.append(f"<h2>{_e(title)}</h2><ul>{reasons}</ul>")
        if result.warnings:
            warned = []
            for w in result.warnings:
                text = messages.warning_text(w, language, protocol.protocol)
                if w.code in record.acknowledged:
                    seen = record.acknowledged[w.code]
                    state = translate("Printout", "acknowledged by {0} at {1}").format(
                        seen["by"], _when(seen)
                    )
                else:
                    state = translate("Printout", "NOT acknowledged")
                warned.append(f"<li>{_e(text)} — {_e(state)}</li>")
            parts.append(
                f"<h2>{_e(translate('Printout', 'Warnings'))}</h2><ul>{''.join(warned)}</ul>"
            )
    from desktop_app.ui.print_attachments import attachments_html  # the source documents

    parts.append(attachments_html(protocol.protocol, record.attachments))
    sig = "".join(
        f"<li>{_e(manifestation(x))}{'' if x.check == 'valid' else ' — ' + _e(signature_detail(x))}</li>"
        for x in record.signatures
    )
    none = _e(translate("Printout", "none"))
    parts.append(
        f"<h2>{_e(translate('Printout', 'Outcome after screening'))}</h2><p>{_e(_outcome_in_words(s))}</p>"
    )
    # The signatures and the wet-ink lines in one borderless table: keep_together() moves them
    # to the next page as one block, never the wet-ink line alone.
    parts.append(
        f"<h2>{_e(translate('Printout', 'Electronic signatures'))}</h2><table width='100%' style='border: none'>"
        f"<tr><td style='border: none'><ul>{sig or '<li>' + none + '</li>'}</ul>"
        f"<p><b>{_e(translate('Printout', 'Investigator (wet ink)'))}</b></p><p>"
        + _e(translate("Printout", "Signature:"))
        + " ________________________________ &nbsp;&nbsp; "
        + _e(translate("Printout", "Date:"))
        + " ______________</p></td></tr></table>"
    )
    from desktop_app.ui.print_annotations import last_page_html  # queries: after the signatures

    parts.append(last_page_html(protocol, record.queries, record.audit_reviews) + "</body></html>")
    return "".join(parts)


def _when(acknowledged: dict[str, str]) -> str:
    return local_text(acknowledged["at_utc"], acknowledged.get("utc_offset", "+00:00"))


def _outcome_in_words(screening: Screening) -> str:
    """The outcome after screening, with the randomization number and date when enrolled, in the
    user's language."""
    detail = screening.outcome_detail
    note = translate("Printout", "; note: {0}").format(detail["note"]) if detail.get("note") else ""
    if screening.outcome == "enrolled":
        return translate("Printout", "Enrolled: randomization number {0}, enrollment date {1}").format(
            detail.get("randomization_number", "—"), detail.get("date", "—")) + note  # fmt: skip
    words = {"declined": QT_TRANSLATE_NOOP("Printout", "Eligible but declined"),
             "screen_failure": QT_TRANSLATE_NOOP("Printout", "Screen failure"),
             "withdrawn": QT_TRANSLATE_NOOP("Printout", "Withdrawn before enrollment")}  # fmt: skip
    if screening.outcome in words:
        return translate("Printout", words[screening.outcome]) + note
    return translate("Printout", "Not recorded yet")


# Texts translated inside f-strings or from variables, marked here for lupdate.
_MARKED = (
    QT_TRANSLATE_NOOP("Printout", "; note: {0}"),
    QT_TRANSLATE_NOOP("Printout", "Enrolled: randomization number {0}, enrollment date {1}"),
    QT_TRANSLATE_NOOP("Printout", "Not recorded yet"),
    QT_TRANSLATE_NOOP("Printout", "SIGNATURE INVALIDATED"),
    QT_TRANSLATE_NOOP("Printout", "UNSIGNED DRAFT"),
    QT_TRANSLATE_NOOP("Printout", "No determination yet."),
    QT_TRANSLATE_NOOP("Printout", "Warnings"),
    QT_TRANSLATE_NOOP("Printout", "Electronic signatures"),
    QT_TRANSLATE_NOOP("Printout", "Investigator (wet ink)"),
    QT_TRANSLATE_NOOP("Printout", "Outcome after screening"),
    QT_TRANSLATE_NOOP("Printout", "{0} {1}, {2}, key {3}"),
    QT_TRANSLATE_NOOP("Printout", "Id"),
    QT_TRANSLATE_NOOP("Printout", "Criterion"),
    QT_TRANSLATE_NOOP("Printout", "Verdict"),
    QT_TRANSLATE_NOOP("Printout", "Answer and evidence"),
    QT_TRANSLATE_NOOP("Printout", "Criteria"),
    QT_TRANSLATE_NOOP("Printout", "2019 ACR/EULAR worksheet"),
    QT_TRANSLATE_NOOP("Printout", "Screening and enrollment log"),
    QT_TRANSLATE_NOOP("Printout", "End of log."),
    QT_TRANSLATE_NOOP("Printout", "CONSORT counts"),
    QT_TRANSLATE_NOOP("Printout", "TAMPERED"),
)
DETERMINATIONS = {
    "eligible": QT_TRANSLATE_NOOP("Printout", "ELIGIBLE"),
    "ineligible": QT_TRANSLATE_NOOP("Printout", "INELIGIBLE"),
    "incomplete": QT_TRANSLATE_NOOP("Printout", "INCOMPLETE"),
}
VERDICTS = {
    "met": QT_TRANSLATE_NOOP("Printout", "met"),
    "not_met": QT_TRANSLATE_NOOP("Printout", "not met"),
    "unknown": QT_TRANSLATE_NOOP("Printout", "unknown"),
    "present": QT_TRANSLATE_NOOP("Printout", "present"),
    "absent": QT_TRANSLATE_NOOP("Printout", "absent"),
}
SEXES = {
    "female": QT_TRANSLATE_NOOP("Printout", "female"),
    "male": QT_TRANSLATE_NOOP("Printout", "male"),
}
OUTCOMES = {
    "enrolled": QT_TRANSLATE_NOOP("Printout", "enrolled {0} {1}"),
    "declined": QT_TRANSLATE_NOOP("Printout", "eligible but declined"),
    "screen_failure": QT_TRANSLATE_NOOP("Printout", "screen failure"),
    "withdrawn": QT_TRANSLATE_NOOP("Printout", "withdrawn before enrollment"),
}


def _criteria_table(
    protocol: LoadedProtocol,
    result: Determination,
    answers: dict[str, object],
    notes: dict[str, Any] | None = None,
) -> str:
    from desktop_app.ui.print_annotations import notes_by_criterion

    language = current()
    noted = notes_by_criterion(protocol.protocol, notes or {})  # each under its criterion
    rows = []
    for c in result.criteria:
        label = tx(protocol.protocol.criterion(c.id).label)
        reason = messages.reason(c.reason, c.params, language, protocol.protocol)
        verdict = translate("Printout", VERDICTS.get(c.verdict, c.verdict))
        rows.append(f"<tr><td>{_e(c.id)}</td><td>{_e(label)}</td><td>{_e(verdict)}</td>"
                    f"<td>{_e(reason)}</td></tr>")  # fmt: skip
        rows += [
            f"<tr><td></td><td colspan='3' class='small'><i>{line}</i></td></tr>"
            for line in noted.get(c.id, [])
        ]
    head = [translate("Printout", h) for h in ("Id", "Criterion", "Verdict", "Answer and evidence")]
    return (f"<h2>{_e(translate('Printout', 'Criteria'))}</h2><table width='100%'><tr>"
            + "".join(f"<th>{_e(h)}</th>" for h in head) + f"</tr>{''.join(rows)}</table>"
            + "".join(f"<p class='small'><i>{line}</i></p>" for line in noted.get("", [])))  # fmt: skip


def _acr_table(protocol: LoadedProtocol, result: Determination) -> str:
    language = current()
    acr = result.acr_eular
    definitions = {d.id: d for d in protocol.protocol.acr_eular.domains}
    rows = []
    for d in acr.domains:
        item, detail = domain_in_words(definitions[d.domain], d, language)
        rows.append(f"<tr><td>{_e(tx(definitions[d.domain].label))}</td><td>{_e(item)}</td>"
                    f"<td>{_e(detail)}</td><td align='right'>{d.points}</td></tr>")  # fmt: skip
    entry = {
        True: translate("Printout", "met"),
        False: translate("Printout", "not met"),
        None: translate("Printout", "not answered"),
    }[acr.entry]
    labels = {x.id: tx(x.label) for x in protocol.protocol.acr_eular.exclusions}
    exclusions = _sep().join(
        f"{x} {labels.get(x, '')}" for x in acr.exclusions_present
    ) or translate("Printout", "none present")
    head = [
        translate("Printout", "Domain"),
        translate("Printout", "Item chosen"),
        translate("Printout", "Evidence (IgG4/ULN ratio, staining cell)"),
        translate("Printout", "Points"),
    ]
    line = translate("Printout", "Entry criterion: {0} · Exclusion items: {1}").format(
        entry, exclusions
    )
    total = translate("Printout", "<b>Total</b> (classified at ≥ {0})").format(acr.threshold)
    return (f"<h2>{_e(translate('Printout', '2019 ACR/EULAR worksheet'))}</h2><p>{_e(line)}</p>"
            "<table width='100%'><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + f"</tr>{''.join(rows)}"
            f"<tr><td colspan='3'>{total}</td><td align='right'><b>{acr.total}</b></td></tr></table>")  # fmt: skip


def _log_values(protocol: LoadedProtocol | None, r: PrintedLogRow) -> tuple[str, ...]:
    """A log row's cells in the printout's language, from the codes where the row has them."""
    language = current()
    sex = translate("Printout", SEXES[r.sex]) if r.sex in SEXES else r.sex
    eligible = {"Y": translate("Printout", "Y"), "N": translate("Printout", "N")}.get(
        r.eligible, r.eligible
    )
    reasons = r.reasons
    if r.failing_json and language != "en" and protocol is not None:
        reasons = _sep().join(
            messages.sentence(c["id"], c["reason"], c["params"], language, protocol.protocol)
            for c in json.loads(r.failing_json)
        )
    outcome = r.outcome
    if r.outcome_code in OUTCOMES:
        detail = json.loads(r.outcome_detail or "{}")
        outcome = (
            translate("Printout", OUTCOMES[r.outcome_code])
            .format(detail.get("randomization_number", ""), detail.get("date", ""))
            .strip()
        )
    tampered = " " + translate("Printout", "TAMPERED") if r.tampered else ""
    return (
        attempt_label(r.screening_number, r.attempt) + tampered,
        r.initials, sex, r.age_at_consent, r.consent, r.screening_date, eligible, reasons, outcome,
        r.coordinator, r.investigator,
    )  # fmt: skip


LOG_HEADERS = (
    QT_TRANSLATE_NOOP("Printout", "Screening number"),
    QT_TRANSLATE_NOOP("Printout", "Initials"),
    QT_TRANSLATE_NOOP("Printout", "Sex"),
    QT_TRANSLATE_NOOP("Printout", "Age"),
    QT_TRANSLATE_NOOP("Printout", "Consent (date, version)"),
    QT_TRANSLATE_NOOP("Printout", "Screening date"),
    QT_TRANSLATE_NOOP("Printout", "Eligible"),
    QT_TRANSLATE_NOOP("Printout", "Reasons (criterion ids)"),
    QT_TRANSLATE_NOOP("Printout", "Outcome"),
    QT_TRANSLATE_NOOP("Printout", "Coordinator"),
    QT_TRANSLATE_NOOP("Printout", "Investigator sign-off"),
)


_LOG_WIDTHS = (10, 5, 5, 4, 10, 8, 5, 16, 12, 11, 14)


def log_html(protocol: LoadedProtocol, site_name: str, investigator: str, tampered: int = 0) -> str:
    """What the log prints above its table: the protocol and site, a TAMPERED banner when rows
    below are not what the audit trail records, and the title."""
    banner = (
        "<p class='banner'>"
        + _e(translate("Printout", "TAMPERED: {0} screening(s) below are not what the audit trail "
                       "records (marked TAMPERED)").format(tampered))
        + "</p>"
        if tampered
        else ""
    )  # fmt: skip
    title = translate("Printout", "Screening and enrollment log")
    return (
        f"<html><head><style>{_CSS}</style></head><body>{header_html(protocol, site_name, investigator)}"
        f"{banner}<h2>{_e(title)}</h2></body></html>"
    )


def log_table(rows: list[PrintedLogRow], protocol: LoadedProtocol | None = None) -> LongTable:
    """The log's rows, painted page by page (print_table) rather than laid out as one document;
    headings and texts in the user's language (the reasons from their codes, with the protocol)."""
    headings = tuple(translate("Printout", h) for h in LOG_HEADERS)
    return LongTable(headings, _LOG_WIDTHS, [_log_values(protocol, r) for r in rows])


def log_tail_html(consort: Consort) -> str:
    """What the log prints below its table: the end mark and the CONSORT counts."""
    by = "".join(f"<tr><td>&nbsp;&nbsp;{_e(c)}</td><td align='right'>{n}</td></tr>"
                 for c, n in consort.by_criterion.items())  # fmt: skip

    def count(text: str, n: int) -> str:
        return f"<tr><td>{_e(text)}</td><td align='right'>{n}</td></tr>"

    return (
        f"<html><head><style>{_CSS}</style></head><body>"
        f"<p><b>{_e(translate('Printout', 'End of log.'))}</b></p>"
        f"<h2>{_e(translate('Printout', 'CONSORT counts'))}</h2><table>"
        + count(translate("Printout", "Assessed for eligibility"), consort.assessed)
        + count(
            translate("Printout", "Excluded: not meeting criteria"), consort.not_meeting_criteria
        )
        + by
        + count(translate("Printout", "Excluded: declined"), consort.declined)
        + count(
            translate("Printout", "Excluded: other (withdrawn or not concluded)"), consort.other
        )
        + count(translate("Printout", "Enrolled"), consort.enrolled)
        + "</table></body></html>"
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

    assessed = box(300, 0, 400, 90, translate("Printout", "Assessed for eligibility\n(n = {0})")
                   .format(consort.assessed))  # fmt: skip
    reasons = ", ".join(f"{c} {n}" for c, n in consort.by_criterion.items()) or translate(
        "Printout", "none"
    )
    excluded_n = consort.not_meeting_criteria + consort.declined + consort.other
    excluded = box(560, 150, 440, 250, translate(
        "Printout", "Excluded (n = {0})\n• Not meeting criteria (n = {1}): {2}\n• Declined (n = {3})\n"
        "• Other: withdrawn or not concluded (n = {4})").format(
            excluded_n, consort.not_meeting_criteria, reasons, consort.declined, consort.other))  # fmt: skip
    enrolled = box(
        300, 460, 400, 90, translate("Printout", "Enrolled\n(n = {0})").format(consort.enrolled)
    )
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
            QRectF(0, 0, body.width(), body.height() * 0.08),
            translate("Printout", "CONSORT flow of the screening log"),
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
                         translate("Printout", "Page {0} of {1}").format(page + 1, len(plan)))  # fmt: skip
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
                if following.blockFormat().headingLevel():
                    # A heading under this one (a query under "Monitor queries") that an earlier
                    # pass moved to the new page: it now follows this one there.
                    _unbreak_block(following)
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


def _unbreak_block(block: QTextBlock) -> None:
    block_format: QTextBlockFormat = block.blockFormat()
    block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_Auto)
    QTextCursor(block).setBlockFormat(block_format)


def footer_text(protocol: LoadedProtocol) -> str:
    printed = now_text()
    return translate("Printout", "Eligo {0} · rules {1} v{2} ({3}) · printed {4}").format(
        __version__, protocol.id, protocol.version, protocol.sha256[:12], printed
    )


def pdf_writer(path: Path, page_size: str = "A4") -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageSize(QPageSize(PAGE_SIZES[page_size]))
    writer.setTitle(translate("Printout", "Eligo printout"))
    writer.setCreator(f"Eligo {__version__}")
    return writer
