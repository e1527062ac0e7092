"""The source documents attached to a screening, on its binder summary: one short line per
document, so that a monitor can tell which files back the record and match each at the site by
its SHA-256.

Only what the site's store and the bundle's attachments.json both hold is printed (never who
added a file), so that the summary printed at the coordinating centre is the site's own. A
version replaced by a newer one is left out (the current one says its version number); a removed
document is listed as removed, with the day and the reason."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QLocale

from desktop_app.rules.protocol import Protocol
from desktop_app.store.attachments import ListedAttachment
from desktop_app.store.clock import local_moment
from desktop_app.ui.printing import translate
from desktop_app.ui.review import question_label

_TYPES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}


def _e(value: object) -> str:
    return html.escape(str(value))


def sha256_groups(sha256: str) -> str:
    """The first 16 hex digits in groups of four: 'f00d 1e55 ca11 ab1e', joined by no-break
    spaces so that a line never splits them."""
    return "\u00a0".join(sha256[i : i + 4] for i in range(0, 16, 4))


def _day(at_utc: str, utc_offset: str | None) -> str:
    """The local day under the site's clock; the UTC day, said so, where the offset is not known
    (a bundle written before attachments.json carried it)."""
    if utc_offset is None:
        return translate("Printout", "{0} (UTC)").format(local_moment(at_utc, "+00:00").date())
    return local_moment(at_utc, utc_offset).date().isoformat()


def _version(a: ListedAttachment, by_id: dict[int, ListedAttachment]) -> int:
    number, seen = 1, {a.id}
    while a.replaces_id is not None and a.replaces_id in by_id and a.replaces_id not in seen:
        a = by_id[a.replaces_id]
        seen.add(a.id)
        number += 1
    return number


def attachment_line(protocol: Protocol, a: ListedAttachment, version: int) -> str:
    """One document as printed (plain text)."""
    from desktop_app.ui.attachments import kind_word  # the Attachments dialog's words

    title = a.title
    if version > 1:
        title += f" ({translate('Printout', 'version {0}').format(version)})"
    size = QLocale().formattedDataSize(a.size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)
    file = (_TYPES.get(a.media_type, a.media_type), size)
    added, sha = _day(a.added_at, a.utc_offset), sha256_groups(a.sha256)
    if a.question_id is None:
        line = translate("Printout", "{0} “{1}”: {2}, {3}, added {4}, SHA-256 {5}").format(
            kind_word(a.kind), title, *file, added, sha
        )
    else:
        line = translate("Printout", "{0} “{1}” on {2}: {3}, {4}, added {5}, SHA-256 {6}").format(
            kind_word(a.kind), title, question_label(protocol, a.question_id), *file, added, sha
        )
    if a.removed_at is not None:
        # The day of the removal in UTC: the site's store keeps no clock offset for it.
        day = _day(a.removed_at, None)
        removed = (
            translate("Printout", "REMOVED on {0}: {1}").format(day, a.removal_reason)
            if a.removal_reason
            else translate("Printout", "REMOVED on {0}").format(day)
        )
        line += " — " + removed
    return line


def attachments_html(protocol: Protocol, attachments: Sequence[ListedAttachment]) -> str:
    """The summary's "Source documents attached" section; '' when there are none."""
    by_id = {a.id: a for a in attachments}
    replaced = {a.replaces_id for a in attachments if a.replaces_id is not None}
    lines = [
        f"<li>{_e(attachment_line(protocol, a, _version(a, by_id)))}</li>"
        for a in attachments
        if a.id not in replaced
    ]
    if not lines:
        return ""
    heading = translate("Printout", "Source documents attached")
    return f"<h2>{_e(heading)}</h2><ul class='small'>{''.join(lines)}</ul>"
