"""The insider suite: someone with the database file, a SQLite shell and the published code, but
no password, edits a copy of the DEMO store directly. For every edit `db check` fails and names the
changed row, and the affected screening's printout carries TAMPERED. The clean store passes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import rfc8785
from helpers import TEST_KEY, as_demo_admin, key_of, open_test_store, raw_connect
from sqlcipher3 import dbapi2 as sqlite3

from desktop_app.cli import main
from desktop_app.rules import LoadedProtocol
from desktop_app.store import check
from desktop_app.store.chain import GENESIS, event_hash
from desktop_app.store.clock import system_clock
from desktop_app.store.database import Store, connect
from desktop_app.store.demo import fill_demo
from desktop_app.store.keys import fingerprint
from desktop_app.store.location import DB_NAME
from desktop_app.store.records import find_screening
from desktop_app.store.reports import screening_record

DROP_ALL_TRIGGERS = (
    "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; DROP TRIGGER signatures_no_update; "
    "DROP TRIGGER signatures_no_delete; DROP TRIGGER invalidations_no_update; "
    "DROP TRIGGER invalidations_no_delete;"
)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory, protocol: LoadedProtocol) -> Path:
    from helpers import open_test_store

    folder = tmp_path_factory.mktemp("insider") / "demo"
    with open_test_store(folder) as store:
        fill_demo(store, protocol)
    return folder


def _rehash_from(conn: sqlite3.Connection, first: int) -> None:
    """What an attacker with the published code does after editing event `first`: every later
    event's prev_hash and hash computed again, and each checkpoint's stated head made to match."""
    names = [c[1] for c in conn.execute("PRAGMA table_info(audit)")]
    before = conn.execute("SELECT hash FROM audit WHERE seq = ?", [first - 1]).fetchone()
    previous = before[0] if before else GENESIS
    for row in conn.execute("SELECT * FROM audit WHERE seq >= ? ORDER BY seq", [first]).fetchall():
        event = dict(zip(names, row, strict=True))
        event["prev_hash"] = previous
        if event["action"] == "checkpoint":
            statement = json.loads(event["new_value"])
            statement["head"] = previous
            event["new_value"] = rfc8785.dumps(statement).decode()
        event["hash"] = event_hash(event)
        conn.execute(
            "UPDATE audit SET prev_hash = ?, new_value = ?, hash = ? WHERE seq = ?",
            [event["prev_hash"], event["new_value"], event["hash"], event["seq"]],
        )
        previous = event["hash"]


def _edit_event_and_rehash(conn: sqlite3.Connection) -> None:
    seq = conn.execute(
        "SELECT seq FROM audit WHERE action = 'answer_saved' AND entity_id = 'DEMO-0036/1' "
        "AND field = 'consent_form_version'"
    ).fetchone()[0]
    conn.execute("UPDATE audit SET new_value = '\"1.0\"' WHERE seq = ?", [seq])
    conn.execute(
        "UPDATE answers SET value = '\"1.0\"' WHERE screening_id = 36 AND question_id = 'consent_form_version'"
    )
    _rehash_from(conn, seq)


def _unreadable_event(conn: sqlite3.Connection) -> None:
    """An event given values Eligo never writes (not JSON, a list), the chain re-hashed."""
    seq = conn.execute(
        "SELECT seq FROM audit WHERE action = 'outcome_recorded' AND entity_id = 'DEMO-0022/1'"
    ).fetchone()[0]
    conn.execute("UPDATE audit SET new_value = '[1, 2' WHERE seq = ?", [seq])
    conn.execute("UPDATE audit SET new_value = '[1, 2]' WHERE action = 'site_created'")
    _rehash_from(conn, 1)


def _swap_key_and_resign(conn: sqlite3.Connection) -> None:
    """The investigator's public key replaced by the attacker's, and every signature made with it
    signed again with the attacker's key (the payload naming the new fingerprint)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    attacker = Ed25519PrivateKey.generate()
    public = attacker.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    conn.execute(
        "UPDATE user_keys SET public_key = ?, fingerprint = ? WHERE id = 3",
        [public.hex(), fingerprint(public)],
    )
    for sid, payload in conn.execute(
        "SELECT id, payload FROM signatures WHERE key_id = 3"
    ).fetchall():
        document = json.loads(payload)
        document["key_fingerprint"] = fingerprint(public)
        message = rfc8785.dumps(document)
        conn.execute(
            "UPDATE signatures SET payload = ?, signature = ? WHERE id = ?",
            [message.decode(), attacker.sign(message).hex(), sid],
        )


