"""`python -m desktop_app self-test` (and the frozen program's `--self-test`): proves that this
installation works end to end, offline, in a temporary data directory that is removed afterwards.

One line per step, "ok" or "FAILED" with the reason; exit 0 only if every step worked. The
accounts it makes have a random password that is never shown or kept.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app import __version__


class SelfTest:
    def __init__(self, out: Callable[[str], None]) -> None:
        self.out = out
        self.failed = 0
        self.context: dict[str, Any] = {}

    def step(self, name: str, action: Callable[[], str]) -> bool:
        start = time.perf_counter()
        try:
            detail = action()
        except Exception as exc:  # every failure is reported, none is raised
            self.failed += 1
            self.out(f"FAILED  {name}: {type(exc).__name__}: {exc}")
            for line in traceback.format_exc().splitlines()[-6:]:
                self.out(f"        {line}")
            return False
        self.out(
            f"ok      {name} ({time.perf_counter() - start:.2f} s){': ' + detail if detail else ''}"
        )
        return True


def _print_and_log(line: str) -> None:
    """Standard output, and the file named by ELIGO_SELF_TEST_LOG: a windowed program on Windows
    has no console, so the release workflow reads the file."""
    print(line, flush=True)
    log = os.environ.get("ELIGO_SELF_TEST_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as file:
            file.write(line + "\n")


def run_self_test(out: Callable[[str], None] = _print_and_log) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    test = SelfTest(out)
    out(f"Eligo {__version__} self-test ({'frozen' if getattr(sys, 'frozen', False) else 'from source'}, "
        f"Python {sys.version.split()[0]})")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="eligo-self-test-") as tmp:
        folder = Path(tmp)
        steps: list[tuple[str, Callable[[], str]]] = [
            ("load and check the protocol", lambda: _protocol(test)),
            ("create a store, a site and accounts", lambda: _store(test, folder / "data")),
            ("screen every example candidate", lambda: _screen(test)),
            ("sign as coordinator and investigator", lambda: _sign(test)),
            ("check the store and its audit chain", lambda: _check(test)),
            ("print a screening summary PDF", lambda: _print(test, folder)),
            ("attach that PDF and show it in the viewer (QtPdf)", lambda: _attach(test, folder)),
            ("export a signed bundle", lambda: _export(test, folder)),
            ("verify the bundle", lambda: _verify(test)),
            ("open the main window and close it", lambda: _window(test, folder / "settings")),
            ("load the Chinese translations (Eligo's and Qt's)", _chinese),
        ]
        for name, action in steps:
            if not test.step(name, action) and name.startswith(("load", "create")):
                break  # nothing after these can work
        store = test.context.get("store")
        if store is not None:
            store.close()
    out("SELF-TEST PASSED" if test.failed == 0 else f"SELF-TEST FAILED: {test.failed} step(s)")
    return 0 if test.failed == 0 else 1


def _protocol(test: SelfTest) -> str:
    from desktop_app.rules import default_protocol

    protocol = default_protocol()
    test.context["protocol"] = protocol
    return f"{protocol.id} v{protocol.version}, sha256 {protocol.sha256[:12]}"


def _store(test: SelfTest, data: Path) -> str:
    from desktop_app.store import access, create_account
    from desktop_app.store.database import cipher_version, is_plaintext
    from desktop_app.store.location import DB_NAME

    password = secrets.token_urlsafe(18)
    test.context["password"] = password
    # The encrypted store as a site sets it up: SQLCipher (bundled), a key slot for the
    # administrator and the recovery key; then closed and opened again through the slot.
    setup = access.set_up_site(data, code="SELFTEST", name="Self-test site",
                               principal_investigator="Self-test PI", username="selftest.admin",
                               full_name="Self-test Administrator", password=password)  # fmt: skip
    setup.store.close()
    if is_plaintext(data / DB_NAME):
        raise RuntimeError("the store was written unencrypted")
    signed = access.sign_in(data, "selftest.admin", password)
    store = signed.store
    test.context["store"] = store
    admin = signed.user
    test.context["coordinator"] = create_account(store, admin, username="selftest.coordinator",
                                                 full_name="Self-test Coordinator", roles=["coordinator"],
                                                 password=password)  # fmt: skip
    test.context["investigator"] = create_account(store, admin, username="selftest.investigator",
                                                  full_name="Self-test Investigator", roles=["investigator"],
                                                  password=password)  # fmt: skip
    return f"{data}, encrypted with SQLCipher {cipher_version()}, opened through a key slot"


def _screen(test: SelfTest) -> str:
    from desktop_app.paths import resource
    from desktop_app.rules import evaluate
    from desktop_app.store import register_candidate, save_answers, start_screening

    store, protocol, user = (
        test.context["store"],
        test.context["protocol"],
        test.context["coordinator"],
    )
    examples = sorted(resource("examples").glob("*.json"))
    if not examples:
        raise RuntimeError(f"no example candidates in {resource('examples')}")
    verdicts: dict[str, int] = {}
    mismatches = []
    screened: list[tuple[int, str]] = []
    for path in examples:
        document = json.loads(path.read_text(encoding="utf-8"))
        result = evaluate(protocol, document)
        expected = path.name.split("-", 1)[0]
        if result.determination != expected:
            mismatches.append(f"{path.name}: {result.determination}")
        screening = start_screening(
            store, user, register_candidate(store, user, initials="ST").id, protocol
        )
        save_answers(store, user, screening.id, document, determination=result)
        screened.append((screening.id, result.determination))
        verdicts[result.determination] = verdicts.get(result.determination, 0) + 1
    if mismatches:
        raise RuntimeError("unexpected determinations: " + "; ".join(mismatches))
    test.context["screened"] = screened
    return ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items()))


def _sign(test: SelfTest) -> str:
    from desktop_app.store import latest_determination
    from desktop_app.store.signatures import acknowledge_warning, sign_screening, signature_statuses

    store, password = test.context["store"], test.context["password"]
    signed = 0
    for screening_id, determination in test.context["screened"]:
        if determination not in ("eligible", "ineligible"):
            continue
        result = latest_determination(store, screening_id)
        for warning in result.warnings if result else ():
            acknowledge_warning(store, test.context["coordinator"], screening_id, warning.code)
        sign_screening(store, test.context["coordinator"], screening_id, password)
        sign_screening(store, test.context["investigator"], screening_id, password)
        if [s.check for s in signature_statuses(store, screening_id)] != ["valid", "valid"]:
            raise RuntimeError(f"screening {screening_id}: the new signatures do not verify")
        signed += 1
    test.context["signed_id"] = next(i for i, d in test.context["screened"] if d == "eligible")
    return f"{signed} screening(s), two signatures each"


def _check(test: SelfTest) -> str:
    from desktop_app.store.chain import verify
    from desktop_app.store.database import integrity_problem

    store = test.context["store"]
    problem = integrity_problem(store.db)
    if problem:
        raise RuntimeError(f"integrity check: {problem}")
    chain = verify(store.db)
    if not chain.ok:
        raise RuntimeError(f"audit chain broken: {chain}")
    return f"integrity ok, audit chain of {store.db.execute('SELECT count(*) FROM audit').fetchone()[0]} events intact"


def _application(settings: Path | None = None) -> Any:
    """The QApplication (made once); the window's remembered settings go to the temporary folder,
    so that a self-test never changes the user's own."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    if settings is not None:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings))
    return QApplication.instance() or QApplication([sys.argv[0]])


