"""Every user-visible string goes through tr() and is in the translation source."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "eligo_zh_CN.ts"


def messages(path: Path) -> set[tuple[str, str]]:
    tree = ET.parse(path)
    return {
        (c.findtext("name") or "", m.findtext("source") or "")
        for c in tree.getroot()
        for m in c.iter("message")
    }


def test_the_translation_source_is_current(tmp_path: Path) -> None:
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed")
    fresh = tmp_path / "fresh.ts"
    sources = [
        *sorted(str(p) for p in (ROOT / "desktop_app" / "ui").glob("*.py")),
        str(ROOT / "desktop_app" / "app.py"),
    ]
    subprocess.run([lupdate, "-no-obsolete", "-locations", "none", *sources, "-ts", str(fresh)],
                   check=True, capture_output=True)  # fmt: skip
    assert messages(fresh) == messages(TS), "run: bash scripts/translations.sh"
    assert len(messages(TS)) > 100


def test_lupdate_reports_no_unfinished_and_no_obsolete_entry(tmp_path: Path) -> None:
    """Run lupdate over the sources into a copy of the translation file (keeping what would be
    obsolete): every source string must have a finished Chinese translation, and no translation
    may be left over from a string that no longer exists."""
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed")
    copy = tmp_path / "eligo_zh_CN.ts"
    shutil.copy(TS, copy)
    sources = [
        *sorted(str(p) for p in (ROOT / "desktop_app" / "ui").glob("*.py")),
        str(ROOT / "desktop_app" / "app.py"),
    ]
    done = subprocess.run([lupdate, "-locations", "none", *sources, "-ts", str(copy)], check=True,
                          capture_output=True, text=True)  # fmt: skip
    assert "(0 new and" in done.stdout, done.stdout
    unfinished, obsolete = [], []
    for context in ET.parse(copy).getroot():
        for m in context.iter("message"):
            translation = m.find("translation")
            kind = translation.get("type") if translation is not None else "unfinished"
            where = (context.findtext("name"), m.findtext("source"))
            # A plural entry (%n) keeps its text in <numerusform> children.
            text = "".join(translation.itertext()) if translation is not None else ""
            if kind == "unfinished" or not text.strip():
                unfinished.append(where)
            if kind in ("obsolete", "vanished"):
                obsolete.append(where)
    assert not unfinished, f"{len(unfinished)} unfinished: {unfinished[:10]}"
    assert not obsolete, f"{len(obsolete)} obsolete: {obsolete[:10]}"


def test_placeholders_and_mnemonics_survive_translation() -> None:
    """A translation keeps every {n} placeholder of its source (format() would fail or drop a
    value) and, where the source has a mnemonic, has one too."""
    import re

    for m in ET.parse(TS).getroot().iter("message"):
        source, translation = m.findtext("source") or "", m.findtext("translation") or ""
        assert sorted(re.findall(r"\{\d\}", source)) == sorted(
            re.findall(r"\{\d\}", translation)
        ), source
        if re.search(r"&[A-Za-z]", source):
            assert re.search(r"&[A-Za-z]", translation), (source, translation)


def test_strings_kept_in_tables_are_in_the_translation_under_the_class_that_shows_them() -> None:
    # tr() of a variable is invisible to lupdate: table headers, statuses, outcomes and verdicts
    # are marked with QT_TRANSLATE_NOOP under the context of the class whose tr() shows them.
    from desktop_app.store.models import STATUSES
    from desktop_app.ui.accounts_dialog import AccountsDialog
    from desktop_app.ui.export_dialogs import STATED
    from desktop_app.ui.log_model import HEADERS, STATUS_WORDS
    from desktop_app.ui.questions import OtherMedications
    from desktop_app.ui.record_dialogs import OUTCOMES, AuditTrailDialog
    from desktop_app.ui.review import _OPEN_QUESTIONS, VERDICT_WORDS

    known = messages(TS)
    wanted = {
        "LogModel": [*HEADERS.values(), *STATUS_WORDS.values()],
        "AccountsDialog": list(AccountsDialog.COLUMNS),
        "AuditTrailDialog": list(AuditTrailDialog.COLUMNS),
        "OutcomeDialog": list(OUTCOMES.values()),
        "OtherMedications": [label for _, label in OtherMedications.CLASSES],
        "ReviewPage": [*VERDICT_WORDS.values(), *_OPEN_QUESTIONS.values()],
        "VerifyDialog": list(STATED.values()),
    }
    for context, texts in wanted.items():
        missing = [t for t in texts if (context, t) not in known]
        assert not missing, (context, missing)
    assert set(STATUS_WORDS) == set(STATUSES)
