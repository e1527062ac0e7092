"""The work queues tab and the attachments dialog with its viewer (pytest-qt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import TEST_PASSWORD, add_user, answer_dialogs, answers, screened
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter
from pytestqt.qtbot import QtBot

from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, User, create_site
from desktop_app.store.attachments import attachments_of
from desktop_app.store.signatures import sign_screening
from desktop_app.ui.attachments import AddAttachmentDialog, AttachmentsDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.queues import Column

RITUXIMAB = answers(
    medications_given=["rituximab"], medication_last_dose={"rituximab": "2022-11-02"}
)


def _site(store: Store) -> tuple[User, User, User]:
    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="Dr. Test")
    return (add_user(store, "coordinator", full_name="Test Coordinator"),
            add_user(store, "investigator", roles=("investigator",), full_name="Dr. Pi"),
            add_user(store, "monitor", roles=("monitor",), full_name="Ms. Monitor"))  # fmt: skip


def _pdf(path: Path, pages: int = 2) -> Path:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    for page in range(pages):
        if page:
            writer.newPage()
        painter.drawText(200, 400, f"Pathology report, page {page + 1}")
    painter.end()
    return path


def _png(path: Path) -> Path:
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("#e0f0ff"))
    assert image.save(str(path), "PNG")
    return path


def test_an_investigator_starts_on_the_queue_awaiting_them(
    qtbot: QtBot, protocol: LoadedProtocol, store: Store
) -> None:
    coordinator, investigator, _ = _site(store)
    signed = screened(store, coordinator, protocol, initials="AB")
    screened(store, coordinator, protocol, RITUXIMAB, initials="CD")
    sign_screening(store, coordinator, signed, TEST_PASSWORD)
    window = MainWindow(protocol, store, investigator)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    panel = window.queues
    assert window.tabs.currentWidget() is panel
    assert panel.list.currentRow() == 0
    assert panel.counts_text() == [
        "Awaiting investigator confirmation (1)",
        "Results pending (0)",
        "Eligible, outcome not recorded (1)",
        "Open queries (0)",
        "Washout ends soon (1)",
    ]
    assert panel.model.rowCount() == 1
    assert panel.model.data(panel.model.index(0, Column.NUMBER)) == "PUMCH-0001"
    # By keyboard: the queue list has focus; Tab goes to its screenings, Enter opens one.
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_End)
    assert panel.current_queue() == "washout"
    assert not panel.table.isColumnHidden(Column.DETAIL)
    assert panel.model.data(panel.model.index(0, Column.DETAIL)) == "2023-05-03"
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    with qtbot.waitSignal(panel.screening_activated) as opened:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert opened.args is not None
    assert [w.screening_id for w in window.wizards] == [opened.args[0]]
    for wizard in window.wizards:
        wizard.close()


def test_the_queues_refresh_after_a_change(
    qtbot: QtBot, protocol: LoadedProtocol, store: Store
) -> None:
    coordinator, investigator, _ = _site(store)
    signed = screened(store, coordinator, protocol)
    sign_screening(store, coordinator, signed, TEST_PASSWORD)
    window = MainWindow(protocol, store, coordinator)
    qtbot.addWidget(window)
    window.show()
    assert window.tabs.currentWidget() is not window.queues  # a coordinator starts on the log
    window.activateWindow()
    assert "&queues" in window.tabs.tabText(window.tabs.indexOf(window.queues))  # Alt+Q
    window.tabs.setCurrentWidget(window.queues)
    qtbot.waitUntil(window.queues.list.hasFocus)  # the queue list under the keyboard at once
    assert window.queues.counts_text()[0] == "Awaiting investigator confirmation (1)"
    sign_screening(store, investigator, signed, TEST_PASSWORD)
    window.log_view.model.reload()  # what every change in the main window ends with
    assert window.queues.counts_text()[0] == "Awaiting investigator confirmation (0)"
    assert window.queues.model.rowCount() == 0


def test_attach_open_and_replace_a_pdf(
    qtbot: QtBot, protocol: LoadedProtocol, store: Store, tmp_path: Path
) -> None:
    coordinator, _, _ = _site(store)
    sid = screened(store, coordinator, protocol)
    dialog = AttachmentsDialog(store, protocol, coordinator, sid)
    qtbot.addWidget(dialog)
    add = AddAttachmentDialog(store, protocol, coordinator, sid, None, dialog)
    qtbot.addWidget(add)
    add.path.setText(str(_pdf(tmp_path / "report.pdf")))
    add.title.setText("Pancreas biopsy, 2023-02-20")
    add.kind.setCurrentIndex(add.kind.findData("pathology_report"))
    add.concerns.setCurrentIndex(add.concerns.findData("acr_histopathology"))
    add._on_accepted()
    assert add.result() == add.DialogCode.Accepted
    dialog.reload()
    assert dialog.tree.topLevelItem(0).text(0) == "Pancreas biopsy, 2023-02-20"
    dialog._on_open_button_clicked()
    viewer = dialog.viewer
    qtbot.addWidget(viewer)
    assert viewer.problem is None
    assert viewer.pages == 2
    assert "Pathology report" in viewer.heading.text()
    viewer.close()
    # A new version: the old one stays, listed as replaced.
    again = AddAttachmentDialog(store, protocol, coordinator, sid, dialog.selected(), dialog)
    qtbot.addWidget(again)
    again.path.setText(str(_png(tmp_path / "report.png")))
    again._on_accepted()
    dialog.reload()
    states = [dialog.tree.topLevelItem(i).text(4) for i in range(dialog.tree.topLevelItemCount())]
    assert states == ["current (new version)", "replaced by a new version"]
    dialog._on_open_button_clicked()
    qtbot.addWidget(dialog.viewer)
    assert (dialog.viewer.problem, dialog.viewer.pages) == (None, 1)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [("scan.pdf", b"\x89PNG\r\n\x1a\n0000", "named as a PDF, but its content is a PNG image"),
     ("notes.txt", b"hello", "is not a PDF, PNG or JPEG file")],
)  # fmt: skip
def test_a_wrong_file_is_said_in_the_dialog(
    qtbot: QtBot,
    protocol: LoadedProtocol,
    store: Store,
    tmp_path: Path,
    name: str,
    content: bytes,
    words: str,
) -> None:
    coordinator, _, _ = _site(store)
    sid = screened(store, coordinator, protocol)
    add = AddAttachmentDialog(store, protocol, coordinator, sid, None)
    qtbot.addWidget(add)
    (tmp_path / name).write_bytes(content)
    add.path.setText(str(tmp_path / name))
    add.title.setText("Scan")
    add._on_accepted()
    assert not add.error.isHidden()
    assert words in add.error.text()
    assert attachments_of(store, sid) == []


def _attach_lab_sheet(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, user: User, sid: int, folder: Path
) -> None:
    """A PNG lab sheet attached through the dialog, as a coordinator attaches one."""
    add = AddAttachmentDialog(store, protocol, user, sid, None)
    qtbot.addWidget(add)
    add.path.setText(str(_png(folder / "labs.png")))
    add.title.setText("Lab sheet")
    add._on_accepted()


def test_a_monitor_opens_but_does_not_change(
    qtbot: QtBot,
    protocol: LoadedProtocol,
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    coordinator, _, monitor = _site(store)
    sid = screened(store, coordinator, protocol)
    _attach_lab_sheet(qtbot, store, protocol, coordinator, sid, tmp_path)
    watching = AttachmentsDialog(store, protocol, monitor, sid)
    qtbot.addWidget(watching)
    assert not watching.add_button.isEnabled()
    assert not watching.replace_button.isEnabled()
    assert not watching.remove_button.isEnabled()
    assert watching.open_button.isEnabled()
    # The monitor's opening is in the audit trail: who opened which document, when.
    watching._on_open_button_clicked()
    qtbot.addWidget(watching.viewer)
    assert watching.viewer.problem is None
    from desktop_app.ui.record_dialogs import AuditTrailDialog

    trail = AuditTrailDialog(store, sid, None, protocol)
    qtbot.addWidget(trail)
    rows = [
        [trail.table.item(r, c).text() for c in (1, 2, 4)] for r in range(trail.table.rowCount())
    ]
    [opened] = [r for r in rows if r[1] == "Attachment opened"]
    assert opened[0] == "Ms. Monitor"
    assert opened[2].startswith("Lab sheet · SHA-256 ")
    # The coordinator removes it, with a reason: it stays, marked removed.
    working = AttachmentsDialog(store, protocol, coordinator, sid)
    qtbot.addWidget(working)
    answer_dialogs(monkeypatch, text="scanned for the wrong candidate")
    working._on_remove_button_clicked()
    assert (
        working.tree.topLevelItem(0).text(4)
        == "removed by Test Coordinator: scanned for the wrong candidate"
    )
    assert not working.remove_button.isEnabled()


def test_the_queue_model_passes_the_model_tester(
    qtmodeltester: object, store: Store, protocol: LoadedProtocol
) -> None:
    from desktop_app.ui.queues import QueueModel

    coordinator, _, _ = _site(store)
    screened(store, coordinator, protocol)
    model = QueueModel(store)
    model.show_queue("eligible_no_outcome")
    assert model.rowCount(QModelIndex()) == 1
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_the_audit_trail_says_what_was_attached_and_removed(
    qtbot: QtBot, protocol: LoadedProtocol, store: Store
) -> None:
    from desktop_app.store.attachments import add_attachment, remove_attachment
    from desktop_app.ui.record_dialogs import AuditTrailDialog

    coordinator, _, _ = _site(store)
    sid = screened(store, coordinator, protocol)
    added = add_attachment(store, coordinator, sid, file_name="c.pdf", content=b"%PDF-1.4\n%%EOF\n",
                           kind="signed_consent", title="Consent scan")  # fmt: skip
    remove_attachment(store, coordinator, added.id, "illegible")
    trail = AuditTrailDialog(store, sid, None, protocol)
    qtbot.addWidget(trail)
    rows = [
        [trail.table.item(r, c).text() for c in (1, 2, 4, 5)]  # type: ignore[union-attr]
        for r in range(trail.table.rowCount())
    ]
    assert [
        "Test Coordinator",
        "Attachment added",
        f"Consent scan · SHA-256 {added.sha256[:16]}…",
        "",
    ] in rows
    removed = [r for r in rows if r[1] == "Attachment removed"]
    assert [(r[0], r[3]) for r in removed] == [("Test Coordinator", "illegible")]


def test_a_screening_opened_from_open_queries_shows_the_queried_field(
    qtbot: QtBot, protocol: LoadedProtocol, store: Store
) -> None:
    from desktop_app.store.annotations import raise_query

    coordinator, _, monitor = _site(store)
    sid = screened(store, coordinator, protocol, initials="AB")
    raise_query(store, monitor, sid, "hbsag", "Source shows a different date of the HBsAg test?")
    window = MainWindow(protocol, store, coordinator)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    panel = window.queues
    window.tabs.setCurrentWidget(panel)
    panel.list.setCurrentRow(panel.list.count() - 2)
    assert panel.current_queue() == "open_queries"
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    [wizard] = window.wizards
    qtbot.waitExposed(wizard)
    assert wizard.current_step == "infection"
    field = wizard.pages["infection"].widgets["hbsag"]
    qtbot.waitUntil(lambda: field.isAncestorOf(wizard.focusWidget()))
    # Opened from the log, the same screening resumes where it was left (the review).
    wizard.close()
    window.open_wizard(sid)
    assert window.wizards[-1].current_step == "review"
    window.wizards[-1].close()


def test_a_read_only_window_does_not_offer_to_open_a_source_document(
    qtbot: QtBot, protocol: LoadedProtocol, store: Store, tmp_path: Path
) -> None:
    """Every opening is recorded in the audit trail, which a read-only window (another Eligo
    writes the store) cannot write: Open is not offered there, and says why."""
    from helpers import open_test_store

    from desktop_app.store import get_account

    coordinator, _, _ = _site(store)
    sid = screened(store, coordinator, protocol)
    _attach_lab_sheet(qtbot, store, protocol, coordinator, sid, tmp_path)
    with open_test_store(tmp_path / "data", read_only=True) as reader:
        dialog = AttachmentsDialog(reader, protocol, get_account(reader, "coordinator"), sid)
        qtbot.addWidget(dialog)
        dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
        assert dialog.selected() is not None
        assert not dialog.open_button.isEnabled()
        assert "audit trail" in dialog.open_button.toolTip()
        writable = AttachmentsDialog(store, protocol, coordinator, sid)
        qtbot.addWidget(writable)
        writable.tree.setCurrentItem(writable.tree.topLevelItem(0))
        assert writable.open_button.isEnabled()
