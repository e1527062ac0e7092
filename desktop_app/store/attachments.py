"""Attachments: scanned consent, pathology and imaging reports, lab sheets (PDF, PNG, JPEG).

The file is kept inside the store (so encrypted with it), written together with its audit event,
which carries its SHA-256, size, kind and title (store/attachment_replay.py replays them, and
`db check` recomputes every content's hash). An attachment is never changed and never deleted: a
new version names the one it replaces, and a removal is an event with a reason that keeps the
content. The original file name is not kept: scans are often named after the patient, and the
audit trail is exported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict

from desktop_app.store import chain
from desktop_app.store.database import Store
from desktop_app.store.errors import BadInputError, NotFoundError, StoreError
from desktop_app.store.models import User
from desktop_app.store.records import get_screening
from desktop_app.store.roles import ROLES, SCREENING_ROLES, require_role

Kind = Literal["signed_consent", "pathology_report", "imaging_report", "lab_sheet"]
KINDS: tuple[Kind, ...] = get_args(Kind)
MediaType = Literal["application/pdf", "image/png", "image/jpeg"]
MAX_BYTES = 20 * 1024 * 1024
MAX_TITLE = 200

# What a file's first bytes are for each type, and the extensions that name it.
_MAGIC: dict[MediaType, bytes] = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
}
_EXTENSIONS: dict[str, MediaType] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class Attachment(BaseModel):
    """One version of an attachment, without its content."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    screening_id: int
    question_id: str | None
    kind: Kind
    title: str
    media_type: MediaType
    size: int
    sha256: str
    replaces_id: int | None
    replaced_by: int | None
    added_at: str
    utc_offset: str
    added_by: str  # the full name
    removed_at: str | None
    removed_by: str | None
    removal_reason: str | None

    @property
    def current(self) -> bool:
        """Neither replaced by a newer version nor removed."""
        return self.replaced_by is None and self.removed_at is None


class AttachmentChangedError(StoreError):
    """The stored content does not have the SHA-256 recorded when it was attached."""


def media_type_of(file_name: str, content: bytes) -> MediaType:
    """The file's type from its extension and its first bytes, which must agree (a renamed file
    is refused); BadInputError naming the file otherwise."""
    dot = file_name.rfind(".")
    extension = file_name[dot:].lower() if dot >= 0 else ""
    named = _EXTENSIONS.get(extension)
    if named is None:
        raise BadInputError(
            "file", f"{file_name!r} is not a PDF, PNG or JPEG file (.pdf, .png, .jpg)"
        )
    if not content.startswith(_MAGIC[named]):
        found = next((t for t, magic in _MAGIC.items() if content.startswith(magic)), None)
        what = f"its content is {_WORD[found]}" if found else "its content is not one"
        raise BadInputError("file", f"{file_name!r} is named as {_WORD[named]}, but {what}")
    return named


_WORD: dict[MediaType | None, str] = {
    "application/pdf": "a PDF",
    "image/png": "a PNG image",
    "image/jpeg": "a JPEG image",
    None: "none of these",
}


def _checked(kind: str, title: str, content: bytes, file_name: str) -> tuple[Kind, str, MediaType]:
    if kind not in KINDS:
        raise BadInputError("kind", f"one of {', '.join(KINDS)}")
    title = " ".join(title.split())
    if not title:
        raise BadInputError(
            "title", "is required (what the document is, such as 'Pathology report, 2026-03-02')"
        )
    if len(title) > MAX_TITLE:
        raise BadInputError("title", f"at most {MAX_TITLE} characters")
    if not content:
        raise BadInputError("file", f"{file_name!r} is empty")
    if len(content) > MAX_BYTES:
        raise BadInputError(
            "file", f"{file_name!r} is {len(content) / 1048576:.1f} MB; at most 20 MB"
        )
    return kind, title, media_type_of(file_name, content)