@dataclass(frozen=True)
class Edit:
    name: str
    apply: str | Callable[[sqlite3.Connection], None]
    names: tuple[str, ...]  # what the check's output must contain (table, row, column)
    screening: tuple[str, int] | None  # the screening whose printout must say TAMPERED


EDITS = [
    Edit("determination", "UPDATE screenings SET determination = 'eligible' WHERE id = 19",
         ("screenings DEMO-0019/1 determination",), ("DEMO-0019", 1)),
    Edit("failing", "UPDATE screenings SET failing = '' WHERE id = 20",
         ("screenings DEMO-0020/1 failing",), ("DEMO-0020", 1)),
    Edit("put in the Results pending queue", "UPDATE screenings SET awaiting = 'hiv' WHERE id = 19",
         ("screenings DEMO-0019/1 awaiting",), ("DEMO-0019", 1)),
    Edit("determination of a locked, signed screening",
         "UPDATE screenings SET determination = 'ineligible', failing = 'E1' WHERE id = 1",
         ("screenings DEMO-0001/1 determination", "screenings DEMO-0001/1 failing"), ("DEMO-0001", 1)),
    Edit("enrolled although ineligible",
         "UPDATE screenings SET outcome = 'enrolled', outcome_detail = "
         "'{\"date\": \"2023-01-01\", \"randomization_number\": \"R-999\"}' WHERE id = 21",
         ("screenings DEMO-0021/1 outcome",), ("DEMO-0021", 1)),
    Edit("unsigned answer",
         "UPDATE answers SET value = '\"1.0\"' WHERE screening_id = 36 AND question_id = 'consent_form_version'",
         ("answers DEMO-0036/1 consent_form_version value",), ("DEMO-0036", 1)),
    Edit("last 10 audit events deleted",
         DROP_ALL_TRIGGERS + "DELETE FROM audit WHERE seq > (SELECT max(seq) - 10 FROM audit)",
         ("signatures 29 row", "screenings DEMO-0040/2 outcome"), ("DEMO-0040", 2)),
    Edit("audit event edited, chain re-hashed", _edit_event_and_rehash,
         ("audit events", "checkpoint (event"), ("DEMO-0036", 1)),
    Edit("signatures deleted and an answer changed",
         DROP_ALL_TRIGGERS + "DELETE FROM signatures WHERE screening_id = 1; "
         "UPDATE answers SET value = '\"1.0\"' WHERE screening_id = 1 AND question_id = 'consent_form_version'",
         ("signatures 1 row", "answers DEMO-0001/1 consent_form_version value"), ("DEMO-0001", 1)),
    Edit("key swapped, signatures re-signed", _swap_key_and_resign,
         ("user_keys 3 public_key", "signatures 2 payload"), ("DEMO-0001", 1)),
    Edit("events rewritten with values Eligo never writes", _unreadable_event,
         ("audit event 1 site_created: stored \"unreadable", "outcome_recorded: stored \"unreadable",
          "screenings DEMO-0022/1 outcome"), ("DEMO-0022", 1)),
    Edit("monitor made administrator and investigator",
         "UPDATE users SET roles = 'administrator,investigator,monitor' WHERE username = 'demo.monitor'",
         ("users 'demo.monitor' roles",), None),
    Edit("signature state", "UPDATE screenings SET sign_state = 'locked' WHERE id = 36",
         ("screenings DEMO-0036/1 sign_state",), ("DEMO-0036", 1)),
    Edit("determination snapshot",
         "UPDATE determinations SET result = replace(result, '\"determination\":\"eligible\"', '\"determination\":\"ineligible\"') "
         "WHERE id = (SELECT max(id) FROM determinations WHERE screening_id = 36)",
         ("determinations DEMO-0036/1 result",), ("DEMO-0036", 1)),
    Edit("acknowledgement added",
         "INSERT INTO warning_acknowledgements VALUES (35, 'W_FAKE', 2, '2023-01-01T00:00:00Z', '+00:00')",
         ("warning_acknowledgements DEMO-0035/1 W_FAKE",), ("DEMO-0035", 1)),
    Edit("invalidations deleted", DROP_ALL_TRIGGERS + "DELETE FROM signature_invalidations",
         ("signature_invalidations 22 invalidation",), ("DEMO-0018", 1)),
    Edit("trusted key added",
         "INSERT INTO trusted_keys (public_key, fingerprint, username, printed_name, imported_at, imported_by) "
         f"VALUES ('{'ab' * 32}', 'X', 'mallory', 'Mallory', '2023-01-01', 1)",
         ("trusted_keys 'X' row",), None),
    Edit("setting", "INSERT INTO settings VALUES ('idle_lock_minutes', '120')",
         ("settings 'idle_lock_minutes' value",), None),
    Edit("site renamed", "UPDATE site SET name = 'Another site'", ("site 1 name",), None),
    Edit("candidate initials", "UPDATE candidates SET initials = 'ZZ' WHERE id = 2",
         ("candidates DEMO-0002 initials",), None),
    Edit("export recorded", "INSERT INTO exports (created_at, user_id, file_name, sha256, screenings) "
         "VALUES ('2023-01-01', 1, 'x.zip', 'abc', 1)", ("exports 1 row",), None),
    Edit("account reactivated... deactivated", "UPDATE users SET is_active = 0 WHERE username = 'demo.coordinator'",
         ("users 'demo.coordinator' is_active",), None),
    Edit("answer added to a draft",
         "INSERT INTO answers VALUES (39, 'sex', '\"male\"', '2023-01-01', 2)",
         ("answers DEMO-0039/1 sex value",), ("DEMO-0039", 1)),
]  # fmt: skip


