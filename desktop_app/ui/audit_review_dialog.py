"""A monitor records having reviewed a screening's audit trail over a range of dates (EU GMP
Annex 11 expects regular review); the earlier reviews of that screening are listed."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from desktop_app.rules.dates import TypedDateError, typed_date
from desktop_app.store import Store, StoreError, User, get_screening
from desktop_app.store.annotations import AuditReview, audit_reviews_of, record_audit_review
from desktop_app.store.clock import local_text
from desktop_app.ui.forms import ErrorLine, lay_out_dialog


class AuditReviewDialog(QDialog):
    def __init__(
        self, store: Store, user: User, screening_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store, self.user, self.screening_id = store, user, screening_id
        self.review: AuditReview | None = None
        screening = get_screening(store, screening_id)
        self.setWindowTitle(
            self.tr("Audit trail reviewed: {0} (attempt {1})").format(
                screening.screening_number, screening.attempt
            )
        )
        earlier = audit_reviews_of(store, screening_id)
        today = store.clock().date()
        start = earlier[-1].to_date if earlier else date.fromisoformat(screening.created_at[:10])
        self.from_date = QLineEdit(min(start, today).isoformat())
        self.from_date.setPlaceholderText("YYYY-MM-DD")
        self.to_date = QLineEdit(today.isoformat())
        self.to_date.setPlaceholderText("YYYY-MM-DD")
        self.comment = QLineEdit()
        form = QFormLayout()
        form.addRow(self.tr("Reviewed &from:"), self.from_date)
        form.addRow(self.tr("&to (inclusive):"), self.to_date)
        form.addRow(self.tr("&Comment (optional):"), self.comment)
        history = QLabel(
            "<br>".join(
                html.escape(
                    self.tr("{0} to {1}, reviewed by {2} on {3}").format(
                        r.from_date.isoformat(), r.to_date.isoformat(), r.full_name or r.username,
                        local_text(r.at_utc, r.utc_offset),
                    )
                    + (f": {r.comment}" if r.comment else "")
                )
                for r in earlier
            )
            or self.tr("No review of this audit trail is recorded yet.")
        )  # fmt: skip
        history.setWordWrap(True)
        note = QLabel(
            self.tr(
                "Record that you reviewed every event of this screening's audit trail in this "
                "range of dates. The record is signed with your name and the time."
            )
        )
        note.setWordWrap(True)
        self.error = ErrorLine()
        lay_out_dialog(self, note, form, QLabel(self.tr("Earlier reviews:")), history,
                       error=self.error, on_accepted=self._on_buttons_accepted,
                       ok_text=self.tr("Record the review"))  # fmt: skip

    def _date(self, field: QLineEdit, name: str) -> date | None:
        typed = field.text().strip()
        try:
            return typed_date(typed)
        except TypedDateError as exc:
            self.error.show_error(
                self.tr("{0}: {1} is not a calendar date (no such day)").format(name, typed)
                if exc.no_such_day
                else self.tr("{0}: write it as YYYY-MM-DD, for example 2023-03-08").format(name)
            )
            field.setFocus()
            return None

    @Slot()
    def _on_buttons_accepted(self) -> None:
        start = self._date(self.from_date, self.tr("From"))
        end = self._date(self.to_date, self.tr("To")) if start else None
        if start is None or end is None:
            return
        try:
            self.review = record_audit_review(
                self.store, self.user, self.screening_id, start, end, self.comment.text()
            )
        except StoreError as exc:  # a range that makes no sense, a role that may not: in words
            self.error.show_error(str(exc))
            return
        self.accept()
