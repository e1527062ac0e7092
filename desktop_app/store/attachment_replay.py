"""Attachments in the replay of the audit chain (store/replay.py): each row of `attachments` must
be what its events record, and its content must still have the recorded SHA-256."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

    from desktop_app.store.replay import Replay, _Diff, _Event


def _added(r: Replay, e: _Event) -> None:
    from desktop_app.store.replay import _screening  # replay imports this module

    if _screening(r, e) is None:
        return
    v = e.new
    r.attachments[int(v["id"])] = {
        "screening": e.entity_id, "question": v.get("question"), "kind": v["kind"], "title": v["title"],
        "media_type": v["media_type"], "size": v["size"], "sha256": v["sha256"], "replaces": v.get("replaces"),
        "added": (e.at_utc, e.utc_offset, e.user_id), "removed": None,
    }  # fmt: skip


def _removed(r: Replay, e: _Event) -> None:
    from desktop_app.store.replay import _screening

    found = r.attachments.get(int(e.new["id"]))
    if _screening(r, e) is not None and found is not None:
        found["removed"] = (e.at_utc, e.user_id, e.reason)


def _viewed(r: Replay, e: _Event) -> None:
    """An access, not a change: nothing to replay, but it must name a version the chain added,
    by its SHA-256 and title (the audit trail shows the title it records), in the same screening."""
    found = r.attachments.get(int(e.new["id"]))
    recorded = (e.entity_id, e.new["sha256"], e.new.get("title"))
    if found is None or (found["screening"], found["sha256"], found["title"]) != recorded:
        r.malformed.append((e.seq, "attachment_viewed", "it names no attachment the chain added"))


HANDLERS = {
    "attachment_added": _added,
    "attachment_removed": _removed,
    "attachment_viewed": _viewed,
}


def compare_attachments(db: Database, state: Replay, diff: _Diff) -> None:
    """Row by row; the content is read and hashed one attachment at a time (up to 20 MB each)."""
    from desktop_app.store.replay import ABSENT

    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'attachments'").fetchone():
        return  # a store from before migration 0011 (db check of an old backup)
    rows = db.execute(
        "SELECT a.id, c.screening_number || '/' || s.attempt, a.question_id, a.kind, a.title, a.media_type, "
        "a.size, a.sha256, a.replaces_id, a.added_at, a.utc_offset, a.added_by, a.removed_at, a.removed_by, "
        "a.removal_reason FROM attachments a LEFT JOIN screenings s ON s.id = a.screening_id "
        "LEFT JOIN candidates c ON c.id = s.candidate_id ORDER BY a.id"
    ).fetchall()
    seen: set[int] = set()
    for row in rows:
        ident, key = row[0], row[1]
        seen.add(ident)
        expected: dict[str, Any] | None = state.attachments.get(ident)
        name = str(ident)
        if expected is None:
            diff.same("attachments", name, "row", "present", ABSENT, key)
            continue
        screening = expected["screening"]
        same = diff.same
        same("attachments", name, "screening", key, screening, screening)
        for i, column in ((2, "question"), (3, "kind"), (4, "title"), (5, "media_type"), (6, "size"),
                          (7, "sha256"), (8, "replaces")):  # fmt: skip
            same("attachments", name, column, row[i], expected[column], screening)
        same("attachments", name, "added", (row[9], row[10], row[11]), expected["added"], screening)
        removed = None if row[12] is None else (row[12], row[13], row[14])
        same("attachments", name, "removed", removed, expected["removed"], screening)
        content = db.execute("SELECT content FROM attachments WHERE id = ?", [ident]).fetchone()[0]
        digest = hashlib.sha256(bytes(content)).hexdigest()
        same("attachments", name, "content (sha256)", digest, expected["sha256"], screening)
    for ident in sorted(state.attachments.keys() - seen):
        screening = state.attachments[ident]["screening"]
        diff.same("attachments", str(ident), "row", ABSENT, "present", screening)
