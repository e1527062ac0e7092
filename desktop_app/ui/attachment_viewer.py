"""The in-app viewer of an attachment: PDFs through QtPdf, PNG and JPEG through QImageReader."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.store.attachments import Attachment
from desktop_app.ui.forms import fit_to_screen


class AttachmentViewer(QDialog):
    """One attachment version, read-only; what it is (title, kind, SHA-256) above it."""

    def __init__(
        self, attachment: Attachment, content: bytes, heading: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Attachment – {0}").format(attachment.title))
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem: str | None = None
        # The bytes stay alive as long as the view that reads them (QPdfDocument reads lazily).
        self._data = QByteArray(content)
        self.view = (
            self._pdf_view() if attachment.media_type == "application/pdf" else self._image_view()
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 900, 1000)

    def _pdf_view(self) -> QWidget:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self._buffer = QBuffer(self._data, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        view = QPdfView(self)
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view.setAccessibleName(self.tr("Document"))
        if self.document.status() != QPdfDocument.Status.Ready:
            return self._unreadable(self.tr("This PDF cannot be shown ({0}).").format(
                self.document.error().name))  # fmt: skip
        self.pages = self.document.pageCount()
        return view

    def _image_view(self) -> QWidget:
        self._buffer = QBuffer(self._data, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(self._buffer)
        reader.setAutoTransform(True)  # a phone's JPEG, upright as it was taken
        image = reader.read()
        if image.isNull():
            return self._unreadable(
                self.tr("This image cannot be shown ({0}).").format(reader.errorString())
            )
        self.pages = 1
        label = QLabel()
        label.setPixmap(QPixmap.fromImage(image))
        label.setAccessibleName(self.tr("Image"))
        area = QScrollArea()
        area.setWidget(label)
        area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return area

    def _unreadable(self, message: str) -> QWidget:
        self.problem = message
        self.pages = 0
        label = QLabel(message)
        label.setWordWrap(True)
        return label
