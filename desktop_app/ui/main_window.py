"""The main window; until the wizard lands it shows the loaded protocol and its criteria."""

from __future__ import annotations

import gc
import logging
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.memory import limit_malloc_arenas
from desktop_app.rules import LoadedProtocol
from desktop_app.store import (
    Store,
    StoreError,
    User,
    get_screening,
    get_site,
    sqlite_library_version,
    start_screening,
)
from desktop_app.store.accounts import idle_minutes
from desktop_app.store.log import status_counts
from desktop_app.ui import language
from desktop_app.ui.forms import (
    QT_TRANSLATE_NOOP,
    ElidedLabel,
    fit_to_screen,
    roles_in_words,
    run_modal,
    said,
)
from desktop_app.ui.idle_lock import IdleWatcher, LockScreen
from desktop_app.ui.language import current, tx
from desktop_app.ui.log_model import status_word
from desktop_app.ui.log_view import NewScreeningDialog, ScreeningLogView
from desktop_app.ui.queues import install_queues
from desktop_app.ui.screen_fit import keep_on_screen

if TYPE_CHECKING:
    from desktop_app.store.check import ReplayReport
    from desktop_app.ui.wizard import ScreeningWizard

# The dialogs, the wizard, printing and export are imported when first used, not at start: the
# main window appears sooner (bench/bench_ui.py measures it).


# The protocol names its phase in English (the registry's word); shown in the user's language.
PHASES = {"Phase 4": QT_TRANSLATE_NOOP("MainWindow", "Phase 4")}


def _collect_soon() -> None:
    """Free a destroyed wizard's Python side now. Its wrappers, pages, widgets and results refer
    to each other (about 1,250 objects in cycles), which only the cycle collector frees; its
    oldest generation runs more and more rarely as the session's objects grow, so over a clinic
    day closed wizards piled up (peak memory grew 29% after warm-up in bench/soak_day.py). One
    full collection at the next quiet point, shared by every wizard gone by then (a sign-out
    closes them all), takes 20 to 30 ms."""
    if not _collection["pending"]:
        _collection["pending"] = True
        QTimer.singleShot(0, _collect)


_collection = {"pending": False}


def _collect() -> None:
    _collection["pending"] = False
    gc.collect()


