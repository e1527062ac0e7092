"""The store encrypted at rest: SQLCipher with a random data key, key slots per user and for the
recovery key, lockout recorded in the key file, re-key, and least privilege on disk."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import (
    DEMO_ADMIN_PASSWORD,
    TEST_PASSWORD,
    add_user,
    as_demo_admin,
    as_user,
    screened,
)

from desktop_app.cli import main
from desktop_app.rules import LoadedProtocol
from desktop_app.store import access, check, keys, keyslots
from desktop_app.store.accounts import (
    AuthenticationError,
    WrongCredentialsError,
    change_password,
    deactivate_account,
    reactivate_account,
    reset_password,
)
from desktop_app.store.backup import backup, check_file
from desktop_app.store.connection import raw_connection
from desktop_app.store.database import DatabaseError, is_plaintext
from desktop_app.store.location import DB_NAME, KEYS_NAME


def site(folder: Path) -> access.Setup:
    return access.set_up_site(folder, code="PUMCH", name="Peking Union Medical College Hospital",
                              principal_investigator="Dr. Zhang", username="admin",
                              full_name="Li Admin", password=TEST_PASSWORD)  # fmt: skip


def opens(path: Path, key: bytes) -> bool:
    try:
        raw_connection(path, key, read_only=True).close()
    except DatabaseError:
        return False
    return True


# ---------------------------------------------------------------- the file and its key


def test_a_new_site_is_an_encrypted_file_opened_through_a_slot(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    setup = site(folder)
    setup.store.close()
    assert not is_plaintext(folder / DB_NAME)
    assert (folder / DB_NAME).read_bytes()[:16] != b"SQLite format 3\x00"
    signed = access.sign_in(folder, "admin", TEST_PASSWORD)
    with signed.store as store:
        assert signed.user.username == "admin"
        assert store.db.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
        # sqlite-utils works on the SQLCipher connection
        assert "users" in store.db.table_names()
        assert store.db["users"].count == 1
    with pytest.raises(DatabaseError):
        raw_connection(folder / DB_NAME, None, read_only=True)  # without the key: nothing


def test_slots_use_the_password_parameters_of_production(tmp_path: Path) -> None:
    """The suite runs with the production argon2id parameters throughout; this pins them."""
    folder = tmp_path / "data"
    site(folder).store.close()
    slot = next(s for s in keyslots.read(folder).slots if s.kind == "password")
    assert (slot.kdf["m"], slot.kdf["t"], slot.kdf["p"]) == (19_456, 2, 1)
    assert (keys.ARGON2_MEMORY_KIB, keys.ARGON2_TIME_COST, keys.ARGON2_PARALLELISM) == (
        19_456,
        2,
        1,
    )
    assert len(bytes.fromhex(slot.kdf["salt"])) == 16


def test_the_key_file_holds_nothing_secret(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with site(folder).store as store:
        add_user(store, "zhang.private")
    text = (folder / KEYS_NAME).read_text(encoding="utf-8")
    assert "zhang.private" not in text  # usernames only as salted labels
    assert TEST_PASSWORD not in text
    data = json.loads(text)
    assert data["site"] == {"code": "PUMCH", "name": "Peking Union Medical College Hospital", "is_demo": False}  # fmt: skip
    assert sorted(s["kind"] for s in data["slots"]) == ["password", "password", "recovery"]


# ---------------------------------------------------------------- sign-in and lockout


def test_a_wrong_password_opens_nothing_and_says_the_same_as_an_unknown_user(tmp_path: Path) -> None:  # fmt: skip
    folder = tmp_path / "data"
    site(folder).store.close()
    messages = []
    for username, password in (("admin", "not the password"), ("nobody.here", TEST_PASSWORD)):
        with pytest.raises(WrongCredentialsError) as info:
            access.sign_in(folder, username, password)
        messages.append(str(info.value))
    assert messages == ["Wrong username or password."] * 2


def test_five_wrong_passwords_lock_the_account_and_the_audit_trail_gets_them(tmp_path: Path) -> None:  # fmt: skip
    folder = tmp_path / "data"
    site(folder).store.close()
    for _ in range(4):
        with pytest.raises(WrongCredentialsError):
            access.unlock(folder, "admin", "wrong password")
    with pytest.raises(AuthenticationError, match="locked for 15 minutes"):
        access.unlock(folder, "admin", "wrong password")
    with pytest.raises(AuthenticationError, match="locked until"):
        access.unlock(folder, "admin", TEST_PASSWORD)  # even the right password, for now
    # Once the lock has passed, the next sign-in records the attempts in the audit trail.
    sidecar = keyslots.read(folder)
    sidecar.attempts["locked"] = {}
    keyslots.save(folder, sidecar)
    signed = access.sign_in(folder, "admin", TEST_PASSWORD)
    with signed.store as store:
        assert signed.warning is None
        rows = store.db.execute(
            "SELECT entity_id, new_value FROM audit WHERE action = 'login_failed'"
        ).fetchall()
    assert len(rows) == 1
    assert rows[0][0] == "admin"
    assert json.loads(rows[0][1])["attempts"] == 5


def test_rolling_the_key_file_back_is_detected_at_the_next_sign_in(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    site(folder).store.close()
    before = (folder / KEYS_NAME).read_bytes()
    with pytest.raises(WrongCredentialsError):
        access.unlock(folder, "admin", "wrong password")
    access.sign_in(folder, "admin", TEST_PASSWORD).store.close()  # settles serial 1
    (folder / KEYS_NAME).write_bytes(before)  # an old copy: its record of attempts is behind
    signed = access.sign_in(folder, "admin", TEST_PASSWORD)
    with signed.store as store:
        assert signed.warning == "the key file's record of sign-in attempts was rolled back"
        assert (
            store.db.execute(
                "SELECT count(*) FROM audit WHERE action = 'key_file_changed'"
            ).fetchone()[0]
            == 1
        )


def _reset_attempts_in_the_key_file(folder: Path) -> None:
    """What someone who can write the data folder does to hide guesses or escape a lockout: the
    unauthenticated attempts of the key file put back to nothing, by editing the file."""
    data = json.loads((folder / KEYS_NAME).read_text(encoding="utf-8"))
    data["attempts"] = {
        "serial": data["settled_serial"],
        "failed": {},
        "locked": {},
        "unsettled": {},
    }
    (folder / KEYS_NAME).write_text(json.dumps(data), encoding="utf-8")


def test_attempts_wiped_from_the_key_file_are_seen_and_still_recorded(tmp_path: Path) -> None:
    # Issue #15: the lockout state cannot be reset by editing the key file without detection:
    # this computer keeps its own copy of the attempts, outside the data folder.
    folder = tmp_path / "data"
    site(folder).store.close()
    for _ in range(3):
        with pytest.raises(WrongCredentialsError):
            access.unlock(folder, "admin", "wrong password")
    _reset_attempts_in_the_key_file(folder)
    signed = access.sign_in(folder, "admin", TEST_PASSWORD)
    with signed.store as store:
        assert signed.warning is not None
        assert (
            "reset outside Eligo (this computer counted 3 attempts, the key file 0)"
            in signed.warning
        )
        failed = store.db.execute(
            "SELECT entity_id, new_value FROM audit WHERE action = 'login_failed'"
        ).fetchall()
        changed = store.db.execute(
            "SELECT count(*) FROM audit WHERE action = 'key_file_changed'"
        ).fetchone()[0]
    assert [(who, json.loads(new)["attempts"]) for who, new in failed] == [("admin", 3)]
    assert changed == 1
    # Said once: the next sign-in finds the key file and this computer's copy in step again.
    again = access.sign_in(folder, "admin", TEST_PASSWORD)
    again.store.close()
    assert again.warning is None
    assert check.check(folder, access.unlock(folder, "admin", TEST_PASSWORD).key).ok


def test_a_lockout_holds_when_the_key_file_is_reset(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    site(folder).store.close()
    for _ in range(4):
        with pytest.raises(WrongCredentialsError):
            access.unlock(folder, "admin", "wrong password")
    with pytest.raises(AuthenticationError, match="locked for 15 minutes"):
        access.unlock(folder, "admin", "wrong password")
    _reset_attempts_in_the_key_file(folder)
    with pytest.raises(AuthenticationError, match="locked until"):
        access.unlock(folder, "admin", TEST_PASSWORD)


def test_a_new_store_in_the_same_folder_and_a_missing_copy_raise_no_alarm(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    site(folder).store.close()
    with pytest.raises(WrongCredentialsError):
        access.unlock(folder, "admin", "wrong password")
    access.sign_in(folder, "admin", TEST_PASSWORD).store.close()
    shutil.rmtree(folder)  # a fresh store where the old one was: its own attempts, none yet
    site(folder).store.close()
    fresh = access.sign_in(folder, "admin", TEST_PASSWORD)
    fresh.store.close()
    assert fresh.warning is None
    keyslots.mirror_path(folder).unlink()  # another computer user, a new profile: no copy
    with pytest.raises(WrongCredentialsError):
        access.unlock(folder, "admin", "wrong password")
    later = access.sign_in(folder, "admin", TEST_PASSWORD)
    later.store.close()
    assert later.warning is None


def test_editing_the_authenticated_part_of_the_key_file_is_detected(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    site(folder).store.close()
    data = json.loads((folder / KEYS_NAME).read_text(encoding="utf-8"))
    data["site"]["name"] = "Somewhere else"
    (folder / KEYS_NAME).write_text(json.dumps(data), encoding="utf-8")
    signed = access.sign_in(folder, "admin", TEST_PASSWORD)
    signed.store.close()
    assert signed.warning is not None
    assert "changed outside Eligo" in signed.warning


# ---------------------------------------------------------------- slots follow the accounts


def test_slots_follow_account_changes(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    setup = site(folder)
    with setup.store as store:
        admin = setup.admin
        user = add_user(store, "li.na")
        assert access.unlock(folder, "li.na", TEST_PASSWORD).key == store.keyring.key  # type: ignore[union-attr]
        change_password(store, user, TEST_PASSWORD, "a new password 1")
        with pytest.raises(WrongCredentialsError):
            access.unlock(folder, "li.na", TEST_PASSWORD)
        access.unlock(folder, "li.na", "a new password 1")
        reset_password(store, admin, "li.na", "reset password 22")
        with pytest.raises(WrongCredentialsError):
            access.unlock(folder, "li.na", "a new password 1")
        access.unlock(folder, "li.na", "reset password 22")
        deactivate_account(store, admin, "li.na")
        with pytest.raises(AuthenticationError, match="deactivated"):
            access.unlock(folder, "li.na", "reset password 22")
        reactivate_account(store, admin, "li.na")
        access.unlock(folder, "li.na", "reset password 22")
    labels = [s.label for s in keyslots.read(folder).slots]
    assert len(labels) == 3  # the administrator, li.na (one slot), the recovery key


def test_an_account_that_is_not_saved_leaves_no_slot(tmp_path: Path) -> None:
    from desktop_app.store import BadInputError, create_account

    folder = tmp_path / "data"
    setup = site(folder)
    with setup.store as store:
        before = len(keyslots.read(folder).slots)
        with pytest.raises(BadInputError):
            create_account(store, setup.admin, username="admin", full_name="Again",
                           roles=["coordinator"], password="another password")  # fmt: skip
        assert len(keyslots.read(folder).slots) == before


# ---------------------------------------------------------------- recovery and re-key


def test_the_recovery_key_resets_an_administrators_password(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    setup = site(folder)
    setup.store.close()
    code = setup.recovery_code
    assert len(code.split("-")) == 7
    with pytest.raises(AuthenticationError):
        access.recover(folder, "0000-0000-0000-0000-0000-0000-0000", "admin", "new admin password")  # fmt: skip
    spoken = code.lower().replace("-", " ")  # typed back from the sheet, in any case and spacing
    signed = access.recover(folder, spoken, "admin", "new admin password")
    signed.store.close()
    assert signed.user.username == "admin"
    access.sign_in(folder, "admin", "new admin password").store.close()
    with pytest.raises(WrongCredentialsError):
        access.unlock(folder, "admin", TEST_PASSWORD)


def test_recovery_codes_catch_a_mistyped_character() -> None:
    code = keyslots.new_recovery_code()
    assert keyslots.normalise_recovery_code(code) == code
    wrong = ("1" if code[0] != "1" else "2") + code[1:]
    assert keyslots.normalise_recovery_code(wrong) is None


def test_rekey_new_key_old_backups_keep_their_slots(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    setup = site(folder)
    with setup.store as store:
        add_user(store, "li.na")
        old_key = store.keyring.key  # type: ignore[union-attr]
        old_backup = backup(store, reason="manual")
        dropped = access.rekey(store, setup.admin)
        assert dropped == 0
        new_key = store.keyring.key  # type: ignore[union-attr]
        assert new_key != old_key
        add_user(store, "after.rekey")
    assert not opens(folder / DB_NAME, old_key)  # the old key opens nothing written after it
    assert opens(folder / DB_NAME, new_key)
    assert access.unlock(folder, "li.na", TEST_PASSWORD).key == new_key  # every slot rewritten
    # The backup from before keeps its key and its key file: restored with the slots of its time.
    assert check_file(old_backup, old_key) is None
    assert (
        main(["db", "restore", str(old_backup), "--data-dir", str(folder), *as_user("li.na")]) == 0
    )
    signed = access.sign_in(folder, "li.na", TEST_PASSWORD)
    with signed.store as store:
        assert [r[0] for r in store.db.execute("SELECT username FROM users")] == [
            "admin",
            "li.na",
        ]


def test_an_interrupted_rekey_opens_with_whichever_key_the_database_has(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    setup = site(folder)
    with setup.store as store:
        ring = store.keyring
        assert ring is not None
        new_key = keyslots.new_data_key()
        ring.prepare_rekey(new_key)  # step 1 done; killed before the database was re-keyed
    access.sign_in(folder, "admin", TEST_PASSWORD).store.close()
    assert keyslots.read(folder).pending is None
    with access.sign_in(folder, "admin", TEST_PASSWORD).store as store:
        ring = store.keyring
        assert ring is not None
        new_key = keyslots.new_data_key()
        ring.prepare_rekey(new_key)
        store.db.conn.execute(
            keyslots.raw_key_pragma(new_key).replace("PRAGMA key", "PRAGMA rekey")
        )
        # killed before the key file was told
    with access.sign_in(folder, "admin", TEST_PASSWORD).store as store:
        assert store.keyring is not None
        assert store.keyring.key == new_key


# ---------------------------------------------------------------- least privilege on disk


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_every_file_is_private(tmp_path: Path, protocol: LoadedProtocol) -> None:
    folder = tmp_path / "data"
    setup = site(folder)
    with setup.store as store:
        add_user(store, "li.na")
        backup(store)
        assert (folder / f"{DB_NAME}-wal").exists()
        assert (folder / f"{DB_NAME}-shm").exists()
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for path in folder.rglob("*"):
            expected = 0o700 if path.is_dir() else 0o600
            assert stat.S_IMODE(path.stat().st_mode) == expected, path


# ---------------------------------------------------------------- no identifier in the bytes


def identifiers(data: Path) -> tuple[set[str], set[str]]:
    """The DEMO store's (direct identifiers and passwords, staff and site names), read through
    its key."""
    from desktop_app.store.demo import DEMO_ACCOUNTS, DEMO_SITE

    key = access.unlock(data, "demo.admin", DEMO_ADMIN_PASSWORD).key
    conn = raw_connection(data / DB_NAME, key, read_only=True)
    try:
        direct = set()
        for dob, local in conn.execute("SELECT date_of_birth, local_identifiers FROM candidates"):
            if dob:
                direct.add(dob)
            direct.update(str(v) for v in json.loads(local).values())
        names = {str(r[0]) for r in conn.execute("SELECT full_name FROM users")}
    finally:
        conn.close()
    direct.update(p for *_, p in DEMO_ACCOUNTS)
    names.update([DEMO_SITE["name"], DEMO_SITE["principal_investigator"], "Wal Writer"])
    return direct, names


def test_no_identifier_in_the_raw_bytes_of_database_wal_backups_or_export_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app import files
    from desktop_app.store import create_account

    data = tmp_path / "data"
    assert main(["demo", "--data-dir", str(data)]) == 0
    direct, names = identifiers(data)
    assert sum(s.startswith("DEMO-MRN-") for s in direct) > 30  # one per candidate
    written: dict[str, bytes] = {}
    real_replace = os.replace

    def keep_bytes(source: object, target: object) -> None:  # an export's temporary files
        written[str(source)] = Path(str(source)).read_bytes()
        mode = stat.S_IMODE(os.stat(str(source)).st_mode)
        assert sys.platform == "win32" or mode == 0o600, (source, oct(mode))
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(files.os, "replace", keep_bytes)
    password = tmp_path / "pw"
    password.write_text("demo-coordinator-2019", encoding="utf-8")
    assert main(["export", "--out", str(tmp_path / "b.zip"), "--user", "demo.coordinator",
                 "--password-file", str(password), "--data-dir", str(data)]) == 0  # fmt: skip
    assert main(["db", "backup", "--data-dir", str(data), *as_demo_admin()]) == 0
    assert any(name.endswith(".partial") for name in written)
    signed = access.sign_in(data, "demo.admin", DEMO_ADMIN_PASSWORD)
    with signed.store as store:  # open: the WAL holds this sign-in's pages and a new account
        create_account(store, signed.user, username="wal.writer", full_name="Wal Writer",
                       roles=["coordinator"], password=TEST_PASSWORD)  # fmt: skip
        stored = [data / DB_NAME, data / f"{DB_NAME}-wal", *sorted((data / "backups").glob("*.db"))]  # fmt: skip
        assert (data / f"{DB_NAME}-wal").stat().st_size > 0
        contents = {str(p): (p.read_bytes(), direct | names) for p in stored}
    # The bundle names its site and signers by design; no direct identifier, no password.
    contents.update({name: (raw, direct) for name, raw in written.items()})
    for name, (raw, secrets_) in contents.items():
        for secret in secrets_:
            for encoded in (secret.encode("utf-8"), secret.encode("utf-16-le")):
                assert encoded not in raw, (name, secret)


# ---------------------------------------------------------------- the command line


def test_the_command_line_signs_in_and_says_one_sentence_for_any_wrong_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["demo", "--data-dir", str(data)]) == 0
    capsys.readouterr()
    assert main(["db", "check", "--data-dir", str(data)]) == 2
    assert "--user" in capsys.readouterr().err
    errors = []
    for args in (
        as_user("demo.admin", "wrong password"),
        as_user("no.such.user", "wrong password"),
    ):
        assert main(["db", "backup", "--data-dir", str(data), *args]) == 2
        errors.append(capsys.readouterr().err)
    assert errors[0] == errors[1] == "Wrong username or password.\n"
    assert main(["db", "check", "--data-dir", str(data), *as_demo_admin()]) == 0
    sidecar = json.loads((data / KEYS_NAME).read_text(encoding="utf-8"))
    sidecar["site"]["name"] = "edited"
    (data / KEYS_NAME).write_text(json.dumps(sidecar), encoding="utf-8")
    capsys.readouterr()
    assert main(["db", "check", "--data-dir", str(data), *as_demo_admin()]) == 1
    assert "key file: the key file was changed outside Eligo" in capsys.readouterr().out


def test_recovery_key_file_opens_for_db_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    folder = tmp_path / "data"
    setup = site(folder)
    setup.store.close()
    code_file = tmp_path / "recovery.txt"
    code_file.write_text(setup.recovery_code + "\n", encoding="utf-8")
    assert main(["db", "check", "--data-dir", str(folder), "--recovery-key-file", str(code_file)]) == 0  # fmt: skip
    assert "OK" in capsys.readouterr().out
    new_password = tmp_path / "new.txt"
    new_password.write_text("brand new password\n", encoding="utf-8")
    assert main(["db", "recover", "--data-dir", str(folder), "--recovery-key-file", str(code_file),
                 "--admin", "admin", "--new-password-file", str(new_password)]) == 0  # fmt: skip
    access.sign_in(folder, "admin", "brand new password").store.close()


# ---------------------------------------------------------------- roles


ROLE_TABLE = {
    # role: (screens, signs eligibility, manages accounts, exports the signed bundle, verifies)
    "administrator": (False, False, True, True, True),
    "coordinator": (True, False, False, True, True),
    "investigator": (True, True, False, True, True),
    "monitor": (False, False, False, False, True),
}


@pytest.mark.parametrize("role", list(ROLE_TABLE))
def test_the_readme_role_table(tmp_path: Path, protocol: LoadedProtocol, role: str) -> None:
    """Walks the README's table: each role may do what it says, and is refused the rest."""
    from desktop_app.export.bundle import write_bundle
    from desktop_app.export.verify import verify_bundle
    from desktop_app.store import create_account, register_candidate
    from desktop_app.store.signatures import meaning_for, sign_screening

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    screens, signs, manages, exports, verifies = ROLE_TABLE[role]
    marks = " | ".join("yes" if v else "no" for v in ROLE_TABLE[role])
    assert f"| {role} | {marks} |" in readme
    folder = tmp_path / "data"
    setup = site(folder)
    with setup.store as store:
        coordinator = add_user(store, "a.coordinator")
        sid = screened(store, coordinator, protocol)
        user = (
            add_user(store, f"the.{role}", roles=(role,))
            if role != "administrator"
            else setup.admin
        )
        did_screen = _allowed(lambda: register_candidate(store, user, initials="AB"))
        assert did_screen == screens
        did_sign = _allowed(lambda: sign_screening(store, user, sid, TEST_PASSWORD))
        assert (did_sign and meaning_for(user) == "eligibility_confirmed") == signs, meaning_for(
            user
        )
        did_manage = _allowed(lambda: create_account(store, user, username=f"made.by.{role[:5]}",
                              full_name="X", roles=["coordinator"], password=TEST_PASSWORD))  # fmt: skip
        assert did_manage == manages
        out = tmp_path / "bundle.zip"
        did_export = _allowed(lambda: write_bundle(store, protocol, user, TEST_PASSWORD, out))
        assert did_export == exports
        bundle = out
        if not exports:
            bundle = tmp_path / "other.zip"
            write_bundle(store, protocol, coordinator, TEST_PASSWORD, bundle)
        # anyone verifies, offline (3: valid, the signer not checked against a trust list)
        assert (verify_bundle(bundle, None).exit_code == 3) == verifies


