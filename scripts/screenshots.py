"""Screenshots of the real application with DEMO data: the main window and every wizard step.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUT_DIR]
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py --language zh-CN [OUT_DIR]

Writes PNGs to docs/screenshots/ by default (in Chinese, the main window and every wizard step
with "-zh-CN" in their names); the README shows them.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from desktop_app.rules import LoadedProtocol, default_protocol
from desktop_app.store import Store, access, authenticate
from desktop_app.store.demo import fill_demo
from desktop_app.store.log import LogQuery, log_page
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.wizard import ScreeningWizard


def main() -> None:
    args = sys.argv[1:]
    chinese = args[:2] == ["--language", "zh-CN"]
    args = args[2:] if chinese else args
    out = Path(args[0]) if args else Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    from desktop_app.ui import style

    style.install(app)  # as the application does
    QCoreApplication.setOrganizationName("EligoScreenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        if chinese:
            from desktop_app.ui import language

            language.apply("zh-CN")
        suffix = "-zh-CN" if chinese else ""
        protocol = default_protocol()
        store = access.new_store(Path(tmp) / "demo")
        fill_demo(store, protocol)
        user = authenticate(store, "demo.coordinator", "demo-coordinator-2019")
        window = MainWindow(protocol, store, user, idle_ms=3_600_000)
        window.resize(1280, 760)
        window.show()
        app.processEvents()
        window.grab().save(str(out / f"main-window{suffix}.png"))
        # A woman's screening with a warning, so that every step (reproductive too) shows.
        rows = log_page(store, LogQuery(status="incomplete", limit=50)).rows
        wizard = ScreeningWizard(store, protocol, user, rows[0].screening_id)
        wizard.resize(1280, 800)
        wizard.show()
        applicable = [wizard.step_list.item(i).data(256) for i in range(wizard.step_list.count())]
        for number, step in enumerate(applicable, start=1):
            wizard.go_to(step)
            app.processEvents()
            wizard.grab().save(str(out / f"wizard-{number:02d}-{step}{suffix}.png"))
        # The wizard on a small clinic screen (1024 x 600).
        wizard.resize(1024, 600)
        wizard.go_to(applicable[0])
        app.processEvents()
        wizard.grab().save(str(out / "wizard-1024x600.png"))
        wizard.close()
        if chinese:  # the English run makes the others
            window.close()
            store.close()
            print(f"screenshots written to {out}")
            return
        _coordinating_centre(app, store, protocol, window, Path(tmp), out)
        _query_thread(app, store, protocol, rows[0].screening_id, out)
        _dark(app, window, out)
        _dark_summary(app, store, protocol, Path(tmp), out)
        window.close()
        store.close()
    print(f"screenshots written to {out}")


def _query_thread(app: QApplication, store: Store, protocol: LoadedProtocol, screening_id: int,
                  out: Path) -> None:  # fmt: skip
    """A monitor's query answered by the coordinator, with a note beside the field: the wizard
    step and the coordinator's query thread dialog."""
    from desktop_app.store.annotations import answer_query, raise_query, reopen_query, save_note
    from desktop_app.ui.query_dialog import QueryDialog

    monitor = authenticate(store, "demo.monitor", "demo-monitor-2019")
    coordinator = authenticate(store, "demo.coordinator", "demo-coordinator-2019")
    query = raise_query(store, monitor, screening_id, "ppd_date", "The TB clinic's sheet says the PPD "
                        "was read on 2023-03-03: please check.", suggested_value="2023-03-03")  # fmt: skip
    answer_query(store, coordinator, query.id, "Checked: planted on 2023-03-02, read on 2023-03-03.",
                 new_value="2023-03-03", reason="the reading date, not the planting date")  # fmt: skip
    reopen_query(store, monitor, query.id, "Please also confirm the induration in mm.")
    answer_query(store, coordinator, query.id, "6 mm, recorded as negative.")
    raise_query(store, monitor, screening_id, "tb_elispot", "Which ELISpot assay was used?")
    save_note(
        store, coordinator, screening_id, "ppd", "Read by the TB nurse; sheet filed in the binder."
    )
    wizard = ScreeningWizard(store, protocol, coordinator, screening_id)
    wizard.resize(1280, 800)
    wizard.show()
    wizard.go_to("infection")
    app.processEvents()
    wizard.grab().save(str(out / "wizard-notes-and-queries.png"))
    dialog = QueryDialog(store, protocol, monitor, screening_id, "ppd_date", wizard)
    dialog.text.setPlainText("Thank you: matches the source.")
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / "query-thread.png"))
    dialog.close()
    wizard.close()


