"""Screenshots of the work queues and of the attachment viewer, with DEMO data.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_queues.py [OUT_DIR]

Writes work-queues.png, work-queues-open-queries.png, work-queues-washout.png, attachments.png and attachment-viewer.png to
docs/screenshots/ by default.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from desktop_app.rules import default_protocol
from desktop_app.store import access, authenticate
from desktop_app.store.attachments import add_attachment
from desktop_app.store.demo import fill_demo
from desktop_app.store.queues import queue_page
from desktop_app.ui.attachments import AttachmentsDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.print_actions import Printout


def main() -> None:
    out = (
        Path(sys.argv[1])
        if sys.argv[1:]
        else Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    )
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    QCoreApplication.setOrganizationName("EligoScreenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        protocol = default_protocol()
        store = access.new_store(Path(tmp) / "demo")
        fill_demo(store, protocol)
        coordinator = authenticate(store, "demo.coordinator", "demo-coordinator-2019")
        investigator = authenticate(store, "demo.investigator", "demo-investigator-2019")
        monitor = authenticate(store, "demo.monitor", "demo-monitor-2019")
        from desktop_app.store.annotations import raise_query

        for row in queue_page(store, "eligible_no_outcome").rows[:2]:
            raise_query(
                store,
                monitor,
                row.screening_id,
                "consent_form_version",
                "Version 2.1 or 2.2 on the signed form?",
            )
        # The investigator's first view after sign-in: the queue awaiting their confirmation.
        window = MainWindow(protocol, store, investigator, idle_ms=3_600_000)
        window.resize(1280, 640)
        window.show()
        app.processEvents()
        window.grab().save(str(out / "work-queues.png"))
        panel = window.queues
        panel.list.setCurrentRow(panel.list.count() - 2)  # "Open queries"
        app.processEvents()
        window.grab().save(str(out / "work-queues-open-queries.png"))
        panel.list.setCurrentRow(panel.list.count() - 1)  # "Washout ends soon"
        app.processEvents()
        window.grab().save(str(out / "work-queues-washout.png"))
        # A screening with a scanned report (its own summary printout stands in for the scan).
        sid = queue_page(store, "eligible_no_outcome").rows[0].screening_id
        pdf = Path(tmp) / "report.pdf"
        Printout.of_store(store, protocol, sid).save_pdf(pdf, "A4")
        first = add_attachment(store, coordinator, sid, file_name="report.pdf", content=pdf.read_bytes(),
                               kind="pathology_report", title="Pancreas biopsy report, 2026-02-20",
                               question_id="acr_histopathology")  # fmt: skip
        add_attachment(store, coordinator, sid, file_name="report.pdf", content=pdf.read_bytes() + b"\n",
                       kind="pathology_report", title="Pancreas biopsy report, 2026-02-20 (signed copy)",
                       replaces=first.id)  # fmt: skip
        dialog = AttachmentsDialog(store, protocol, coordinator, sid, window)
        dialog.resize(1280, 260)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(out / "attachments.png"))
        dialog._on_open_button_clicked()
        viewer = dialog.viewer
        viewer.resize(900, 900)
        for _ in range(20):  # QPdfView renders pages in the background
            app.processEvents()
            QApplication.instance().thread().msleep(50)  # type: ignore[union-attr]
        viewer.grab().save(str(out / "attachment-viewer.png"))
        viewer.close()
        dialog.close()
        window.close()
        store.close()


if __name__ == "__main__":
    main()
