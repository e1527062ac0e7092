"""Accounts: first administrator, roles, password rules, lockout, deactivation, keys at rest."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FixedClock
from helpers import TEST_PASSWORD, add_user, open_test_store

from desktop_app.store import (
    AuthenticationError,
    BadInputError,
    PermissionDeniedError,
    Store,
    authenticate,
    create_account,
)
from desktop_app.store.accounts import (
    active_key,
    change_password,
    deactivate_account,
    idle_minutes,
    keys_of,
    locked_accounts,
    reactivate_account,
    reauthenticate,
    reset_password,
    set_idle_minutes,
    set_roles,
)
from desktop_app.store.keys import unseal


def audit_actions(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT action FROM audit ORDER BY seq")]


def test_the_first_account_must_be_an_administrator(store: Store) -> None:
    with pytest.raises(BadInputError, match="first account must be an administrator"):
        create_account(
            store,
            None,
            username="coord",
            full_name="C",
            roles=["coordinator"],
            password=TEST_PASSWORD,
        )
    admin = create_account(
        store,
        None,
        username="admin",
        full_name="A",
        roles=["administrator"],
        password=TEST_PASSWORD,
    )
    with pytest.raises(PermissionDeniedError):  # no second self-made account
        create_account(
            store,
            None,
            username="other",
            full_name="O",
            roles=["administrator"],
            password=TEST_PASSWORD,
        )
    coordinator = add_user(store, "coordinator")
    with pytest.raises(PermissionDeniedError, match="administrator role"):
        create_account(
            store,
            coordinator,
            username="x.y",
            full_name="X",
            roles=["monitor"],
            password=TEST_PASSWORD,
        )
    assert admin.roles == ("administrator",)


@pytest.mark.parametrize(
    ("username", "password", "field", "words"),
    [
        ("jane.doe", "short", "password", "at least 10"),
        ("jane.doe.smith", "JANE.DOE.SMITH", "password", "not be the username"),
        ("Jane Doe", TEST_PASSWORD, "username", "lower-case"),
    ],
)
def test_password_and_username_rules(
    store: Store, username: str, password: str, field: str, words: str
) -> None:
    with pytest.raises(BadInputError) as info:
        create_account(
            store,
            None,
            username=username,
            full_name="Jane",
            roles=["administrator"],
            password=password,
        )
    assert info.value.field == field
    assert words in info.value.problem


def test_usernames_are_never_reused_and_accounts_never_deleted(store: Store) -> None:
    admin = add_user(store, "admin", roles=("administrator",))
    user = add_user(store, "leaver")
    deactivate_account(store, admin, "leaver")
    with pytest.raises(AuthenticationError, match="deactivated"):
        authenticate(store, "leaver", TEST_PASSWORD)
    with pytest.raises(BadInputError, match="never reused"):
        add_user(store, "leaver")
    from sqlcipher3 import dbapi2 as sqlite3

    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        store.db.execute("DELETE FROM users WHERE id = ?", [user.id])


def test_roles_can_combine_and_change(store: Store) -> None:
    admin = add_user(store, "admin", roles=("administrator",))
    both = add_user(store, "both", roles=("coordinator", "investigator"))
    assert both.roles == ("coordinator", "investigator")
    assert set_roles(store, admin, "both", ["monitor"]).roles == ("monitor",)
    with pytest.raises(BadInputError, match="roles"):
        set_roles(store, admin, "both", ["superuser"])


def test_a_deactivation_can_be_undone_by_an_administrator(store: Store) -> None:
    admin = add_user(store, "admin", roles=("administrator",))
    coordinator = add_user(store, "coordinator")
    deactivate_account(store, admin, "coordinator")
    with pytest.raises(PermissionDeniedError):
        reactivate_account(store, coordinator, "coordinator")
    back = reactivate_account(store, admin, "coordinator")
    assert back.is_active
    assert authenticate(store, "coordinator", TEST_PASSWORD).username == "coordinator"
    assert (
        active_key(store, back.id).fingerprint == keys_of(store, back.id)[0].fingerprint
    )  # same key
    with pytest.raises(BadInputError, match="already active"):
        reactivate_account(store, admin, "coordinator")
    assert audit_actions(store).count("account_reactivated") == 1


def test_the_site_always_keeps_an_active_administrator(store: Store) -> None:
    admin = add_user(store, "admin", roles=("administrator",))
    with pytest.raises(BadInputError, match="needs an active administrator"):
        set_roles(store, admin, "admin", ["coordinator"])
    deputy = add_user(store, "deputy", roles=("administrator", "investigator"))
    deactivate_account(store, admin, "deputy")
    with pytest.raises(BadInputError, match="needs an active administrator"):
        set_roles(store, admin, "admin", ["coordinator"])  # the other one is deactivated
    reactivate_account(store, admin, "deputy")
    assert set_roles(store, admin, "admin", ["coordinator"]).roles == ("coordinator",)
    with pytest.raises(BadInputError, match="needs an active administrator"):
        set_roles(store, deputy, "deputy", ["investigator"])  # now the only one


def test_locked_accounts_are_listed_with_the_time_the_lock_ends(tmp_path: Path) -> None:
    clock = FixedClock()
    with open_test_store(tmp_path, clock=clock) as store:
        add_user(store, "admin", roles=("administrator",))
        assert locked_accounts(store) == {}
        for _ in range(5):
            with pytest.raises(AuthenticationError):
                authenticate(store, "admin", "wrong password!")
        until = locked_accounts(store)["admin"]
        assert list(locked_accounts(store)) == ["admin"]
        assert timedelta(minutes=14) < until - clock.now <= timedelta(minutes=15)
        assert until.utcoffset() == clock.now.utcoffset()  # local time, to show
        clock.now += timedelta(minutes=16)
        assert locked_accounts(store) == {}


def test_lockout_after_5_failures_and_its_expiry(tmp_path: Path) -> None:
    clock = FixedClock()
    with open_test_store(tmp_path, clock=clock) as store:
        add_user(store, "admin", roles=("administrator",))
        for _ in range(4):
            with pytest.raises(AuthenticationError, match="Wrong username or password"):
                authenticate(store, "admin", "wrong password!")
        with pytest.raises(AuthenticationError, match="locked for 15 minutes"):
            authenticate(store, "admin", "wrong password!")
        with pytest.raises(AuthenticationError, match="locked until"):
            authenticate(store, "admin", TEST_PASSWORD)  # even the right password
        clock.now += timedelta(minutes=14)
        with pytest.raises(AuthenticationError, match="locked until"):
            authenticate(store, "admin", TEST_PASSWORD)
        clock.now += timedelta(minutes=2)
        assert authenticate(store, "admin", TEST_PASSWORD).username == "admin"
        actions = audit_actions(store)
        assert actions.count("login_failed") == 5
        assert actions.count("account_locked") == 1
        assert actions.count("login_refused") == 2
        assert actions[-1] == "login_succeeded"


def test_asking_the_signed_in_user_again_says_wrong_password_and_counts_towards_lockout(
    tmp_path: Path,
) -> None:
    """Signing, exporting and unlocking know the account: a wrong password is called that (the
    sign-in's "wrong username or password" hides which accounts exist), and it still counts."""
    with open_test_store(tmp_path, clock=FixedClock()) as store:
        admin = add_user(store, "admin", roles=("administrator",))
        for _ in range(4):
            with pytest.raises(AuthenticationError, match=r"^Wrong password\.$"):
                reauthenticate(store, admin, "wrong password!")
        with pytest.raises(AuthenticationError, match="locked for 15 minutes"):
            reauthenticate(store, admin, "wrong password!")
        with pytest.raises(AuthenticationError, match="locked until"):
            reauthenticate(store, admin, TEST_PASSWORD)
        assert audit_actions(store).count("login_failed") == 5


def test_a_read_only_store_signs_in_without_writing_and_still_locks_out(tmp_path: Path) -> None:
    """Another Eligo writes to the store: this one may look (read-only) after a real sign-in."""
    clock = FixedClock()
    with open_test_store(tmp_path, clock=clock) as writer:
        admin = add_user(writer, "admin", roles=("administrator",))
        add_user(writer, "coordinator")
        deactivate_account(writer, admin, "coordinator")
        events = len(audit_actions(writer))
        with open_test_store(tmp_path, read_only=True, clock=clock) as reader:
            assert authenticate(reader, "admin", TEST_PASSWORD).username == "admin"
            with pytest.raises(AuthenticationError, match="deactivated"):
                authenticate(reader, "coordinator", TEST_PASSWORD)
            for _ in range(5):
                with pytest.raises(AuthenticationError, match="Wrong username or password"):
                    authenticate(reader, "admin", "wrong password!")
            with pytest.raises(AuthenticationError, match="locked for 15 minutes"):
                authenticate(reader, "admin", TEST_PASSWORD)  # even the right password, for a while
            clock.now += timedelta(minutes=16)
            assert authenticate(reader, "admin", TEST_PASSWORD).username == "admin"
        assert len(audit_actions(writer)) == events  # nothing was written through the reader


def test_unknown_user_is_an_audited_failure(store: Store) -> None:
    add_user(store, "admin", roles=("administrator",))
    with pytest.raises(AuthenticationError, match="Wrong username or password"):
        authenticate(store, "nobody", TEST_PASSWORD)
    row = store.db.execute(
        "SELECT action, entity_id FROM audit ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert row == ("login_failed", "nobody")


def test_password_change_keeps_the_key_and_reset_retires_it(store: Store) -> None:
    admin = add_user(store, "admin", roles=("administrator",))
    user = add_user(store, "investigator", roles=("investigator",))
    before = active_key(store, user.id)
    change_password(store, user, TEST_PASSWORD, "a new long password")
    after = active_key(store, user.id)
    assert after.public_key == before.public_key  # same key pair, re-encrypted
    unseal(after.sealed, "a new long password")
    with pytest.raises(AuthenticationError):
        authenticate(store, "investigator", TEST_PASSWORD)
    reset_password(store, admin, "investigator", "reset by the admin")
    history = keys_of(store, user.id)
    assert len(history) == 2
    assert history[0].retired_at is not None  # kept, with its dates, to verify old signatures
    assert history[1].retired_at is None
    assert history[1].public_key != before.public_key
    assert authenticate(store, "investigator", "reset by the admin").id == user.id


def test_idle_lock_setting(store: Store) -> None:
    admin = add_user(store, "admin", roles=("administrator",))
    assert idle_minutes(store) == 10
    set_idle_minutes(store, admin, 3)
    assert idle_minutes(store) == 3
    with pytest.raises(BadInputError):
        set_idle_minutes(store, admin, 0)
    coordinator = add_user(store, "coordinator")
    with pytest.raises(PermissionDeniedError):
        set_idle_minutes(store, coordinator, 5)


def test_no_plaintext_password_or_private_key_in_the_database(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    data = tmp_path / "data"
    with open_test_store(data) as store:
        user = add_user(store, "admin", roles=("administrator",))
        change_password(store, user, TEST_PASSWORD, "second secret phrase")
        raw_key = unseal(active_key(store, user.id).sealed, "second secret phrase").private_bytes(
            Encoding.Raw, PrivateFormat.Raw, NoEncryption()
        )
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    files = [p for p in data.iterdir() if p.name.startswith("eligo.db")]
    content = b"".join(p.read_bytes() for p in files)
    for secret in (TEST_PASSWORD, "second secret phrase"):
        assert secret.encode() not in content
        assert secret.encode("utf-16-le") not in content
    assert raw_key not in content
    assert raw_key.hex().encode() not in content
