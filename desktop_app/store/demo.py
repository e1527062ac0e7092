"""Sample data for newcomers, screenshots and tests: a DEMO site with about 40 screenings.

Every name says DEMO; the candidates are invented and derived from resources/examples.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from typing import Any

from desktop_app.paths import resource
from desktop_app.rules import LoadedProtocol, evaluate
from desktop_app.store import checkpoints
from desktop_app.store.accounts import create_account
from desktop_app.store.answers import record_outcome, save_answers
from desktop_app.store.database import Store
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
# (username, printed name, roles, password): the passwords are documented in the README.
DEMO_ACCOUNTS = [
    ("demo.admin", "Demo Administrator (DEMO)", ["administrator"], "demo-admin-2019"),
    ("demo.coordinator", "Demo Coordinator (DEMO)", ["coordinator"], "demo-coordinator-2019"),
    (
        "demo.investigator",
        "Dr. Demo Investigator (DEMO)",
        ["investigator"],
        "demo-investigator-2019",
    ),
    ("demo.monitor", "Demo Monitor (DEMO)", ["monitor"], "demo-monitor-2019"),
]
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


def fill_demo(
    store: Store, protocol: LoadedProtocol, *, screenings: int = 40, seed: int = 2019
) -> int:
    """Fill an empty store; returns the number of screening attempts in it."""
    if get_site(store) is not None:
        raise BadInputError(
            "data directory",
            f"{store.data_dir} already has a site; the demo fills only an empty store",
        )
    rng = random.Random(seed)
    create_site(store, None, **DEMO_SITE, is_demo=True)
    admin = None
    users = []
    for username, name, roles, password in DEMO_ACCOUNTS:
        user = create_account(store, admin, username=username, full_name=name, roles=roles, password=password,
                              is_demo=True)  # fmt: skip
        if admin is None:  # the accounts it creates are covered by its checkpoints
            admin = user
            checkpoints.open_session(store, user, password)
        users.append(user)
    coordinator = users[1]
    examples = _examples()
    eligible = [k for k in examples if k.startswith("eligible")]
    ineligible = [k for k in examples if k.startswith("ineligible")]
    incomplete = [k for k in examples if k.startswith("incomplete")]
    plan = (eligible * 9)[:18] + ineligible + incomplete * 3  # 18 + 13 + 3
    for index in range(screenings - 2):
        when = date(2021, 3, 1) + timedelta(days=rng.randint(0, 960))
        answers = _shift_dates(examples[plan[index % len(plan)]], when - _REFERENCE_SCREENING)
        candidate = _register(store, coordinator, rng, answers)
        _attempt(
            store, protocol, coordinator, candidate.id, answers, index, rng, investigator=users[2]
        )
    # A draft nobody has started answering.
    draft = register_candidate(store, coordinator, initials="DR", sex="male")
    start_screening(store, coordinator, draft.id, protocol)
    # A DMARD washout failure, re-screened 100 days later when the 12 weeks have passed.
    first = _shift_dates(
        examples["ineligible-E6-methotrexate-within-12-weeks"],
        date(2022, 5, 2) - _REFERENCE_SCREENING,
    )
    candidate = _register(store, coordinator, rng, first)
    _attempt(store, protocol, coordinator, candidate.id, first, 0, rng)
    keep = {k: first[k] for k in ("date_of_birth", "medication_last_dose")}
    _attempt(
        store,
        protocol,
        coordinator,
        candidate.id,
        {**_shift_dates(first, timedelta(days=100)), **keep},
        0,
        rng,
        investigator=users[2],
    )
    checkpoints.checkpoint(store, "sign_out")
    checkpoints.end_session(store)
    return int(store.db.execute("SELECT count(*) FROM screenings").fetchone()[0])


def _register(store: Store, actor: User, rng: random.Random, answers: dict[str, Any]) -> Candidate:
    initials = "".join(rng.choice("ABCDEFGHJKLMNPRSTWXYZ") for _ in range(rng.choice((2, 3))))
    return register_candidate(
        store, actor, initials=initials, sex=answers.get("sex"), date_of_birth=answers.get("date_of_birth"),
        local_identifiers={"medical_record_number": f"DEMO-MRN-{rng.randint(10000, 99999)}"},
    )  # fmt: skip


# Which eligible screenings (by their place in the plan) the DEMO team signs, and how far; the
# enrolled ones (half of the eligible) are always signed by both first.
_SIGNING = {5: "both", 11: "coordinator", 17: "invalidated"}


def _enrolled(index: int) -> bool:
    return index % 6 in (0, 1, 2)


def _attempt(
    store: Store, protocol: LoadedProtocol, actor: User, candidate_id: int, answers: dict[str, Any], index: int,
    rng: random.Random, investigator: User | None = None,
) -> None:  # fmt: skip
    screening = start_screening(store, actor, candidate_id, protocol)
    result = evaluate(protocol, answers)
    save_answers(store, actor, screening.id, answers, determination=result)
    how = _SIGNING.get(index) or ("both" if _enrolled(index) else None)  # enrolled after sign-off
    if investigator is not None and result.determination == "eligible" and how is not None:
        _sign(store, protocol, actor, investigator, screening.id, answers, how)
    when = result.screening_date or _REFERENCE_SCREENING
    _outcome(store, actor, screening.id, result.determination, when, index, rng)


def _sign(
    store: Store, protocol: LoadedProtocol, coordinator: User, investigator: User, screening_id: int,
    answers: dict[str, Any], how: str,
) -> None:  # fmt: skip
    from desktop_app.store.signatures import acknowledge_warning, sign_screening

    passwords = {username: password for username, _, _, password in DEMO_ACCOUNTS}
    result = evaluate(protocol, answers)
    for warning in result.warnings:
        acknowledge_warning(store, coordinator, screening_id, warning.code)
    sign_screening(store, coordinator, screening_id, passwords[coordinator.username])
    if how == "coordinator":
        return
    sign_screening(store, investigator, screening_id, passwords[investigator.username])
    if how == "invalidated":
        changed = {**answers, "consent_form_version": "2.2"}
        save_answers(store, coordinator, screening_id, {"consent_form_version": "2.2"},
                     determination=evaluate(protocol, changed),
                     reason="DEMO: consent form version corrected from the signed form")  # fmt: skip


def _outcome(
    store: Store,
    actor: User,
    screening_id: int,
    determination: str,
    when: date,
    index: int,
    rng: random.Random,
) -> None:
    if determination == "ineligible":
        record_outcome(store, actor, screening_id, "screen_failure")
    elif determination == "eligible":
        roll = index % 6
        if _enrolled(index):
            record_outcome(store, actor, screening_id, "enrolled", randomization_number=f"R-{100 + index:03d}",
                           enrolled_on=when + timedelta(days=rng.randint(1, 7)))  # fmt: skip
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