def _allowed(action: Callable[[], object]) -> bool:
    from desktop_app.store import PermissionDeniedError

    try:
        action()
    except PermissionDeniedError:
        return False
    return True


def test_signing_in_does_not_wait_for_the_open_time_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large store's check runs behind the window; the sign-in's own audit events wait for it
    and still come before any other write."""
    import time

    from desktop_app.store import database

    folder = tmp_path / "data"
    site(folder).store.close()
    real = database.open_problem

    def slow(db: object) -> str | None:
        time.sleep(0.6)
        return real(db)  # type: ignore[arg-type]

    monkeypatch.setattr(database, "open_problem", slow)
    unlocked = access.unlock(folder, "admin", TEST_PASSWORD)
    started = time.perf_counter()
    signed = access.open_signed_in(folder, unlocked, "admin", TEST_PASSWORD, check_in_background=True)  # fmt: skip
    assert time.perf_counter() - started < 0.5
    with signed.store as store:
        assert not store.check_status()[0]
        add_user(store, "after.sign.in")  # waits for the check, then the sign-in is recorded first
        actions = [r[0] for r in store.db.execute("SELECT action FROM audit ORDER BY seq")]
    mine = [a for a in actions if a in ("login_succeeded", "account_created")]
    assert mine[-2:] == ["login_succeeded", "account_created"]
