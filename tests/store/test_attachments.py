"""Attachments: kept in the store with their audit events, never changed or silently removed."""

from __future__ import annotations

import hashlib
import json

import pytest
from helpers import add_user, as_user, open_test_store, raw_connect, screened

from desktop_app.cli import main
from desktop_app.rules import LoadedProtocol
from desktop_app.store import BadInputError, PermissionDeniedError, Store, User, get_account
from desktop_app.store.attachments import (
    MAX_BYTES,
    AttachmentChangedError,
    add_attachment,
    attachment_content,
    attachments_of,
    exported_attachments,
    open_attachment,
    remove_attachment,
)
from desktop_app.store.check import replay_report
from desktop_app.store.location import DB_NAME

PDF = b"%PDF-1.4\n% a scanned consent, in a test\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _attach(store: Store, user: User, sid: int, **changes: object) -> object:
    options: dict[str, object] = {"file_name": "consent.pdf", "content": PDF, "kind": "signed_consent",
                                  "title": "Signed consent, version 2.1"}  # fmt: skip
    options.update(changes)
    return add_attachment(store, user, sid, **options)  # type: ignore[arg-type]


def test_an_attachment_is_kept_with_its_sha256_in_the_chain(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    sid = screened(store, user, protocol)
    added = _attach(store, user, sid)
    assert attachment_content(store, added.id) == PDF  # type: ignore[attr-defined]
    [event] = store.db.execute(
        "SELECT entity_id, field, new_value, username FROM audit WHERE action = 'attachment_added'"
    ).fetchall()
    assert event[0] == "PUMCH-0001/1"
    assert event[3] == "coordinator"
    recorded = json.loads(event[2])
    assert recorded["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert recorded["kind"] == "signed_consent"
    assert recorded["size"] == len(PDF)
    assert replay_report(store.db).ok


@pytest.mark.parametrize(
    ("file_name", "content", "words"),
    [
        ("scan.pdf", PNG, "named as a PDF, but its content is a PNG image"),
        ("scan.png", JPEG, "named as a PNG image, but its content is a JPEG image"),
        ("scan.jpg", b"GIF89a....", "its content is not one"),
        ("report.docx", PDF, "is not a PDF, PNG or JPEG file"),
        ("scan", PDF, "is not a PDF, PNG or JPEG file"),
        ("empty.pdf", b"", "is empty"),
        ("huge.pdf", b"%PDF-" + b"0" * MAX_BYTES, "at most 20 MB"),
    ],
)
def test_a_file_is_checked_by_its_bytes_not_only_its_name(
    site_and_user: tuple[Store, User],
    protocol: LoadedProtocol,
    file_name: str,
    content: bytes,
    words: str,
) -> None:
    store, user = site_and_user
    sid = screened(store, user, protocol)
    events = store.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(BadInputError, match="file") as raised:
        _attach(store, user, sid, file_name=file_name, content=content)
    assert words in str(raised.value)
    assert store.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM audit").fetchone()[0] == events


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"kind": "holiday_photo"}, "kind"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_kind_and_title_are_checked(
    site_and_user: tuple[Store, User],
    protocol: LoadedProtocol,
    changes: dict[str, object],
    field: str,
) -> None:
    store, user = site_and_user
    sid = screened(store, user, protocol)
    with pytest.raises(BadInputError) as raised:
        _attach(store, user, sid, **changes)
    assert raised.value.field == field


def test_each_type_is_accepted(site_and_user: tuple[Store, User], protocol: LoadedProtocol) -> None:
    store, user = site_and_user
    sid = screened(store, user, protocol)
    _attach(
        store, user, sid, file_name="Lab.JPEG", content=JPEG, kind="lab_sheet", title="Lab sheet"
    )
    _attach(store, user, sid, file_name="ct.png", content=PNG, kind="imaging_report", title="CT report",
            question_id="chest_imaging")  # fmt: skip
    found = attachments_of(store, sid)
    assert [(a.media_type, a.question_id) for a in found] == [
        ("image/jpeg", None),
        ("image/png", "chest_imaging"),
    ]


def test_a_monitor_reads_but_does_not_attach(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    sid = screened(store, user, protocol)
    monitor = add_user(store, "monitor", roles=("monitor",))
    with pytest.raises(PermissionDeniedError, match="coordinator or investigator role"):
        _attach(store, monitor, sid)
    added = _attach(store, user, sid)
    assert attachment_content(store, added.id) == PDF  # type: ignore[attr-defined]
    with pytest.raises(PermissionDeniedError):
        remove_attachment(store, monitor, added.id, "wrong patient")  # type: ignore[attr-defined]


def test_a_replacement_keeps_the_old_version(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    sid = screened(store, user, protocol)
    first = _attach(store, user, sid, question_id="consent_given")
    second = _attach(store, user, sid, content=PDF + b"% page 2\n", replaces=first.id)  # type: ignore[attr-defined]
    old, new = attachments_of(store, sid)
    assert (old.replaced_by, old.current, new.replaces_id, new.current) == (
        second.id,
        False,
        first.id,
        True,
    )  # type: ignore[attr-defined]
    assert new.question_id == "consent_given"  # a new version concerns what the old one did
    assert attachment_content(store, old.id) == PDF  # the old version is kept
    with pytest.raises(BadInputError, match="current version"):
        _attach(store, user, sid, replaces=first.id)  # type: ignore[attr-defined]
    assert replay_report(store.db).ok


def test_a_removal_is_an_event_with_a_reason_and_keeps_the_content(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    sid = screened(store, user, protocol)
    added = _attach(store, user, sid)
    with pytest.raises(BadInputError, match="reason"):
        remove_attachment(store, user, added.id, "  ")  # type: ignore[attr-defined]
    removed = remove_attachment(store, user, added.id, "attached to the wrong candidate")  # type: ignore[attr-defined]
    assert (removed.removed_by, removed.removal_reason, removed.current) == (
        "Test Coordinator", "attached to the wrong candidate", False)  # fmt: skip
    assert attachment_content(store, added.id) == PDF  # type: ignore[attr-defined]
    reason = store.db.execute(
        "SELECT reason FROM audit WHERE action = 'attachment_removed'"
    ).fetchone()[0]
    assert reason == "attached to the wrong candidate"
    with pytest.raises(Exception, match="never deleted"):
        store.db.execute("DELETE FROM attachments")
    with pytest.raises(Exception, match="never changed"):
        store.db.execute("UPDATE attachments SET title = 'other'")
    assert replay_report(store.db).ok


def test_the_bundle_listing_has_no_content(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    sid = screened(store, user, protocol)
    _attach(store, user, sid)
    [entry] = exported_attachments(store)
    assert entry["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (entry["screening_number"], entry["attempt"], entry["kind"], entry["title"], entry["removed_at"]) == (
        "PUMCH-0001", 1, "signed_consent", "Signed consent, version 2.1", None)  # fmt: skip
    assert "content" not in entry


# A direct edit of the table, or of a content, is found by db check and names the screening.
@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (
            "UPDATE attachments SET content = X'255044462D312E340A' WHERE id = 1",
            "attachments 1 content (sha256)",
        ),
        ("UPDATE attachments SET title = 'Pathology report' WHERE id = 1", "attachments 1 title"),
        (
            "UPDATE attachments SET removed_at = NULL, removed_by = NULL, removal_reason = NULL",
            "attachments 2 removed",
        ),
        ("DELETE FROM attachments WHERE id = 2", "attachments 2 row"),
        (
            "UPDATE attachments SET content = X'00', sha256 = '00' WHERE id = 1",
            "attachments 1 sha256",
        ),
    ],
)
def test_db_check_finds_a_changed_attachment(
    tmp_path: object,
    protocol: LoadedProtocol,
    capsys: pytest.CaptureFixture[str],
    edit: str,
    words: str,
) -> None:
    from pathlib import Path

    from desktop_app.store import create_site

    folder = Path(str(tmp_path)) / "data"
    with open_test_store(folder) as store:
        create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="Dr. Test")
        user = add_user(store, "coordinator")
        sid = screened(store, user, protocol)
        _attach(store, user, sid)
        second = _attach(
            store, user, sid, file_name="b.png", content=PNG, kind="lab_sheet", title="Labs"
        )
        remove_attachment(store, user, second.id, "duplicate")  # type: ignore[attr-defined]
    assert main(["db", "check", "--data-dir", str(folder), *as_user()]) == 0
    capsys.readouterr()
    conn = raw_connect(folder / DB_NAME)
    conn.execute("BEGIN")
    conn.execute("DROP TRIGGER attachments_never_deleted")
    conn.execute("DROP TRIGGER attachments_content_fixed")
    conn.execute(edit)
    conn.execute("COMMIT")
    conn.close()
    assert main(["db", "check", "--data-dir", str(folder), *as_user()]) == 1
    out = capsys.readouterr().out
    assert words in out, out
    assert "TAMPERED screening PUMCH-0001/1" in out
    if edit.startswith("UPDATE attachments SET content = X'2550"):  # the content alone changed
        with (
            open_test_store(folder) as store,
            pytest.raises(AttachmentChangedError, match="changed"),
        ):
            attachment_content(store, 1)


# Opening a source document is traceable: an audit event (who, which version, when) written
# before the content is handed over; it changes no table, and db check knows it.


def test_opening_an_attachment_is_recorded_in_the_chain(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    monitor = add_user(store, "monitor", roles=("monitor",))
    sid = screened(store, user, protocol)
    added = _attach(store, user, sid)
    before = store.db.execute("SELECT max(seq) FROM audit").fetchone()[0]
    assert open_attachment(store, monitor, added.id) == PDF  # type: ignore[attr-defined]
    rows = store.db.execute(
        "SELECT username, entity, entity_id, field, old_value, new_value FROM audit WHERE seq > ?",
        [before],
    ).fetchall()
    [(who, entity, entity_id, field, old, new)] = rows
    assert (who, entity, entity_id, field, old) == (
        "monitor",
        "screening",
        "PUMCH-0001/1",
        "attachment",
        None,
    )
    assert json.loads(new) == {"id": added.id, "sha256": hashlib.sha256(PDF).hexdigest(),  # type: ignore[attr-defined]
                               "title": "Signed consent, version 2.1"}  # fmt: skip
    assert open_attachment(store, user, added.id) == PDF  # type: ignore[attr-defined]
    views = store.db.execute("SELECT count(*) FROM audit WHERE action = 'attachment_viewed'")
    assert views.fetchone()[0] == 2
    assert replay_report(store.db).ok


def test_an_attachment_that_cannot_be_recorded_is_not_opened(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol, tmp_path: object
) -> None:
    from pathlib import Path

    from desktop_app.store import ReadOnlyStoreError

    store, user = site_and_user
    added = _attach(store, user, screened(store, user, protocol))
    folder = Path(str(tmp_path)) / "data"
    with open_test_store(folder, read_only=True) as reader, pytest.raises(ReadOnlyStoreError):
        open_attachment(reader, get_account(reader, "coordinator"), added.id)  # type: ignore[attr-defined]
    assert not store.db.execute("SELECT 1 FROM audit WHERE action = 'attachment_viewed'").fetchone()


def test_a_changed_attachment_is_neither_opened_nor_recorded_as_opened(
    tmp_path: object, protocol: LoadedProtocol
) -> None:
    from pathlib import Path

    from desktop_app.store import create_site

    folder = Path(str(tmp_path)) / "data"
    with open_test_store(folder) as store:
        create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="Dr. Test")
        user = add_user(store, "coordinator")
        added = _attach(store, user, screened(store, user, protocol))
    conn = raw_connect(folder / DB_NAME)
    conn.execute("DROP TRIGGER attachments_content_fixed")
    conn.execute("UPDATE attachments SET content = X'255044462D312E340A'")
    conn.commit()
    conn.close()
    with open_test_store(folder) as store:
        user = get_account(store, "coordinator")
        with pytest.raises(AttachmentChangedError):
            open_attachment(store, user, added.id)  # type: ignore[attr-defined]
        assert not store.db.execute(
            "SELECT 1 FROM audit WHERE action = 'attachment_viewed'"
        ).fetchone()


@pytest.mark.parametrize("forged", ["another attachment", "another title"])
def test_db_check_finds_an_opening_of_an_attachment_the_chain_never_added(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol, forged: str
) -> None:
    from desktop_app.store import chain

    store, user = site_and_user
    sid = screened(store, user, protocol)
    added = _attach(store, user, sid)
    open_attachment(store, user, added.id)  # type: ignore[attr-defined]
    assert replay_report(store.db).ok
    with store.transaction("A forged opening") as db:
        chain.append(db, store.stamp(), head=store.chain_head, user_id=user.id, username=user.username,
                     action="attachment_viewed", entity="screening", entity_id="PUMCH-0001/1",
                     field="attachment", new={"id": 99, "sha256": "0" * 64, "title": "?"}
                     if forged == "another attachment"
                     else {"id": added.id, "sha256": added.sha256, "title": "Not its title"})  # fmt: skip
    report = replay_report(store.db)
    assert not report.ok
    assert any(
        "attachment_viewed" in line and "names no attachment" in line for line in report.lines()
    )
