"""What the printouts and exports read: full screening records, log rows, CONSORT counts.

No direct identifiers (name, medical record number, full date of birth) leave through here: the
log carries initials and the age at consent only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop_app.rules import Determination
from desktop_app.rules.dates import age_on
from desktop_app.store.answers import answers_of, latest_determination
from desktop_app.store.database import Store
from desktop_app.store.models import Screening, Site
from desktop_app.store.records import get_screening, get_site
from desktop_app.store.signatures import (
    SignatureStatus,
    acknowledgements,
    eligibility_confirmation,
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


def screening_record(store: Store, screening_id: int) -> ScreeningRecord:
    return ScreeningRecord(
        site=get_site(store),
        screening=get_screening(store, screening_id),
        answers=answers_of(store, screening_id),
        determination=latest_determination(store, screening_id),
        acknowledged=acknowledgements(store, screening_id),
        signatures=signature_statuses(store, screening_id),
    )


@dataclass(frozen=True)
class PrintedLogRow:
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


def _outcome_text(outcome: str | None, detail: dict[str, Any]) -> str:
    if outcome == "enrolled":
        return f"enrolled {detail.get('randomization_number', '')} {detail.get('date', '')}".strip()
    return {"declined": "eligible but declined", "screen_failure": "screen failure",
            "withdrawn": "withdrawn before enrollment"}.get(outcome or "", "")  # fmt: skip


def _undated(started: str, answered: int) -> str:
    """An attempt without a screening date, for what it is (never a blank line at the end)."""
    return f"not dated: started {started}" + ("" if answered else ", no answers")


def _version(typed: object) -> str:
    """A consent-form version as typed, without a 'v' of its own ('v3.1' prints as v3.1, not vv3.1)."""
    text = str(typed).strip()
    return text[1:].lstrip() if text[:1] in ("v", "V") and text[1:2].isdigit() else text


def log_rows(store: Store) -> list[PrintedLogRow]:
    """Every screening attempt in screening-number order, without direct identifiers."""
    rows = store.db.execute(
        "SELECT s.id, c.screening_number, s.attempt, c.initials, c.sex, c.date_of_birth, s.consent_date, "
        "s.screening_date, s.determination, s.outcome, s.outcome_detail, co.full_name, "
        "(SELECT value FROM answers a WHERE a.screening_id = s.id AND a.question_id = 'consent_form_version'), "
        "(SELECT value FROM answers a WHERE a.screening_id = s.id AND a.question_id = 'sex'), "
        "(SELECT value FROM answers a WHERE a.screening_id = s.id AND a.question_id = 'date_of_birth'), "
        "CASE WHEN s.determination = 'ineligible' THEN (SELECT result FROM determinations d "
        "WHERE d.screening_id = s.id ORDER BY d.id DESC LIMIT 1) END, "
        "substr(s.created_at, 1, 10), (SELECT count(*) FROM answers a WHERE a.screening_id = s.id) "
        "FROM screenings s JOIN candidates c ON c.id = s.candidate_id LEFT JOIN users co ON co.id = s.coordinator_id "
        "ORDER BY c.seq, s.attempt"
    ).fetchall()
    signed = {r[0] for r in store.db.execute("SELECT DISTINCT screening_id FROM signatures")}
    printed = []
    for (sid, number, attempt, initials, sex, born, consent, screened, determination, outcome, detail,
         coordinator, version, answered_sex, answered_born, result, started, answered) in rows:  # fmt: skip
        found = json.loads(result) if result else {"criteria": [], "failing": []}
        failing = [c["text"] for c in found["criteria"] if c["id"] in found["failing"]]
        birth = json.loads(answered_born) if answered_born else born
        age = (
            str(age_on(date.fromisoformat(birth), date.fromisoformat(consent)))
            if birth and consent
            else ""
        )
        confirmation = eligibility_confirmation(store, sid) if sid in signed else None
        investigator = (
            f"{confirmation.printed_name} {confirmation.signed_on.isoformat()}"
            if confirmation
            else ""
        )
        printed.append(PrintedLogRow(
            screening_number=number, attempt=attempt, initials=initials,
            sex=(json.loads(answered_sex) if answered_sex else sex) or "",
            age_at_consent=age,
            consent=f"{consent} v{_version(json.loads(version))}" if consent and version else consent or "",
            screening_date=screened or _undated(started, answered),
            eligible={"eligible": "Y", "ineligible": "N"}.get(determination, ""),
            reasons="; ".join(failing), outcome=_outcome_text(outcome, json.loads(detail)),
            coordinator=coordinator or "", investigator=investigator,
        ))  # fmt: skip
    return printed


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
    for determination, failing, outcome in rows:
        if outcome == "enrolled":
            enrolled += 1
        elif determination == "ineligible":
            not_meeting += 1
            for criterion in filter(None, failing.split(",")):
                by_criterion[criterion] = by_criterion.get(criterion, 0) + 1
        elif outcome == "declined":
            declined += 1
        else:
            other += 1  # withdrawn, or not concluded yet
    order = sorted(by_criterion, key=lambda c: (c[0] != "I", int(c[1:])))
    return Consort(
        len(rows), not_meeting, {c: by_criterion[c] for c in order}, declined, other, enrolled
    )
