"""Simplified Chinese, screen by screen: every window, dialog and wizard step of the DEMO store
(every determination and every warning shown at least once) opened in zh-CN holds no English
source string and no run of three or more English words outside the allowlist; the sign-in
window switches the language at once and remembers it per user; printouts in Chinese."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import open_test_store
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot
from visible_text import english_left, english_sources

from desktop_app.paths import resource
from desktop_app.rules import LoadedProtocol, evaluate
from desktop_app.store import (
    Store,
    authenticate,
    get_account,
    register_candidate,
    start_screening,
)
from desktop_app.store.answers import save_answers
from desktop_app.store.demo import DEMO_ACCOUNTS, DEMO_SITE, TYPED, fill_demo
from desktop_app.store.log import LogQuery, log_page
from desktop_app.ui import language

CASES = Path(__file__).parents[1] / "data" / "cases"


def _answers_in(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document.get("answers", document)  # a case holds its answers, an example is them


# Data typed by people (names, notes, the DEMO site's name) stays as it was typed.
DATA = [
    DEMO_SITE["name"],
    *(name for _, name, _, _ in DEMO_ACCOUNTS),
    # The DEMO store's sign-in window lists its sample accounts and their published passwords.
    *(f"{username}\n  {password}" for username, _, _, password in DEMO_ACCOUNTS),
    "DEMO: consent form version corrected from the signed form",
    "DEMO: preferred not to travel for visits",
    "DEMO: withdrew consent before enrollment",
    *TYPED,  # the DEMO's notes, queries and attachment title
    "Peking Union Medical College Hospital",  # the sponsor, as registered
    # The investigators' notes and unlisted agents' names typed in the sample candidates.
    *(
        str(value)
        for path in sorted(resource("examples").glob("*.json")) + sorted(CASES.glob("*.json"))
        for key, value in _answers_in(path).items()
        if key.endswith("_note") and value
    ),
]


@pytest.fixture
def chinese() -> Iterator[None]:
    assert language.apply("zh-CN"), "the Chinese translation did not load"
    yield
    language.apply("en")


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The DEMO store, plus screenings that raise the warnings its sample data does not."""
    from desktop_app.rules import default_protocol

    folder = tmp_path_factory.mktemp("zh") / "demo"
    protocol = default_protocol()
    with open_test_store(folder) as store:
        fill_demo(store, protocol)
        coordinator = get_account(store, "demo.coordinator")
        base = _answers_in(resource("examples", "eligible-autoimmune-pancreatitis.json"))
        contradictions = [  # answers that contradict each other: warnings to confirm them
            {**base, "chest_imaging": "active_tb", "tb_conclusion": "none"},
            {**base, "tb_conclusion": "active"},
            {**base, "pregnancy_test": "positive", "lactating": True},  # kept for a man
        ]
        cases = [_answers_in(CASES / f"{case}.json") for case in (
            "29-latent-tb-warning-eligible", "30-isolated-anti-hbc-warning", "31-after-end-date-warning",
            "32-prior-belimumab-ineligible")]  # fmt: skip
        for answers in cases + contradictions:
            candidate = register_candidate(store, coordinator, initials="WX", sex=answers.get("sex"),
                                           date_of_birth=answers.get("date_of_birth"))  # fmt: skip
            screening = start_screening(store, coordinator, candidate.id, protocol)
            save_answers(store, coordinator, screening.id, answers,
                         determination=evaluate(protocol, answers, today=date(2026, 1, 1)))  # fmt: skip
    return folder


@pytest.fixture
def demo(demo_folder: Path, tmp_path: Path) -> Iterator[Store]:
    copy = tmp_path / "demo"
    shutil.copytree(demo_folder, copy)
    with open_test_store(copy) as store:
        yield store


def _assert_chinese(widget: Any, sources: set[str], where: str) -> None:
    left = english_left(widget, sources, DATA)
    assert not left, f"{where}: English left on screen: {left[:8]}"