def add_attachment(
    store: Store,
    actor: User,
    screening_id: int,
    *,
    file_name: str,
    content: bytes,
    kind: str,
    title: str,
    question_id: str | None = None,
    replaces: int | None = None,
) -> Attachment:
    """Attach a file to a screening (or to one of its answers, by question id); with `replaces`,
    as the new version of that attachment, which stays in the history."""
    require_role(actor, *SCREENING_ROLES, action="attach documents")
    checked_kind, title, media_type = _checked(kind, title, content, file_name)
    screening = get_screening(store, screening_id)
    if question_id is not None and not question_id.strip():
        question_id = None
    digest = hashlib.sha256(content).hexdigest()
    with store.transaction("The attachment") as db:
        if replaces is not None:
            old = get_attachment(store, replaces)
            if old.screening_id != screening_id:
                raise BadInputError("attachment", "a new version belongs to the same screening")
            if not old.current:
                raise BadInputError("attachment", "only the current version can be replaced")
            question_id = old.question_id
        stamp = store.stamp()
        cursor = db.execute(
            "INSERT INTO attachments (screening_id, question_id, kind, title, media_type, size, sha256, content, "
            "replaces_id, added_at, utc_offset, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [screening_id, question_id, checked_kind, title, media_type, len(content), digest, content,
             replaces, stamp.at_utc, stamp.utc_offset, actor.id],
        )  # fmt: skip
        attachment_id = int(cursor.lastrowid or 0)
        chain.append(db, stamp, head=store.chain_head, user_id=actor.id, username=actor.username,
                     action="attachment_added", entity="screening",
                     entity_id=f"{screening.screening_number}/{screening.attempt}", field="attachment",
                     new={"id": attachment_id, "kind": checked_kind, "title": title, "media_type": media_type,
                          "size": len(content), "sha256": digest, "question": question_id,
                          "replaces": replaces})  # fmt: skip
    return get_attachment(store, attachment_id)


def remove_attachment(store: Store, actor: User, attachment_id: int, reason: str) -> Attachment:
    """Mark an attachment removed (attached to the wrong screening, say): an audit event with
    the reason; the content stays in the store and in the history."""
    require_role(actor, *SCREENING_ROLES, action="remove attachments")
    reason = " ".join(reason.split())
    if not reason:
        raise BadInputError("reason", "a removal needs a reason")
    found = get_attachment(store, attachment_id)
    if not found.current:
        raise BadInputError("attachment", "only the current version can be removed")
    screening = get_screening(store, found.screening_id)
    with store.transaction("The removal") as db:
        stamp = store.stamp()
        db.execute(
            "UPDATE attachments SET removed_at = ?, removed_by = ?, removal_reason = ? WHERE id = ?",
            [stamp.at_utc, actor.id, reason, attachment_id],
        )
        chain.append(db, stamp, head=store.chain_head, user_id=actor.id, username=actor.username,
                     action="attachment_removed", entity="screening",
                     entity_id=f"{screening.screening_number}/{screening.attempt}", field="attachment",
                     new={"id": attachment_id, "sha256": found.sha256}, reason=reason)  # fmt: skip
    return get_attachment(store, attachment_id)


_SELECT = """
SELECT a.id, a.screening_id, a.question_id, a.kind, a.title, a.media_type, a.size, a.sha256, a.replaces_id,
       (SELECT n.id FROM attachments n WHERE n.replaces_id = a.id ORDER BY n.id LIMIT 1),
       a.added_at, a.utc_offset, u.full_name, a.removed_at, r.full_name, a.removal_reason
FROM attachments a LEFT JOIN users u ON u.id = a.added_by LEFT JOIN users r ON r.id = a.removed_by
"""
_NAMES = ("id", "screening_id", "question_id", "kind", "title", "media_type", "size", "sha256", "replaces_id",
          "replaced_by", "added_at", "utc_offset", "added_by", "removed_at", "removed_by", "removal_reason")  # fmt: skip


def _model(row: tuple[object, ...]) -> Attachment:
    return Attachment.model_validate(dict(zip(_NAMES, row, strict=True)))


def get_attachment(store: Store, attachment_id: int) -> Attachment:
    row = store.db.execute(_SELECT + " WHERE a.id = ?", [attachment_id]).fetchone()
    if row is None:
        raise NotFoundError(f"no attachment with id {attachment_id}")
    return _model(tuple(row))


def attachments_of(store: Store, screening_id: int) -> list[Attachment]:
    """Every version of every attachment of a screening, oldest first (current, replaced and
    removed ones alike: the caller shows the history)."""
    rows = store.db.execute(_SELECT + " WHERE a.screening_id = ? ORDER BY a.id", [screening_id])
    return [_model(tuple(r)) for r in rows]


