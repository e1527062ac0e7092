"""Trusted keys: checked on import, imported and removed only by administrators and monitors,
audited, never deleted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import add_user
from sqlcipher3 import dbapi2 as sqlite3

from desktop_app.cli import main
from desktop_app.export.keys import public_key_file
from desktop_app.store import BadInputError, Store, User
from desktop_app.store.roles import PermissionDeniedError
from desktop_app.store.trusted_keys import (
    import_trusted_keys,
    parse_key_file,
    remove_trusted_key,
    trusted_keys,
    trusted_public_keys,
)


def test_import_remove_and_trust_again(site_and_user: tuple[Store, User]) -> None:
    store, _ = site_and_user
    monitor = add_user(store, "monitor", roles=("monitor",), full_name="Mona Monitor")
    site_user = add_user(store, "site.user", full_name="Site User")
    data, fingerprint = public_key_file(store, site_user)
    assert trusted_public_keys(store) is None  # trusts nothing yet
    (key,) = import_trusted_keys(store, monitor, data)
    assert (key.fingerprint, key.printed_name, key.imported_by) == (
        fingerprint,
        "Site User",
        "Mona Monitor",
    )
    import_trusted_keys(store, monitor, data)  # again: nothing changes
    assert len(trusted_keys(store)) == 1
    # The key is trusted for the site its file names, and for no other.
    assert json.loads(data)["site"] == "PUMCH"
    assert trusted_public_keys(store) == {json.loads(data)["public_key"]: "PUMCH"}
    elsewhere = json.dumps({**json.loads(data), "site": "XIEHE"}).encode()
    with pytest.raises(BadInputError, match="already trusted for site PUMCH"):
        import_trusted_keys(store, monitor, elsewhere)
    remove_trusted_key(store, monitor, key.id)
    assert trusted_public_keys(store) is None
    import_trusted_keys(store, monitor, data)
    assert len(trusted_keys(store)) == 1
    actions = [
        r[0]
        for r in store.db.execute(
            "SELECT action FROM audit WHERE entity = 'trusted_key' ORDER BY seq"
        )
    ]
    assert actions == ["trusted_key_imported", "trusted_key_removed", "trusted_key_imported"]
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        store.db.execute("DELETE FROM trusted_keys")


def test_only_administrators_and_monitors_change_trust(store: Store) -> None:
    coordinator = add_user(store, "coordinator")
    data, _ = public_key_file(store, coordinator)
    with pytest.raises(PermissionDeniedError, match="administrator or monitor"):
        import_trusted_keys(store, coordinator, data)
    assert trusted_keys(store) == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"not json", "not a public key file written by Eligo"),
        (b'{"fingerprint": "x"}', "an entry has no public_key"),
        (b'{"public_key": "zz"}', "the public key is not hexadecimal"),
        (b'{"public_key": "00ff"}', "the public key is not a 32-byte Ed25519 key"),
        (
            json.dumps({"public_key": "11" * 32, "fingerprint": "0000 0000 0000 0000"}).encode(),
            "the fingerprint written in the file does not match its key",
        ),
        (b"[]", "the file holds no key"),
        (json.dumps({"public_key": "11" * 32}).encode(), "the file names no site code for the key"),
        (json.dumps({"public_key": "11" * 32, "site": "../x"}).encode(), "names no site code"),
    ],
)
def test_a_malformed_key_file_is_refused_naming_the_problem(content: bytes, problem: str) -> None:
    with pytest.raises(BadInputError) as caught:
        parse_key_file(content)
    assert caught.value.field == "public key file"
    assert problem in caught.value.problem


def test_verify_from_the_command_line_refuses_a_malformed_trusted_keys_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "keys.json"
    keys.write_text('{"public_key": "00"}', encoding="utf-8")
    bundle = tmp_path / "b.zip"
    bundle.write_bytes(b"PK")
    assert main(["verify", str(bundle), "--trusted-keys", str(keys)]) == 2
    assert "public key file: the public key is not a 32-byte Ed25519 key" in capsys.readouterr().err


def test_a_key_moved_to_another_site_in_the_table_fails_the_check(
    site_and_user: tuple[Store, User],
) -> None:
    """The site a key is trusted for is replayed from its import event: changed in the table, `db
    check` names the row and both values."""
    from desktop_app.store import check

    store, _ = site_and_user
    monitor = add_user(store, "monitor", roles=("monitor",), full_name="Mona Monitor")
    data, fingerprint = public_key_file(store, add_user(store, "site.user", full_name="Site User"))
    import_trusted_keys(store, monitor, data)
    assert check.check(store.data_dir).ok
    store.db.execute("UPDATE trusted_keys SET site_code = 'XIEHE'")
    report = check.check(store.data_dir)
    assert not report.ok
    assert any(f"trusted_keys {fingerprint!r} site_code" in line and "XIEHE" in line and "PUMCH" in line
               for line in report.lines()), report.lines()  # fmt: skip
