"""Printing from the main window: preview, the system print dialog, and Save as PDF."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop_app.files import in_words, missing_folder, written_whole
from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, get_site
from desktop_app.store.consolidated import ConsolidatedStore
from desktop_app.store.reports import (
    Consort,
    ScreeningRecord,
    consort_counts,
    log_rows,
    screening_record,
)
from desktop_app.ui.forms import remember_folder, remembered_folder, run_modal
from desktop_app.ui.printing import (
    PAGE_SIZES,
    NotPrintedError,
    footer_text,
    log_html,
    pdf_writer,
    render,
    summary_html,
)


def page_size() -> str:
    """A4 unless the user chose Letter (remembered)."""
    value = str(QSettings().value("print/page_size", "A4"))
    return value if value in PAGE_SIZES else "A4"


def set_page_size(name: str) -> None:
    QSettings().setValue("print/page_size", name)


@dataclass
class Printout:
    """One document to print: the summary of a screening, or a whole log with its CONSORT page."""

    protocol: LoadedProtocol
    html: str
    name: str  # the suggested file name, without .pdf
    demo: bool
    landscape: bool = False
    consort: Consort | None = None

    @classmethod
    def of_store(cls, store: Store, protocol: LoadedProtocol, screening_id: int | None) -> Printout:
        """A screening's summary, or (screening_id None) this site's log."""
        site = get_site(store)
        demo = bool(site and site.is_demo)
        if screening_id is not None:
            return cls.summary_of(screening_record(store, screening_id), protocol)
        consort = consort_counts(store)
        html = log_html(protocol, site.name if site else "", site.principal_investigator if site else "",
                        log_rows(store), consort)  # fmt: skip
        return cls(protocol, html, "screening-log", demo, landscape=True, consort=consort)

    @classmethod
    def summary_of(cls, record: ScreeningRecord, protocol: LoadedProtocol) -> Printout:
        """The summary of a screening record (from this store or a consolidated one)."""
        return cls(protocol, summary_html(protocol, record),
                   f"summary-{record.screening.screening_number}-{record.screening.attempt}",
                   demo=bool(record.site and record.site.is_demo))  # fmt: skip

    @classmethod
    def trial_wide_log(cls, centre: ConsolidatedStore, protocol: LoadedProtocol) -> Printout:
        """The consolidated store's log across sites."""
        sites = centre.sites()
        consort = centre.consort()
        names = ", ".join(f"{s.code} ({s.name}, exported {s.exported_at[:10]})" for s in sites)
        html = log_html(
            protocol, f"{len(sites)} site(s): {names}", "per site", centre.log_rows(), consort
        )
        return cls(
            protocol,
            html,
            "trial-wide-log",
            any(s.demo for s in sites),
            landscape=True,
            consort=consort,
        )

    def paint(self, printer: QPrinter) -> None:
        printer.setPageSize(QPageSize(PAGE_SIZES[page_size()]))
        render(
            self.html,
            printer,
            footer=footer_text(self.protocol),
            demo=self.demo,
            landscape=self.landscape,
            consort=self.consort,
        )

    def save_pdf(self, path: Path, size: str | None = None) -> int:
        """Write the PDF on `size` paper (default: the remembered choice); returns the pages.

        Written beside `path` under a temporary name and moved into place once complete: a folder
        that is missing or read-only, or a disk that fills up, raises NotPrintedError naming the
        file, and leaves neither half a PDF nor an older file half replaced (Qt itself only warns
        and would have reported pages it never wrote)."""
        if (problem := missing_folder(path)) is not None:
            raise NotPrintedError(f"{path} was not saved: {problem}")
        try:
            with written_whole(path) as partial:
                writer = pdf_writer(partial, size or page_size())
                try:
                    pages = render(self.html, writer, footer=footer_text(self.protocol),
                                   demo=self.demo, landscape=self.landscape, consort=self.consort)  # fmt: skip
                except NotPrintedError as exc:
                    raise NotPrintedError(f"{path} was not saved: {exc}") from exc
                del writer  # closes the file
                if not _complete_pdf(partial):
                    raise NotPrintedError(f"{path} was not saved: the file could not be written "
                                          "whole (is the disk full?)")  # fmt: skip
        except OSError as exc:
            raise NotPrintedError(f"{path} was not saved: {in_words(exc)}") from exc
        return pages

    def preview(self, parent: QWidget) -> None:
        """Print preview, from which the system print dialog prints."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintPreviewDialog(printer, parent)
        dialog.paintRequested.connect(self.paint)
        run_modal(dialog)

    def ask_and_save(self, parent: QWidget) -> Path | None:
        """Ask where (in the folder chosen last time), save, and say so if it could not be saved;
        returns the file written, or None."""
        name, _ = QFileDialog.getSaveFileName(
            parent, parent.tr("Save as PDF"), str(remembered_folder("pdf") / f"{self.name}.pdf"),
            "PDF (*.pdf)",
        )  # fmt: skip
        if not name:
            return None
        remember_folder("pdf", Path(name))
        try:
            self.save_pdf(Path(name))
        except NotPrintedError as exc:
            QMessageBox.warning(parent, parent.tr("Not saved"), str(exc))
            return None
        return Path(name)


def _complete_pdf(path: Path) -> bool:
    """A PDF ends with its %%EOF marker; a write cut short (a full disk) does not."""
    with path.open("rb") as pdf:
        pdf.seek(max(0, path.stat().st_size - 1024))
        return b"%%EOF" in pdf.read()
