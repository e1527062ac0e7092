"""Getting into the encrypted store: a new store and its site, sign-in (unwrap a key slot, open,
authenticate), the recovery key, and re-keying. Nothing here opens the database before a slot has
given its key."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.store import accounts, chain, keyslots
from desktop_app.store.clock import Clock, system_clock
from desktop_app.store.connection import raw_connection
from desktop_app.store.database import DatabaseError, Store, open_store
from desktop_app.store.errors import BadInputError, StoreError
from desktop_app.store.gate import NotSetUpError as NotSetUpError
from desktop_app.store.gate import authentication_error
from desktop_app.store.gate import is_set_up as is_set_up
from desktop_app.store.gate import unlock as unlock
from desktop_app.store.location import DB_NAME, KEYS_NAME, make_private_dir
from desktop_app.store.models import User
from desktop_app.store.roles import require_role

SETTLED_SETTING = "keyslots_settled_serial"


@dataclass(frozen=True)
class SignedIn:
    store: Store
    user: User
    warning: str | None = None  # the key file was changed outside Eligo (see keyslots.problem)


def new_store(data_dir: Path, *, clock: Clock = system_clock) -> Store:
    """An empty encrypted store with a fresh data key and a key file without slots; an earlier
    setup that stopped before its first account (no way in) is set aside first."""
    make_private_dir(data_dir)
    db_path, keys_path = data_dir / DB_NAME, data_dir / KEYS_NAME
    if keys_path.exists() or db_path.exists():
        if is_set_up(data_dir) or (db_path.exists() and not keys_path.exists()):
            raise BadInputError("data folder", f"{data_dir} already holds an Eligo store")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        for path in (db_path, keys_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
            if path.exists():
                os.replace(path, path.with_name(f"{path.name}.abandoned-{stamp}"))
    key = keyslots.new_data_key()
    keyslots.create(data_dir, key)
    return open_store(data_dir, key=key, clock=clock)


@dataclass(frozen=True)
class Setup:
    store: Store
    admin: User
    recovery_code: str


def set_up_site(data_dir: Path, *, code: str, name: str, principal_investigator: str,
                username: str, full_name: str, password: str,
                clock: Clock = system_clock) -> Setup:  # fmt: skip
    """First start: the store, its site, the first administrator (with a key slot) and the
    recovery key (one more slot), shown once to the caller. Input is checked before anything is
    written (BadInputError naming the field)."""
    from desktop_app.store.records import check_site, create_site

    check_site(code, name, principal_investigator)
    accounts.check_new_account(username=username, full_name=full_name, roles=["administrator"], password=password)  # fmt: skip
    store = new_store(data_dir, clock=clock)
    try:
        create_site(store, None, code=code, name=name, principal_investigator=principal_investigator)  # fmt: skip
        admin = accounts.create_account(store, None, username=username, full_name=full_name,
                                        roles=["administrator"], password=password)  # fmt: skip
        code_text = new_recovery_key(store, admin)
    except BaseException:
        store.close()
        raise
    return Setup(store, admin, code_text)


def new_recovery_key(store: Store, admin: User) -> str:
    """A new recovery key (to show once and print for the sealed envelope); the old one stops
    opening the store. Audited, without the key."""
    require_role(admin, "administrator", action="make a recovery key")
    if store.keyring is None:
        raise StoreError("this store is not encrypted")
    code = store.keyring.new_recovery_key()
    with store.transaction("The recovery key") as db:
        chain.append(db, store.stamp(), head=store.chain_head, user_id=admin.id, username=admin.username,
                     action="recovery_key_made", entity="store", entity_id="recovery")  # fmt: skip
    return code


def key_that_opens(data_dir: Path, unlocked: keyslots.Unlocked) -> bytes:
    """The data key, finishing a re-key that was interrupted (the database has one key or the
    other, and the key file keeps both until it is told which)."""
    new = keyslots.pending_key(data_dir, unlocked)
    if new is None:
        return unlocked.key
    for key in (unlocked.key, new):
        try:
            raw_connection(data_dir / DB_NAME, key, read_only=True).close()
        except DatabaseError:
            continue
        keyslots.finish_rekey(data_dir, new, key)
        return key
    return unlocked.key


def open_signed_in(data_dir: Path, unlocked: keyslots.Unlocked, username: str, password: str, *,
                   read_only: bool = False, clock: Clock = system_clock,
                   check_in_background: bool = False) -> SignedIn:  # fmt: skip
    """Open the store with the unwrapped key and sign the user in there (the account's state,
    the audit event); then the attempts recorded in the key file go into the audit trail."""
    key = key_that_opens(data_dir, unlocked)
    store = open_store(data_dir, key=key, read_only=read_only, clock=clock,
                       check_in_background=check_in_background)  # fmt: skip
    try:
        user, warning = sign_in_on(store, username, password, unlocked)
    except BaseException:
        store.close()
        raise
    return SignedIn(store, user, warning)


def sign_in_on(store: Store, username: str, password: str, unlocked: keyslots.Unlocked) -> tuple[User, str | None]:  # fmt: skip
    """Sign in on the store the slot opened. While the open-time check of a large store still
    runs, the password and the account are checked now and the sign-in's writes (its audit
    events, the key file brought into step) wait for the check, before any other write."""
    if store.read_only:
        return accounts.authenticate(store, username, password), None
    done, _ = store.check_status()
    if done:
        user = accounts.authenticate(store, username, password)
        return user, after_sign_in(store, user, password, unlocked)
    user = accounts.check_password(store, username, password)
    warning = store.keyring.problem(_settled(store)) if store.keyring else None

    def record() -> None:
        accounts.record_sign_in(store, user.username)
        after_sign_in(store, user, password, unlocked)

    store.before_other_writes(record)
    return user, warning


def sign_in(data_dir: Path, username: str, password: str, *, read_only: bool = False,
            clock: Clock = system_clock) -> SignedIn:  # fmt: skip
    """Unwrap and open in one step (the command line)."""
    unlocked = unlock(data_dir, username, password, clock=clock)
    return open_signed_in(data_dir, unlocked, username, password, read_only=read_only, clock=clock)  # fmt: skip


def _settled(store: Store) -> int | None:
    row = store.db.execute("SELECT value FROM settings WHERE key = ?", [SETTLED_SETTING]).fetchone()
    return int(row[0]) if row else None


def after_sign_in(store: Store, user: User, password: str, unlocked: keyslots.Unlocked) -> str | None:  # fmt: skip
    """Bring the key file and the database into step after a sign-in: failed attempts recorded
    before it go into the audit trail (by username where the label is an account's), the key
    file is checked against what the database last saw, slots agree with the accounts, and a
    slot made by the upgrade from plaintext becomes an ordinary one. The problem, if any."""
    ring = store.keyring
    if ring is None:
        return None
    problem = ring.problem(_settled(store))
    serial, unsettled, locked = ring.unsettled()
    everyone = [r[0] for r in store.db.execute("SELECT username FROM users")]
    names = {ring.label(u): u for u in everyone}
    with store.transaction("The sign-in attempts") as db:
        for label, count in sorted(unsettled.items()):
            who = names.get(label, "?")  # an unknown username is not kept, not even in the log
            chain.append(db, store.stamp(), head=store.chain_head, user_id=None, username=chain.SYSTEM_USER,
                         action="login_failed", entity="user", entity_id=who,
                         new={"attempts": count, "recorded": "in the key file, before this sign-in",
                              **({"locked_until": locked[label]} if label in locked else {})})  # fmt: skip
        if problem is not None:
            chain.append(db, store.stamp(), head=store.chain_head, user_id=user.id, username=user.username,
                         action="key_file_changed", entity="store", entity_id="keys",
                         new={"problem": problem})  # fmt: skip
        previous = _settled(store)
        if previous != serial:  # a setting like any other: its event replays it (db check)
            db.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [SETTLED_SETTING, str(serial)],
            )
            chain.append(db, store.stamp(), head=store.chain_head, user_id=user.id, username=user.username,
                         action="setting_changed", entity="settings", entity_id=SETTLED_SETTING,
                         old=None if previous is None else str(previous), new=str(serial))  # fmt: skip
    ring.settle(serial)
    ring.drop_unlisted(accounts.usernames(store))
    if unlocked.kind == "legacy":
        ring.remove_legacy(user.username, password)
    return problem


def recover(data_dir: Path, recovery_code: str, username: str, new_password: str, *,
            clock: Clock = system_clock) -> SignedIn:  # fmt: skip
    """Every administrator has forgotten their password: the recovery key opens the store and
    an administrator named here gets `new_password` (a new slot and signing key), audited."""
    if not (data_dir / KEYS_NAME).exists():
        raise NotSetUpError(f"There is no Eligo store in {data_dir} yet.")
    try:
        unlocked = keyslots.unlock(data_dir, "", recovery_code, clock(), recovery=True)
    except (keyslots.WrongSecretError, keyslots.LockedOutError) as exc:
        raise authentication_error(exc) from None
    store = open_store(data_dir, key=key_that_opens(data_dir, unlocked), clock=clock)
    try:
        try:
            admin = accounts.get_account(store, username.strip().lower())
            require_role(admin, "administrator", action="be recovered")
        except StoreError:
            raise accounts.AuthenticationError(
                "The recovery key resets an active administrator's password: name one."
            ) from None
        with store.transaction("The recovery") as db:
            chain.append(db, store.stamp(), head=store.chain_head, user_id=admin.id, username=admin.username,
                         action="recovery_key_used", entity="user", entity_id=admin.username)  # fmt: skip
        accounts.reset_password(store, admin, admin.username, new_password)
        user = accounts.authenticate(store, admin.username, new_password)
    except BaseException:
        store.close()
        raise
    return SignedIn(store, user)


def rekey(store: Store, admin: User) -> int:
    """A new data key for the store (an administrator, e.g. after a deactivated user is suspected
    of keeping a copy): a backup first (it keeps the old key and its key file), then every slot
    gets the new key, the database is re-encrypted, and the old key opens nothing written after.
    Slots still keyed by a stored password hash (from the upgrade, not yet signed in) are dropped:
    the old key reveals those hashes. Returns how many such slots were dropped."""
    from desktop_app.store.backup import backup

    require_role(admin, "administrator", action="re-key the store")
    ring = store.keyring
    if ring is None:
        raise StoreError("this store is not encrypted")
    store.wait_until_checked()
    backup(store, reason="before-rekey")
    new_key = keyslots.new_data_key()
    dropped = ring.prepare_rekey(new_key)
    store.db.conn.execute(keyslots.raw_key_pragma(new_key).replace("PRAGMA key", "PRAGMA rekey"))
    ring.finish_rekey(new_key)
    with store.transaction("The re-key") as db:
        chain.append(db, store.stamp(), head=store.chain_head, user_id=admin.id, username=admin.username,
                     action="store_rekeyed", entity="store", entity_id="keys",
                     new={"slots_dropped": dropped})  # fmt: skip
    return dropped