def test_every_window_and_wizard_step_speaks_chinese(
    qtbot: QtBot, chinese: None, demo: Store, protocol: LoadedProtocol
) -> None:
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.wizard import ScreeningWizard

    sources = english_sources()
    user = authenticate(demo, "demo.coordinator", "demo-coordinator-2019")
    window = MainWindow(protocol, demo, user, idle_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.title_label.text() == "贝利尤单抗（belimumab）治疗IgG4相关性疾病"
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        _assert_chinese(window, sources, f"main window, tab {tab}")
    determinations: set[str] = set()
    warnings: set[str] = set()
    for row in log_page(demo, LogQuery(limit=500)).rows:
        wizard = ScreeningWizard(demo, protocol, user, row.screening_id, window)
        qtbot.addWidget(wizard)
        wizard.show()
        steps = [wizard.step_list.item(i).data(256) for i in range(wizard.step_list.count())]
        for step in steps:
            wizard.go_to(step)
            _assert_chinese(wizard, sources, f"{row.screening_number}, step {step}")
            # The offscreen screen is 800 pixels wide (1024 x 600 at 125% is 819): no question
            # hides behind a horizontal scroll bar, the fields go under their questions.
            scrolled = [
                a
                for a in wizard.findChildren(QScrollArea)
                if a.isVisible() and a.horizontalScrollBar().isVisible()
            ]
            assert not scrolled, f"{row.screening_number}, step {step}: a horizontal scroll bar"
        if wizard.determination is not None:
            determinations.add(wizard.determination.determination)
            warnings |= {w.code for w in wizard.determination.warnings}
        wizard.close()
    assert determinations == {"eligible", "ineligible", "incomplete"}
    assert warnings == {w.code for w in protocol.protocol.warnings}


def test_every_dialog_speaks_chinese(
    qtbot: QtBot, chinese: None, demo: Store, protocol: LoadedProtocol, tmp_path: Path
) -> None:
    from desktop_app.export.bundle import write_bundle
    from desktop_app.export.verify import verify_bundle
    from desktop_app.ui.accounts_dialog import (
        AccountsDialog,
        MyAccountDialog,
        NewAccountDialog,
        ResetPasswordDialog,
        RolesDialog,
    )
    from desktop_app.ui.consolidated_dialog import ConsolidatedDialog
    from desktop_app.ui.export_dialogs import ExportDialog, TrustedKeysDialog, VerifyDialog
    from desktop_app.ui.idle_lock import LockScreen
    from desktop_app.ui.log_view import NewScreeningDialog
    from desktop_app.ui.login_dialog import LoginDialog
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.record_dialogs import AboutDialog, AuditTrailDialog, OutcomeDialog
    from desktop_app.ui.setup_dialog import SetupDialog
    from desktop_app.ui.sign_dialog import SignDialog

    sources = english_sources()
    admin = authenticate(demo, "demo.admin", "demo-admin-2019")
    coordinator = authenticate(demo, "demo.coordinator", "demo-coordinator-2019")
    investigator = authenticate(demo, "demo.investigator", "demo-investigator-2019")
    monitor = authenticate(demo, "demo.monitor", "demo-monitor-2019")
    main = MainWindow(protocol, demo, coordinator, idle_ms=3_600_000)
    qtbot.addWidget(main)
    rows = log_page(demo, LogQuery(limit=500)).rows
    eligible = next(r for r in rows if r.status == "eligible").screening_id
    bundle = tmp_path / "demo.zip"
    write_bundle(demo, protocol, coordinator, "demo-coordinator-2019", bundle)
    with open_test_store(tmp_path / "fresh") as fresh:
        dialogs = [
            ("sign-in", LoginDialog(demo)),
            ("first start", SetupDialog(fresh)),
            ("sign", SignDialog(demo, investigator, eligible, main)),
            ("outcome", OutcomeDialog(demo, coordinator, eligible, main)),
            ("audit trail", AuditTrailDialog(demo, eligible, main, protocol)),
            ("about", AboutDialog(demo, protocol, main)),
            ("accounts", AccountsDialog(demo, admin)),
            ("new account", NewAccountDialog(demo, admin)),
            ("roles", RolesDialog(demo, admin, get_account(demo, "demo.coordinator"))),
            ("reset password", ResetPasswordDialog(demo, admin, "demo.coordinator")),
            ("my account", MyAccountDialog(demo, coordinator)),
            ("new screening", NewScreeningDialog(demo, protocol, coordinator, main)),
            ("export", ExportDialog(demo, protocol, coordinator, main)),
            ("verify", VerifyDialog(verify_bundle(bundle), bundle, main)),
            ("trusted keys", TrustedKeysDialog(demo, monitor, main)),
            ("consolidated store", ConsolidatedDialog(demo, protocol, monitor, main, folder=tmp_path / "centre")),
            ("lock screen", LockScreen(demo, coordinator, main)),
        ]  # fmt: skip
        for name, dialog in dialogs:
            qtbot.addWidget(dialog)
            dialog.show()
            _assert_chinese(dialog, sources, name)
            dialog.close()


def test_the_sign_in_window_switches_at_once_and_remembers_each_user(
    qtbot: QtBot, demo: Store
) -> None:
    from desktop_app.ui.login_dialog import LoginDialog

    language.apply("en")
    try:
        dialog = LoginDialog(demo)
        qtbot.addWidget(dialog)
        dialog.show()
        assert [dialog.language.itemText(i) for i in range(dialog.language.count())] == [
            "English",
            "中文",
        ]
        assert dialog.windowTitle() == "Sign in to Eligo"
        dialog.language.setCurrentIndex(1)  # 中文: at once, on this window
        qtbot.waitUntil(lambda: dialog.sign_in_button.text() == "登录")
        assert dialog.windowTitle() == "登录 Eligo"
        assert language.current() == "zh-CN"
        dialog.username.setText("demo.coordinator")
        dialog.password.setText("demo-coordinator-2019")
        dialog.sign_in_button.click()
        assert dialog.user is not None
        assert language.remembered("demo.coordinator") == "zh-CN"
        assert language.initial() == "zh-CN"  # the next start opens in the last choice
        language.apply("en")  # another user chose English on this machine
        again = LoginDialog(demo, username="demo.coordinator")
        qtbot.addWidget(again)
        assert language.current() == "zh-CN"  # the user's own choice comes back with the name
        assert again.language.currentText() == "中文"
        assert language.remembered("demo.monitor") is None
    finally:
        language.apply("en")


def test_the_first_default_is_the_system_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QLocale

    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("zh_CN")))
    assert language.initial() == "zh-CN"
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("de_DE")))
    assert language.initial() == "en"


