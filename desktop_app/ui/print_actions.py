"""Printing from the main window: preview, the system print dialog, and Save as PDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

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
from desktop_app.ui.forms import remember_folder, remembered_folder, run_modal, said
from desktop_app.ui.print_table import LongTable
from desktop_app.ui.printing import (
    PAGE_SIZES,
    NotPrintedError,
    PrintCancelledError,
    Progress,
    footer_text,
    log_html,
    log_table,
    log_tail_html,
    pdf_writer,
    render,
    summary_html,
    translate,
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
    table: LongTable | None = None  # a log's rows, painted page by page after `html`
    tail_html: str | None = None  # what follows the table

    @classmethod
    def of_store(cls, store: Store, protocol: LoadedProtocol, screening_id: int | None) -> Printout:
        """A screening's summary, or (screening_id None) this site's log."""
        site = get_site(store)
        demo = bool(site and site.is_demo)
        if screening_id is not None:
            return cls.summary_of(screening_record(store, screening_id), protocol)
        consort = consort_counts(store)
        rows = log_rows(store)
        html = log_html(protocol, site.name if site else "", site.principal_investigator if site else "",
                        tampered=sum(r.tampered for r in rows))  # fmt: skip
        return cls(protocol, html, "screening-log", demo, landscape=True, consort=consort,
                   table=log_table(rows, protocol), tail_html=log_tail_html(consort))  # fmt: skip

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
        exported = translate("Printout", "{0} ({1}, exported {2})")
        names = ", ".join(exported.format(s.code, s.name, s.exported_at[:10]) for s in sites)
        html = log_html(protocol, translate("Printout", "{0} site(s): {1}").format(len(sites), names),
                        translate("Printout", "per site"))  # fmt: skip
        return cls(protocol, html, "trial-wide-log", any(s.demo for s in sites), landscape=True,
                   consort=consort, table=log_table(centre.log_rows(), protocol),
                   tail_html=log_tail_html(consort))  # fmt: skip

    def paint(self, printer: QPrinter, progress: Progress | None = None) -> None:
        printer.setPageSize(QPageSize(PAGE_SIZES[page_size()]))
        render(
            self.html,
            printer,
            footer=footer_text(self.protocol),
            demo=self.demo,
            landscape=self.landscape,
            consort=self.consort,
            table=self.table,
            tail_html=self.tail_html,
            progress=progress,
        )

    def save_pdf(
        self, path: Path, size: str | None = None, progress: Progress | None = None
    ) -> int:
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
                                   demo=self.demo, landscape=self.landscape, consort=self.consort,
                                   table=self.table, tail_html=self.tail_html,
                                   progress=progress)  # fmt: skip
                except PrintCancelledError:
                    del writer  # closes the partial file, which written_whole removes
                    raise
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

        def paint(target: QPrinter) -> None:
            with PrintProgress(parent, parent.tr("Preparing the printout…")) as progress:
                try:
                    self.paint(target, progress)
                except PrintCancelledError:
                    # Never leave a partial printout on offer: the preview closes.
                    QTimer.singleShot(0, dialog.reject)

        dialog.paintRequested.connect(paint)
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
            with PrintProgress(
                parent, parent.tr("Saving {0}…").format(Path(name).name)
            ) as progress:
                self.save_pdf(Path(name), progress=progress)
        except PrintCancelledError:
            return None  # nothing written: the file is made beside its target and moved at the end
        except NotPrintedError as exc:
            QMessageBox.warning(parent, parent.tr("Not saved"), said(exc))
            return None
        return Path(name)


class PrintProgress:
    """A progress dialog with Cancel for a printout or an export that takes more than a second (Qt
    shows it only once the work is predicted to last that long); used as the printout's or the
    export's `progress`. `title` and `label` (the line for step `done` of `total`) default to the
    printout's; an export changes `label` between its printed log and its files."""

    def __init__(
        self,
        parent: QWidget,
        text: str,
        *,
        title: str | None = None,
        label: Callable[[int, int], str] | None = None,
    ) -> None:
        # QCoreApplication.translate spelt out: lupdate does not see it through another name.
        cancel = QCoreApplication.translate("PrintProgress", "Cancel")
        self.dialog = QProgressDialog(text, cancel, 0, 1, parent)
        self.dialog.setWindowTitle(title or QCoreApplication.translate("PrintProgress", "Printing"))
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(1000)
        self.dialog.setAutoReset(False)
        self.label = label or self.page_label

    @staticmethod
    def page_label(done: int, total: int) -> str:
        return QCoreApplication.translate("PrintProgress", "Page {0} of {1}…").format(done + 1, total)  # fmt: skip

    def __enter__(self) -> PrintProgress:
        return self

    def __exit__(self, *_: object) -> None:
        self.dialog.reset()
        self.dialog.deleteLater()

    def __call__(self, done: int, total: int) -> bool:
        self.dialog.setMaximum(total)
        self.dialog.setLabelText(self.label(done, total))
        self.dialog.setValue(done)  # a window-modal dialog processes events here (Cancel)
        return not self.dialog.wasCanceled()


def _complete_pdf(path: Path) -> bool:
    """A PDF ends with its %%EOF marker; a write cut short (a full disk) does not."""
    with path.open("rb") as pdf:
        pdf.seek(max(0, path.stat().st_size - 1024))
        return b"%%EOF" in pdf.read()
