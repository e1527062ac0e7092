"""A full disk or a read-only location: a clear error, and the previous state stays intact."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import TEST_KEY, add_user, open_test_store

from desktop_app.rules import LoadedProtocol
from desktop_app.store import (
    Store,
    StoreWriteError,
    User,
    answers_of,
    register_candidate,
    save_answer,
    start_screening,
)
from desktop_app.store.backup import check_file
from desktop_app.store.chain import verify
from desktop_app.store.location import DB_NAME


def test_disk_full_rolls_back_the_save(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    # SQLite reports SQLITE_FULL both for a full disk and for its page limit: the same path.
    store, user = site_and_user
    screening = start_screening(
        store, user, register_candidate(store, user, initials="FD").id, protocol
    )
    save_answer(store, user, screening.id, "hbsag", "negative")
    events = store.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 3}")
    done = 0
    with pytest.raises(StoreWriteError, match=r"could not be saved .*full.*previous state is kept"):  # noqa: PT012
        for i in range(1000):
            save_answer(
                store, user, screening.id, "severe_organ_dysfunction_note", f"{i} " + "x" * 1900
            )
            done += 1
    store.db.execute("PRAGMA max_page_count = 1073741823")
    after = answers_of(store, screening.id)
    assert after["hbsag"] == "negative"
    assert done > 0  # the limit let some saves through before it bit
    assert after["severe_organ_dysfunction_note"].split()[0] == str(
        done - 1
    )  # the last save that returned
    assert store.db.execute("SELECT count(*) FROM audit").fetchone()[0] == events + done
    save_answer(store, user, screening.id, "hiv", "negative")  # and the store goes on working
    assert answers_of(store, screening.id)["hiv"] == "negative"
    assert verify(store.db).ok  # the failed save left no gap in the audit chain


# A real small filesystem, mounted in a private mount namespace (no root needed, nothing left behind).
SMALL_FS = textwrap.dedent(
    """
    import subprocess, sys
    from pathlib import Path
    mount = Path(sys.argv[1])
    sys.path.insert(0, sys.argv[2])  # the tests' helpers
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=640k", "tmpfs", str(mount)], check=True)
    from desktop_app.rules import default_protocol
    from desktop_app.store import (StoreWriteError, answers_of, create_account, create_site,
                                   register_candidate, save_answer, start_screening)
    from helpers import open_test_store
    store = open_test_store(mount / "data")
    create_site(store, None, code="FULL", name="Full disk", principal_investigator="PI")
    user = create_account(store, None, username="filler", full_name="Filler",
                          roles=["administrator", "coordinator"], password="filler password")
    sid = start_screening(store, user, register_candidate(store, user, initials="FD").id, default_protocol()).id
    save_answer(store, user, sid, "hbsag", "negative")
    try:
        for i in range(10_000):
            save_answer(store, user, sid, "severe_organ_dysfunction_note", f"{i} " + "y" * 1900)
    except StoreWriteError as exc:
        print("refused:", exc)
    last = answers_of(store, sid)
    print("kept:", last["hbsag"], last.get("severe_organ_dysfunction_note", "no note").split()[0])
    store.close()
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
    try:
        open_test_store(mount / "data")
    except StoreWriteError as exc:
        print("read-only location:", exc)
    ro = open_test_store(mount / "data", read_only=True)
    print("readable:", answers_of(ro, sid)["hbsag"])
    ro.close()
    """
)


@pytest.mark.skipif(not shutil.which("unshare") or sys.platform != "linux", reason="needs unshare")
def test_a_real_full_filesystem(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("user namespaces are not available here")
    proc = subprocess.run(
        ["unshare", "-rm", sys.executable, "-c", SMALL_FS, str(mount), str(Path(__file__).parent.parent)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "refused: The answer could not be saved (database or disk is full)" in proc.stdout
    assert "kept: negative" in proc.stdout
    assert "read-only location: Eligo cannot write to" in proc.stdout
    assert "(Read-only file system). It can be opened read-only" in proc.stdout
    assert "readable: negative" in proc.stdout


def test_read_only_location(tmp_path: Path, protocol: LoadedProtocol) -> None:
    data = tmp_path / "data"
    with open_test_store(data) as store:
        from desktop_app.store import create_site

        create_site(store, None, code="RO", name="Read only", principal_investigator="PI")
        user = add_user(store, "writer")
        sid = start_screening(
            store, user, register_candidate(store, user, initials="RO").id, protocol
        ).id
        save_answer(store, user, sid, "hbsag", "negative")
        # The file becomes read-only under the running application (a remounted share, say).
        store.db.execute("PRAGMA query_only = ON")
        with pytest.raises(StoreWriteError, match=r"could not be saved"):
            save_answer(store, user, sid, "hbsag", "positive")
        store.db.execute("PRAGMA query_only = OFF")
        assert answers_of(store, sid) == {"hbsag": "negative"}
    assert check_file(data / DB_NAME, TEST_KEY) is None