def _print(test: SelfTest, folder: Path) -> str:
    from desktop_app.ui.print_actions import Printout

    _application(folder / "settings")
    out = folder / "summary.pdf"
    printout = Printout.of_store(
        test.context["store"], test.context["protocol"], test.context["signed_id"]
    )
    pages = printout.save_pdf(out, "A4")
    data = out.read_bytes()
    if not data.startswith(b"%PDF") or pages < 1:
        raise RuntimeError("the PDF was not written")
    return f"{pages} page(s), {len(data):,} bytes"


def _attach(test: SelfTest, folder: Path) -> str:
    from PySide6.QtCore import QCoreApplication, QEvent, Qt

    from desktop_app.store.attachments import add_attachment, attachment_content
    from desktop_app.ui.attachment_viewer import AttachmentViewer

    app = _application(folder / "settings")
    attached = add_attachment(test.context["store"], test.context["coordinator"], test.context["signed_id"],
                              file_name="summary.pdf", content=(folder / "summary.pdf").read_bytes(),
                              kind="lab_sheet", title="Self-test attachment")  # fmt: skip
    viewer = AttachmentViewer(
        attached, attachment_content(test.context["store"], attached.id), attached.title
    )
    viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # deleted by Qt, not by Python's GC
    viewer.show()
    app.processEvents()
    problem, pages = viewer.problem, viewer.pages
    viewer.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if problem is not None or pages < 1:
        raise RuntimeError(problem or "the viewer shows no page")
    return f"{pages} page(s) shown"


def _export(test: SelfTest, folder: Path) -> str:
    from desktop_app.export.bundle import write_bundle
    from desktop_app.ui.print_cli import log_pdf_bytes

    store = test.context["store"]
    out = folder / "bundle.zip"
    manifest = write_bundle(store, test.context["protocol"], test.context["coordinator"], test.context["password"],
                            out, {"screening_log.pdf": log_pdf_bytes(store)})  # fmt: skip
    test.context["bundle"] = out
    return f"{manifest['screenings']} screening(s), {len(manifest['files'])} files"


def _verify(test: SelfTest) -> str:
    from desktop_app.export.verify import VALID, verify_bundle
    from desktop_app.store import get_site
    from desktop_app.store.accounts import active_key

    # Trusting the exporting coordinator's key for this site, as a sponsor would: exit 0.
    key = active_key(test.context["store"], test.context["coordinator"].id).public_key.hex()
    site = get_site(test.context["store"])
    report = verify_bundle(test.context["bundle"], {key: site.code if site else ""})
    if report.exit_code != VALID:
        raise RuntimeError(report.verdict)
    return report.verdict


def _window(test: SelfTest, settings: Path) -> str:
    from desktop_app.ui.main_window import MainWindow

    app = _application(settings)
    window = MainWindow(
        test.context["protocol"], test.context["store"], test.context["coordinator"]
    )
    window.show()
    app.processEvents()
    rows = window.log_view.model.rowCount()
    shown = window.isVisible()
    window.close()
    app.processEvents()
    if not shown:
        raise RuntimeError("the main window did not show")
    return f"shown with {rows} log row(s) on the {app.platformName()} platform, closed"


def _chinese() -> str:
    """Eligo's zh_CN.qm and Qt's qtbase_zh_CN.qm both load (from source or the frozen bundle)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui import language

    if QApplication.instance() is None:
        QApplication([])
    try:
        if not language.apply("zh-CN"):
            raise RuntimeError("Eligo's Chinese translation did not load")
        ours = QCoreApplication.translate("LoginDialog", "Sign in")
        qts = QCoreApplication.translate("QPlatformTheme", "Cancel")
        if ours == "Sign in" or qts == "Cancel":
            raise RuntimeError(f"not translated: {ours!r}, {qts!r}")
        return f"{ours}, {qts}"
    finally:
        language.apply("en")
