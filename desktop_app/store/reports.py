"""What the printouts and exports read: full screening records, log rows, CONSORT counts.

No direct identifiers (name, medical record number, full date of birth) leave through here: the
log carries initials and the age at consent only.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from desktop_app.rules import Determination
from desktop_app.rules.dates import age_on
from desktop_app.store.answers import answers_of, latest_determination
from desktop_app.store.database import Store
from desktop_app.store.models import Screening, Site
from desktop_app.store.records import get_screening, get_site
from desktop_app.store.signatures import (
    MEANINGS,
    SignatureStatus,
    acknowledgements,
    signature_statuses,
)


@dataclass(frozen=True)
class ScreeningRecord:
    """Everything the binder summary of one screening attempt shows."""

    site: Site | None
    screening: Screening
    answers: dict[str, Any]
    determination: Determination | None
    acknowledged: dict[str, dict[str, str]]
    signatures: list[SignatureStatus]
    # Why the record is not the replay of the audit chain (check.screening_problems): TAMPERED.
    tampered: list[str] = field(default_factory=list)
    # Notes by question, monitors' queries and audit trail reviews (store/annotations.py).
    notes: dict[str, Any] = field(default_factory=dict)
    queries: list[Any] = field(default_factory=list)
    audit_reviews: list[Any] = field(default_factory=list)
    # Every version of its attachments, oldest first (store/attachments.py ListedAttachment).
    attachments: list[Any] = field(default_factory=list)


def screening_record(store: Store, screening_id: int) -> ScreeningRecord:
    from desktop_app.store.annotations import audit_reviews_of, notes_of, queries_of
    from desktop_app.store.attachments import listed_attachments
    from desktop_app.store.check import screening_problems

    screening = get_screening(store, screening_id)
    return ScreeningRecord(
        site=get_site(store),
        screening=screening,
        answers=answers_of(store, screening_id),
        determination=latest_determination(store, screening_id),
        acknowledged=acknowledgements(store, screening_id),
        signatures=signature_statuses(store, screening_id),
        tampered=screening_problems(store, screening.screening_number, screening.attempt),
        notes=notes_of(store, screening_id),
        queries=queries_of(store, screening_id),
        audit_reviews=audit_reviews_of(store, screening_id),
        attachments=listed_attachments(store, screening_id),
    )


@dataclass(frozen=True)
class PrintedLogRow:
    """One row of the printed log: several values per cell, as a reader wants them."""

    screening_number: str
    attempt: int
    initials: str
    sex: str
    age_at_consent: str
    consent: str  # date and form version
    screening_date: str
    eligible: str  # Y / N / blank while open
    reasons: str
    outcome: str
    coordinator: str
    investigator: str
    tampered: bool = False  # its record is not the replay of the audit chain
    # The codes the texts above were made from, so that a printout in another language can say
    # them in its words.
    outcome_code: str = ""
    outcome_detail: str = ""  # JSON
    failing_json: str = ""  # JSON: [{"id", "reason", "params"}] of the failing criteria


@dataclass(frozen=True)
class ExportedLogRow:
    """One row of the exported screening_log.csv: one value per column, dates in ISO 8601
    (YYYY-MM-DD). The columns are described in LOG_COLUMN_NOTES (and the README)."""

    screening_number: str
    attempt: int
    initials: str
    sex: str
    age_at_consent: str
    consent_date: str
    consent_form_version: str
    screening_date: str
    eligible: str
    reasons: str
    outcome: str
    randomization_number: str
    randomization_date: str
    coordinator: str
    screening_performed_by: str
    screening_performed_on: str
    eligibility_confirmed_by: str
    eligibility_confirmed_on: str
    # Not a column: the failing criteria's codes and parameters, from which `reasons` is said in
    # the exporting user's language (export/readable.py) and printed in the reader's.
    failing_json: str = ""


LOG_COLUMNS: tuple[str, ...] = tuple(
    f for f in ExportedLogRow.__dataclass_fields__ if f != "failing_json"
)
LOG_COLUMN_NOTES: dict[str, str] = {
    "screening_number": "the site's screening number of the candidate (no other identifier is exported)",
    "attempt": "1 for the first screening of a candidate, 2 for a re-screening, ...",
    "initials": "the candidate's initials",
    "sex": "female or male (blank: not answered)",
    "age_at_consent": "whole years on the consent date (the date of birth is never exported)",
    "consent_date": "date the informed consent was signed (YYYY-MM-DD)",
    "consent_form_version": "version of the consent form signed, as entered",
    "screening_date": "date of the screening visit (YYYY-MM-DD)",
    "eligible": "Y eligible, N ineligible, blank while the determination is incomplete",
    "reasons": "the failing criteria in words, joined by '; ' (blank unless ineligible)",
    "outcome": "enrolled, declined (eligible but declined), screen_failure or withdrawn; blank while open",
    "randomization_number": "randomization number of an enrolled candidate",
    "randomization_date": "date of enrollment and randomization (YYYY-MM-DD)",
    "coordinator": "printed name of the coordinator who screened",
    "screening_performed_by": "printed name on the valid 'Screening performed by' signature",
    "screening_performed_on": "date of that signature (YYYY-MM-DD, UTC)",
    "eligibility_confirmed_by": "printed name on the valid 'Eligibility confirmed by investigator' signature",
    "eligibility_confirmed_on": "date of that signature (YYYY-MM-DD, UTC)",
}


def _outcome_text(outcome: str | None, detail: dict[str, Any]) -> str:
    if outcome == "enrolled":
        return f"enrolled {detail.get('randomization_number', '')} {detail.get('date', '')}".strip()
    return {"declined": "eligible but declined", "screen_failure": "screen failure",
            "withdrawn": "withdrawn before enrollment"}.get(outcome or "", "")  # fmt: skip


def _version(typed: object) -> str:
    """A consent-form version as typed, without a 'v' of its own ('v3.1' prints as v3.1, not vv3.1)."""
    text = str(typed).strip()
    return text[1:].lstrip() if text[:1] in ("v", "V") and text[1:2].isdigit() else text


def printed_log_row(row: ExportedLogRow) -> PrintedLogRow:
    """The printed form of an exported row (the printout joins what the CSV keeps apart)."""
    version = _version(row.consent_form_version)
    consent = f"{row.consent_date} v{version}" if row.consent_date and version else row.consent_date
    detail = {"randomization_number": row.randomization_number, "date": row.randomization_date}
    investigator = f"{row.eligibility_confirmed_by} {row.eligibility_confirmed_on}".strip()
    return PrintedLogRow(
        screening_number=row.screening_number, attempt=row.attempt, initials=row.initials,
        sex=row.sex, age_at_consent=row.age_at_consent, consent=consent,
        screening_date=row.screening_date, eligible=row.eligible, reasons=row.reasons,
        outcome=_outcome_text(row.outcome or None, detail), coordinator=row.coordinator,
        investigator=investigator, outcome_code=row.outcome,
        outcome_detail=json.dumps(detail) if row.outcome == "enrolled" else "",
        failing_json=row.failing_json,
    )  # fmt: skip


def printed_from_columns(number: str, attempt: int, values: dict[str, Any]) -> PrintedLogRow:
    """A printed row from a screening_log.csv row read back (by column name); rows of bundles
    written before the columns were split (a `consent` column) are printed as they were."""
    if "consent" in values and "consent_date" not in values:
        texts: dict[str, Any] = {k: str(values.get(k, "")) for k in PrintedLogRow.__dataclass_fields__
                                 if k not in ("screening_number", "attempt", "tampered")}  # fmt: skip
        return PrintedLogRow(screening_number=number, attempt=attempt, **texts)
    return printed_log_row(
        ExportedLogRow(
            screening_number=number,
            attempt=attempt,
            **{
                k: str(values.get(k, ""))
                for k in LOG_COLUMNS
                if k not in ("screening_number", "attempt")
            },
        )
    )


def log_rows(store: Store) -> list[PrintedLogRow]:
    """Every screening attempt in screening-number order, as printed; a record that is not the
    replay of the audit chain is marked tampered."""
    from desktop_app.store.check import store_report

    affected = store_report(store).affected()
    undated = _undated(store)
    return [
        replace(printed_log_row(row), tampered=f"{row.screening_number}/{row.attempt}" in affected,
                screening_date=row.screening_date or undated.get((row.screening_number, row.attempt), ""))
        for row in exported_log_rows(store)
    ]  # fmt: skip


def _undated(store: Store) -> dict[tuple[str, int], str]:
    """The attempts without a screening date, for what they are (never a blank line at the end
    of the printed log): when each was started, and whether it holds no answer."""
    rows = store.db.execute(
        "SELECT c.screening_number, s.attempt, substr(s.created_at, 1, 10), "
        "(SELECT count(*) FROM answers a WHERE a.screening_id = s.id) FROM screenings s "
        "JOIN candidates c ON c.id = s.candidate_id WHERE coalesce(s.screening_date, '') = ''"
    ).fetchall()
    return {
        (number, attempt): f"not dated: started {started}" + ("" if answered else ", no answers")
        for number, attempt, started, answered in rows
    }


def exported_log_rows(store: Store) -> list[ExportedLogRow]:
    """Every screening attempt in screening-number order, one value per column, without direct
    identifiers. (The bundle's one pass, export/one_pass.py, reads the same columns for every
    file at once and makes each row with exported_log_row; this is its reference.)"""
    rows = store.db.execute(
        "SELECT s.id, c.screening_number, s.attempt, c.initials, c.sex, c.date_of_birth, s.consent_date, "
        "s.screening_date, s.determination, s.outcome, s.outcome_detail, co.full_name, "
        "(SELECT value FROM answers a WHERE a.screening_id = s.id AND a.question_id = 'consent_form_version'), "
        "(SELECT value FROM answers a WHERE a.screening_id = s.id AND a.question_id = 'sex'), "
        "(SELECT value FROM answers a WHERE a.screening_id = s.id AND a.question_id = 'date_of_birth'), "
        "CASE WHEN s.determination = 'ineligible' THEN (SELECT result FROM determinations d "
        "WHERE d.screening_id = s.id ORDER BY d.id DESC LIMIT 1) END "
        "FROM screenings s JOIN candidates c ON c.id = s.candidate_id LEFT JOIN users co ON co.id = s.coordinator_id "
        "ORDER BY c.seq, s.attempt"
    ).fetchall()
    signed = {r[0] for r in store.db.execute("SELECT DISTINCT screening_id FROM signatures")}
    return [exported_log_row(store, row[0] in signed, *row) for row in rows]


# The answers a log row reads beside its screening's own columns.
LOG_ANSWERS = ("consent_form_version", "sex", "date_of_birth")


def exported_log_row(
    store: Store, signed: bool, sid: int, number: str, attempt: int, initials: str,
    sex: str | None, born: str | None, consent: str | None, screened: str | None, determination: str,
    outcome: str | None, detail: str, coordinator: str | None, version: str | None,
    answered_sex: str | None, answered_born: str | None, result: str | None,
) -> ExportedLogRow:  # fmt: skip
    """One row of the log: `version`, `answered_sex` and `answered_born` the stored answers' JSON
    (None when not answered), `result` the latest determination's JSON when ineligible; the
    signatures are checked (signature_statuses) when `signed`."""
    found = json.loads(result) if result else {"criteria": [], "failing": []}
    failing = [c["text"] for c in found["criteria"] if c["id"] in found["failing"]]
    failing_codes = [
        {"id": c["id"], "reason": c["reason"], "params": c["params"]}
        for c in found["criteria"]
        if c["id"] in found["failing"]
    ]
    birth = json.loads(answered_born) if answered_born else born
    age = (
        str(age_on(date.fromisoformat(birth), date.fromisoformat(consent)))
        if birth and consent
        else ""
    )
    valid: dict[str, SignatureStatus] = {}
    for status in signature_statuses(store, sid) if signed else ():
        if status.check == "valid":
            valid.setdefault(status.meaning, status)  # the first valid one of each meaning
    performed = valid.get(MEANINGS["screening_performed"])
    confirmed = valid.get(MEANINGS["eligibility_confirmed"])
    outcome_detail = json.loads(detail)
    return ExportedLogRow(
        screening_number=number, attempt=attempt, initials=initials,
        sex=(json.loads(answered_sex) if answered_sex else sex) or "",
        age_at_consent=age, consent_date=consent or "",
        consent_form_version=str(json.loads(version)) if version else "",
        screening_date=screened or "",
        eligible={"eligible": "Y", "ineligible": "N"}.get(determination, ""),
        reasons="; ".join(failing), outcome=outcome or "",
        randomization_number=str(outcome_detail.get("randomization_number", "")),
        randomization_date=str(outcome_detail.get("date", "")),
        coordinator=coordinator or "",
        screening_performed_by=performed.printed_name if performed else "",
        screening_performed_on=performed.signed_at[:10] if performed else "",
        eligibility_confirmed_by=confirmed.printed_name if confirmed else "",
        eligibility_confirmed_on=confirmed.signed_at[:10] if confirmed else "",
        failing_json=json.dumps(failing_codes, ensure_ascii=False) if failing_codes else "",
    )  # fmt: skip


@dataclass(frozen=True)
class Consort:
    assessed: int
    not_meeting_criteria: int
    by_criterion: dict[str, int] = field(default_factory=dict)
    declined: int = 0
    other: int = 0
    enrolled: int = 0


def consort_counts(store: Store) -> Consort:
    """CONSORT-style flow over candidates, each counted once by their latest screening attempt."""
    return consort_of(
        store.db.execute(
            "SELECT s.determination, s.failing, s.outcome FROM screenings s WHERE s.attempt = "
            "(SELECT max(attempt) FROM screenings t WHERE t.candidate_id = s.candidate_id)"
        ).fetchall()
    )


def consort_of(rows: Sequence[tuple[str | None, str, str | None]]) -> Consort:
    """The counts from (determination, failing criterion ids joined by commas, outcome), one row
    per candidate's latest attempt."""
    by_criterion: dict[str, int] = {}
    not_meeting = declined = other = enrolled = 0
    # Counted by kind first (in C): a large store holds few kinds of row.
    for (determination, failing, outcome), count in Counter(rows).items():
        if outcome == "enrolled":
            enrolled += count
        elif determination == "ineligible":
            not_meeting += count
            for criterion in filter(None, failing.split(",")):
                by_criterion[criterion] = by_criterion.get(criterion, 0) + count
        elif outcome == "declined":
            declined += count
        else:
            other += count  # withdrawn, or not concluded yet
    order = sorted(by_criterion, key=lambda c: (c[0] != "I", int(c[1:])))
    return Consort(
        len(rows), not_meeting, {c: by_criterion[c] for c in order}, declined, other, enrolled
    )