def test_qt_own_dialogs_speak_chinese(qtbot: QtBot, chinese: None) -> None:
    """Qt's shipped qtbase_zh_CN is loaded: its own buttons and dialogs are Chinese."""
    from PySide6.QtWidgets import QDialogButtonBox

    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    assert (
        box.button(QDialogButtonBox.StandardButton.Cancel)
        .text()
        .replace("&", "")
        .startswith("取消")
    )


def _pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext reads it back (pypdf where poppler is not installed), with
    whitespace removed: a table cell may wrap anywhere in a Chinese phrase."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is not None:
        import subprocess

        text = subprocess.run([pdftotext, str(path), "-"], check=True, capture_output=True,
                              text=True).stdout  # fmt: skip
    else:
        from pypdf import PdfReader

        text = "".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return "".join(text.split())


def test_summary_and_log_print_in_chinese_as_searchable_text(
    tmp_path: Path, protocol: LoadedProtocol
) -> None:
    from helpers import TEST_PASSWORD, add_user, answers, as_user

    from desktop_app.cli import main
    from desktop_app.store import create_site
    from desktop_app.store.signatures import sign_screening

    data = tmp_path / "data"
    with open_test_store(data) as store:
        create_site(store, None, code="PUMCH", name="北京协和医院", principal_investigator="张文")
        coordinator = add_user(store, "coordinator", full_name="李娜")
        investigator = add_user(store, "investigator", roles=("investigator",), full_name="王伟")
        doc = answers(hiv="positive", known_immunodeficiency=True)
        screening = start_screening(store, coordinator, register_candidate(store, coordinator, initials="LN").id,
                                    protocol)  # fmt: skip
        save_answers(store, coordinator, screening.id, doc, determination=evaluate(protocol, doc))
        sign_screening(store, coordinator, screening.id, TEST_PASSWORD)
        sign_screening(store, investigator, screening.id, TEST_PASSWORD)
    summary, log = tmp_path / "summary.pdf", tmp_path / "log.pdf"
    try:
        for what, out in ((["summary", "PUMCH-0001"], summary), (["log"], log)):
            assert (
                main(
                    [
                        "print",
                        *what,
                        "--out",
                        str(out),
                        "--data-dir",
                        str(data),
                        "--language",
                        "zh-CN",
                        *as_user("coordinator"),
                    ]
                )
                == 0
            )
    finally:
        language.apply("en")
    text = _pdf_text(summary)
    for expected in (
        "贝利尤单抗（belimumab）治疗IgG4相关性疾病",  # the title
        "本打印件语言：简体中文",  # the small-type line: the language, codes language-neutral
        "I1–I4、E1–E9",
        "书面知情同意", "严重感染", "已知的免疫缺陷",  # criterion labels
        "E3：已报告存在", "E8：HIV阳性",  # the reasons of the determination
        "判定结果：不符合入组条件",
        "2019年ACR/EULAR分类标准评分表", "组织病理学",
        "筛选执行人：李娜", "研究者确认入组资格：王伟",  # signature manifestations
        "研究中心：北京协和医院", "第1页/共1页",
    ):  # fmt: skip
        assert expected in text, expected
    assert "Determination" not in text
    assert "Criteria" not in text
    text = _pdf_text(log)
    for expected in ("筛选与入组日志", "姓名缩写", "E3：已报告存在", "CONSORT计数", "评估入组资格",
                     "筛选日志CONSORT流程图", "本打印件语言：简体中文"):  # fmt: skip
        assert expected in text, expected


def test_the_checks_messages_are_said_in_chinese(qtbot: QtBot, chinese: None, demo: Store) -> None:
    """A refused sign-in and a refused answer say why in Chinese (the checks below the screens
    speak English; their messages are said again in the user's language)."""
    from desktop_app.report_words import message_in
    from desktop_app.ui.login_dialog import LoginDialog

    dialog = LoginDialog(demo)
    qtbot.addWidget(dialog)
    dialog.username.setText("demo.coordinator")
    dialog.password.setText("not the password")
    dialog.sign_in_button.click()
    assert dialog.error.text() == "用户名或密码错误。"
    assert (
        message_in("zh-CN", "password: must be at least 10 characters")
        == "密码：至少需要 10 个字符"
    )
    assert message_in("zh-CN", "2031-01-01 is in the future (today is 2026-01-01)") == (
        "2031-01-01 晚于今天（今天是 2026-01-01）"
    )
    assert message_in("en", "Wrong username or password.") == "Wrong username or password."
