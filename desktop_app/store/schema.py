"""Versioned schema migrations (sqlite-utils Migrations); each runs in its own transaction."""

from __future__ import annotations

import json
import secrets

from sqlcipher3 import dbapi2 as sqlite3
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("eligo")

# Screening status shown in the log: outcome first, then signature state, then determination.
_STATUS = """
CASE
  WHEN outcome = 'enrolled' THEN 'enrolled'
  WHEN outcome = 'declined' THEN 'declined'
  WHEN outcome = 'withdrawn' THEN 'withdrawn'
  WHEN sign_state = 'locked' THEN 'locked'
  WHEN sign_state = 'signed' THEN 'signed'
  ELSE determination
END
"""


# An answer coded "pending" (codes19's missing-data codes), as the store keeps it: canonical JSON.
PENDING_ANSWER = '{"missing_data":"pending"}'
# The conditions of two work queues (store/queues.py), used word for word by the partial indexes of
# migration 0011: SQLite uses a partial index only for a query that states its condition.
ELIGIBLE_OPEN = "determination = 'eligible' AND outcome IS NULL"
WINDOW_ONLY = (
    "determination = 'ineligible' AND failing != '' AND (outcome IS NULL OR outcome = 'screen_failure') "
    "AND replace(replace(replace(replace(failing, 'E4', ''), 'E5', ''), 'E6', ''), ',', '') = ''"
)

# The condition of the "Results pending" queue's partial index (migration 0012): the screening waits
# for pending results only (screenings.awaiting, written with every determination).
AWAITING = "awaiting <> ''"


