"""Upgrade in place: a plaintext store from before encryption is converted on first start; the
plaintext copy set aside, the encrypted copy checked first, nothing lost when interrupted."""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import sys
import time
import warnings
from pathlib import Path

import pytest
from helpers import DEMO_ADMIN_PASSWORD

from desktop_app.rules import LoadedProtocol
from desktop_app.store import access, keyslots, upgrade
from desktop_app.store.backup import check_file
from desktop_app.store.database import is_plaintext, open_store
from desktop_app.store.demo import fill_demo
from desktop_app.store.location import DB_NAME, KEYS_NAME


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory, protocol: LoadedProtocol) -> tuple[Path, dict[str, int]]:  # fmt: skip
    """A (small) DEMO store as an Eligo before encryption wrote it, and its row counts."""
    folder = tmp_path_factory.mktemp("plaintext") / "data"
    with open_store(folder, key=None) as store:
        fill_demo(store, protocol, screenings=12)
        return folder, counts_of(store)


def plaintext_demo(folder: Path, original: tuple[Path, dict[str, int]]) -> dict[str, int]:
    shutil.copytree(original[0], folder)
    return original[1]


def counts_of(store: access.Store) -> dict[str, int]:
    return {t: store.db[t].count for t in ("users", "candidates", "screenings", "answers", "audit")}


def signed_in_counts(folder: Path, password: str = DEMO_ADMIN_PASSWORD) -> dict[str, int]:
    with access.sign_in(folder, "demo.admin", password).store as store:
        return counts_of(store)


def test_a_plaintext_store_is_converted_with_a_copy_aside(
    tmp_path: Path, original: tuple[Path, dict[str, int]]
) -> None:
    folder = tmp_path / "data"
    counts = plaintext_demo(folder, original)
    assert upgrade.needed(folder)
    aside = upgrade.encrypt_in_place(folder)
    assert not upgrade.needed(folder)
    assert not is_plaintext(folder / DB_NAME)
    assert is_plaintext(aside)  # the plaintext copy, to delete once the conversion is checked
    assert check_file(aside, None) is None
    if sys.platform != "win32":
        assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert keyslots.site_label(folder) == {"code": "DEMO", "name": "DEMO site - sample data, not real patients", "is_demo": True}  # fmt: skip
    assert {s.kind for s in keyslots.read(folder).slots} == {"legacy"}
    # Everyone signs in with the password they had; the slot then becomes an ordinary one. (Two
    # events: the sign-in, and the key file's attempt count, a setting, recorded the first time.)
    assert signed_in_counts(folder) == {**counts, "audit": counts["audit"] + 2}
    kinds = {s.kind for s in keyslots.read(folder).slots}
    assert kinds == {"legacy", "password"}
    with access.sign_in(folder, "demo.coordinator", "demo-coordinator-2019").store:
        pass


def test_a_damaged_plaintext_store_is_not_converted(tmp_path: Path, original: tuple[Path, dict[str, int]]) -> None:  # fmt: skip
    from desktop_app.store import StoreCorruptError
    from desktop_app.store.connection import raw_connection

    folder = tmp_path / "data"
    plaintext_demo(folder, original)
    conn = raw_connection(folder / DB_NAME, None)
    conn.executescript(
        "DROP TRIGGER audit_no_update; UPDATE audit SET username = 'x' WHERE seq = 3;"
    )
    conn.close()
    with pytest.raises(StoreCorruptError, match="altered"):
        upgrade.encrypt_in_place(folder)
    assert is_plaintext(folder / DB_NAME)
    assert not (folder / KEYS_NAME).exists()


def _convert_in_child(folder: Path) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork() with threads (3.12+)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            upgrade.encrypt_in_place(folder)
        finally:
            os._exit(0)
    return pid


@pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")
def test_killing_the_conversion_at_random_moments_loses_nothing(
    tmp_path: Path, original: tuple[Path, dict[str, int]]
) -> None:
    source, counts = original
    timing = tmp_path / "timing"
    shutil.copytree(source, timing)
    started = time.perf_counter()
    upgrade.encrypt_in_place(timing)
    duration = time.perf_counter() - started
    rng = random.Random(20261202)
    outcomes = {"plaintext": 0, "encrypted": 0}
    for run in range(15):
        folder = tmp_path / f"run-{run}"
        shutil.copytree(source, folder)
        pid = _convert_in_child(folder)
        time.sleep(rng.uniform(0, duration * 1.1))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if is_plaintext(folder / DB_NAME):  # interrupted before the rename: the store as it was
            outcomes["plaintext"] += 1
            # (read-write: a journal the kill left behind is rolled back on open, as at a start)
            with open_store(folder, key=None) as store:  # raises if the checks fail
                assert counts_of(store) == counts
            upgrade.encrypt_in_place(folder)  # the next start converts it again
        else:
            outcomes["encrypted"] += 1
        assert not upgrade.needed(folder)
        assert signed_in_counts(folder) == {**counts, "audit": counts["audit"] + 2}
    assert outcomes["plaintext"] >= 3, outcomes  # the kills really landed during conversion


def test_an_account_deactivated_before_the_upgrade_is_said_to_need_a_new_password(
    tmp_path: Path, original: tuple[Path, dict[str, int]]
) -> None:
    # Issue #15: the upgrade makes slots for active accounts only; an account deactivated before it
    # and reactivated after has no slot, so its old password opens nothing. Eligo says so (the
    # accounts window offers the reset at once) instead of leaving it to a failed sign-in.
    from desktop_app.store.accounts import (
        AuthenticationError,
        deactivate_account,
        get_account,
        needs_new_password,
        reactivate_account,
        reset_password,
    )

    folder = tmp_path / "data"
    plaintext_demo(folder, original)
    with open_store(folder, key=None) as store:
        deactivate_account(store, get_account(store, "demo.admin"), "demo.monitor")
    upgrade.encrypt_in_place(folder)
    signed = access.sign_in(folder, "demo.admin", DEMO_ADMIN_PASSWORD)
    with signed.store as store:
        admin = signed.user
        reactivate_account(store, admin, "demo.monitor")
        assert needs_new_password(store, "demo.monitor")
        # An account deactivated and reactivated after the upgrade keeps its slot, also one that
        # has not signed in since the upgrade (its slot is still the legacy one).
        deactivate_account(store, admin, "demo.coordinator")
        reactivate_account(store, admin, "demo.coordinator")
        assert not needs_new_password(store, "demo.coordinator")
    with pytest.raises(AuthenticationError):
        access.sign_in(folder, "demo.monitor", "demo-monitor-2019")
    signed = access.sign_in(folder, "demo.admin", DEMO_ADMIN_PASSWORD)
    with signed.store as store:
        reset_password(store, signed.user, "demo.monitor", "a new monitor password 2026")
        assert not needs_new_password(store, "demo.monitor")
    with access.sign_in(folder, "demo.monitor", "a new monitor password 2026").store as store:
        assert get_account(store, "demo.monitor").is_active
    with access.sign_in(folder, "demo.coordinator", "demo-coordinator-2019").store as store:
        assert get_account(store, "demo.coordinator").is_active
