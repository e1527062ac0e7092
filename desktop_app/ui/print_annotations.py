"""Notes and queries on the binder summary: each note under the criterion it concerns (in the
criteria table), notes on answers no criterion reads after the table, and the monitors' queries
and audit trail reviews at the summary's end, after the signatures (a new page only when they do not
fit, their headings never alone at the foot of a page)."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

from desktop_app.rules import LoadedProtocol
from desktop_app.rules.protocol import Protocol
from desktop_app.store.clock import local_text
from desktop_app.ui.forms import QT_TRANSLATE_NOOP
from desktop_app.ui.printing import translate
from desktop_app.ui.review import question_label

# The answers each kind of criterion reads (the others name their question in the protocol).
_READS: dict[str, tuple[str, ...]] = {
    "age_at_consent": ("date_of_birth", "consent_date"),
    "informed_consent": ("consent_given", "consent_date", "consent_form_version", "screening_date"),
    "acr_eular_classification": (
        "acr_entry", "involved_organs", "acr_exclusions", "acr_histopathology", "acr_immunostaining",
        "acr_igg4_igg_ratio", "acr_igg4_cells_per_hpf", "serum_igg4_measured", "serum_igg4_value",
        "serum_igg4_uln", "serum_igg4_unit", "acr_gland_sets", "acr_chest", "acr_pancreas_biliary",
        "acr_kidney", "acr_retroperitoneum",
    ),
    "glucocorticoid_requirement": ("disease_status", "gc_plan", "gc_maintenance_drug",
                                   "gc_maintenance_dose_mg_per_day"),
    "malignancy_window": ("malignancy_history", "malignancy_date"),
    "medication_window": ("medications_given", "medication_last_dose", "other_medications"),
    "reproductive": ("pregnancy_test", "lactating", "planning_pregnancy"),
    "viral_serology": ("hbsag", "hbv_dna", "anti_hbc", "hiv"),
    "tuberculosis": ("chest_imaging", "chest_imaging_date", "ppd", "ppd_date", "tb_elispot",
                     "tb_elispot_date", "tb_conclusion"),
}  # fmt: skip

STATES = {
    "open": QT_TRANSLATE_NOOP("Printout", "open"),
    "answered": QT_TRANSLATE_NOOP("Printout", "answered"),
    "closed": QT_TRANSLATE_NOOP("Printout", "closed"),
}
STEPS = {
    "raised": QT_TRANSLATE_NOOP("Printout", "Raised by {0} at {1}"),
    "answered": QT_TRANSLATE_NOOP("Printout", "Answered by {0} at {1}"),
    "closed": QT_TRANSLATE_NOOP("Printout", "Closed by {0} at {1}"),
    "reopened": QT_TRANSLATE_NOOP("Printout", "Reopened by {0} at {1}"),
}


def _e(value: object) -> str:
    return html.escape(str(value))


def _value(stored: str) -> str:
    """A changed answer as stored (canonical JSON) as a person reads it: text without quotes."""
    try:
        value = json.loads(stored)
    except ValueError:
        return stored
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def criterion_questions(protocol: Protocol) -> dict[str, str]:
    """Question id -> the first criterion (by id) that reads it."""
    found: dict[str, str] = {}
    for criterion in protocol.criteria:
        reads = list(_READS.get(criterion.kind, ()))
        for name in ("question", "note_question"):
            value = getattr(criterion, name, None)
            if isinstance(value, str):
                reads.append(value)
        for question_id in reads:
            found.setdefault(question_id, criterion.id)
    return found


def note_line(protocol: Protocol, note: Any) -> str:
    """One note as printed: the question, who, when, the text (and its version when edited)."""
    who = note.current.full_name or note.current.username
    when = local_text(note.current.at_utc, note.current.utc_offset)
    edited = (
        translate("Printout", "version {0}").format(len(note.versions)) + ", "
        if len(note.versions) > 1
        else ""
    )
    return _e(translate("Printout", "Note on {0}, {1}by {2}, {3}: {4}").format(
        question_label(protocol, note.question_id), edited, who, when, note.text))  # fmt: skip


def notes_by_criterion(protocol: Protocol, notes: Mapping[str, Any]) -> dict[str, list[str]]:
    """Printed note lines by criterion id; those no criterion reads under ''."""
    reads = criterion_questions(protocol)
    found: dict[str, list[str]] = {}
    for question_id, note in sorted(notes.items()):
        found.setdefault(reads.get(question_id.split(".", 1)[0], ""), []).append(
            note_line(protocol, note)
        )
    return found


def last_page_html(loaded: LoadedProtocol, queries: Sequence[Any], reviews: Sequence[Any]) -> str:
    """The monitors' queries, each with its whole thread, and the audit trail reviews, at the end
    of the summary; '' when there are none. They follow the signatures on the same page when they
    fit: printing.keep_together() starts a new page before a heading (the section's, or a query's)
    that would be left at the foot of one."""
    if not queries and not reviews:
        return ""
    protocol = loaded.protocol
    parts = []
    if queries:
        heading = translate("Printout", "Monitor queries")
        parts.append(f"<h2>{_e(heading)}</h2>")
        for query in queries:
            title = translate("Printout", "Query {0} on {1}: {2}").format(
                query.id,
                question_label(protocol, query.question_id),
                translate("Printout", STATES[query.state]),
            )
            lines = []
            for step in query.steps:
                head = translate("Printout", STEPS[step.action]).format(
                    step.full_name or step.username, local_text(step.at_utc, step.utc_offset)
                )
                line = f"<b>{_e(head)}</b>" + (f": {_e(step.text)}" if step.text else "")
                if step.action == "raised" and query.suggested_value:
                    line += " " + _e(
                        translate("Printout", "(suggested value: {0})").format(
                            query.suggested_value
                        )
                    )
                if step.changed_value is not None:
                    line += " " + _e(
                        translate("Printout", "(answer changed to {0})").format(
                            _value(step.changed_value)
                        )
                    )
                if step.reason:
                    line += " " + _e(translate("Printout", "(reason: {0})").format(step.reason))
                lines.append(f"<li>{line}</li>")
            # A heading, so that it is never left alone at the foot of a page (keep_together).
            parts.append(f"<h3>{_e(title)}</h3><ul>{''.join(lines)}</ul>")
    if reviews:
        heading = translate("Printout", "Audit trail reviews")
        parts.append(f"<h2>{_e(heading)}</h2><ul>")
        for r in reviews:
            line = translate("Printout", "{0} to {1}, reviewed by {2} at {3}").format(
                r.from_date.isoformat(), r.to_date.isoformat(), r.full_name or r.username,
                local_text(r.at_utc, r.utc_offset),
            )  # fmt: skip
            parts.append(f"<li>{_e(line)}{': ' + _e(r.comment) if r.comment else ''}</li>")
        parts.append("</ul>")
    return "".join(parts)
