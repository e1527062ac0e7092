"""Sample data for newcomers, screenshots and tests: a DEMO site with about 40 screenings.

Every name says DEMO; the candidates are invented and derived from resources/examples.
"""

from __future__ import annotations

import heapq
import json
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from desktop_app.paths import resource
from desktop_app.rules import LoadedProtocol, evaluate
from desktop_app.rules.missing_data import coded
from desktop_app.store import checkpoints
from desktop_app.store.accounts import create_account
from desktop_app.store.annotations import answer_query, close_query, raise_query, save_note
from desktop_app.store.answers import record_outcome, save_answers
from desktop_app.store.attachments import add_attachment
from desktop_app.store.clock import Clock
from desktop_app.store.database import Store
from desktop_app.store.demo_accounts import DEMO_ACCOUNTS
from desktop_app.store.errors import BadInputError
from desktop_app.store.models import Candidate, User
from desktop_app.store.records import (
    create_site,
    get_site,
    register_candidate,
    start_screening,
)

DEMO_SITE = {"code": "DEMO", "name": "DEMO site - sample data, not real patients",
             "principal_investigator": "Dr. Demo Investigator (DEMO)"}  # fmt: skip
_REFERENCE_SCREENING = date(2023, 3, 8)  # the screening date the examples are written for


def _shift_dates(doc: dict[str, Any], delta: timedelta) -> dict[str, Any]:
    """Move every date of an answers document by `delta`, keeping every window result."""

    def move(value: Any) -> Any:
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            return (date.fromisoformat(value) + delta).isoformat()
        if isinstance(value, dict):
            return {k: move(v) for k, v in value.items()}
        if isinstance(value, list):
            return [move(v) for v in value]
        return value

    return {k: move(v) for k, v in doc.items()}


def _examples() -> dict[str, dict[str, Any]]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(resource("examples").glob("*.json"))
    }


class _SiteHistory:
    """The DEMO site's history, each step under a clock set to its own day and hour: the
    screenings, their signatures and their outcomes are dated as a real site's would be
    (2021-2023), never all on the day the DEMO store was made. Each candidate's steps run in their
    own time order."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.moment = datetime(2021, 2, 1, 9, 0).astimezone()
        self.queue: list[tuple[datetime, int, Callable[[], object]]] = []
        self.count = 0

    def clock(self) -> datetime:
        """Each stamp a few seconds after the last, within the step's hour."""
        self.moment += timedelta(seconds=17)
        return self.moment

    def at(self, day: date, hour: int, step: Callable[[], object]) -> None:
        when = datetime.combine(day, time(hour)).astimezone()
        self.count += 1
        heapq.heappush(self.queue, (when, self.count, step))

    def run(self) -> None:
        real: Clock = self.store.clock
        self.store.clock = self.clock
        try:
            while self.queue:
                when, _, step = heapq.heappop(self.queue)
                self.moment = when
                step()
        finally:
            self.store.clock = real


def fill_demo(
    store: Store, protocol: LoadedProtocol, *, screenings: int = 40, seed: int = 2019,
    annotations: bool = True,
) -> int:  # fmt: skip
    """Fill an empty store; returns the number of screening attempts in it. Without
    `annotations`, no note, query or attachment (for a store of a schema before those tables)."""
    if get_site(store) is not None:
        raise BadInputError(
            "data directory",
            f"{store.data_dir} already has a site; the demo fills only an empty store",
        )
    rng = random.Random(seed)
    history = _SiteHistory(store)
    users: list[User] = []

    def set_up() -> None:
        create_site(store, None, **DEMO_SITE, is_demo=True)
        admin = None
        for username, name, roles, password in DEMO_ACCOUNTS:
            user = create_account(store, admin, username=username, full_name=name, roles=roles,
                                  password=password, is_demo=True)  # fmt: skip
            if admin is None:  # the accounts it creates are covered by its checkpoints
                admin = user
                checkpoints.open_session(store, user, password)
            users.append(user)

    history.at(date(2021, 2, 1), 9, set_up)
    history.run()
    coordinator, investigator = users[1], users[2]
    examples = _examples()
    eligible = [k for k in examples if k.startswith("eligible")]
    ineligible = [k for k in examples if k.startswith("ineligible")]
    incomplete = [k for k in examples if k.startswith("incomplete")]
    plan = (eligible * 9)[:18] + ineligible + incomplete * 3  # 18 + 13 + 3
    # The candidates in the order of their screening numbers, as Eligo's tests and examples know
    # them; each one's steps dated with its own screening.
    last = date(2021, 3, 1)
    for index in range(screenings - 2):
        when = date(2021, 3, 1) + timedelta(days=rng.randint(0, 960))
        last = max(last, when)
        example = plan[index % len(plan)]
        answers = _shift_dates(examples[example], when - _REFERENCE_SCREENING)
        if example.startswith("incomplete") and index % len(plan) < len(plan) - 1:
            # Two of the three: the awaited results coded pending (the "Results pending" queue),
            # the investigator's tuberculosis conclusion given; the third is left incomplete.
            answers = {**answers, **{q: coded("pending") for q in ("hbsag", "hbv_dna", "hiv")},
                       "tb_conclusion": "none"}  # fmt: skip
        _candidate(history, protocol, coordinator, investigator, [(answers, index)], rng)
        history.run()

    def draft() -> None:  # a draft nobody has started answering
        candidate = register_candidate(store, coordinator, initials="DR", sex="male")
        start_screening(store, coordinator, candidate.id, protocol)

    history.at(last + timedelta(days=1), 15, draft)
    history.run()
    # A DMARD washout failure, re-screened 100 days later when the 12 weeks have passed.
    first = _shift_dates(
        examples["ineligible-E6-methotrexate-within-12-weeks"],
        date(2022, 5, 2) - _REFERENCE_SCREENING,
    )
    keep = {k: first[k] for k in ("date_of_birth", "medication_last_dose")}
    second = {**_shift_dates(first, timedelta(days=100)), **keep}
    _candidate(history, protocol, coordinator, investigator, [(first, -1), (second, 0)], rng)

    if annotations:
        _annotations(history, users[1], users[3])

    def sign_out() -> None:
        checkpoints.checkpoint(store, "sign_out")
        checkpoints.end_session(store)

    history.at(last + timedelta(days=1), 17, sign_out)
    history.run()
    return int(store.db.execute("SELECT count(*) FROM screenings").fetchone()[0])