def attachment_content(store: Store, attachment_id: int) -> bytes:
    """The file's bytes, checked against the SHA-256 recorded when it was attached."""
    row = store.db.execute(
        "SELECT content, sha256 FROM attachments WHERE id = ?", [attachment_id]
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no attachment with id {attachment_id}")
    content = bytes(row[0])
    if hashlib.sha256(content).hexdigest() != row[1]:
        raise AttachmentChangedError(
            f"attachment {attachment_id} was changed after it was attached (its SHA-256 differs); "
            "run db check"
        )
    return content


def open_attachment(store: Store, actor: User, attachment_id: int) -> bytes:
    """The content of an attachment (a source document) for `actor` to read, checked as
    attachment_content checks it, with its opening recorded in the audit chain first: who opened
    which version of which screening's document, when (monitors expect access to source documents
    to be traceable). Like a sign-in, the event records an access and changes no table; it
    travels with the rest of the chain (audit_chain.jsonl, audit_trail.csv, ODM AuditRecords).
    Nothing is shown that is not recorded: a read-only store raises ReadOnlyStoreError."""
    require_role(actor, *ROLES, action="open source documents")
    found = get_attachment(store, attachment_id)
    content = attachment_content(store, attachment_id)  # a changed file is refused, not recorded
    screening = get_screening(store, found.screening_id)
    with store.transaction("The record of the opening") as db:
        chain.append(db, store.stamp(), head=store.chain_head, user_id=actor.id, username=actor.username,
                     action="attachment_viewed", entity="screening",
                     entity_id=f"{screening.screening_number}/{screening.attempt}", field="attachment",
                     new={"id": attachment_id, "sha256": found.sha256, "title": found.title})  # fmt: skip
    return content


def exported_attachments(store: Store) -> list[dict[str, object]]:
    """attachments.json of the signed bundle: every attachment version's screening, kind, title,
    type, size and SHA-256 (so that a monitor can match the site's file), when it was added (UTC
    and the offset of the site's clock), when and why it was removed, never its content (scans
    carry identifiers) nor who added it; in the order of screenings.json, then oldest first."""
    rows = store.db.execute(
        "SELECT c.screening_number, s.attempt, a.id, a.kind, a.title, a.media_type, a.size, a.sha256, "
        "a.question_id, a.replaces_id, a.added_at, a.utc_offset, a.removed_at, a.removal_reason "
        "FROM attachments a JOIN screenings s ON s.id = a.screening_id "
        "JOIN candidates c ON c.id = s.candidate_id ORDER BY c.seq, s.attempt, a.id"
    )
    names = ("screening_number", "attempt", "id", "kind", "title", "media_type", "size", "sha256",
             "question", "replaces", "added_at", "utc_offset", "removed_at", "removal_reason")  # fmt: skip
    return [dict(zip(names, row, strict=True)) for row in rows]


@dataclass(frozen=True)
class ListedAttachment:
    """One attachment version as the binder summary lists it: what the site's store and the
    bundle's attachments.json both hold, so that the summary printed at the coordinating centre
    is the site's own. `utc_offset` and `removal_reason` are None from a bundle written before
    attachments.json carried them."""

    id: int
    kind: Kind
    title: str
    media_type: MediaType
    size: int
    sha256: str
    question_id: str | None
    replaces_id: int | None
    added_at: str
    utc_offset: str | None
    removed_at: str | None
    removal_reason: str | None


def listed_attachments(store: Store, screening_id: int) -> list[ListedAttachment]:
    """Every version of the screening's attachments, oldest first, as the summary lists them."""
    return [
        ListedAttachment(a.id, a.kind, a.title, a.media_type, a.size, a.sha256, a.question_id,
                         a.replaces_id, a.added_at, a.utc_offset, a.removed_at, a.removal_reason)
        for a in attachments_of(store, screening_id)
    ]  # fmt: skip


def _typed(entry: Mapping[str, Any], key: str, kind: type, *, optional: bool = False) -> Any:
    found = entry.get(key) if optional else entry[key]
    if (found is None and optional) or (isinstance(found, kind) and not isinstance(found, bool)):
        return found
    raise ValueError(f"attachment {key!r} is not of the documented type")


def carried_attachment(entry: Mapping[str, Any]) -> ListedAttachment:
    """One entry of a bundle's attachments.json as the summary lists it; ValueError, KeyError or
    TypeError when it is not of the documented shape (a bundle signed by a key nobody trusts may
    hold anything). `utc_offset` and `removal_reason` may be absent (older bundles)."""
    kind = _typed(entry, "kind", str)
    media_type = _typed(entry, "media_type", str)
    if kind not in KINDS or media_type not in _MAGIC:
        raise ValueError(
            f"attachment kind {kind[:30]!r} or type {media_type[:30]!r} is not documented"
        )
    sha256 = _typed(entry, "sha256", str)
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("attachment 'sha256' is not 64 hex digits")
    return ListedAttachment(
        _typed(entry, "id", int), kind, _typed(entry, "title", str), media_type,
        _typed(entry, "size", int), sha256, _typed(entry, "question", str, optional=True),
        _typed(entry, "replaces", int, optional=True), _typed(entry, "added_at", str),
        _typed(entry, "utc_offset", str, optional=True), _typed(entry, "removed_at", str, optional=True),
        _typed(entry, "removal_reason", str, optional=True),
    )  # fmt: skip
