"""Run by tests/ui/test_screen_fit.py in a process of its own (QT_SCALE_FACTOR and the screen are
fixed when Qt starts): opens every window of Eligo on a DEMO store, on the offscreen screen the
test configured, and prints as JSON what does not fit:

- a window whose frame is not inside the screen's available geometry;
- a button, or the status bar, outside its window (cut off);
- a horizontal scroll bar on the wizard's form column or review table, the screening log or the
  audit trail;
- an audit trail cell whose wrapped text is taller than its row (cut);
- a status bar or menu bar label whose text is cut.

    python tests/ui/screen_fit_probe.py FOLDER [LANGUAGE]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSettings
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QMainWindow,
    QTableWidget,
    QWidget,
)


def problems_of(app: QApplication, name: str, window: QWidget) -> list[str]:
    deadline = time.monotonic() + 0.4  # the windows' own timers, once the frame is known
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    found: list[str] = []
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry()
    if not screen.contains(frame):
        found.append(f"{name}: frame {frame.getRect()} outside the screen {screen.getRect()}")
    inside = window.rect()
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or not button.text():
            continue
        scrolled = any(isinstance(p, QAbstractScrollArea) for p in _parents(button, window))
        where = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        if not scrolled and not inside.contains(where):
            found.append(
                f"{name}: button {button.text()!r} at {where.getRect()} outside {inside.getRect()}"
            )
    for area in window.findChildren(QAbstractScrollArea):
        sideways = area.isVisibleTo(window) and area.horizontalScrollBar().isVisible()
        if sideways and area.objectName() in (
            "formColumn",
            "screeningLog",
            "auditTrail",
            "auditTrailDetails",
            "reviewTable",
        ):
            found.append(f"{name}: {area.objectName()} scrolls sideways")
        if isinstance(area, QTableWidget) and area.objectName() == "auditTrail":
            found += [f"{name}: {cell}" for cell in _cut_cells(area)]
    if isinstance(window, QMainWindow):
        bar = window.statusBar()
        where = QRect(bar.mapTo(window, QPoint(0, 0)), bar.size())
        if not bar.isVisible() or not inside.contains(where):
            found.append(f"{name}: status bar at {where.getRect()} outside {inside.getRect()}")
        labels = [*bar.findChildren(QLabel), window.menuBar().cornerWidget()]
        for label in labels:
            if isinstance(label, QLabel) and label.isVisibleTo(window) and label.text():
                shown = label.contentsRect().width()
                needed = label.fontMetrics().horizontalAdvance(label.text())
                elided = getattr(label, "full_text", None) is not None
                if needed > shown and not elided:
                    found.append(f"{name}: label {label.text()!r} cut ({needed} > {shown})")
    return found


def _cut_cells(table: QTableWidget) -> list[str]:
    """Cells whose whole text, wrapped at its column's width (at spaces, or inside a word too long
    for the column), is taller than the row."""
    found = []
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            item = table.item(row, column)
            if item is None or not item.text() or table.isColumnHidden(column):
                continue
            layout = QTextLayout(item.text(), table.font())
            layout.setTextOption(option)
            layout.beginLayout()
            needed = 0.0
            while (line := layout.createLine()).isValid():
                line.setLineWidth(table.columnWidth(column) - 8)  # the cell's margins
                needed += line.height()
            layout.endLayout()
            if needed > table.rowHeight(row):
                found.append(f"auditTrail cell ({row}, {column}) {item.text()[:40]!r} cut")
    return found


def _parents(widget: QWidget, top: QWidget) -> list[QWidget]:
    found = []
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        found.append(parent)
        parent = parent.parentWidget()
    return found


def main() -> None:
    folder = Path(sys.argv[1])
    chosen = sys.argv[2] if len(sys.argv) > 2 else "en"
    app = QApplication([])
    QCoreApplication.setOrganizationName("EligoScreenFit")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings")
    )
    from helpers import open_test_store

    from desktop_app.export.bundle import write_bundle
    from desktop_app.export.verify import verify_bundle
    from desktop_app.rules import default_protocol
    from desktop_app.store import authenticate
    from desktop_app.store.demo import fill_demo
    from desktop_app.store.log import LogQuery, log_page
    from desktop_app.ui import language, style
    from desktop_app.ui.accounts_dialog import AccountsDialog
    from desktop_app.ui.export_dialogs import ExportDialog, TrustedKeysDialog, VerifyDialog
    from desktop_app.ui.login_dialog import LoginDialog
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.record_dialogs import AboutDialog, AuditTrailDialog
    from desktop_app.ui.setup_dialog import SetupDialog
    from desktop_app.ui.sign_dialog import SignDialog
    from desktop_app.ui.wizard import ScreeningWizard

    style.install(app)
    language.apply(chosen)
    protocol = default_protocol()
    found: list[str] = []
    with open_test_store(folder / "demo") as store:
        fill_demo(store, protocol, screenings=6)
        users = {u: authenticate(store, f"demo.{u}", f"demo-{u}-2019")
                 for u in ("coordinator", "investigator", "admin", "monitor")}  # fmt: skip
        coordinator = users["coordinator"]
        bundle = folder / "bundle.zip"
        write_bundle(store, protocol, coordinator, "demo-coordinator-2019", bundle)
        main = MainWindow(protocol, store, users["investigator"], idle_ms=3_600_000)
        main.restore_geometry()
        main.show()
        found += problems_of(app, "main window", main)
        rows = log_page(store, LogQuery(limit=50)).rows
        incomplete = next(r for r in rows if r.status in ("incomplete", "draft"))
        wizard = ScreeningWizard(store, protocol, coordinator, incomplete.screening_id)
        wizard.show()
        steps = [wizard.step_list.item(i).data(256) for i in range(wizard.step_list.count())]
        for step in steps:
            wizard.go_to(step)
            found += problems_of(app, f"wizard step {step}", wizard)
        wizard.close()
        unsigned = next(r for r in rows if r.status in ("eligible", "ineligible"))
        dialogs: dict[str, Any] = {
            "sign-in": lambda: LoginDialog(store, main),
            "setup": lambda: SetupDialog(folder / "new", main),
            "accounts": lambda: AccountsDialog(store, users["admin"], main),
            "export": lambda: ExportDialog(store, protocol, coordinator, main),
            "verify": lambda: VerifyDialog(verify_bundle(bundle), bundle, main),
            "trusted keys": lambda: TrustedKeysDialog(store, users["monitor"], main),
            "audit trail": lambda: AuditTrailDialog(store, unsigned.screening_id, main, protocol),
            "signature": lambda: SignDialog(
                store, users["investigator"], unsigned.screening_id, main
            ),
            "about": lambda: AboutDialog(store, protocol, main),
        }
        for name, make in dialogs.items():
            dialog = make()
            dialog.show()
            found += problems_of(app, name, dialog)
            dialog.close()
        main.close()
    print(json.dumps(found))


if __name__ == "__main__":
    main()
