"""Site, users, candidates and screening attempts: small functions returning models."""

from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING, Any

from desktop_app.store import chain
from desktop_app.store.database import Store
from desktop_app.store.errors import BadInputError, NotFoundError
from desktop_app.store.models import Candidate, Screening, Site, User
from desktop_app.store.roles import SCREENING_ROLES, require_role

if TYPE_CHECKING:
    from desktop_app.rules import LoadedProtocol

_INITIALS = re.compile(r"^[A-Z]{2,4}$")


def _audit(store: Store, actor: User | None, **event: Any) -> None:
    chain.append(
        store.db,
        store.stamp(),
        head=store.chain_head,
        user_id=actor.id if actor else None,
        username=actor.username if actor else chain.SYSTEM_USER,
        **event,
    )


# ---------------------------------------------------------------- site


def get_site(store: Store) -> Site | None:
    row = store.db.execute(
        "SELECT code, name, principal_investigator, is_demo, created_at FROM site WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    return Site(
        code=row[0],
        name=row[1],
        principal_investigator=row[2],
        is_demo=bool(row[3]),
        created_at=row[4],
    )


def check_site(code: str, name: str, principal_investigator: str) -> str:
    """The site's fields checked (BadInputError naming the field); the normalised code."""
    code = code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{2,12}", code):
        raise BadInputError("site code", "2 to 12 capital letters or digits, such as PUMCH")
    for field, value in (("site name", name), ("principal investigator", principal_investigator)):
        if not value.strip():
            raise BadInputError(field, "is required")
    return code


def create_site(
    store: Store,
    actor: User | None,
    *,
    code: str,
    name: str,
    principal_investigator: str,
    is_demo: bool = False,
) -> Site:
    code = check_site(code, name, principal_investigator)
    with store.transaction("The site") as db:
        if get_site(store) is not None:
            raise BadInputError("site", "this store already has a site")
        stamp = store.stamp()
        record = {"code": code, "name": name.strip(), "principal_investigator": principal_investigator.strip(),
                  "is_demo": int(is_demo)}  # fmt: skip
        db.execute(
            "INSERT INTO site (id, code, name, principal_investigator, is_demo, created_at) VALUES (1, ?, ?, ?, ?, ?)",
            [*record.values(), stamp.at_utc],
        )
        _audit(store, actor, action="site_created", entity="site", entity_id=code, new=record)
    if store.keyring is not None:  # shown by the sign-in window before the store is opened
        store.keyring.set_site({"code": code, "name": record["name"], "is_demo": is_demo})
    return Site(code=code, name=record["name"], principal_investigator=record["principal_investigator"],
                is_demo=is_demo, created_at=stamp.at_utc)  # fmt: skip


# ---------------------------------------------------------------- users (accounts.py creates them)

USER_COLUMNS = "id, username, full_name, roles, is_active, is_demo"
USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{2,31}$")


def user_from_row(row: tuple[Any, ...]) -> User:
    roles = tuple(r for r in str(row[3]).split(",") if r)
    return User(id=row[0], username=row[1], full_name=row[2], roles=roles, is_active=bool(row[4]),
                is_demo=bool(row[5]))  # fmt: skip


def _one(store: Store, sql: str, params: list[Any], missing: str) -> tuple[Any, ...]:
    """The single row a lookup expects; NotFoundError naming what was missing otherwise."""
    row = store.db.execute(sql, params).fetchone()
    if row is None:
        raise NotFoundError(missing)
    return tuple(row)


def get_user(store: Store, username: str) -> User:
    sql = f"SELECT {USER_COLUMNS} FROM users WHERE username = ?"
    return user_from_row(_one(store, sql, [username], f"no user named {username!r}"))


def list_users(store: Store) -> list[User]:
    sql = f"SELECT {USER_COLUMNS} FROM users ORDER BY username"
    return [user_from_row(r) for r in store.db.execute(sql)]


# ---------------------------------------------------------------- candidates