# What the DEMO team typed into notes, queries and the attachment's title (data, in English in
# every language).
NOTE = "DEMO: read from the hospital laboratory sheet, attached when it was filed"
SHEET_TITLE = "DEMO laboratory sheet (serum IgG4)"
QUERY = "DEMO: the consent form in the binder looks dated a day later; please check against the signed form"
REPLY = "DEMO: checked the signed form in the binder; the date entered is the date it was signed"
CLOSED = "DEMO: confirmed against the source"
OPEN_QUERY = "DEMO: please confirm the laboratory's upper limit of normal for this assay"
TYPED = (NOTE, SHEET_TITLE, QUERY, REPLY, CLOSED, OPEN_QUERY)


def _annotations(history: _SiteHistory, coordinator: User, monitor: User) -> None:
    """The data-capture tools at work on the first two screenings: a note on an answer with the
    laboratory sheet it was read from attached, a monitor's query answered and closed, and one
    still open (the "Open queries" queue)."""
    store = history.store
    dated = store.db.execute(
        "SELECT s.id, s.screening_date FROM screenings s JOIN candidates c ON c.id = s.candidate_id "
        "WHERE s.screening_date IS NOT NULL ORDER BY c.seq, s.attempt LIMIT 2"
    ).fetchall()
    if len(dated) < 2:  # a DEMO store too small to show them
        return
    first, second = dated
    day = date.fromisoformat(first[1])
    lab_sheet = resource("demo").joinpath("demo-lab-sheet.pdf").read_bytes()

    def note_and_sheet() -> None:
        save_note(store, coordinator, first[0], "serum_igg4_value",
                  NOTE)  # fmt: skip
        add_attachment(store, coordinator, first[0], file_name="demo-lab-sheet.pdf",
                       content=lab_sheet, kind="lab_sheet", title=SHEET_TITLE,
                       question_id="serum_igg4_value")  # fmt: skip

    queried: list[int] = []

    def query() -> None:
        queried.append(raise_query(store, monitor, first[0], "consent_date",
                                   QUERY).id)  # fmt: skip

    # Once the screening's own history (signatures, outcome within a week) is written.
    history.at(day + timedelta(days=8), 11, note_and_sheet)
    history.at(day + timedelta(days=30), 10, query)
    history.at(day + timedelta(days=31), 9, lambda: answer_query(
        store, coordinator, queried[0],
        REPLY))  # fmt: skip
    history.at(day + timedelta(days=32), 10, lambda: close_query(
        store, monitor, queried[0], CLOSED))  # fmt: skip
    history.at(date.fromisoformat(second[1]) + timedelta(days=30), 10, lambda: raise_query(
        store, monitor, second[0], "serum_igg4_uln",
        OPEN_QUERY))  # fmt: skip
    history.run()


