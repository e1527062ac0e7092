"""Signed checkpoints, the session key, exports refused on a tampered store, relative folders."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.rules import LoadedProtocol
from desktop_app.store import AuthenticationError, Store, User, check, open_store
from desktop_app.store.accounts import authenticate, create_account, reauthenticate
from desktop_app.store.checkpoints import checkpoint, end_session, session_user
from desktop_app.store.keys import hash_password
from desktop_app.store.location import ENV_VAR
from desktop_app.store.replay import StoreTamperedError

PASSWORD = "admin password 1"


@pytest.fixture
def admin_store(tmp_path: Path) -> tuple[Store, User]:
    from desktop_app.store import create_site

    store = open_store(tmp_path / "data")
    create_site(store, None, code="CP", name="Checkpoint site", principal_investigator="PI")
    admin = create_account(store, None, username="cp.admin", full_name="CP Admin",
                           roles=["administrator"], password=PASSWORD)  # fmt: skip
    yield store, admin
    store.close()


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
    report = check.check(store.data_dir)
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


def test_an_export_refuses_a_store_that_fails_the_check(
    tmp_path: Path, protocol: LoadedProtocol
) -> None:
    from desktop_app.export.bundle import write_bundle
    from desktop_app.store import get_account
    from desktop_app.store.demo import fill_demo

    folder = tmp_path / "demo"
    with open_store(folder) as store:
        fill_demo(store, protocol)
    conn = sqlite3.connect(folder / "eligo.db")
    # An ineligible screening made to read eligible (which one depends on the DEMO's order).
    sid, number = conn.execute(
        "SELECT s.id, c.screening_number FROM screenings s JOIN candidates c ON c.id = s.candidate_id "
        "WHERE s.determination = 'ineligible' ORDER BY s.id LIMIT 1"
    ).fetchone()
    conn.execute(
        "UPDATE screenings SET determination = 'eligible', failing = '' WHERE id = ?", [sid]
    )
    conn.commit()
    conn.close()
    out = tmp_path / "bundle.zip"
    with open_store(folder) as store:
        user = get_account(store, "demo.coordinator")
        with pytest.raises(
            StoreTamperedError, match=r"refused: this store fails its check"
        ) as caught:
            write_bundle(store, protocol, user, "demo-coordinator-2019", out)
        assert "db check" in str(caught.value)
        assert f"{number}/1 determination" in str(caught.value)
    assert not out.exists()


def test_relative_data_directories_work_on_the_command_line_and_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert main(["demo", "--data-dir", "d1"]) == 0
    assert main(["db", "check", "--data-dir", "d1"]) == 0
    assert str(tmp_path / "d1" / "eligo.db") in capsys.readouterr().out
    assert (
        main(["export-key", "--user", "demo.admin", "--out", "admin.pub", "--data-dir", "d1"]) == 0
    )
    assert (tmp_path / "admin.pub").exists()
    monkeypatch.setenv(ENV_VAR, "d1")
    assert main(["db", "check"]) == 0
    assert main(["export-key", "--user", "demo.admin", "--out", "admin2.pub"]) == 0
    assert main(["print", "summary", "DEMO-0001", "--out", "s.pdf"]) == 0
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
    report = check.check(store.data_dir)
    assert report.ok, report.lines()