def _candidate(row: tuple[Any, ...]) -> Candidate:
    return Candidate(id=row[0], screening_number=row[1], initials=row[2], sex=row[3], date_of_birth=row[4] or None,
                     local_identifiers=json.loads(row[5]))  # fmt: skip


_CANDIDATE_COLUMNS = "id, screening_number, initials, sex, date_of_birth, local_identifiers"


def get_candidate(store: Store, candidate_id: int) -> Candidate:
    sql = f"SELECT {_CANDIDATE_COLUMNS} FROM candidates WHERE id = ?"
    return _candidate(_one(store, sql, [candidate_id], f"no candidate with id {candidate_id}"))


def register_candidate(
    store: Store,
    actor: User,
    *,
    initials: str,
    sex: str | None = None,
    date_of_birth: str | None = None,
    local_identifiers: dict[str, str] | None = None,
) -> Candidate:
    """A new candidate with the site's next screening number, such as PUMCH-0001."""
    require_role(actor, *SCREENING_ROLES, action="register candidates")
    initials = initials.strip().upper()
    if not _INITIALS.fullmatch(initials):
        raise BadInputError("initials", "2 to 4 letters A-Z")
    if sex not in (None, "female", "male"):
        raise BadInputError("sex", "female or male")
    site = get_site(store)
    if site is None:
        raise BadInputError("site", "set up the site before registering candidates")
    identifiers = {
        name: value.strip() for name, value in (local_identifiers or {}).items() if value.strip()
    }
    with store.transaction("The candidate") as db:
        for name, value in identifiers.items():  # one person, one candidate: CONSORT counts people
            known = candidate_with_identifier(store, name, value)
            if known is not None:
                raise BadInputError(name.replace("_", " "), f"already registered as {known.screening_number}: "
                                    "re-screen that candidate rather than registering them again")  # fmt: skip
        seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM candidates").fetchone()[0]
        number = f"{site.code}-{seq:04d}"
        cursor = db.execute(
            "INSERT INTO candidates (screening_number, seq, initials, sex, date_of_birth, local_identifiers, "
            "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                number,
                seq,
                initials,
                sex,
                date_of_birth,
                json.dumps(identifiers),
                store.stamp().at_utc,
                actor.id,
            ],
        )
        candidate_id = cursor.lastrowid
        # The audit trail records that identifiers exist, never their values (it is exported).
        _audit(store, actor, action="candidate_registered", entity="candidate", entity_id=number,
               new={"initials": initials, "sex": sex, "local_identifiers": sorted(identifiers)})  # fmt: skip
    return get_candidate(store, int(candidate_id or 0))


def candidate_with_identifier(store: Store, name: str, value: str) -> Candidate | None:
    """The candidate registered with this local identifier (a medical record number), if any."""
    row = store.db.execute(
        f"SELECT {_CANDIDATE_COLUMNS} FROM candidates WHERE json_extract(local_identifiers, ?) = ?",
        [f'$."{name}"', value],
    ).fetchone()
    return _candidate(row) if row else None


# ---------------------------------------------------------------- screening attempts

_SCREENING_SELECT = """
SELECT s.id, s.candidate_id, c.screening_number, c.initials, s.attempt, s.protocol_id, s.protocol_version,
       s.protocol_sha256, s.consent_date, s.screening_date, s.determination, s.failing, s.sign_state,
       s.outcome, s.outcome_detail, s.status, s.created_at, s.updated_at
FROM screenings s JOIN candidates c ON c.id = s.candidate_id
"""


def _screening(row: tuple[Any, ...]) -> Screening:
    names = ["id", "candidate_id", "screening_number", "initials", "attempt", "protocol_id", "protocol_version",
             "protocol_sha256", "consent_date", "screening_date", "determination", "failing", "sign_state",
             "outcome", "outcome_detail", "status", "created_at", "updated_at"]  # fmt: skip
    data = dict(zip(names, row, strict=True))
    data["consent_date"] = data["consent_date"] or None
    data["screening_date"] = data["screening_date"] or None
    data["failing"] = tuple(f for f in data["failing"].split(",") if f)
    data["outcome_detail"] = json.loads(data["outcome_detail"])
    return Screening.model_validate(data)


