"""Signed checkpoints, the session key, exports refused on a tampered store, relative folders."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from helpers import as_demo_admin, as_user, key_of, open_test_store, raw_connect, screened

from desktop_app.cli import main
from desktop_app.rules import LoadedProtocol
from desktop_app.store import AuthenticationError, Store, User, check
from desktop_app.store.accounts import (
    WrongCredentialsError,
    authenticate,
    create_account,
    reauthenticate,
)
from desktop_app.store.checkpoints import checkpoint, end_session, session_user
from desktop_app.store.keys import hash_password
from desktop_app.store.location import ENV_VAR
from desktop_app.store.replay import StoreTamperedError

PASSWORD = "admin password 1"


@pytest.fixture
def admin_store(tmp_path: Path) -> tuple[Store, User]:
    from desktop_app.store import create_site

    store = open_test_store(tmp_path / "data")
    create_site(store, None, code="CP", name="Checkpoint site", principal_investigator="PI")
    admin = create_account(store, None, username="cp.admin", full_name="CP Admin",
                           roles=["administrator"], password=PASSWORD)  # fmt: skip
    yield store, admin
    store.close()


def _last_user_event(store: Store) -> tuple[str, str, dict[str, object]]:
    """The newest event's action, the account it is about, and its values."""
    action, account, new = store.db.execute(
        "SELECT action, entity_id, new_value FROM audit ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return action, account, json.loads(new) if new else {}


def _last_event(store: Store) -> tuple[str, str, dict[str, object]]:
    action, username, new = store.db.execute(
        "SELECT action, username, new_value FROM audit ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return action, username, json.loads(new) if new else {}


def test_sign_in_opens_the_session_key_and_a_lock_signs_the_head(
    admin_store: tuple[Store, User],
) -> None:
    store, admin = admin_store
    assert checkpoint(store, "idle_lock") is False  # no one signed in: nothing to sign with
    authenticate(store, "cp.admin", PASSWORD)
    assert session_user(store) == admin
    assert checkpoint(store, "idle_lock") is True
    action, username, statement = _last_event(store)
    assert (action, username, statement["occasion"]) == ("checkpoint", "cp.admin", "idle_lock")
    assert checkpoint(store, "sign_out") is False  # the head is already this user's checkpoint
    end_session(store)
    assert session_user(store) is None
    report = check.check(store.data_dir, key_of(store.data_dir))
    assert report.ok, report.lines()
    assert report.replayed is not None
    assert report.replayed.checkpoints == 1


def test_an_account_registration_is_covered_by_the_administrators_checkpoint(
    admin_store: tuple[Store, User],
) -> None:
    store, admin = admin_store
    authenticate(store, "cp.admin", PASSWORD)
    create_account(store, admin, username="cp.coord", full_name="CP Coordinator",
                   roles=["coordinator"], password="coordinator pw 1")  # fmt: skip
    action, username, statement = _last_event(store)
    assert (action, username, statement["occasion"]) == ("checkpoint", "cp.admin", "account")
    # Another user confirming with their password does not take over the session.
    reauthenticate(store, get_user(store, "cp.coord"), "coordinator pw 1")
    assert session_user(store) == admin


def get_user(store: Store, username: str) -> User:
    from desktop_app.store import get_account

    return get_account(store, username)


def test_a_password_hash_swapped_in_the_table_cannot_sign_in(
    admin_store: tuple[Store, User],
) -> None:
    store, _ = admin_store
    store.db.execute(
        "UPDATE users SET password_hash = ? WHERE username = 'cp.admin'",
        [hash_password("attacker password")],
    )
    with pytest.raises(AuthenticationError, match="signing key does not open"):
        authenticate(store, "cp.admin", "attacker password")
    assert session_user(store) is None


def test_the_password_and_the_signing_key_are_derived_at_once(
    admin_store: tuple[Store, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The password's argon2id and the key's overlap: each waits, inside, for the other to have
    started (one after the other, the first waits out its timeout and the sign-in fails)."""
    from desktop_app.store import keys

    store, admin = admin_store
    unsealing_started, matching_started = threading.Event(), threading.Event()
    derivation, matches = keys.derivation, keys.password_matches

    def unsealing(sealed: keys.SealedKey) -> Any:
        derive = derivation(sealed)

        def deriving(password: str) -> bytes:
            unsealing_started.set()
            assert matching_started.wait(10), "the password's derivation had not started"
            return derive(password)

        return deriving

    def matching(stored: str, password: str) -> bool:
        matching_started.set()
        assert unsealing_started.wait(10), "the key's derivation had not started"
        return matches(stored, password)

    monkeypatch.setattr(keys, "derivation", unsealing)
    monkeypatch.setattr(keys, "password_matches", matching)
    assert reauthenticate(store, admin, PASSWORD) == admin
    assert session_user(store) == admin
    assert checkpoint(store, "idle_lock") is True  # the key kept signs


def test_no_worker_thread_imports_anything(
    admin_store: tuple[Store, User], protocol: LoadedProtocol, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Once PySide6 is loaded, every import statement goes through its import hook, which is not
    safe off the main thread (a worker's imports crashed a test process later, on its main
    thread): the key's derivation on its worker thread executes none, right password or wrong,
    and neither do the export's nor the verifier's threads."""
    import builtins

    from desktop_app.export.bundle import write_bundle
    from desktop_app.export.verify import verify_bundle

    store, admin = admin_store
    real = builtins.__import__
    off_main: list[str] = []

    def importing(name: str, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():
            off_main.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", importing)
    with pytest.raises(WrongCredentialsError):
        reauthenticate(store, admin, "not the password")
    assert reauthenticate(store, admin, PASSWORD) == admin
    # The export's threads (the key's derivation, the packer) and the verifier's alike.
    write_bundle(store, protocol, admin, PASSWORD, tmp_path / "bundle.zip")
    assert verify_bundle(tmp_path / "bundle.zip").exit_code == 3  # valid; no trusted keys given
    assert off_main == []


def test_a_sealed_key_that_cannot_open_never_hides_a_wrong_password_and_is_refused(
    admin_store: tuple[Store, User],
) -> None:
    """Broken key parameters: a wrong password still counts as one (and is recorded); the right
    one is refused as an account changed outside Eligo, recorded too, with no session key."""
    store, admin = admin_store
    store.db.execute("UPDATE user_keys SET kdf = '{}' WHERE user_id = ?", [admin.id])
    with pytest.raises(WrongCredentialsError, match="Wrong password"):
        reauthenticate(store, admin, "not the password")
    failed = store.db.execute(
        "SELECT failed_logins FROM users WHERE id = ?", [admin.id]
    ).fetchone()[0]
    assert failed == 1
    assert _last_user_event(store) == ("login_failed", "cp.admin", {"attempt": 1})
    with pytest.raises(AuthenticationError, match="signing key does not open"):
        reauthenticate(store, admin, PASSWORD)
    refused = ("login_refused", "cp.admin", {"reason": "signing key does not open"})
    assert _last_user_event(store) == refused
    assert session_user(store) is None


def test_an_export_refuses_a_store_that_fails_the_check(
    tmp_path: Path, protocol: LoadedProtocol
) -> None:
    from desktop_app.export.bundle import write_bundle
    from desktop_app.store import get_account
    from desktop_app.store.demo import fill_demo

    folder = tmp_path / "demo"
    with open_test_store(folder) as store:
        fill_demo(store, protocol)
    conn = raw_connect(folder / "eligo.db")
    conn.execute("UPDATE screenings SET determination = 'eligible', failing = '' WHERE id = 19")
    conn.commit()
    conn.close()
    out = tmp_path / "bundle.zip"
    with open_test_store(folder) as store:
        user = get_account(store, "demo.coordinator")
        with pytest.raises(
            StoreTamperedError, match=r"refused: this store fails its check"
        ) as caught:
            write_bundle(store, protocol, user, "demo-coordinator-2019", out)
        assert "db check" in str(caught.value)
        assert "DEMO-0019/1 determination" in str(caught.value)
    assert not out.exists()


def test_relative_data_directories_work_on_the_command_line_and_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert main(["demo", "--data-dir", "d1"]) == 0
    assert main(["db", "check", "--data-dir", "d1", *as_demo_admin()]) == 0
    assert str(tmp_path / "d1" / "eligo.db") in capsys.readouterr().out
    assert main(["export-key", "--out", "admin.pub", "--data-dir", "d1", *as_demo_admin()]) == 0
    assert (tmp_path / "admin.pub").exists()
    monkeypatch.setenv(ENV_VAR, "d1")
    assert main(["db", "check", *as_demo_admin()]) == 0
    assert main(["export-key", "--out", "admin2.pub", *as_demo_admin()]) == 0
    assert main(["print", "summary", "DEMO-0001", "--out", "s.pdf", *as_demo_admin()]) == 0
    assert (tmp_path / "s.pdf").stat().st_size > 0


def test_a_session_key_retired_by_a_reset_signs_nothing_more(
    admin_store: tuple[Store, User],
) -> None:
    from desktop_app.store.accounts import reset_password

    store, admin = admin_store
    authenticate(store, "cp.admin", PASSWORD)
    other = create_account(store, admin, username="cp.admin2", full_name="Second Admin",
                           roles=["administrator"], password="second admin 1")  # fmt: skip
    reset_password(store, other, "cp.admin", "a new password 1")  # by the second administrator
    assert checkpoint(store, "idle_lock") is False
    assert session_user(store) is None
    report = check.check(store.data_dir, key_of(store.data_dir))
    assert report.ok, report.lines()


def test_a_trusted_keys_site_changed_in_the_table_is_named(admin_store: tuple[Store, User]) -> None:
    """A key trusted for one site, moved to another in the table, would let that site's bundles
    in: the replay gives the site its import event recorded."""
    from desktop_app.export.keys import public_key_file
    from desktop_app.store.trusted_keys import import_trusted_keys

    store, admin = admin_store
    data, fingerprint = public_key_file(store, admin)
    import_trusted_keys(store, admin, data)
    assert check.check(store.data_dir, key_of(store.data_dir)).ok
    store.db.execute("UPDATE trusted_keys SET site_code = 'OTHER'")
    report = check.check(store.data_dir, key_of(store.data_dir))
    assert f"DIVERGES trusted_keys '{fingerprint}' site_code" in "\n".join(report.lines())


def test_an_attempt_under_a_protocol_version_not_carried_is_noted_not_failed(
    admin_store: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    """A store from a version of Eligo with another protocol file: its attempts' determinations
    cannot be computed again here, which db check says; it does not call them changed."""
    from helpers import ELIGIBLE

    from desktop_app.paths import default_protocol_path
    from desktop_app.rules import evaluate, parse_protocol
    from desktop_app.store import register_candidate, save_answers, start_screening

    store, admin = admin_store
    document = json.loads(default_protocol_path().read_text(encoding="utf-8"))
    document["metadata"]["protocol_version"] = "0.9"
    older = parse_protocol(json.dumps(document))
    assert older.sha256 != protocol.sha256
    coordinator = create_account(store, admin, username="cp.coord", full_name="CP Coordinator",
                                 roles=["coordinator"], password="coordinator pw 1")  # fmt: skip
    candidate = register_candidate(store, coordinator, initials="AB")
    screening = start_screening(store, coordinator, candidate.id, older)
    save_answers(
        store, coordinator, screening.id, ELIGIBLE, determination=evaluate(older, ELIGIBLE)
    )
    report = check.check(store.data_dir, key_of(store.data_dir))
    assert report.ok, report.lines()
    assert f"1 attempt(s) under protocol version {older.sha256[:12]}" in "\n".join(report.lines())


def test_a_backup_from_the_command_line_holds_a_head_signed_by_its_user(
    admin_store: tuple[Store, User], capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue #14: every backup holds a signed head; `db backup` signs in as --user, whose key signs it.
    store, _ = admin_store
    folder = store.data_dir
    store.close()
    assert main(["db", "backup", "--data-dir", str(folder), *as_user("cp.admin", PASSWORD)]) == 0
    written = Path(capsys.readouterr().out.split("backup written: ", 1)[1].strip())
    conn = raw_connect(written)
    action, username, new = conn.execute(
        "SELECT action, username, new_value FROM audit ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    conn.close()
    assert (action, username, json.loads(new)["occasion"]) == ("checkpoint", "cp.admin", "backup")


def test_an_export_a_signature_and_a_password_change_derive_the_key_once(
    admin_store: tuple[Store, User], protocol: LoadedProtocol, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The password's check opens the signing key (reauthenticated_key) and the action signs or
    reseals with that key: one derivation of each kind per action (the export and a signature
    derived the key's a second time, about 35 ms of argon2id each)."""
    from desktop_app.export.bundle import write_bundle
    from desktop_app.store import keys
    from desktop_app.store.accounts import change_password
    from desktop_app.store.signatures import sign_screening

    store, admin = admin_store
    derived: list[str] = []
    derivation, matches = keys.derivation, keys.password_matches

    def counted(sealed: keys.SealedKey) -> Any:
        derive = derivation(sealed)

        def deriving(password: str) -> bytes:
            derived.append("key")
            return derive(password)

        return deriving

    def matching(stored: str, password: str) -> bool:
        derived.append("password")
        return matches(stored, password)

    monkeypatch.setattr(keys, "derivation", counted)
    monkeypatch.setattr(keys, "password_matches", matching)
    write_bundle(store, protocol, admin, PASSWORD, tmp_path / "bundle.zip")
    assert sorted(derived) == ["key", "password"]
    coordinator = create_account(store, admin, username="cp.coordinator",
                                 full_name="CP Coordinator", roles=["coordinator"],
                                 password=PASSWORD)  # fmt: skip
    screening = screened(store, coordinator, protocol)
    derived.clear()
    sign_screening(store, coordinator, screening, PASSWORD)
    assert sorted(derived) == ["key", "password"]
    derived.clear()
    change_password(store, admin, PASSWORD, "a new long password")
    assert sorted(derived) == ["key", "password"]
