"""`python -m desktop_app print summary|log`: the binder printouts without a window."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from desktop_app.rules import default_protocol
from desktop_app.rules.language import Language
from desktop_app.store import Store, find_screening
from desktop_app.store.consolidated import ConsolidatedStore
from desktop_app.ui.print_actions import Printout
from desktop_app.ui.printing import NotPrintedError, Progress


def _application(language: Language | None = None) -> None:
    """A windowless application (fonts need one; it lives as long as the process), printing in
    `language` (None: whatever language is in use already)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        QApplication([])
    if language is not None:
        from desktop_app.ui import language as languages

        languages.apply(language)


def print_command(
    args: argparse.Namespace, folder: Path, open_signed_in: Callable[..., Store]
) -> int:
    """`open_signed_in(args, folder, read_only=True)` signs in as the command line says."""
    _application("zh-CN" if getattr(args, "language", "en") == "zh-CN" else "en")
    protocol = default_protocol()
    if args.consolidated is not None:
        with ConsolidatedStore(args.consolidated, read_only=True) as centre:
            if args.print_command == "log":
                printout = Printout.trial_wide_log(centre, protocol)
            else:
                from desktop_app.export.consolidated_records import consolidated_record

                record = consolidated_record(centre, args.screening_number, args.attempt, args.site)
                printout = Printout.summary_of(record, protocol)
    else:
        with open_signed_in(args, folder, read_only=True) as store:
            screening_id = (
                find_screening(store, args.screening_number, args.attempt).id
                if args.print_command == "summary"
                else None
            )
            printout = Printout.of_store(store, protocol, screening_id)
    try:
        pages = printout.save_pdf(args.out, args.page_size)
    except NotPrintedError as exc:
        print(exc, file=sys.stderr)
        return 2  # the CLI's "bad input": the file given cannot be written
    from desktop_app.report_words import line_in
    from desktop_app.ui.language import current

    print(line_in(current(), f"{args.out}: {pages} page(s)"))
    return 0


def log_pdf_bytes(
    store: Store, language: Language | None = None, progress: Progress | None = None
) -> bytes:
    """The printed screening log as PDF bytes (A4), for the export bundle, in `language` (None:
    the language in use, the exporting user's); `progress` is told each page and may cancel
    (PrintCancelledError)."""
    _application(language)
    printout = Printout.of_store(store, default_protocol(), None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.pdf"
        printout.save_pdf(path, "A4", progress=progress)
        return path.read_bytes()
