"""A clinic day in one signed-in session: answers typed into wizards, screenings opened and
closed from the main window, printouts and signed exports, with the peak memory after warm-up.

Shared by tests/ui/test_endurance.py (a short day in the suite) and bench/soak_day.py (the whole
day of the issue: 2,000 answer changes, 50 screenings, 200 printouts, 20 exports).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import ELIGIBLE, TEST_PASSWORD
from PySide6.QtWidgets import QApplication

from desktop_app.export.bundle import write_bundle
from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, User, register_candidate, start_screening
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.print_actions import Printout
from desktop_app.ui.print_cli import log_pdf_bytes
from desktop_app.ui.questions import AgentDates, Choice, MultiChoice, TextInput, YesNo
from desktop_app.ui.wizard import ScreeningWizard, StepPage


@dataclass(frozen=True)
class Day:
    screenings: int
    answer_changes: int
    printouts: int
    exports: int

    def part(self, share: float) -> Day:
        """The same mix of work, scaled (at least one of each)."""
        return Day(*(max(1, round(n * share)) for n in
                     (self.screenings, self.answer_changes, self.printouts, self.exports)))  # fmt: skip


WHOLE_DAY = Day(screenings=50, answer_changes=2_000, printouts=200, exports=20)


@dataclass
class Tally:
    screenings: int = 0
    answer_changes: int = 0
    printouts: int = 0
    exports: int = 0


def peak_rss_kib() -> int:
    """The process's peak resident set so far (KiB; Linux and macOS report it, Windows has no
    `resource` module and reports 0)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak // 1024 if sys.platform == "darwin" else peak)


def enter(wizard: ScreeningWizard, question_id: str, value: Any) -> None:
    """One answer typed the way a person enters it, through its step's widget (the wizard tests'
    answer() too). A multiple choice ticks the codes given, or None of these for []."""
    page = next(p for p in wizard.pages.values()
                if isinstance(p, StepPage) and question_id in p.widgets)  # fmt: skip
    wizard.go_to(page.step.id)
    widget = page.widgets[question_id]
    if isinstance(widget, TextInput):
        widget.edit.setText("" if value is None else str(value))
        widget.edit.editingFinished.emit()
    elif isinstance(widget, YesNo):
        (widget.yes if value else widget.no).click()
    elif isinstance(widget, Choice):
        widget.combo.setCurrentIndex(widget.combo.findData(value))
    elif isinstance(widget, MultiChoice):
        if value == []:
            widget.none.setChecked(True)
        for code in value:
            widget.boxes[code].setChecked(True)
    elif isinstance(widget, AgentDates):
        for code, day in value.items():
            widget.fields[code].setText(day)
            widget.fields[code].editingFinished.emit()


# Answers a coordinator corrects back and forth during a day (each change saved and audited).
_CORRECTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("serum_igg4_value", 8.0, 6.5),
    ("screening_date", "2023-03-08", "2023-03-09"),
    ("acr_kidney", "none", "none"),
    ("severe_infection", False, True),
)


def run_day(
    main: MainWindow,
    store: Store,
    protocol: LoadedProtocol,
    user: User,
    folder: Path,
    day: Day,
    tally: Tally,
    on_screening: Callable[[Tally], None] | None = None,
) -> None:
    """The day's work through the main window: each screening registered, opened in a wizard,
    filled and corrected, closed; printouts of its summary and of the log; signed exports spread
    over the day."""
    app = QApplication.instance()
    assert app is not None
    changes_each = max(1, day.answer_changes // day.screenings)
    prints_each = day.printouts / day.screenings
    exports_each = day.exports / day.screenings
    printed = exported = 0
    for n in range(day.screenings):
        candidate = register_candidate(store, user, initials="E" + chr(ord("A") + n % 26))
        screening_id = start_screening(store, user, candidate.id, protocol).id
        main.log_view.model.reload()
        wizard = main.open_wizard(screening_id)
        typed = 0
        for question_id, value in ELIGIBLE.items():
            if typed == changes_each:
                break
            if question_id == "medication_last_dose":
                continue
            enter(wizard, question_id, value)
            typed += 1
        corrections = 0
        while typed < changes_each:
            question_id, first, second = _CORRECTIONS[corrections % len(_CORRECTIONS)]
            enter(
                wizard,
                question_id,
                second if (corrections // len(_CORRECTIONS)) % 2 == 0 else first,
            )
            corrections += 1
            typed += 1
        tally.answer_changes += typed
        wizard.close()
        app.processEvents()
        tally.screenings += 1
        while printed < round((n + 1) * prints_each):
            target = screening_id if printed % 2 == 0 else None
            Printout.of_store(store, protocol, target).save_pdf(folder / "printout.pdf", "A4")
            printed += 1
            tally.printouts += 1
        while exported < round((n + 1) * exports_each):
            write_bundle(store, protocol, user, TEST_PASSWORD, folder / "bundle.zip",
                         {"screening_log.pdf": log_pdf_bytes(store)})  # fmt: skip
            exported += 1
            tally.exports += 1
        app.processEvents()
        if on_screening is not None:
            on_screening(tally)


def growth_after_warm_up(
    main: MainWindow, store: Store, protocol: LoadedProtocol, user: User, folder: Path, day: Day
) -> tuple[Tally, int, int]:
    """Run a fifth of the day as warm-up, then the whole day; (what was done, peak RSS after the
    warm-up, peak RSS at the end of the day), in KiB."""
    tally = Tally()
    run_day(main, store, protocol, user, folder, day.part(0.2), tally)
    warm = peak_rss_kib()
    run_day(main, store, protocol, user, folder, day, tally)
    return tally, warm, peak_rss_kib()
