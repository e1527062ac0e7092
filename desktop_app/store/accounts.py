"""Named accounts with roles, passwords, lockout, deactivation and signing keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from desktop_app.store import chain, checkpoints, keys, keyslots
from desktop_app.store.database import Store
from desktop_app.store.errors import AuthenticationError as AuthenticationError
from desktop_app.store.errors import BadInputError, NotFoundError
from desktop_app.store.errors import WrongCredentialsError as WrongCredentialsError
from desktop_app.store.models import User
from desktop_app.store.records import USER_COLUMNS, USERNAME_PATTERN, user_from_row
from desktop_app.store.roles import ROLES, PermissionDeniedError, Role, require_role

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
DEFAULT_IDLE_MINUTES = 10


def _audit(store: Store, actor: User | None, action: str, username: str, **values: object) -> None:
    chain.append(store.db, store.stamp(), head=store.chain_head, user_id=actor.id if actor else None,
                 username=actor.username if actor else chain.SYSTEM_USER, action=action, entity="user",
                 entity_id=username, new=values or None)  # fmt: skip


def _check_roles(roles: list[str] | tuple[str, ...]) -> tuple[Role, ...]:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown or not roles:
        raise BadInputError("roles", f"choose one or more of {', '.join(ROLES)}")
    return tuple(r for r in ROLES if r in roles)


def _check_password(username: str, password: str) -> None:
    problem = keys.password_problem(username, password)
    if problem:
        raise BadInputError("password", problem)


def check_new_account(
    *, username: str, full_name: str, roles: list[str] | tuple[str, ...], password: str
) -> tuple[str, tuple[Role, ...]]:
    """Validate a new account's fields (BadInputError naming the field); the normalised username
    and roles. Dialogs call it before saving anything."""
    username = username.strip().lower()
    if not USERNAME_PATTERN.fullmatch(username):
        raise BadInputError(
            "username", "3 to 32 characters: lower-case letters, digits, '.', '_' or '-'"
        )
    if not full_name.strip():
        raise BadInputError("full name", "is required (it is printed with signatures)")
    checked = _check_roles(roles)
    _check_password(username, password)
    return username, checked


def has_accounts(store: Store) -> bool:
    return (
        store.db.execute("SELECT 1 FROM users WHERE password_hash IS NOT NULL LIMIT 1").fetchone()
        is not None
    )


def create_account(
    store: Store,
    actor: User | None,
    *,
    username: str,
    full_name: str,
    roles: list[str] | tuple[str, ...],
    password: str,
    is_demo: bool = False,
) -> User:
    """A new account with its Ed25519 key pair. Without an actor only the first administrator."""
    if actor is None:
        if has_accounts(store):
            raise PermissionDeniedError("only an administrator can create accounts")
        if "administrator" not in roles:
            raise BadInputError("roles", "the first account must be an administrator")
    else:
        require_role(actor, "administrator", action="create accounts")
    username, checked = check_new_account(
        username=username, full_name=full_name, roles=roles, password=password
    )
    sealed = keys.new_sealed_key(password)
    password_hash = keys.hash_password(password)
    if store.db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
        raise BadInputError("username", f"{username!r} exists already (usernames are never reused)")
    with _slot_change(store, undo=lambda ring: ring.drop_unlisted(usernames(store))):
        if store.keyring is not None:  # the slot first: an account never exists without one
            store.keyring.add_password_slot(username, password)
        _insert_account(store, actor, username, full_name, checked, password_hash, sealed, is_demo)
    if actor is not None:  # the registration is covered by the administrator's signed head
        checkpoints.checkpoint(store, "account", actor)
    return get_account(store, username)


def usernames(store: Store) -> tuple[list[str], list[str]]:
    """(active, deactivated) usernames."""
    rows = store.db.execute("SELECT username, is_active FROM users WHERE password_hash IS NOT NULL")
    pairs = list(rows)
    return [u for u, a in pairs if a], [u for u, a in pairs if not a]


@contextmanager
def _slot_change(store: Store, undo: Callable[[keyslots.Keyring], None]) -> Iterator[None]:
    """Undo a key-slot change when the account change it belongs to is not saved."""
    try:
        yield
    except BaseException:
        if store.keyring is not None:
            undo(store.keyring)
        raise


def _insert_account(store: Store, actor: User | None, username: str, full_name: str,
                    checked: tuple[Role, ...], password_hash: str, sealed: keys.SealedKey,
                    is_demo: bool) -> None:  # fmt: skip
    with store.transaction("The account") as db:
        if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
            raise BadInputError(
                "username", f"{username!r} exists already (usernames are never reused)"
            )
        now = store.stamp().at_utc
        cursor = db.conn.execute(
            "INSERT INTO users (username, full_name, roles, password_hash, is_demo, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [username, full_name.strip(), ",".join(checked), password_hash, int(is_demo), now],
        )
        _store_key(store, int(cursor.lastrowid or 0), sealed, now)
        _audit(store, actor, "account_created", username, full_name=full_name.strip(), roles=list(checked),
               key_fingerprint=keys.fingerprint(sealed.public_key), public_key=sealed.public_key.hex(),
               is_demo=is_demo)  # fmt: skip


def _store_key(store: Store, user_id: int, sealed: keys.SealedKey, now: str) -> None:
    store.db.conn.execute(
        "INSERT INTO user_keys (user_id, public_key, fingerprint, encrypted_private_key, kdf, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            user_id,
            sealed.public_key.hex(),
            keys.fingerprint(sealed.public_key),
            sealed.ciphertext,
            sealed.kdf,
            now,
        ],
    )


def get_account(store: Store, username: str) -> User:
    row = store.db.execute(
        f"SELECT {USER_COLUMNS} FROM users WHERE username = ?", [username]
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no account named {username!r}")
    return user_from_row(row)


def _now(store: Store) -> datetime:
    return store.clock()


def authenticate(store: Store, username: str, password: str) -> User:
    """The account, when the password is right; every attempt is an audit event.

    A read-only store (another Eligo writes to it) cannot record anything: the password is checked,
    deactivation and a recorded lockout are honoured, and failures lock the account for this
    process after the same number of attempts, for the same time."""
    return _authenticated(store, username, password)[0]


def _authenticated(store: Store, username: str, password: str) -> tuple[User, Unsealed]:
    """authenticate(), and the account's signing key its password opened (kept for the session)."""
    username = username.strip().lower()
    if store.read_only:
        return _authenticate_read_only(store, username, password)
    row = store.db.execute(
        "SELECT id, password_hash, failed_logins, locked_until, is_active FROM users WHERE username = ?",
        [username],
    ).fetchone()
    now = _now(store)
    if row is None or row[1] is None:
        with store.transaction("The sign-in attempt"):
            _audit(store, None, "login_failed", username, reason="unknown user")
        raise WrongCredentialsError("Wrong username or password.")
    user_id, password_hash, failed, locked_until, active = row
    if not active:
        with store.transaction("The sign-in attempt"):
            _audit(store, None, "login_refused", username, reason="account deactivated")
        raise AuthenticationError("This account is deactivated. Ask an administrator.")
    if locked_until and datetime.fromisoformat(locked_until) > now:
        until = datetime.fromisoformat(locked_until).astimezone(now.tzinfo).strftime("%H:%M")
        with store.transaction("The sign-in attempt"):
            _audit(
                store,
                None,
                "login_refused",
                username,
                reason="account locked",
                locked_until=locked_until,
            )
        raise AuthenticationError(
            f"Too many failed attempts: this account is locked until {until}."
        )
    matches, opened = _password_and_key(store, user_id, password_hash, password)
    if not matches:
        failed += 1
        lock = failed >= MAX_FAILED_LOGINS
        with store.transaction("The sign-in attempt") as db:
            db.conn.execute(
                "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                [0 if lock else failed, (now + LOCKOUT).isoformat() if lock else None, user_id],
            )
            _audit(store, None, "login_failed", username, attempt=failed)
            if lock:
                _audit(
                    store,
                    None,
                    "account_locked",
                    username,
                    minutes=int(LOCKOUT.total_seconds() // 60),
                )
        if lock:
            raise AuthenticationError(
                f"Too many failed attempts: this account is locked for {LOCKOUT.seconds // 60} minutes."
            )
        raise WrongCredentialsError("Wrong username or password.")
    user = get_account(store, username)
    unsealed = _open_session(store, user, opened)
    return record_sign_in(store, username), unsealed


def record_sign_in(store: Store, username: str) -> User:
    """The sign-in's audit event (and the account's failure count back to 0)."""
    with store.transaction("The sign-in") as db:
        db.conn.execute(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = ?", [username]
        )
        user = get_account(store, username)
        _audit(store, user, "login_succeeded", username)
    return user


def check_password(store: Store, username: str, password: str) -> User:
    """authenticate() without writing: the account as stored, when the password is right and the
    account may sign in (the sign-in records itself later, see store.access.sign_in_on)."""
    return _authenticate_read_only(store, username.strip().lower(), password)[0]


Unsealed = tuple["KeyRecord", "Ed25519PrivateKey"]
"""The account's active signing key (active_key) and its private key, opened with the password."""
Opened = Unsealed | None
"""Unsealed, or None when the account has no key or the password does not open it."""


def _password_and_key(
    store: Store, user_id: int, password_hash: str, password: str
) -> tuple[bool, Opened]:
    """Whether the password matches the account's hash, and the signing key it opens: the two
    argon2id derivations at once, the key's on a worker thread (argon2 lets go of the interpreter
    lock), so that a sign-in, a signature or an export waits for one of them, not both in turn.
    The key opened is kept only when the password matched (_open_session)."""
    from concurrent.futures import ThreadPoolExecutor

    # A wrong password is that, whatever the key holds; with the right one, a key that is missing
    # or does not open for any reason (bad parameters too) is refused as changed outside Eligo
    # (_open_session), and that is recorded.
    try:
        key = active_key(store, user_id)
        derive = keys.derivation(key.sealed)  # its imports here, on this thread
    except Exception:
        return keys.password_matches(password_hash, password), None
    with ThreadPoolExecutor(1, thread_name_prefix="eligo-unseal") as pool:
        deriving = pool.submit(derive, password)  # imports nothing (keys.derivation)
        matches = keys.password_matches(password_hash, password)
        try:
            return matches, (key, keys.open_sealed(key.sealed, deriving.result()))
        except Exception:
            return matches, None


def _open_session(store: Store, user: User, opened: Opened) -> Unsealed:
    """Keep the account's signing key, opened with the password just checked, for the session
    (checkpoints.keep_session), and return it; a password hash that matches while the key does
    not open was put there outside Eligo: refused."""
    if opened is not None:
        key, private = opened
        checkpoints.keep_session(store, user, private, key.public_key)
        return opened
    if not store.read_only:
        with store.transaction("The sign-in attempt"):
            _audit(store, None, "login_refused", user.username, reason="signing key does not open")
    raise AuthenticationError(
        "This account's signing key does not open with its password: the account was changed "
        "outside Eligo. Ask an administrator to run a database check (db check)."
    )


def _authenticate_read_only(store: Store, username: str, password: str) -> tuple[User, Unsealed]:
    now = _now(store)
    row = store.db.execute(
        "SELECT password_hash, locked_until, is_active, id FROM users WHERE username = ?",
        [username],
    ).fetchone()
    recent = [
        t
        for t in store.read_only_failures.get(username, [])
        if now.timestamp() - t < LOCKOUT.total_seconds()
    ]
    store.read_only_failures[username] = recent
    if len(recent) >= MAX_FAILED_LOGINS:
        raise AuthenticationError(
            f"Too many failed attempts: this account is locked for {LOCKOUT.seconds // 60} minutes."
        )
    if row is not None and row[2] and row[1] and datetime.fromisoformat(row[1]) > now:
        until = datetime.fromisoformat(row[1]).astimezone(now.tzinfo).strftime("%H:%M")
        raise AuthenticationError(
            f"Too many failed attempts: this account is locked until {until}."
        )
    matches, opened = (
        (False, None)
        if row is None or row[0] is None
        else _password_and_key(store, row[3], row[0], password)
    )
    if not matches:
        recent.append(now.timestamp())
        raise WrongCredentialsError("Wrong username or password.")
    if not row[2]:
        raise AuthenticationError("This account is deactivated. Ask an administrator.")
    user = get_account(store, username)
    return user, _open_session(store, user, opened)


def reauthenticate(store: Store, user: User, password: str) -> User:
    """Checks the signed-in user's password again (signing, exporting, unlocking); failures count
    towards lockout. The account is known here, so a wrong password is called that. Returns the
    account as stored now."""
    return reauthenticated_key(store, user, password)[0]


def reauthenticated_key(store: Store, user: User, password: str) -> tuple[User, Unsealed]:
    """reauthenticate(), and the user's active signing key (active_key) with its private key,
    which the password opened on the way: a signature or an export signs with it rather than
    deriving the password's key a third time (argon2id, about 35 ms)."""
    session = checkpoints.session_of(store)
    try:
        return _authenticated(store, user.username, password)
    except WrongCredentialsError:
        raise WrongCredentialsError("Wrong password.") from None
    finally:
        # Another user confirming an action (signing an export) does not take over the session.
        if session is not None and session.user.id != user.id:
            checkpoints.resume(store, session)


@dataclass(frozen=True)
class KeyRecord:
    id: int
    user_id: int
    public_key: bytes
    fingerprint: str
    created_at: str
    retired_at: str | None
    sealed: keys.SealedKey


def _key(row: tuple[Any, ...]) -> KeyRecord:
    key_id, user_id, public_hex, fingerprint, ciphertext, kdf, created_at, retired_at = row
    public = bytes.fromhex(public_hex)
    sealed = keys.SealedKey(public, bytes(ciphertext), kdf)
    return KeyRecord(key_id, user_id, public, fingerprint, created_at, retired_at, sealed)


_KEY_SELECT = "SELECT id, user_id, public_key, fingerprint, encrypted_private_key, kdf, created_at, retired_at FROM user_keys"


def active_key(store: Store, user_id: int) -> KeyRecord:
    row = store.db.execute(
        _KEY_SELECT + " WHERE user_id = ? AND retired_at IS NULL", [user_id]
    ).fetchone()
    if row is None:
        raise NotFoundError("this account has no active signing key")
    return _key(row)


def key_by_id(store: Store, key_id: int) -> KeyRecord:
    row = store.db.execute(_KEY_SELECT + " WHERE id = ?", [key_id]).fetchone()
    if row is None:
        raise NotFoundError(f"no key {key_id}")
    return _key(row)


def keys_of(store: Store, user_id: int) -> list[KeyRecord]:
    """Every key the user has had, retired ones with their dates (they verify old signatures)."""
    return [
        _key(r) for r in store.db.execute(_KEY_SELECT + " WHERE user_id = ? ORDER BY id", [user_id])
    ]


def change_password(store: Store, user: User, old_password: str, new_password: str) -> None:
    """The user's own change: the same key pair, re-encrypted under the new password."""
    current, private = reauthenticated_key(store, user, old_password)[1]
    _check_password(user.username, new_password)
    resealed = keys.seal(private, new_password)
    new_hash = keys.hash_password(new_password)
    ring = store.keyring
    # A slot for the new password first, the old one removed after the account is saved: a crash
    # between the two files leaves a way in, never none.
    with _slot_change(store, undo=lambda r: r.keep_only_slot(user.username, old_password)):
        if ring is not None:
            ring.add_password_slot(user.username, new_password)
        with store.transaction("The new password") as db:
            db.conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", [new_hash, user.id])
            db.conn.execute(
                "UPDATE user_keys SET encrypted_private_key = ?, kdf = ? WHERE id = ?",
                [resealed.ciphertext, resealed.kdf, current.id],
            )
            _audit(store, user, "password_changed", user.username)
    if ring is not None:
        ring.keep_only_slot(user.username, new_password)


def reset_password(store: Store, admin: User, username: str, new_password: str) -> User:
    """An administrator's reset: the old key cannot be opened any more, so it is retired (kept,
    with its dates, to verify old signatures) and a new key pair is issued."""
    require_role(admin, "administrator", action="reset passwords")
    target = get_account(store, username)
    _check_password(target.username, new_password)
    sealed = keys.new_sealed_key(new_password)
    new_hash = keys.hash_password(new_password)
    ring = store.keyring
    with _slot_change(store, undo=lambda r: r.drop_slot(username, new_password)):
        if ring is not None:
            ring.add_password_slot(username, new_password)
        _save_reset(store, admin, target, username, new_hash, sealed)
    checkpoints.checkpoint(store, "account", admin)
    if ring is not None:  # the forgotten password's slot goes; a deactivated account stays closed
        ring.keep_only_slot(username, new_password)
        if not target.is_active:
            ring.deactivate(username)
    return get_account(store, username)


def _save_reset(store: Store, admin: User, target: User, username: str, new_hash: str,
                sealed: keys.SealedKey) -> None:  # fmt: skip
    with store.transaction("The password reset") as db:
        now = store.stamp().at_utc
        old = active_key(store, target.id)
        db.conn.execute("UPDATE user_keys SET retired_at = ? WHERE id = ?", [now, old.id])
        db.conn.execute(
            "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?",
            [new_hash, target.id],
        )
        _store_key(store, target.id, sealed, now)
        _audit(store, admin, "password_reset", username, retired_key=old.fingerprint,
               new_key=keys.fingerprint(sealed.public_key), public_key=sealed.public_key.hex())  # fmt: skip


def set_roles(store: Store, admin: User, username: str, roles: list[str]) -> User:
    """An administrator changes an account's roles; the site always keeps an active administrator
    (without one, nobody could create accounts or reset passwords ever again)."""
    require_role(admin, "administrator", action="change roles")
    checked = _check_roles(roles)
    target = get_account(store, username)
    if "administrator" in target.roles and "administrator" not in checked and target.is_active:
        others = store.db.execute(
            "SELECT count(*) FROM users WHERE is_active = 1 AND id != ? AND "
            "(',' || roles || ',') LIKE '%,administrator,%'",
            [target.id],
        ).fetchone()[0]
        if not others:
            raise BadInputError("roles", "the site needs an active administrator: make another "
                                "account administrator first")  # fmt: skip
    with store.transaction("The roles") as db:
        db.conn.execute("UPDATE users SET roles = ? WHERE id = ?", [",".join(checked), target.id])
        _audit(store, admin, "roles_changed", username, old=list(target.roles), new=list(checked))
    return get_account(store, username)


def deactivate_account(store: Store, admin: User, username: str) -> User:
    """Accounts are deactivated, never deleted; the username is never given out again."""
    require_role(admin, "administrator", action="deactivate accounts")
    target = get_account(store, username)
    if target.id == admin.id:
        raise BadInputError("username", "you cannot deactivate your own account")
    with store.transaction("The deactivation") as db:
        db.conn.execute("UPDATE users SET is_active = 0, deactivated_at = ? WHERE id = ?",
                        [store.stamp().at_utc, target.id])  # fmt: skip
        _audit(store, admin, "account_deactivated", username)
    if store.keyring is not None:  # after the save; a crash between is mended at the next sign-in
        store.keyring.deactivate(username)
    return get_account(store, username)


def reactivate_account(store: Store, admin: User, username: str) -> User:
    """Undo a deactivation (audited): the account signs in again with its password and key."""
    require_role(admin, "administrator", action="reactivate accounts")
    target = get_account(store, username)
    if target.is_active:
        raise BadInputError("username", f"{username} is already active")
    with store.transaction("The reactivation") as db:
        db.conn.execute("UPDATE users SET is_active = 1, deactivated_at = NULL, failed_logins = 0, "
                        "locked_until = NULL WHERE id = ?", [target.id])  # fmt: skip
        _audit(store, admin, "account_reactivated", username)
    if store.keyring is not None:
        store.keyring.reactivate(username)
    return get_account(store, username)


def needs_new_password(store: Store, username: str) -> bool:
    """An active account whose password opens nothing: it was deactivated before the store was
    encrypted, so no key slot was made for it at the upgrade. An administrator's password reset
    gives it one (the UI says so right after the reactivation)."""
    if store.keyring is None:
        return False
    return get_account(store, username).is_active and not store.keyring.opens_for(username)


def locked_accounts(store: Store) -> dict[str, datetime]:
    """Accounts locked out by failed sign-ins now, with the time (local) the lock ends."""
    now = _now(store)
    return {
        username: until.astimezone(now.tzinfo)
        for username, locked in store.db.execute(
            "SELECT username, locked_until FROM users WHERE locked_until IS NOT NULL"
        )
        if (until := datetime.fromisoformat(locked)) > now
    }


def idle_minutes(store: Store) -> int:
    row = store.db.execute("SELECT value FROM settings WHERE key = 'idle_lock_minutes'").fetchone()
    return int(row[0]) if row else DEFAULT_IDLE_MINUTES


def set_idle_minutes(store: Store, admin: User, minutes: int) -> None:
    require_role(admin, "administrator", action="change the idle lock")
    if not 1 <= minutes <= 120:
        raise BadInputError("idle lock", "between 1 and 120 minutes")
    with store.transaction("The idle lock setting") as db:
        old = idle_minutes(store)
        db.conn.execute(
            "INSERT INTO settings (key, value) VALUES ('idle_lock_minutes', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [str(minutes)],
        )
        chain.append(db, store.stamp(), head=store.chain_head, user_id=admin.id, username=admin.username,
                     action="setting_changed", entity="settings", entity_id="idle_lock_minutes",
                     old=old, new=minutes)  # fmt: skip
