"""`python -m desktop_app print summary|log`: the binder printouts without a window."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from desktop_app.rules import default_protocol
from desktop_app.store import Store, find_screening, get_site, open_store
from desktop_app.store.consolidated import ConsolidatedStore
from desktop_app.store.reports import consort_counts, log_rows, screening_record
from desktop_app.ui.printing import footer_text, log_html, pdf_writer, render, summary_html


def print_command(args: argparse.Namespace, folder: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # noqa: F841 - fonts need an application
    protocol = default_protocol()
    if args.consolidated is not None:
        from desktop_app.ui.print_actions import Printout

        with ConsolidatedStore(args.consolidated, read_only=True) as centre:
            if args.print_command == "log":
                printout = Printout.trial_wide_log(centre, protocol)
            else:
                from desktop_app.export.consolidated_records import consolidated_record

                record = consolidated_record(centre, args.screening_number, args.attempt, args.site)
                printout = Printout.summary_of(record, protocol)
        pages = printout.save_pdf(args.out, args.page_size)
        print(f"{args.out}: {pages} page(s)")
        return 0
    with open_store(folder, read_only=True) as store:
        site = get_site(store)
        demo = bool(site and site.is_demo)
        writer = pdf_writer(args.out, args.page_size)
        if args.print_command == "summary":
            screening = find_screening(store, args.screening_number, args.attempt)
            html = summary_html(protocol, screening_record(store, screening.id))
            pages = render(html, writer, footer=footer_text(protocol), demo=demo)
        else:
            consort = consort_counts(store)
            html = log_html(protocol, site.name if site else "", site.principal_investigator if site else "",
                            log_rows(store), consort)  # fmt: skip
            pages = render(
                html,
                writer,
                footer=footer_text(protocol),
                demo=demo,
                landscape=True,
                consort=consort,
            )
        del writer  # finishes the PDF file
    print(f"{args.out}: {pages} page(s)")
    return 0


def log_pdf_bytes(store: Store) -> bytes:
    """The printed screening log as PDF bytes, for the export bundle."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # noqa: F841 - fonts need an application
    protocol = default_protocol()
    site = get_site(store)
    consort = consort_counts(store)
    html = log_html(protocol, site.name if site else "", site.principal_investigator if site else "",
                    log_rows(store), consort)  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.pdf"
        writer = pdf_writer(path)
        render(html, writer, footer=footer_text(protocol), demo=bool(site and site.is_demo), landscape=True,
               consort=consort)  # fmt: skip
        del writer
        return path.read_bytes()
