"""The application's style: the platform's own (Fusion on Linux), with two things every palette,
dark ones included, must show (issue #18):

- check boxes and radio buttons drawn with an outline that stands out from the background
  (Fusion draws them dark grey on a dark panel under a dark palette: nearly invisible);
- a focus ring around whichever control has the keyboard focus, in a colour that stands out from
  the window (the platform styles draw none, or a faint one only on some controls).

Both colours are taken from the palette at drawing time, so that a palette changed while Eligo
runs (a system theme switched to dark) is followed at once. The ring is one QFocusFrame that
follows the focus: it is drawn outside the control, over the layout's spacing, and lets the mouse
through."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, Qt, Slot
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QFocusFrame,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QWidget,
)

RING = 2  # the focus ring's width in (device-independent) pixels
LEAST_CONTRAST = 3.0  # WCAG 2.1, 1.4.11: user-interface components against what is next to them


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2.1)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def standing_out(colour: QColor, *backgrounds: QColor) -> QColor:
    """`colour`, made lighter (on dark backgrounds) or darker (on light ones) until it has the
    least contrast against every background given, keeping its hue."""
    dark = sum(luminance(b) for b in backgrounds) / len(backgrounds) < 0.18
    shown = QColor(colour)
    for _ in range(40):
        if all(contrast(shown, b) >= LEAST_CONTRAST for b in backgrounds):
            break
        lightness = shown.lightnessF() + (0.025 if dark else -0.025)
        shown.setHslF(shown.hslHueF(), shown.hslSaturationF(), min(max(lightness, 0.0), 1.0))
    return shown


def outline_colour(palette: QPalette) -> QColor:
    """The outline of a check box or radio button: half way between the text and the field's
    background, made to stand out from both the field and the window."""
    text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
    mixed = QColor.fromRgbF(
        (text.redF() + base.redF()) / 2,
        (text.greenF() + base.greenF()) / 2,
        (text.blueF() + base.blueF()) / 2,
    )
    return standing_out(mixed, base, palette.color(QPalette.ColorRole.Window))


def focus_colour(palette: QPalette) -> QColor:
    """The focus ring: the palette's highlight, made to stand out from the window and fields."""
    return standing_out(
        palette.color(QPalette.ColorRole.Highlight),
        palette.color(QPalette.ColorRole.Window),
        palette.color(QPalette.ColorRole.Base),
    )


class EligoStyle(QProxyStyle):
    """The platform's style with visible check box outlines and a visible focus ring."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element in (
            QStyle.PrimitiveElement.PE_IndicatorCheckBox,
            QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
            QStyle.PrimitiveElement.PE_IndicatorRadioButton,
        ):
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(outline_colour(option.palette), 1.5))
            box = option.rect.toRectF().adjusted(1.0, 1.0, -1.0, -1.0)
            if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
                painter.drawEllipse(box)
            else:
                painter.drawRoundedRect(box, 1.5, 1.5)
            painter.restore()

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.ControlElement.CE_FocusFrame:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            pen = QPen(focus_colour(option.palette), RING)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            rect: QRect = option.rect
            painter.drawRect(rect.adjusted(RING // 2, RING // 2, -RING // 2, -RING // 2))
            painter.restore()
            return
        super().drawControl(element, option, painter, widget)

    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        if metric in (
            QStyle.PixelMetric.PM_FocusFrameHMargin,
            QStyle.PixelMetric.PM_FocusFrameVMargin,
        ):
            return RING
        return super().pixelMetric(metric, option, widget)


class FocusRing(QObject):
    """One QFocusFrame that moves to the control that has the keyboard focus."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.frame: QFocusFrame | None = None
        app.focusChanged.connect(self._on_app_focus_changed)

    @staticmethod
    def control_of(widget: QWidget) -> QWidget:
        """What the ring goes round for a focused widget: a spin box's or an editable combo box's
        line edit is ringed as the whole box (the line edit is the box's focus proxy); a control
        with no room for the ring around it within its parent (a yes/no pair laid out edge to
        edge) is ringed with its parent, where the ring would otherwise be cut off."""
        while (parent := widget.parentWidget()) is not None:
            outer = widget.geometry().adjusted(-RING, -RING, RING, RING)
            if parent.focusProxy() is widget or not (
                parent.isWindow() or parent.rect().contains(outer)
            ):
                widget = parent
            else:
                break
        return widget

    @Slot(QWidget, QWidget)
    def _on_app_focus_changed(self, old: QWidget | None, now: QWidget | None) -> None:
        if now is None or now.isWindow():
            if self.frame is not None:
                self.frame.setWidget(None)  # type: ignore[arg-type]  # Qt takes nullptr: no widget
            return
        control = self.control_of(now)
        if control.isWindow():
            return
        if self.frame is None:
            self.frame = QFocusFrame()
            self.frame.destroyed.connect(self._on_frame_destroyed)
        self.frame.setWidget(control)

    @Slot()
    def _on_frame_destroyed(self) -> None:
        self.frame = None  # its window closed with it; a new one is made at the next focus


def install(app: QApplication) -> None:
    """Wrap the application's style (once) and start the focus ring."""
    if isinstance(app.style(), EligoStyle):
        return
    app.setStyle(EligoStyle(app.style().name()))
    FocusRing(app)