def _printout(folder: Path, protocol: LoadedProtocol, number: str, attempt: int) -> str:
    from desktop_app.ui.printing import summary_html

    store = Store(
        folder, connect(folder / DB_NAME, key=key_of(folder), read_only=True), None, system_clock
    )
    try:
        screening = find_screening(store, number, attempt)
        return summary_html(protocol, screening_record(store, screening.id))
    finally:
        store.db.close()


def test_the_clean_demo_store_passes(demo_dir: Path, protocol: LoadedProtocol) -> None:
    report = check.check(demo_dir, key_of(demo_dir))
    assert report.ok, "\n".join(report.lines())
    assert report.replayed is not None
    assert report.replayed.checkpoints > 20
    assert "every table matches" in "\n".join(report.lines())
    assert "TAMPERED" not in _printout(demo_dir, protocol, "DEMO-0001", 1)


@pytest.mark.parametrize("edit", EDITS, ids=[e.name for e in EDITS])
def test_every_direct_edit_is_caught(
    demo_dir: Path, tmp_path: Path, protocol: LoadedProtocol, edit: Edit,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    folder = tmp_path / "copy"
    shutil.copytree(demo_dir, folder, ignore=shutil.ignore_patterns("eligo.lock"))
    conn = raw_connect(folder / DB_NAME)
    if isinstance(edit.apply, str):
        conn.executescript(edit.apply)
    else:
        conn.execute("BEGIN")
        for statement in DROP_ALL_TRIGGERS.split(";"):
            if statement.strip():
                conn.execute(statement)
        edit.apply(conn)
        conn.execute("COMMIT")
    conn.close()
    code = main(["db", "check", "--data-dir", str(folder), *as_demo_admin()])
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    assert out.rstrip().endswith("FAILED")
    for words in edit.names:
        assert words in out, out
    if edit.screening is not None:
        number, attempt = edit.screening
        assert f"TAMPERED screening {number}/{attempt}" in out
        assert "TAMPERED" in _printout(folder, protocol, number, attempt)


def test_a_tampered_printout_pdf_says_so(demo_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(demo_dir, folder, ignore=shutil.ignore_patterns("eligo.lock"))
    conn = raw_connect(folder / DB_NAME)
    conn.execute("UPDATE screenings SET determination = 'eligible', failing = '' WHERE id = 19")
    conn.commit()
    conn.close()
    pdf = tmp_path / "summary.pdf"
    assert (
        main(
            [
                "print",
                "summary",
                "DEMO-0019",
                "--out",
                str(pdf),
                "--data-dir",
                str(folder),
                *as_demo_admin(),
            ]
        )
        == 0
    )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "TAMPERED" in text
    assert "screenings DEMO-0019/1 determination" in text.replace("\n", " ")


def test_a_rewritten_history_fails_the_next_checkpoint(tmp_path: Path) -> None:
    from desktop_app.store import create_site
    from desktop_app.store.accounts import authenticate, create_account
    from desktop_app.store.checkpoints import checkpoint

    store = open_test_store(tmp_path / "data")
    create_site(store, None, code="RH", name="Rehash site", principal_investigator="PI")
    create_account(store, None, username="rh.admin", full_name="RH Admin", roles=["administrator"],
                   password="admin password 1")  # fmt: skip
    authenticate(store, "rh.admin", "admin password 1")
    assert checkpoint(store, "backup")
    folder = store.data_dir
    store.close()
    conn = raw_connect(folder / "eligo.db")
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute(
        "UPDATE audit SET new_value = '{\"name\": \"Forged\"}' WHERE action = 'site_created'"
    )
    _rehash_from(conn, 1)
    conn.close()
    report = check.check(folder, key_of(folder))
    assert report.chain.ok  # every hash fits: only the signature shows the rewriting
    text = "\n".join(report.lines())
    assert not report.ok
    assert "checkpoint (event" in text
    assert "the signature does not verify" in text


def test_a_store_made_before_the_replay_passes_after_migration_0007(
    tmp_path: Path, protocol: LoadedProtocol
) -> None:
    """A store whose events were written before they carried public keys and DEMO flags, with no
    checkpoints and exports recorded only in their table: migration 0007 records what the tables
    hold, and the replay then matches."""
    from desktop_app.store import schema
    from desktop_app.store.lock import WriterLock

    folder = tmp_path / "old"
    folder.mkdir()
    from desktop_app.store import keyslots

    keyslots.create(folder, TEST_KEY)  # the store's key file (this test writes the file itself)
    db = connect(folder / DB_NAME, key=TEST_KEY)
    schema.migrations.apply(db, stop_before="0008_replayable_chain")
    # The columns this version writes with every determination (migrations 0011 and 0012 add them
    # otherwise).
    db.execute("ALTER TABLE screenings ADD COLUMN window_over_on TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE screenings ADD COLUMN awaiting TEXT NOT NULL DEFAULT ''")
    lock = WriterLock(folder / "eligo.lock")
    lock.acquire()
    with Store(folder, db, lock, system_clock) as store:
        fill_demo(store, protocol, annotations=False)  # notes, queries, attachments: 0009, 0011
        store.db.execute("INSERT INTO exports (created_at, user_id, file_name, sha256, screenings) "
                         "VALUES ('2024-01-01T00:00:00Z', 1, 'old.zip', 'abc', 41)")  # fmt: skip
    conn = raw_connect(folder / DB_NAME)
    conn.execute("BEGIN")
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    names = [c[1] for c in conn.execute("PRAGMA table_info(audit)")]
    events = [
        dict(zip(names, row, strict=True))
        for row in conn.execute("SELECT * FROM audit ORDER BY seq")
    ]
    conn.execute("DELETE FROM audit")
    previous, seq = GENESIS, 0
    for event in events:
        if event["action"] in ("checkpoint", "bundle_exported"):
            continue  # written by this version only
        if event["action"] in ("account_created", "password_reset"):
            new = json.loads(event["new_value"])
            new.pop("public_key", None)
            new.pop("is_demo", None)
            event["new_value"] = rfc8785.dumps(new).decode()
        seq += 1
        event.update(seq=seq, prev_hash=previous)
        event["hash"] = event_hash(event)
        previous = event["hash"]
        conn.execute(f"INSERT INTO audit ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                     [event[n] for n in names])  # fmt: skip
    conn.execute("COMMIT")
    conn.close()
    open_test_store(folder).close()  # applies 0007
    report = check.check(folder, key_of(folder))
    assert report.ok, "\n".join(report.lines())
    assert report.replayed is not None
    assert report.replayed.checkpoints == 0


def test_events_dropped_after_the_last_checkpoint_are_caught_by_the_newest_backup(
    demo_dir: Path, tmp_path: Path
) -> None:
    """Dropping the newest events leaves a chain that verifies and tables that match it; the
    newest backup, which holds them, names what is missing."""
    folder = tmp_path / "copy"
    shutil.copytree(demo_dir, folder, ignore=shutil.ignore_patterns("eligo.lock"))
    (folder / "backups").mkdir(exist_ok=True)
    shutil.copy(folder / DB_NAME, folder / "backups" / "eligo-20991231T000000000000Z-exit.db")
    assert check.check(folder, key_of(folder)).ok
    conn = raw_connect(folder / DB_NAME)
    newest = conn.execute("SELECT max(seq) FROM audit").fetchone()[0]
    conn.executescript(f"DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = {newest};")
    conn.close()
    report = check.check(folder, key_of(folder))
    assert report.chain.ok
    assert report.replayed is not None
    assert report.replayed.ok  # nothing in the tables shows it
    assert not report.ok
    assert f"DIVERGES audit event {newest}" in "\n".join(report.lines())
    assert "events were dropped" in "\n".join(report.lines())


# Run in a fresh interpreter: the replay's thread must not be the first to import a module (once
# PySide6 is loaded, every first import goes through its hook, not safe off the main thread).
_FIRST_IMPORTS = """
import builtins, sys, threading
from pathlib import Path
from helpers import open_test_store
from desktop_app.store.check import ReplayInBackground
real, first = builtins.__import__, []
def importing(name, *args, **kwargs):
    if threading.current_thread() is not threading.main_thread() and name not in sys.modules:
        first.append(name)
    return real(name, *args, **kwargs)
with open_test_store(Path(sys.argv[1])) as store:
    builtins.__import__ = importing
    replay = ReplayInBackground(store)
    assert replay.wait(120)
    builtins.__import__ = real
    print(replay.report is not None and replay.report.ok, first)
"""


def test_the_replay_thread_imports_no_module_first(tmp_path: Path, demo_dir: Path) -> None:
    """The replay behind the window (check.ReplayInBackground) over a store with signed
    screenings, in an interpreter that has loaded only what opening a store loads: every module
    its thread imports was loaded before it started (replay.preload; before it, the rules'
    modules and cryptography's signature check were first imported on that thread)."""
    import sys

    folder = tmp_path / "demo"
    shutil.copytree(demo_dir, folder)
    tests = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_IMPORTS, str(folder)],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tests), os.environ.get("PYTHONPATH", "")])},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "True []"