class MainWindow(QMainWindow):
    user_changed = Signal(object)

    def __init__(
        self, loaded: LoadedProtocol, store: Store, user: User, *, idle_ms: int | None = None
    ) -> None:
        super().__init__()
        limit_malloc_arenas()  # before the first export's worker threads (after the first paint)
        self.store = store
        self.user = user
        self.built_in = current()  # the language its menus, toolbar and tabs were made in
        meta = loaded.protocol.metadata
        self.setWindowTitle(self.tr("Eligo – {0}").format(meta.registry_id))
        self._build_menus()

        self.title_label = QLabel(tx(meta.title))
        self.title_label.setObjectName("protocolTitle")
        font = self.title_label.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)

        facts = QFormLayout()
        self.registry_label = QLabel(f"{meta.registry_id} ({meta.registry})")
        self.version_label = QLabel(meta.protocol_version)
        self.sha_label = QLabel(loaded.sha256)
        self.sha_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts.addRow(self.tr("Registry id:"), self.registry_label)
        facts.addRow(self.tr("Sponsor:"), QLabel(meta.sponsor))
        facts.addRow(
            self.tr("Phase:"),
            QLabel(f"{self.tr(PHASES.get(meta.phase, meta.phase))}; {tx(meta.design)}"),
        )
        facts.addRow(self.tr("Protocol version:"), self.version_label)
        facts.addRow(self.tr("Protocol sha256:"), self.sha_label)
        facts.addRow(self.tr("Registered end date:"), QLabel(meta.registered_end_date.isoformat()))

        self.criteria_tree = QTreeWidget()
        self.criteria_tree.setHeaderLabels([self.tr("Criterion"), self.tr("Registry wording")])
        self.criteria_tree.setRootIsDecorated(False)
        self.criteria_tree.setWordWrap(True)
        for c in loaded.protocol.criteria:
            item = QTreeWidgetItem([f"{c.id}  {tx(c.label)}", tx(c.registry_text)])
            item.setToolTip(1, tx(c.registry_text))
            self.criteria_tree.addTopLevelItem(item)
        self.criteria_tree.setColumnWidth(0, 380)

        layout = QVBoxLayout()
        layout.addWidget(self.title_label)
        layout.addLayout(facts)
        layout.addWidget(QLabel(self.tr("Eligibility criteria")))
        layout.addWidget(self.criteria_tree, 1)
        protocol_tab = QWidget()
        protocol_tab.setLayout(layout)
        self.protocol = loaded
        self.log_view = ScreeningLogView(store, user)
        self.first_run = FirstRunPanel(self)
        self.tabs = QTabWidget()
        log_tab = QWidget()
        log_layout = QVBoxLayout(log_tab)
        log_layout.setContentsMargins(0, 0, 0, 0)
        log_layout.addWidget(self.first_run)
        log_layout.addWidget(self.log_view, 1)
        self.tabs.addTab(log_tab, self.tr("Screening &log"))
        self.tabs.addTab(protocol_tab, self.tr("&Protocol"))
        self.setCentralWidget(self.tabs)
        site = get_site(store)
        self.site = site
        # The status bar holds what a coordinator needs at a glance (demo or not, site, counts,
        # who is signed in); where the data lives and the SQLite version are in its tooltip and in
        # About, so that nothing is cut off at a laptop's width.
        self.counts_label = ElidedLabel()  # whole in its tooltip, where the bar is narrow
        if site:
            self.setWindowTitle(self.tr("Eligo – {0} – {1}").format(site.name, meta.registry_id))
        parts = [site.code if site else self.tr("no site set up yet")]
        if store.read_only:
            parts.append(self.tr("read-only: another Eligo is writing"))
        self.store_label = QLabel(" · ".join(parts))
        self.store_label.setToolTip(
            "\n".join([
                site.name if site else self.tr("no site set up yet"),
                self.tr("Data: {0}").format(store.data_dir),
                self.tr("SQLite {0}").format(sqlite_library_version()),
                self.tr("Eligo {0} – offline").format(__version__),
            ])
        )  # fmt: skip
        if site and site.is_demo:
            self.demo_label = QLabel(self.tr("DEMO"))
            self.demo_label.setToolTip(self.tr("DEMO – sample data, not real patients"))
            self.demo_label.setAccessibleName(self.tr("DEMO – sample data, not real patients"))
            self.demo_label.setStyleSheet(
                "QLabel { background: #b00020; color: white; font-weight: bold; padding: 2px 8px; }"
            )
            self.statusBar().addWidget(self.demo_label)
        self.statusBar().addWidget(self.store_label)
        self.statusBar().addWidget(self.counts_label, 1)
        self._show_counts()
        self.user_label = QLabel()  # at the right of the menu bar, beside the Account menu
        self.user_label.setContentsMargins(8, 0, 8, 0)
        self.menuBar().setCornerWidget(self.user_label, Qt.Corner.TopRightCorner)
        self.wizards: list[ScreeningWizard] = []
        self.lock_screen = LockScreen(store, user, self)
        self.idle = IdleWatcher(
            idle_ms if idle_ms is not None else idle_minutes(store) * 60_000, self
        )
        self._connect_signals()
        self.queues = install_queues(self)  # the work queues tab (ui/queues.py)
        self._show_user()
        self._show_first_run()
        self.restore_geometry()

    def _build_menus(self) -> None:
        screening = self.menuBar().addMenu(self.tr("&Screening"))
        self.new_action = QAction(self.tr("&New screening…"), self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.continue_action = QAction(self.tr("&Continue the selected screening"), self)
        self.continue_action.setShortcut(QKeySequence("Ctrl+O"))
        self.rescreen_action = QAction(self.tr("&Re-screen the selected candidate"), self)
        self.outcome_action = QAction(self.tr("Record the &outcome…"), self)
        self.audit_action = QAction(self.tr("&Audit trail of the selected screening…"), self)
        self.attachments_action = QAction(self.tr("Attac&hments of the selected screening…"), self)
        self.about_action = QAction(self.tr("&About Eligo"), self)
        self.print_summary_action = QAction(
            self.tr("&Print the summary of the selected screening…"), self
        )
        self.print_summary_action.setShortcut(QKeySequence.StandardKey.Print)
        self.pdf_summary_action = QAction(self.tr("Save the summary as P&DF…"), self)
        self.print_log_action = QAction(self.tr("Print the screening &log…"), self)
        self.pdf_log_action = QAction(self.tr("Save the screening log as PD&F…"), self)
        self.export_action = QAction(self.tr("&Export a signed bundle…"), self)
        self.verify_action = QAction(self.tr("&Verify a bundle…"), self)
        self.trusted_keys_action = QAction(self.tr("&Trusted keys…"), self)
        self.consolidated_action = QAction(
            self.tr("Consolidated store (&coordinating centre)…"), self
        )
        self.letter_action = QAction(self.tr("Use US &Letter paper (A4 otherwise)"), self)
        self.letter_action.setCheckable(True)
        self.letter_action.setChecked(QSettings().value("print/page_size", "A4") == "Letter")
        # A monitor records that a screening's audit trail was reviewed (ui/audit_review_dialog.py).
        self.review_action = QAction(self.tr("Audit trail re&viewed…"), self)
        for action in (self.new_action, self.continue_action, self.rescreen_action, self.outcome_action,
                       self.audit_action, self.attachments_action, self.review_action):  # fmt: skip
            screening.addAction(action)
        toolbar = self.addToolBar(self.tr("Screening"))
        toolbar.setObjectName("screeningToolbar")
        toolbar.addAction(self.new_action)
        toolbar.addAction(self.continue_action)
        toolbar.addAction(self.outcome_action)
        toolbar.addAction(self.audit_action)
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        for action in (self.print_summary_action, self.pdf_summary_action, self.print_log_action,
                       self.pdf_log_action, self.letter_action, self.export_action, self.verify_action,
                       self.trusted_keys_action, self.consolidated_action):  # fmt: skip
            file_menu.addAction(action)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        file_menu.addAction(self.quit_action)
        account = self.menuBar().addMenu(self.tr("&Account"))
        self.lock_action = QAction(self.tr("&Lock now"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.my_account_action = QAction(self.tr("&My account and password…"), self)
        self.accounts_action = QAction(self.tr("&Accounts… (administrators)"), self)
        self.export_key_action = QAction(self.tr("Export my &public key…"), self)
        for action in (
            self.lock_action,
            self.my_account_action,
            self.export_key_action,
            self.accounts_action,
        ):
            account.addAction(action)
        self.guide_action = QAction(self.tr("&User guide"), self)
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.shortcuts_action = QAction(self.tr("&Keyboard shortcuts"), self)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        for action in (self.guide_action, self.shortcuts_action, self.about_action):
            help_menu.addAction(action)

    def _connect_signals(self) -> None:
        self.new_action.triggered.connect(self._on_new_action_triggered)
        self.continue_action.triggered.connect(self._on_continue_action_triggered)
        # Double-click or Enter on a row (the platform's "activate") continues that screening.
        self.log_view.table.activated.connect(self._on_continue_action_triggered)
        self.rescreen_action.triggered.connect(self._on_rescreen_action_triggered)
        self.outcome_action.triggered.connect(self._on_outcome_action_triggered)
        self.audit_action.triggered.connect(self._on_audit_action_triggered)
        self.attachments_action.triggered.connect(self._on_attachments_action_triggered)
        self.review_action.triggered.connect(self._on_review_action_triggered)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        self.guide_action.triggered.connect(self._on_guide_action_triggered)
        self.shortcuts_action.triggered.connect(self._on_shortcuts_action_triggered)
        self.first_run.new_button.clicked.connect(self._on_new_action_triggered)
        self.first_run.accounts_button.clicked.connect(self._on_accounts_action_triggered)
        self.print_summary_action.triggered.connect(lambda: self._print(summary=True, pdf=False))
        self.pdf_summary_action.triggered.connect(lambda: self._print(summary=True, pdf=True))
        self.print_log_action.triggered.connect(lambda: self._print(summary=False, pdf=False))
        self.pdf_log_action.triggered.connect(lambda: self._print(summary=False, pdf=True))
        self.letter_action.toggled.connect(self._on_letter_action_toggled)
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.verify_action.triggered.connect(self._on_verify_action_triggered)
        self.trusted_keys_action.triggered.connect(self._on_trusted_keys_action_triggered)
        self.consolidated_action.triggered.connect(self._on_consolidated_action_triggered)
        self.export_key_action.triggered.connect(self._on_export_key_action_triggered)
        self.quit_action.triggered.connect(self.close)
        self.lock_action.triggered.connect(self._on_lock_action_triggered)
        self.my_account_action.triggered.connect(self._on_my_account_action_triggered)
        self.accounts_action.triggered.connect(self._on_accounts_action_triggered)
        self.idle.idle_timed_out.connect(self._on_lock_action_triggered)
        self.lock_screen.unlocked.connect(self._on_lock_screen_unlocked)

    def _show_user(self) -> None:
        self.user_label.setText(
            self.tr("Signed in: {0} ({1})").format(
                self.user.full_name,
                roles_in_words(self.user.roles),
            )
        )
        self.accounts_action.setEnabled("administrator" in self.user.roles)
        self.review_action.setEnabled("monitor" in self.user.roles and not self.store.read_only)
        from desktop_app.store.roles import EXPORT_ROLES, SCREENING_ROLES, has_role

        # What this user's roles do not allow is not offered (it used to be refused only after
        # the dialog was filled in); set again at each sign-in, for whoever signs in.
        screens = has_role(self.user, *SCREENING_ROLES)
        for action in (self.new_action, self.rescreen_action, self.outcome_action):
            action.setEnabled(screens)
            action.setToolTip("" if screens else self.tr(
                "Monitors read screenings and raise queries; they do not enter them"))  # fmt: skip
        exports = has_role(self.user, *EXPORT_ROLES)  # a monitor reads and verifies
        self.export_action.setEnabled(exports)
        self.export_action.setToolTip("" if exports else self.tr(
            "Monitors verify bundles; they do not export"))  # fmt: skip
        if self.store.read_only:  # another Eligo writes: what would write here is not offered
            for action in (self.new_action, self.rescreen_action, self.outcome_action,
                           self.export_action, self.accounts_action):  # fmt: skip
                action.setEnabled(False)
                action.setToolTip(self.tr("Read-only: another Eligo is writing to this data"))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.idle.watch(self.windowHandle())  # its input keeps the lock away, focused or not

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.lock_screen.isVisible():
            self.lock_screen.setGeometry(self.rect())

    @property
    def locked(self) -> bool:
        return self.lock_screen.isVisible()

    @Slot()
    def _on_lock_action_triggered(self) -> None:
        self.idle.pause()
        # A dialog left open would stay usable above the lock (the accounts, an export, a
        # signature): each is cancelled, as if its Cancel were pressed; nothing typed in one was
        # saved yet, and every wizard answer already is.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() and widget not in self.wizards:
                widget.reject()
        for wizard in self.wizards:  # the lock covers every window, not only this one
            wizard.hide()
        end_session_with_checkpoint(self.store, "idle_lock")
        self.lock_screen.lock()

    @Slot(object)
    def _on_lock_screen_unlocked(self, user: User) -> None:
        if user.id != self.user.id:
            # Another person: the first user's wizards close (every answer in them is saved).
            for wizard in self.wizards:
                wizard.close()
            self.wizards = []
            self.user = user
            self._show_user()
            self.log_view.set_user(user)  # their own search and filter, not the last user's
            self._show_first_run()
            self.user_changed.emit(user)
        else:
            for wizard in self.wizards:
                wizard.show()
        self.idle.resume()
        if current() != self.built_in:
            self._offer_restart()

    def _offer_restart(self) -> None:
        """A language chosen at the lock screen's sign-in: this window's menus, toolbar and tabs
        were made in the other one. Eligo offers to start again in it (everything is saved; the
        sign-out and the exit backup run as at any exit)."""
        answer = QMessageBox.question(
            self, self.tr("Restart Eligo?"),
            self.tr("The screens change to the language you chose once Eligo starts again. Every "
                    "answer is saved. Restart now?"),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            language.restart_requested = True
            self.close()

    def show_replay(self, report: ReplayReport) -> None:
        """The replay of the audit chain behind the window is in: the screenings it names are
        marked TAMPERED in the log, and a red TAMPERED label stays in the status bar."""
        if report.ok:
            return
        affected = report.affected()
        self.log_view.model.set_tampered(set(affected))
        label = QLabel(self.tr("TAMPERED"))
        label.setStyleSheet(
            "QLabel { background: #b00020; color: white; font-weight: bold; padding: 2px 8px; }"
        )
        label.setToolTip(self.tr("This store does not match its audit trail."))
        self.statusBar().insertWidget(0, label)
        self.tampered_label = label
        QMessageBox.critical(self, "Eligo", self.tr(
            "This store does not match its audit trail: {0} value(s) differ from what the audit trail "
            "records, in {1} screening(s), which the log marks TAMPERED.\n\nFirst: {2}\n\nExports are "
            "refused until this is resolved. Ask your administrator to run db check, which names every "
            "difference, and to restore the newest good backup.").format(
                len(report.divergences), len(affected), report.divergences[0].line()))  # fmt: skip

    @Slot()
    def _on_my_account_action_triggered(self) -> None:
        from desktop_app.ui.accounts_dialog import MyAccountDialog

        run_modal(MyAccountDialog(self.store, self.user, self))

    @Slot()
    def _on_accounts_action_triggered(self) -> None:
        from desktop_app.ui.accounts_dialog import AccountsDialog

        dialog = AccountsDialog(self.store, self.user, self)
        dialog.idle_minutes_changed.connect(self._on_idle_minutes_changed)
        run_modal(dialog)
        self._show_first_run()

    @Slot(int)
    def _on_idle_minutes_changed(self, minutes: int) -> None:
        self.idle.set_interval(minutes * 60_000)

    @Slot(bool)
    def _on_letter_action_toggled(self, on: bool) -> None:
        from desktop_app.ui.print_actions import set_page_size

        set_page_size("Letter" if on else "A4")

    @Slot()
    def _on_export_action_triggered(self) -> None:
        from desktop_app.ui.export_dialogs import ExportDialog

        exported = ExportDialog.ask(self.store, self.protocol, self.user, self)
        if exported is not None:
            self.statusBar().showMessage(exported.summary(), 10000)
            QMessageBox.information(self, self.tr("Exported"), exported.result_text())

    @Slot()
    def _on_verify_action_triggered(self) -> None:
        from desktop_app.ui.export_dialogs import VerifyDialog

        VerifyDialog.ask(self, self.store)

    @Slot()
    def _on_trusted_keys_action_triggered(self) -> None:
        from desktop_app.ui.export_dialogs import TrustedKeysDialog

        run_modal(TrustedKeysDialog(self.store, self.user, self))

    @Slot()
    def _on_consolidated_action_triggered(self) -> None:
        from desktop_app.ui.consolidated_dialog import ConsolidatedDialog

        run_modal(ConsolidatedDialog(self.store, self.protocol, self.user, self))

    @Slot()
    def _on_export_key_action_triggered(self) -> None:
        from desktop_app.ui.export_dialogs import export_public_key

        self.statusBar().showMessage(export_public_key(self.store, self.user, self), 10000)

    def _show_counts(self) -> None:
        counts = status_counts(self.store)
        shown = " · ".join(f"{status_word(status)} {n}" for status, n in counts.items() if n)
        self.counts_label.setText(
            self.tr("{0} screenings: {1}").format(sum(counts.values()), shown)
        )

    def open_wizard(self, screening_id: int) -> ScreeningWizard:
        from desktop_app.ui.wizard import ScreeningWizard

        for open_ in self.wizards:
            # One wizard per screening: a second would evaluate with answers the first has since
            # changed, and save a determination that does not match the stored answers.
            if open_.screening_id == screening_id and open_.isVisible():
                open_.raise_()
                open_.activateWindow()
                return open_
        wizard = ScreeningWizard(self.store, self.protocol, self.user, screening_id, self)
        # Qt deletes a closed wizard at a quiet point (every answer in it is saved): a day of
        # screenings does not keep every wizard alive behind the main window.
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.destroyed.connect(_collect_soon)
        wizard.finished.connect(self._on_wizard_finished)
        wizard.answer_saved.connect(self.queues.refresh)
        self.wizards.append(wizard)
        wizard.show()
        return wizard

    @Slot()
    def _on_wizard_finished(self) -> None:
        wizard = self.sender()
        self.wizards = [w for w in self.wizards if w.isVisible()]
        self.log_view.model.reload()
        self._show_counts()
        self._show_first_run()
        # The screening just worked on stays selected: Enter, Ctrl+O and the outcome act on it.
        from desktop_app.ui.wizard import ScreeningWizard

        if isinstance(wizard, ScreeningWizard):
            self.log_view.select_screening(wizard.screening_id)

    @Slot()
    def _on_new_action_triggered(self) -> None:
        screening_id = NewScreeningDialog.ask(self.store, self.protocol, self.user, self)
        if screening_id is not None:
            self.log_view.model.reload()
            self._show_first_run()
            self.log_view.select_screening(screening_id)
            self.open_wizard(screening_id)

    @Slot()
    def _on_continue_action_triggered(self) -> None:
        screening_id = self.log_view.selected_screening_id()
        if screening_id is not None:
            self.open_wizard(screening_id)

    @Slot()
    def _on_rescreen_action_triggered(self) -> None:
        screening_id = self.log_view.selected_screening_id()
        if screening_id is None:
            return
        from desktop_app.store.carry import carry_forward
        from desktop_app.store.records import attempts_of, rescreen_problem

        screening = get_screening(self.store, screening_id)
        problem = rescreen_problem(self.store, screening.candidate_id)
        if problem is not None:
            QMessageBox.information(
                self, self.tr("Not re-screened"), problem[0].upper() + problem[1:] + "."
            )
            return
        latest = attempts_of(self.store, screening.candidate_id)[-1]
        answer = QMessageBox.question(
            self, self.tr("Re-screen {0}?").format(screening.screening_number),
            self.tr("Start screening attempt {0} of {1}? Attempt {2} stays as it is recorded ({3}).").format(
                latest.attempt + 1, screening.screening_number, latest.attempt, status_word(latest.status)),
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        offer = QMessageBox.question(
            self, self.tr("Start from attempt {0}?").format(latest.attempt),
            self.tr("The date of birth and sex are taken from attempt {0}. Also offer its other answers "
                    "that are not time-bound (laboratory results, imaging, test dates, the pregnancy test "
                    "and consent are never copied)? Each is marked 'from attempt {0}' and counts only "
                    "once you confirm it.").format(latest.attempt),
        ) == QMessageBox.StandardButton.Yes  # fmt: skip
        try:
            new = start_screening(self.store, self.user, screening.candidate_id, self.protocol)
            carry_forward(self.store, self.user, new.id, self.protocol, offer=offer)
        except StoreError as exc:  # bad input, no permission, a full disk: said in words
            QMessageBox.warning(self, self.tr("Not re-screened"), said(exc))
            return
        self.log_view.model.reload()
        self.open_wizard(new.id)

    @Slot()
    def _on_outcome_action_triggered(self) -> None:
        screening_id = self.log_view.selected_screening_id()
        if screening_id is not None and run_modal(
            _record_dialogs().OutcomeDialog(self.store, self.user, screening_id, self)
        ):
            self._on_wizard_finished()

    @Slot()
    def _on_audit_action_triggered(self) -> None:
        screening_id = self.log_view.selected_screening_id()
        if screening_id is not None:
            run_modal(
                _record_dialogs().AuditTrailDialog(self.store, screening_id, self, self.protocol)
            )

    @Slot()
    def _on_attachments_action_triggered(self) -> None:
        screening_id = self.log_view.selected_screening_id()
        if screening_id is not None:
            from desktop_app.ui.attachments import AttachmentsDialog

            run_modal(AttachmentsDialog(self.store, self.protocol, self.user, screening_id, self))

    @Slot()
    def _on_review_action_triggered(self) -> None:
        screening_id = self.log_view.selected_screening_id()
        if screening_id is not None:
            from desktop_app.ui.audit_review_dialog import AuditReviewDialog

            run_modal(AuditReviewDialog(self.store, self.user, screening_id, self))

    def _show_first_run(self) -> None:
        """The first-run panel while the store holds no screening at all."""
        empty = sum(status_counts(self.store).values()) == 0
        self.first_run.show_for(self.user, self.store) if empty else self.first_run.hide()

    @Slot()
    def _on_guide_action_triggered(self) -> None:
        from desktop_app.ui.help_dialogs import UserGuideDialog

        run_modal(UserGuideDialog(self))

    @Slot()
    def _on_shortcuts_action_triggered(self) -> None:
        from desktop_app.ui.help_dialogs import ShortcutsDialog

        run_modal(ShortcutsDialog(self.findChildren(QAction), self))

    @Slot()
    def _on_about_action_triggered(self) -> None:
        run_modal(_record_dialogs().AboutDialog(self.store, self.protocol, self))

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main/geometry", self.saveGeometry())
        super().closeEvent(event)

    def restore_geometry(self) -> None:
        geometry = QSettings().value("main/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            keep_on_screen(self)  # saved on a larger screen, or at another scaling
            return
        # First start: most of the screen (the log has nine columns), at least 960 x 640 where the
        # screen has room (at 150% a small laptop screen has less).
        screen = self.screen().availableGeometry()
        fit_to_screen(self, max(960, screen.width() * 4 // 5), max(640, screen.height() * 4 // 5))

    def _print(self, *, summary: bool, pdf: bool) -> None:
        screening_id = self.log_view.selected_screening_id() if summary else None
        if summary and screening_id is None:
            self.statusBar().showMessage(self.tr("Select a screening in the log first."), 6000)
            return
        from desktop_app.ui.print_actions import Printout

        printout = Printout.of_store(self.store, self.protocol, screening_id)
        if pdf:
            saved = printout.ask_and_save(self)
            if saved is not None:
                self.statusBar().showMessage(self.tr("Saved {0}").format(saved), 8000)
        else:
            printout.preview(self)


class FirstRunPanel(QFrame):
    """An empty store says what to do first, with a button for each step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.accounts_button = QPushButton(self.tr("Create acc&ounts…"))
        self.new_button = QPushButton(self.tr("Start the first scr&eening…"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.accounts_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.hide()

    def show_for(self, user: User, store: Store) -> None:
        admin = "administrator" in user.roles
        screens = any(r in user.roles for r in ("coordinator", "investigator"))
        self.text.setText(
            self.tr(
                "<h3>Welcome to Eligo</h3>No screening is recorded in this store yet. To begin:"
                "<ol><li>An administrator creates an account for each coordinator and investigator "
                "(Account &gt; Accounts…). Everyone signs in with their own name.</li>"
                "<li>A coordinator starts a screening (Screening &gt; New screening…, Ctrl+N) and "
                "answers its steps; every answer is saved as it is entered.</li>"
                "<li>The investigator confirms eligibility with a signature on the review.</li></ol>"
                "Help &gt; User guide explains each step."
            )
        )
        self.accounts_button.setVisible(admin)
        self.new_button.setVisible(screens and not store.read_only)
        self.show()


def end_session_with_checkpoint(store: Store, occasion: str) -> None:
    """The signed-in user's key signs the chain head (a checkpoint event), then leaves memory: the
    idle lock and sign-out end the session; unlocking opens it again with the password."""
    from desktop_app.store import StoreError
    from desktop_app.store.checkpoints import checkpoint, end_session

    try:
        checkpoint(store, occasion)
    except StoreError:  # a full disk: the lock still locks; the next checkpoint covers these events
        logging.getLogger("eligo").exception("the %s checkpoint was not written", occasion)
    end_session(store)


def _record_dialogs() -> ModuleType:
    from desktop_app.ui import record_dialogs

    return record_dialogs