def _run(db: Database, script: str) -> None:
    """Run statements one by one: executescript would COMMIT the migration's transaction."""
    for statement in script.split(";;"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    _run(
        db,
        f"""
        CREATE TABLE site (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            code TEXT NOT NULL CHECK (code GLOB '[A-Z0-9]*' AND length(code) BETWEEN 2 AND 12),
            name TEXT NOT NULL,
            principal_investigator TEXT NOT NULL,
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );;
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            full_name TEXT NOT NULL,
            is_active INTEGER NOT NULL DEFAULT 1,
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );;
        CREATE TABLE candidates (
            id INTEGER PRIMARY KEY,
            screening_number TEXT NOT NULL UNIQUE,
            seq INTEGER NOT NULL UNIQUE,
            initials TEXT NOT NULL,
            sex TEXT CHECK (sex IN ('female', 'male')),
            date_of_birth TEXT,
            -- local identifiers: never leave this machine (no export reads these columns)
            local_identifiers TEXT NOT NULL DEFAULT '{{}}',
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users(id)
        );;
        CREATE TABLE screenings (
            id INTEGER PRIMARY KEY,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id),
            attempt INTEGER NOT NULL,
            protocol_id TEXT NOT NULL,
            protocol_version TEXT NOT NULL,
            protocol_sha256 TEXT NOT NULL,
            -- '' until answered, so that keyset paging never meets NULL
            consent_date TEXT NOT NULL DEFAULT '',
            screening_date TEXT NOT NULL DEFAULT '',
            determination TEXT NOT NULL DEFAULT 'draft'
                CHECK (determination IN ('draft', 'incomplete', 'eligible', 'ineligible')),
            failing TEXT NOT NULL DEFAULT '',
            sign_state TEXT NOT NULL DEFAULT 'unsigned'
                CHECK (sign_state IN ('unsigned', 'signed', 'locked', 'invalidated')),
            outcome TEXT CHECK (outcome IN ('enrolled', 'declined', 'screen_failure', 'withdrawn')),
            outcome_detail TEXT NOT NULL DEFAULT '{{}}',
            coordinator_id INTEGER REFERENCES users(id),
            investigator_id INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users(id),
            updated_at TEXT NOT NULL,
            status TEXT GENERATED ALWAYS AS ({_STATUS}) STORED,
            UNIQUE (candidate_id, attempt)
        );;
        CREATE INDEX screenings_by_date ON screenings (screening_date DESC, id DESC);;
        CREATE INDEX screenings_by_status_date ON screenings (status, screening_date DESC, id DESC);;
        CREATE TABLE answers (
            screening_id INTEGER NOT NULL REFERENCES screenings(id),
            question_id TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by INTEGER NOT NULL REFERENCES users(id),
            PRIMARY KEY (screening_id, question_id)
        ) WITHOUT ROWID;;
        CREATE TABLE determinations (
            id INTEGER PRIMARY KEY,
            screening_id INTEGER NOT NULL REFERENCES screenings(id),
            determination TEXT NOT NULL,
            result TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users(id)
        );;
        CREATE INDEX determinations_by_screening ON determinations (screening_id, id);;
        CREATE TABLE exports (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(id),
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            screenings INTEGER NOT NULL
        );;
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at_utc TEXT NOT NULL,
            utc_offset TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id),
            username TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            field TEXT,
            old_value TEXT,
            new_value TEXT,
            reason TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );;
        CREATE INDEX audit_by_entity ON audit (entity, entity_id, seq);;
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;;
        """,
    )


@migrations(name="0002_accounts_and_signatures")
def m0002_accounts_and_signatures(db: Database) -> None:
    _run(
        db,
        """
        ALTER TABLE users ADD COLUMN roles TEXT NOT NULL DEFAULT '';;
        ALTER TABLE users ADD COLUMN password_hash TEXT;;
        ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;;
        ALTER TABLE users ADD COLUMN locked_until TEXT;;
        ALTER TABLE users ADD COLUMN deactivated_at TEXT;;
        CREATE TABLE user_keys (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            public_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            encrypted_private_key BLOB NOT NULL,
            kdf TEXT NOT NULL,
            created_at TEXT NOT NULL,
            retired_at TEXT
        );;
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);;
        CREATE TABLE warning_acknowledgements (
            screening_id INTEGER NOT NULL REFERENCES screenings(id),
            code TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(id),
            at_utc TEXT NOT NULL,
            utc_offset TEXT NOT NULL,
            PRIMARY KEY (screening_id, code)
        );;
        CREATE TABLE signatures (
            id INTEGER PRIMARY KEY,
            screening_id INTEGER NOT NULL REFERENCES screenings(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            key_id INTEGER NOT NULL REFERENCES user_keys(id),
            meaning TEXT NOT NULL,
            signed_at TEXT NOT NULL,
            utc_offset TEXT NOT NULL,
            payload TEXT NOT NULL,
            signature TEXT NOT NULL
        );;
        CREATE INDEX signatures_by_screening ON signatures (screening_id, id);;
        CREATE TABLE signature_invalidations (
            signature_id INTEGER PRIMARY KEY REFERENCES signatures(id),
            at_utc TEXT NOT NULL,
            utc_offset TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(id),
            reason TEXT NOT NULL
        );;
        CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
            BEGIN SELECT RAISE(ABORT, 'signatures are never edited'); END;;
        CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
            BEGIN SELECT RAISE(ABORT, 'signatures are never deleted'); END;;
        CREATE TRIGGER invalidations_no_update BEFORE UPDATE ON signature_invalidations
            BEGIN SELECT RAISE(ABORT, 'invalidations are never edited'); END;;
        CREATE TRIGGER invalidations_no_delete BEFORE DELETE ON signature_invalidations
            BEGIN SELECT RAISE(ABORT, 'invalidations are never deleted'); END;;
        CREATE TRIGGER users_never_deleted BEFORE DELETE ON users
            BEGIN SELECT RAISE(ABORT, 'accounts are deactivated, never deleted'); END;;
        """,
    )


@migrations(name="0003_identity_salt")
def m0003_identity_salt(db: Database) -> None:
    """A random salt per screening, kept on this machine: signatures cover a salted digest of the
    date of birth, so that an exported signature can be checked without revealing it."""
    db.execute("ALTER TABLE screenings ADD COLUMN identity_salt TEXT NOT NULL DEFAULT ''")
    db.execute(
        "UPDATE screenings SET identity_salt = lower(hex(randomblob(16))) WHERE identity_salt = ''"
    )


@migrations(name="0004_trusted_keys")
def m0004_trusted_keys(db: Database) -> None:
    """Public keys of other sites' users that this copy trusts when it verifies their bundles."""
    _run(
        db,
        """
        CREATE TABLE trusted_keys (
            id INTEGER PRIMARY KEY,
            public_key TEXT NOT NULL UNIQUE,
            fingerprint TEXT NOT NULL,
            username TEXT NOT NULL,
            printed_name TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            imported_by INTEGER NOT NULL REFERENCES users(id),
            removed_at TEXT,
            removed_by INTEGER REFERENCES users(id)
        );;
        CREATE TRIGGER trusted_keys_never_deleted BEFORE DELETE ON trusted_keys
            BEGIN SELECT RAISE(ABORT, 'trusted keys are removed by marking, never deleted'); END;;
        """,
    )


@migrations(name="0005_search_index")
def m0005_search_index(db: Database) -> None:
    """Searching the log for a screening number that few candidates match must not scan every
    screening: a trigram full-text index over the numbers (substring search, case-insensitive),
    kept in step by triggers, and an index on initials for prefix search. Where this SQLite lacks
    FTS5 or its trigram tokenizer, the log searches by scanning, as before."""
    db.execute("CREATE INDEX candidates_by_initials ON candidates (initials)")
    try:
        db.execute(
            "CREATE VIRTUAL TABLE candidates_search USING fts5(screening_number, content='candidates', "
            "content_rowid='id', tokenize='trigram')"
        )
    except sqlite3.OperationalError:
        return
    _run(
        db,
        """
        CREATE TRIGGER candidates_search_insert AFTER INSERT ON candidates BEGIN
            INSERT INTO candidates_search (rowid, screening_number) VALUES (new.id, new.screening_number);
        END;;
        CREATE TRIGGER candidates_search_update AFTER UPDATE OF screening_number ON candidates BEGIN
            INSERT INTO candidates_search (candidates_search, rowid, screening_number)
                VALUES ('delete', old.id, old.screening_number);
            INSERT INTO candidates_search (rowid, screening_number) VALUES (new.id, new.screening_number);
        END;;
        CREATE TRIGGER candidates_search_delete AFTER DELETE ON candidates BEGIN
            INSERT INTO candidates_search (candidates_search, rowid, screening_number)
                VALUES ('delete', old.id, old.screening_number);
        END;;
        INSERT INTO candidates_search (candidates_search) VALUES ('rebuild')
        """,
    )


@migrations(name="0006_audit_salted_identifiers")
def m0006_audit_salted_identifiers(db: Database) -> None:
    """Identifiers enter the audit hash as salted digests (chain.hashed_fields), so that a bundle
    can carry a chain whose every hash a reader recomputes without them. Each event of an
    identifier gets its salt and every hash from there on is recomputed, up to the first event
    that did not verify under the old hashing: from there the rows are left as they were, so a
    break stays a break (this migration never launders a tampered chain)."""
    from desktop_app.store import chain  # the chain's own functions, as append uses them

    db.execute("ALTER TABLE audit ADD COLUMN salt TEXT")
    db.execute("DROP TRIGGER audit_no_update")
    names = [*chain._FIELDS, "hash"]
    previous_old = previous_new = chain.GENESIS
    expected_seq = 1
    cursor = db.execute(f"SELECT {', '.join(names)} FROM audit ORDER BY seq")
    updates: list[tuple[str | None, str, str, int]] = []
    for row in cursor:
        event: dict[str, object] = dict(zip(names, row, strict=True))
        if (event["seq"], event["prev_hash"]) != (expected_seq, previous_old) or chain.event_hash(
            event, legacy=True
        ) != event["hash"]:
            break
        previous_old = str(event["hash"])
        event["prev_hash"] = previous_new
        event["salt"] = secrets.token_hex(16) if event["field"] in chain.WITHHELD_FIELDS else None
        previous_new = chain.event_hash(event)
        updates.append((event["salt"], previous_new, str(event["prev_hash"]), expected_seq))  # type: ignore[arg-type]
        expected_seq += 1
    db.conn.executemany("UPDATE audit SET salt = ?, hash = ?, prev_hash = ? WHERE seq = ?", updates)
    db.execute(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    )


@migrations(name="0007_trusted_key_sites")
def m0007_trusted_key_sites(db: Database) -> None:
    """A trusted key is trusted for one site. Keys imported before carry no site and so are
    trusted for none ('' matches no site code): import their files again (pre-release)."""
    db.execute("ALTER TABLE trusted_keys ADD COLUMN site_code TEXT NOT NULL DEFAULT ''")


@migrations(name="0008_replayable_chain")
def m0008_replayable_chain(db: Database) -> None:
    """The state is the replay of the chain (store/replay.py): events now carry every value they
    set (public keys, whether an account is DEMO, exports). For a store made before, one event per
    account (its DEMO flag and public keys), per trusted key (its public key) and per recorded
    export records what the tables hold now, and a last event marks where the replay starts to
    require checkpoints after signatures and exports. A new store has no events yet: none."""
    from desktop_app.store import chain
    from desktop_app.store.clock import Stamp, system_clock
    from desktop_app.store.keys import fingerprint

    if db.execute("SELECT count(*) FROM audit").fetchone()[0] == 0:
        return
    head = chain.ChainHead()
    stamp = Stamp.of(system_clock())

    def record(action: str, entity: str, entity_id: object, new: object, user_id: object = None,
               username: str = chain.SYSTEM_USER) -> None:  # fmt: skip
        chain.append(db, stamp, head=head, user_id=user_id, username=username, action=action,  # type: ignore[arg-type]
                     entity=entity, entity_id=entity_id, new=new)  # fmt: skip

    for user_id, username, is_demo in db.execute(
        "SELECT id, username, is_demo FROM users ORDER BY id"
    ).fetchall():
        keys = [
            {"fingerprint": fingerprint(bytes.fromhex(public)), "public_key": public}
            for (public,) in db.execute(
                "SELECT public_key FROM user_keys WHERE user_id = ? ORDER BY id", [user_id]
            ).fetchall()
        ]
        record("account_baseline", "user", username, {"is_demo": bool(is_demo), "keys": keys})
    for fp, public in db.execute(
        "SELECT fingerprint, public_key FROM trusted_keys ORDER BY id"
    ).fetchall():
        record("trusted_key_baseline", "trusted_key", fp, {"public_key": public})
    for export_id, user_id, name, digest, count in db.execute(
        "SELECT e.id, e.user_id, e.file_name, e.sha256, e.screenings FROM exports e ORDER BY e.id"
    ).fetchall():
        owner = db.execute("SELECT username FROM users WHERE id = ?", [user_id]).fetchone()
        record("bundle_exported", "export", export_id,
               {"file_name": name, "sha256": digest, "screenings": count, "recorded_by_migration": True},
               user_id, owner[0] if owner else chain.SYSTEM_USER)  # fmt: skip
    record("replay_baseline", "store", "0008_replayable_chain", None)


@migrations(name="0009_notes_and_queries")
def m0009_notes_and_queries(db: Database) -> None:
    """Notes on answers (each edit a new version, none ever deleted), monitors' queries on answers
    with their steps (answered, closed, reopened) and monitors' reviews of a screening's audit
    trail: written only with their audit events (store/annotations.py), replayed by db check."""
    _run(
        db,
        """
        CREATE TABLE answer_notes (
            id INTEGER PRIMARY KEY,
            screening_id INTEGER NOT NULL REFERENCES screenings(id),
            question_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            text TEXT NOT NULL,
            reason TEXT,
            at_utc TEXT NOT NULL,
            utc_offset TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(id),
            UNIQUE (screening_id, question_id, version)
        );;
        CREATE TABLE queries (
            id INTEGER PRIMARY KEY,
            screening_id INTEGER NOT NULL REFERENCES screenings(id),
            question_id TEXT NOT NULL,
            text TEXT NOT NULL,
            suggested_value TEXT,
            state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered', 'closed')),
            raised_at TEXT NOT NULL,
            utc_offset TEXT NOT NULL,
            raised_by INTEGER NOT NULL REFERENCES users(id)
        );;
        CREATE INDEX queries_by_state ON queries (state, screening_id);;
        CREATE INDEX queries_by_screening ON queries (screening_id, question_id);;
        CREATE TABLE query_steps (
            id INTEGER PRIMARY KEY,
            query_id INTEGER NOT NULL REFERENCES queries(id),
            action TEXT NOT NULL CHECK (action IN ('answered', 'closed', 'reopened')),
            text TEXT NOT NULL,
            changed_value TEXT,
            reason TEXT,
            at_utc TEXT NOT NULL,
            utc_offset TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(id)
        );;
        CREATE INDEX query_steps_by_query ON query_steps (query_id, id);;
        CREATE TABLE audit_reviews (
            id INTEGER PRIMARY KEY,
            screening_id INTEGER NOT NULL REFERENCES screenings(id),
            from_date TEXT NOT NULL,
            to_date TEXT NOT NULL,
            comment TEXT NOT NULL DEFAULT '',
            at_utc TEXT NOT NULL,
            utc_offset TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(id)
        );;
        CREATE TRIGGER answer_notes_no_update BEFORE UPDATE ON answer_notes
            BEGIN SELECT RAISE(ABORT, 'a note is edited by a new version, never overwritten'); END;;
        CREATE TRIGGER answer_notes_no_delete BEFORE DELETE ON answer_notes
            BEGIN SELECT RAISE(ABORT, 'notes are never deleted'); END;;
        CREATE TRIGGER queries_no_delete BEFORE DELETE ON queries
            BEGIN SELECT RAISE(ABORT, 'queries are closed, never deleted'); END;;
        CREATE TRIGGER query_steps_no_update BEFORE UPDATE ON query_steps
            BEGIN SELECT RAISE(ABORT, 'the steps of a query are never edited'); END;;
        CREATE TRIGGER query_steps_no_delete BEFORE DELETE ON query_steps
            BEGIN SELECT RAISE(ABORT, 'the steps of a query are never deleted'); END;;
        CREATE TRIGGER audit_reviews_no_update BEFORE UPDATE ON audit_reviews
            BEGIN SELECT RAISE(ABORT, 'audit trail reviews are never edited'); END;;
        CREATE TRIGGER audit_reviews_no_delete BEFORE DELETE ON audit_reviews
            BEGIN SELECT RAISE(ABORT, 'audit trail reviews are never deleted'); END;;
        """,
    )


@migrations(name="0010_carried_answers")
def m0010_carried_answers(db: Database) -> None:
    """Answers a re-screening offers from the previous attempt (store/carry.py): proposals until
    the coordinator confirms each; never read as answers."""
    _run(
        db,
        """
        CREATE TABLE carried_answers (
            screening_id INTEGER NOT NULL REFERENCES screenings(id),
            question_id TEXT NOT NULL,
            value TEXT NOT NULL,
            from_attempt INTEGER NOT NULL,
            carried_at TEXT NOT NULL,
            carried_by INTEGER NOT NULL REFERENCES users(id),
            PRIMARY KEY (screening_id, question_id)
        ) WITHOUT ROWID
        """,
    )


@migrations(name="0011_attachments_and_queues")
def m0011_attachments_and_queues(db: Database) -> None:
    """Attachments (scanned consent, reports, lab sheets) kept inside the encrypted store, each
    written with its audit event (store/attachments.py): never deleted, their content never
    changed; a replacement is a new row naming the one it replaces. And partial indexes that let
    the work queues (store/queues.py) count and page their screenings without a scan; and each
    screening's washout date (rules.window_over_on, written with every determination), so that the
    washout queue is ordered by it."""
    if "window_over_on" not in {c[1] for c in db.execute("PRAGMA table_info(screenings)")}:
        # (a test that builds an old store with this version's code adds it beforehand)
        db.execute("ALTER TABLE screenings ADD COLUMN window_over_on TEXT NOT NULL DEFAULT ''")
    _run(
        db,
        f"""
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            screening_id INTEGER NOT NULL REFERENCES screenings(id),
            question_id TEXT,  -- NULL: the screening as a whole
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            media_type TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            content BLOB NOT NULL,
            replaces_id INTEGER REFERENCES attachments(id),
            added_at TEXT NOT NULL,
            utc_offset TEXT NOT NULL,
            added_by INTEGER NOT NULL REFERENCES users(id),
            removed_at TEXT,
            removed_by INTEGER REFERENCES users(id),
            removal_reason TEXT
        );;
        CREATE INDEX attachments_by_screening ON attachments (screening_id, id);;
        CREATE TRIGGER attachments_never_deleted BEFORE DELETE ON attachments
            BEGIN SELECT RAISE(ABORT, 'attachments are never deleted'); END;;
        CREATE TRIGGER attachments_content_fixed BEFORE UPDATE OF screening_id, question_id, kind, title,
            media_type, size, sha256, content, replaces_id, added_at, added_by ON attachments
            BEGIN SELECT RAISE(ABORT, 'an attachment is replaced by a new version, never changed'); END;;
        CREATE INDEX screenings_eligible_open ON screenings (screening_date DESC, id DESC)
            WHERE {ELIGIBLE_OPEN};;
        CREATE INDEX screenings_window_only ON screenings (window_over_on, id) WHERE {WINDOW_ONLY};;
        -- the few later attempts: which screenings were screened again, without a scan
        CREATE INDEX screenings_rescreens ON screenings (candidate_id, attempt) WHERE attempt > 1;;
        -- the answers coded pending: which screenings wait for results, without reading every answer
        CREATE INDEX answers_pending ON answers (screening_id, question_id) WHERE value = '{PENDING_ANSWER}'
        """,
    )
    _backfill_window_over_on(db)


def _backfill_window_over_on(db: Database) -> None:
    """The washout date of the screenings excluded only by windows, from their latest
    determination (rules.window_over_on), as answers.py now writes it with every determination."""
    from desktop_app.rules import CriterionResult, window_over_on

    rows = db.execute(
        "SELECT s.id, (SELECT d.result -> '$.criteria' FROM determinations d WHERE d.screening_id = s.id "
        f"ORDER BY d.id DESC LIMIT 1) FROM screenings s WHERE {WINDOW_ONLY}"
    ).fetchall()
    for sid, criteria in rows:
        if criteria is None:
            continue
        failing = [
            CriterionResult.model_validate(c)
            for c in json.loads(criteria)
            if c.get("verdict") in ("present", "not_met")
        ]
        end = window_over_on(failing)
        db.execute(
            "UPDATE screenings SET window_over_on = ? WHERE id = ?",
            [end.isoformat() if end else "", sid],
        )


@migrations(name="0012_awaiting_results")
def m0012_awaiting_results(db: Database) -> None:
    """What each screening waits for on pending results (store/missing_data.awaiting_of: the
    questions, joined by commas; '' when none), written with every determination, so that the
    "Results pending" queue (store/queues.py) reads one column through a partial index instead of
    parsing each candidate's latest determination. Filled for the screenings made before it from
    their latest determination and coded answers, as the rules give it."""
    if "awaiting" not in {c[1] for c in db.execute("PRAGMA table_info(screenings)")}:
        # (a test that builds an old store with this version's code adds it beforehand)
        db.execute("ALTER TABLE screenings ADD COLUMN awaiting TEXT NOT NULL DEFAULT ''")
    db.execute(
        f"CREATE INDEX screenings_awaiting ON screenings (status, screening_date DESC, id DESC) WHERE {AWAITING}"
    )
    _backfill_awaiting(db)


def _backfill_awaiting(db: Database) -> None:
    """`screenings.awaiting` from each screening's latest determination and coded answers
    (store/missing_data.waiting_by_screening, which results_pending reads)."""
    from desktop_app.store.missing_data import waiting_by_screening

    db.execute("UPDATE screenings SET awaiting = '' WHERE awaiting <> ''")
    for sid, waiting in waiting_by_screening(db).items():
        db.execute("UPDATE screenings SET awaiting = ? WHERE id = ?", [",".join(waiting), sid])


def pending(db: Database) -> list[str]:
    return [m.name for m in migrations.pending(db)]


def apply(db: Database) -> None:
    migrations.apply(db)
