"""What every palette must show (issue #18): check boxes and radio buttons that stand out from
their background, and a focus ring around the control that has the keyboard focus, under a light
and a dark system palette. Measured on rendered pixels, as WCAG 2.1 1.4.11 contrast ratios."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import add_user, screened
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStyle,
    QStyleOptionButton,
    QTableWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, create_site
from desktop_app.ui import style
from desktop_app.ui.questions import WrappedCheckBox

# A dark palette as a dark system theme hands it to Qt (the colours of KDE Breeze Dark / GNOME).
DARK = {
    QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#262626",
    QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#333333",
    QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#2f65ca",
    QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.PlaceholderText: "#8a8a8a",
}  # fmt: skip


@pytest.fixture(params=["light", "dark"])
def palette(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    style.install(qapp)
    before = qapp.palette()
    if request.param == "dark":
        dark = QPalette()
        for role, colour in DARK.items():
            dark.setColor(role, QColor(colour))
        qapp.setPalette(dark)
    try:
        yield request.param
    finally:
        qapp.setPalette(before)


def best_contrast(image: QImage, area: QRect, background: QColor) -> float:
    """The highest contrast of any pixel of `area` against the background."""
    return max(
        style.contrast(image.pixelColor(x, y), background)
        for x in range(max(area.left(), 0), min(area.right() + 1, image.width()))
        for y in range(max(area.top(), 0), min(area.bottom() + 1, image.height()))
    )


def shown(qtbot: QtBot, *widgets: QWidget) -> QWidget:
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.setSpacing(8)
    for widget in widgets:
        layout.addWidget(widget)
    qtbot.addWidget(window)
    window.resize(320, 60 + 50 * len(widgets))
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    return window


def test_an_unticked_check_box_and_radio_button_stand_out_from_their_background(
    qtbot: QtBot, palette: str
) -> None:
    wrapped = WrappedCheckBox("Pancreas (autoimmune pancreatitis)")  # as the wizard shows organs
    assert style.FocusRing.control_of(wrapped.box) is wrapped  # ringed with its label
    boxes: list[QCheckBox | QRadioButton] = [QCheckBox("Kidney"), QRadioButton("Yes"), wrapped.box]
    window = shown(qtbot, boxes[0], boxes[1], wrapped)
    image = window.grab().toImage()
    background = window.palette().color(QPalette.ColorRole.Window)
    for box in boxes:
        option = QStyleOptionButton()
        option.initFrom(box)
        element = (QStyle.SubElement.SE_RadioButtonIndicator if isinstance(box, QRadioButton)
                   else QStyle.SubElement.SE_CheckBoxIndicator)  # fmt: skip
        indicator = box.style().subElementRect(element, option, box)
        indicator.translate(box.mapTo(window, QPoint(0, 0)))
        assert best_contrast(image, indicator, background) >= 3.0, (palette, type(box).__name__)


CONTROLS = {
    "check box": lambda: QCheckBox("Kidney"),
    "radio button": lambda: QRadioButton("Yes"),
    "line edit": lambda: QLineEdit("AB"),
    "button": lambda: QPushButton("Next"),
    "combo box": lambda: QComboBox(),
    "spin box": lambda: QSpinBox(),
    "date edit": lambda: QDateEdit(),
    "list": lambda: QListWidget(),
    "table": lambda: QTableWidget(2, 2),
    "text edit": lambda: QTextEdit(),
}


def ring_contrast(image: QImage, control: QRect, background: QColor) -> float:
    """The share of the ring around `control` (RING pixels outside it, all four sides) that
    stands out from the background."""
    ring = control.adjusted(-style.RING, -style.RING, style.RING, style.RING)
    points = [(x, y) for x in range(ring.left(), ring.right() + 1)
              for y in (ring.top(), ring.bottom())]  # fmt: skip
    points += [(x, y) for y in range(ring.top(), ring.bottom() + 1)
               for x in (ring.left(), ring.right())]  # fmt: skip
    good = sum(style.contrast(image.pixelColor(x, y), background) >= 3.0 for x, y in points)
    return good / len(points)


@pytest.mark.parametrize("kind", list(CONTROLS))
def test_the_control_with_the_keyboard_focus_has_a_ring_that_stands_out(
    qtbot: QtBot, palette: str, kind: str
) -> None:
    control, other = CONTROLS[kind](), QPushButton("Other")
    control.setFixedHeight(min(control.sizeHint().height(), 60))
    window = shown(qtbot, other, control)
    background = window.palette().color(QPalette.ColorRole.Window)
    where = QRect(control.mapTo(window, QPoint(0, 0)), control.size())
    other.setFocus()
    qtbot.waitUntil(lambda: other.hasFocus())
    without = ring_contrast(window.grab().toImage(), where, background)
    control.setFocus()
    qtbot.waitUntil(lambda: control.hasFocus())
    QApplication.processEvents()
    with_focus = ring_contrast(window.grab().toImage(), where, background)
    assert with_focus >= 0.9, (palette, kind, with_focus)
    assert with_focus - without >= 0.5, (palette, kind, without, with_focus)


def focusable(window: QWidget) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget)
            if w.isVisibleTo(window) and w.isEnabled() and w.focusPolicy() & 0x1]  # fmt: skip


def test_every_focusable_control_of_the_wizard_and_the_main_window_gets_the_ring(
    qtbot: QtBot, qapp: QApplication, store: Store, protocol: LoadedProtocol
) -> None:
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.wizard import ScreeningWizard

    style.install(qapp)
    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    user = add_user(store, "coordinator")
    sid = screened(store, user, protocol)
    main = MainWindow(protocol, store, user, idle_ms=600_000)
    wizard = ScreeningWizard(store, protocol, user, sid)
    windows: list[Any] = [main, wizard]
    checked = 0
    for window in windows:
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # noqa: B023
        steps = (
            [window.step_list.item(i).data(256) for i in range(window.step_list.count())]
            if window is wizard
            else [None]
        )
        for step in steps:
            if step is not None:
                window.go_to(step)
            for control in focusable(window):
                control.setFocus()
                if not control.hasFocus():
                    continue  # it hands the focus on (a page, a scroll area)
                frame = qapp.findChild(style.FocusRing).frame  # type: ignore[union-attr]
                assert frame is not None
                assert frame.widget() is style.FocusRing.control_of(control), control
                assert frame.isVisibleTo(control.window()), control
                holder = frame.parentWidget()
                assert holder is not None
                if not holder.isWindow():  # (a tab widget filling the window: cut at its sides)
                    assert holder.rect().contains(frame.geometry()), control  # the ring is whole
                checked += 1
        window.close()
    assert checked > 40
