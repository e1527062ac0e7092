"""Screenshots of the real application with DEMO data: the main window and every wizard step.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUT_DIR]

Writes PNGs to docs/screenshots/ by default; the README shows them.
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
from desktop_app.store import authenticate, open_store
from desktop_app.store.demo import fill_demo
from desktop_app.store.log import LogQuery, log_page
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.wizard import ScreeningWizard


def main() -> None:
    out = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    )
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    QCoreApplication.setOrganizationName("EligoScreenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        protocol = default_protocol()
        store = open_store(Path(tmp) / "demo")
        fill_demo(store, protocol)
        user = authenticate(store, "demo.coordinator", "demo-coordinator-2019")
        window = MainWindow(protocol, store, user, idle_ms=3_600_000)
        window.resize(1280, 760)
        window.show()
        app.processEvents()
        window.grab().save(str(out / "main-window.png"))
        # A woman's screening with a warning, so that every step (reproductive too) shows.
        rows = log_page(store, LogQuery(status="incomplete", limit=50)).rows
        wizard = ScreeningWizard(store, protocol, user, rows[0].screening_id)
        wizard.resize(1280, 800)
        wizard.show()
        applicable = [wizard.step_list.item(i).data(256) for i in range(wizard.step_list.count())]
        for number, step in enumerate(applicable, start=1):
            wizard.go_to(step)
            app.processEvents()
            wizard.grab().save(str(out / f"wizard-{number:02d}-{step}.png"))
        wizard.close()
        window.close()
        store.close()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()