def get_screening(store: Store, screening_id: int) -> Screening:
    sql = _SCREENING_SELECT + " WHERE s.id = ?"
    return _screening(_one(store, sql, [screening_id], f"no screening with id {screening_id}"))


def find_screening(store: Store, screening_number: str, attempt: int | None = None) -> Screening:
    """The given attempt of a screening number, or its latest attempt."""
    row = store.db.execute(
        _SCREENING_SELECT + " WHERE c.screening_number = ? AND (? IS NULL OR s.attempt = ?) "
        "ORDER BY s.attempt DESC LIMIT 1",
        [screening_number, attempt, attempt],
    ).fetchone()
    if row is None:
        raise NotFoundError(
            f"no screening {screening_number}" + (f" attempt {attempt}" if attempt else "")
        )
    return _screening(row)


def attempts_of(store: Store, candidate_id: int) -> list[Screening]:
    rows = store.db.execute(
        _SCREENING_SELECT + " WHERE s.candidate_id = ? ORDER BY s.attempt", [candidate_id]
    )
    return [_screening(r) for r in rows]


def rescreen_problem(store: Store, candidate_id: int) -> str | None:
    """Why this candidate cannot be screened again now, or None. An enrolled participant is never
    screened again; an attempt still open (draft or incomplete) is continued, not doubled by a
    second one running beside it. After a screen failure, a decline or a withdrawal, or an
    eligible attempt that lapsed before enrolment, a new attempt may start."""
    attempts = store.db.execute(
        "SELECT s.attempt, s.status, c.screening_number FROM screenings s "
        "JOIN candidates c ON c.id = s.candidate_id WHERE s.candidate_id = ? ORDER BY s.attempt",
        [candidate_id],
    ).fetchall()
    enrolled = [attempt for attempt, status, _ in attempts if status == "enrolled"]
    if enrolled:
        return (f"{attempts[0][2]} was enrolled (attempt {enrolled[0]}): an enrolled participant is "
                "not screened again")  # fmt: skip
    if attempts and attempts[-1][1] in ("draft", "incomplete"):
        return (f"attempt {attempts[-1][0]} of {attempts[-1][2]} is still open: continue it rather "
                "than start another")  # fmt: skip
    return None


def start_screening(
    store: Store, actor: User, candidate_id: int, protocol: LoadedProtocol
) -> Screening:
    """A new screening attempt (re-screening adds attempt 2, 3, ...) under this protocol; refused
    as rescreen_problem says."""
    require_role(actor, *SCREENING_ROLES, action="start screenings")
    candidate = get_candidate(store, candidate_id)
    with store.transaction("The screening") as db:
        problem = rescreen_problem(store, candidate_id)
        if problem is not None:
            raise BadInputError("re-screening", problem)
        attempt = db.execute(
            "SELECT coalesce(max(attempt), 0) + 1 FROM screenings WHERE candidate_id = ?",
            [candidate_id],
        ).fetchone()[0]
        now = store.stamp().at_utc
        cursor = db.execute(
            "INSERT INTO screenings (candidate_id, attempt, protocol_id, protocol_version, protocol_sha256, "
            "created_at, created_by, updated_at, coordinator_id, identity_salt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                candidate_id,
                attempt,
                protocol.id,
                protocol.version,
                protocol.sha256,
                now,
                actor.id,
                now,
                actor.id,
                os.urandom(16).hex(),
            ],
        )
        _audit(store, actor, action="screening_started", entity="screening",
               entity_id=f"{candidate.screening_number}/{attempt}",
               new={"protocol": protocol.id, "version": protocol.version, "sha256": protocol.sha256})  # fmt: skip
    return get_screening(store, int(cursor.lastrowid or 0))