def _candidate(
    history: _SiteHistory, protocol: LoadedProtocol, coordinator: User, investigator: User,
    attempts: list[tuple[dict[str, Any], int]], rng: random.Random,
) -> None:  # fmt: skip
    """A candidate registered on the day of their first screening, and each attempt (its answers,
    its place in the plan; -1: not signed) on its own screening date."""
    store = history.store
    registered: list[Candidate] = []
    initials = "".join(rng.choice("ABCDEFGHJKLMNPRSTWXYZ") for _ in range(rng.choice((2, 3))))
    number = rng.randint(10000, 99999)

    def register() -> None:
        answers = attempts[0][0]
        registered.append(register_candidate(
            store, coordinator, initials=initials, sex=answers.get("sex"),
            date_of_birth=answers.get("date_of_birth"),
            local_identifiers={"medical_record_number": f"DEMO-MRN-{number}"},
        ))  # fmt: skip

    first_day = evaluate(protocol, attempts[0][0]).screening_date or _REFERENCE_SCREENING
    history.at(first_day, 9, register)
    for answers, index in attempts:
        _attempt(history, protocol, coordinator, registered, answers, index, rng,
                 investigator=investigator if index >= 0 else None)  # fmt: skip


# Which eligible screenings (by their place in the plan) the DEMO team signs, and how far; the
# enrolled ones (half of the eligible) are always signed by both first.
_SIGNING = {5: "both", 11: "coordinator", 17: "invalidated"}


def _enrolled(index: int) -> bool:
    return index % 6 in (0, 1, 2)


def _attempt(
    history: _SiteHistory, protocol: LoadedProtocol, actor: User, registered: list[Candidate],
    answers: dict[str, Any], index: int, rng: random.Random, investigator: User | None = None,
) -> None:  # fmt: skip
    """Screened on its screening date; signed that afternoon (coordinator) and the next morning
    (investigator); the outcome on its own day, enrolment after the investigator's confirmation."""
    store = history.store
    result = evaluate(protocol, answers)
    day = result.screening_date or _REFERENCE_SCREENING
    screening: list[int] = []

    def screen() -> None:
        started = start_screening(store, actor, registered[0].id, protocol)
        save_answers(store, actor, started.id, answers, determination=result)
        screening.append(started.id)

    history.at(day, 10, screen)
    how = _SIGNING.get(index) or ("both" if _enrolled(index) else None)  # enrolled after sign-off
    if investigator is not None and result.determination == "eligible" and how is not None:
        _sign(history, protocol, actor, investigator, screening, answers, how, day)
    enrol_on = day + timedelta(days=rng.randint(2, 7))
    outcome_day = enrol_on if result.determination == "eligible" and _enrolled(index) else day
    history.at(outcome_day, 16, lambda: _outcome(store, actor, screening[0], result.determination,
                                                 enrol_on, index))  # fmt: skip


def _sign(
    history: _SiteHistory, protocol: LoadedProtocol, coordinator: User, investigator: User,
    screening: list[int], answers: dict[str, Any], how: str, day: date,
) -> None:  # fmt: skip
    from desktop_app.store.signatures import acknowledge_warning, sign_screening

    store = history.store
    passwords = {username: password for username, _, _, password in DEMO_ACCOUNTS}
    result = evaluate(protocol, answers)

    def by_coordinator() -> None:
        for warning in result.warnings:
            acknowledge_warning(store, coordinator, screening[0], warning.code)
        sign_screening(store, coordinator, screening[0], passwords[coordinator.username])

    history.at(day, 14, by_coordinator)
    if how == "coordinator":
        return
    history.at(day + timedelta(days=1), 9, lambda: sign_screening(
        store, investigator, screening[0], passwords[investigator.username]))  # fmt: skip
    if how == "invalidated":
        changed = {**answers, "consent_form_version": "2.2"}
        history.at(day + timedelta(days=1), 11, lambda: save_answers(
            store, coordinator, screening[0], {"consent_form_version": "2.2"},
            determination=evaluate(protocol, changed),
            reason="DEMO: consent form version corrected from the signed form"))  # fmt: skip


def _outcome(
    store: Store, actor: User, screening_id: int, determination: str, enrol_on: date, index: int
) -> None:
    if determination == "ineligible":
        record_outcome(store, actor, screening_id, "screen_failure")
    elif determination == "eligible":
        roll = index % 6
        if _enrolled(index):
            record_outcome(store, actor, screening_id, "enrolled", randomization_number=f"R-{100 + index:03d}",
                           enrolled_on=enrol_on)  # fmt: skip
        elif roll == 3:
            record_outcome(
                store,
                actor,
                screening_id,
                "declined",
                note="DEMO: preferred not to travel for visits",
            )
        elif roll == 4:
            record_outcome(
                store,
                actor,
                screening_id,
                "withdrawn",
                note="DEMO: withdrew consent before enrollment",
            )