def _coordinating_centre(app: QApplication, store: Store, protocol: LoadedProtocol, window: MainWindow,
                         tmp: Path, out: Path) -> None:  # fmt: skip
    """The trusted keys and the consolidated store, with the DEMO site's bundle imported."""
    from desktop_app.export.bundle import write_bundle
    from desktop_app.export.keys import public_key_file
    from desktop_app.store.trusted_keys import import_trusted_keys
    from desktop_app.ui.consolidated_dialog import ConsolidatedDialog
    from desktop_app.ui.export_dialogs import TrustedKeysDialog

    coordinator = authenticate(store, "demo.coordinator", "demo-coordinator-2019")
    monitor = authenticate(store, "demo.monitor", "demo-monitor-2019")
    bundle = tmp / "demo-site.zip"
    write_bundle(store, protocol, coordinator, "demo-coordinator-2019", bundle)
    import_trusted_keys(store, monitor, public_key_file(store, coordinator)[0])
    keys = TrustedKeysDialog(store, monitor, window)
    keys.show()
    app.processEvents()
    keys.grab().save(str(out / "trusted-keys.png"))
    keys.close()
    centre = ConsolidatedDialog(store, protocol, monitor, window, folder=tmp / "centre")
    centre.import_files([bundle])
    centre.show()
    app.processEvents()
    centre.grab().save(str(out / "consolidated-store.png"))
    centre.close()


def _dark(app: QApplication, window: MainWindow, out: Path) -> None:
    """The main window under a dark palette, as a dark system theme would hand it to Qt (the
    offscreen platform has no theme of its own): every colour must come from the palette."""
    from PySide6.QtGui import QColor, QPalette

    light = app.palette()
    dark = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.AlternateBase, "#262626"),
                         (QPalette.ColorRole.Text, "#e6e6e6"), (QPalette.ColorRole.Button, "#333333"),
                         (QPalette.ColorRole.ButtonText, "#e6e6e6"), (QPalette.ColorRole.Highlight, "#2f65ca"),
                         (QPalette.ColorRole.HighlightedText, "#ffffff"),
                         (QPalette.ColorRole.PlaceholderText, "#8a8a8a")):  # fmt: skip
        dark.setColor(role, QColor(colour))
    app.setPalette(dark)
    app.processEvents()
    window.grab().save(str(out / "main-window-dark.png"))
    app.setPalette(light)


def _dark_summary(
    app: QApplication, store: Store, protocol: LoadedProtocol, tmp: Path, out: Path
) -> None:
    """The binder summary of a signed screening printed while the screen has a dark palette:
    the paper must still be black on white (page 1, rendered with pdftoppm when installed)."""
    import shutil
    import subprocess

    from PySide6.QtGui import QColor, QPalette

    from desktop_app.ui.print_actions import Printout

    light = app.palette()
    dark = QPalette(light)
    for role, colour in ((QPalette.ColorRole.Text, "#e6e6e6"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Window, "#2b2b2b")):  # fmt: skip
        dark.setColor(role, QColor(colour))
    signed = store.db.execute(
        "SELECT id FROM screenings WHERE sign_state = 'locked' ORDER BY id LIMIT 1"
    ).fetchone()
    app.setPalette(dark)
    try:
        pdf = tmp / "summary-dark.pdf"
        Printout.of_store(store, protocol, int(signed[0])).save_pdf(pdf)
    finally:
        app.setPalette(light)
    renderer = shutil.which("pdftoppm")
    if renderer is not None:
        subprocess.run([renderer, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(out / "summary-printed-under-dark-palette")], check=True)  # fmt: skip


if __name__ == "__main__":
    main()
