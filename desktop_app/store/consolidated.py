"""The coordinating centre's consolidated store: every site's screenings, imported from verified
bundles, in its own SQLite file (consolidated.db), apart from any site's working store.

It is read-only to people: nothing in it is ever edited, rows only arrive from bundles. Screenings
are keyed by site and screening number and attempt. Importing the same bundle again changes
nothing; a newer bundle from the same site updates that site's rows, and each row it replaces is
kept in `screening_history` with the bundle that brought it and the bundle that replaced it.
A screening's notes, queries and audit trail reviews (the bundle's annotations.json) are kept
beside its record and go to history with it; a bundle written before annotations.json existed
brings none. Its attachments as attachments.json lists them (never their content) ride in the same
column, under "attachments" (export/consolidate.py), so they are compared and kept alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as sqlite3
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from desktop_app.store.database import _rollback, connect, integrity_problem
from desktop_app.store.errors import BadInputError, NotFoundError, StoreError, StoreWriteError
from desktop_app.store.log_query import like_literal
from desktop_app.store.reports import Consort, PrintedLogRow, consort_of, printed_from_columns

FILE_NAME = "consolidated.db"
migrations = Migrations("eligo-consolidated")


@migrations(name="0001_consolidated")
def _m0001(db: Database) -> None:
    for statement in (
        """CREATE TABLE bundles (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            file_name TEXT NOT NULL,
            site_code TEXT NOT NULL,
            site_name TEXT NOT NULL,
            principal_investigator TEXT NOT NULL,
            demo INTEGER NOT NULL,
            exported_at TEXT NOT NULL,
            exported_by TEXT NOT NULL,
            signer_fingerprint TEXT NOT NULL,
            signer_trusted INTEGER,
            protocol_id TEXT NOT NULL,
            protocol_version TEXT NOT NULL,
            protocol_sha256 TEXT NOT NULL,
            audit_head TEXT NOT NULL,
            screenings INTEGER NOT NULL,
            imported_at TEXT NOT NULL
        )""",
        """CREATE TABLE screenings (
            site_code TEXT NOT NULL,
            screening_number TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            bundle_id INTEGER NOT NULL REFERENCES bundles(id),
            status TEXT NOT NULL,
            determination TEXT,
            failing TEXT NOT NULL,
            outcome TEXT,
            log_row TEXT NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (site_code, screening_number, attempt)
        )""",
        """CREATE TABLE screening_history (
            id INTEGER PRIMARY KEY,
            site_code TEXT NOT NULL,
            screening_number TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            bundle_id INTEGER NOT NULL REFERENCES bundles(id),
            replaced_by INTEGER NOT NULL REFERENCES bundles(id),
            status TEXT NOT NULL,
            log_row TEXT NOT NULL,
            record TEXT NOT NULL
        )""",
        "CREATE INDEX screening_history_key ON screening_history (site_code, screening_number, attempt)",
        """CREATE TRIGGER history_never_changes BEFORE UPDATE ON screening_history
            BEGIN SELECT RAISE(ABORT, 'history is never edited'); END""",
        """CREATE TRIGGER history_never_deleted BEFORE DELETE ON screening_history
            BEGIN SELECT RAISE(ABORT, 'history is never deleted'); END""",
        """CREATE TRIGGER bundles_never_deleted BEFORE DELETE ON bundles
            BEGIN SELECT RAISE(ABORT, 'imported bundles are never deleted'); END""",
    ):
        db.execute(statement)


@migrations(name="0002_chain_extension")
def _m0002(db: Database) -> None:
    """How many audit events each bundle carried: a newer bundle of a site must carry the head
    of the last one accepted at that position of its chain."""
    db.execute("ALTER TABLE bundles ADD COLUMN audit_events INTEGER")


def extends(chain: bytes, head: str, events: int | None) -> bool:
    """Whether audit_chain.jsonl (already verified whole) holds `head` as the hash of event
    `events`: the earlier chain is a prefix of this one (Certificate Transparency's consistency
    check, with the whole chain at hand). A line break only ever ends a line (JSON escapes it
    in text), and a line ends with its hash, so the search cannot match inside a value."""
    if head == "0" * 64:
        return True
    at = chain.find(b'"' + head.encode("ascii") + b'"]\n')
    return at >= 0 and (events is None or chain.count(b"\n", 0, at) + 1 == events)


@migrations(name="0003_annotations")
def _m0003(db: Database) -> None:
    """Each screening's notes, queries and audit trail reviews as its bundle's annotations.json
    carried them (JSON; NULL when it has none, or the bundle was written before that file)."""
    db.execute("ALTER TABLE screenings ADD COLUMN annotations TEXT")
    db.execute("ALTER TABLE screening_history ADD COLUMN annotations TEXT")


@dataclass(frozen=True)
class SiteBundle:
    """A verified bundle's contents, as the import needs them."""

    sha256: str
    file_name: str
    manifest: dict[str, Any]
    signer_fingerprint: str
    signer_trusted: bool | None  # None: no trusted keys were given
    screenings: list[dict[str, Any]]
    log_rows: dict[tuple[str, int], dict[str, str]]  # screening_log.csv by (number, attempt)
    audit_chain: bytes = b""  # audit_chain.jsonl, verified whole
    # annotations.json by (number, attempt), each entry's notes, queries and reviews as JSON text
    annotations: dict[tuple[str, int], str] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    site_code: str
    status: str  # "imported" or "unchanged"
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        if self.status == "unchanged":
            return f"{self.site_code}: already imported, nothing changed"
        return (f"{self.site_code}: imported ({self.added} new, {self.updated} updated, "
                f"{self.unchanged} unchanged screening(s))")  # fmt: skip


@dataclass(frozen=True)
class SiteSummary:
    code: str
    name: str
    principal_investigator: str
    demo: bool
    exported_at: str
    exported_by: str
    signer_fingerprint: str
    signer_trusted: bool | None
    screenings: int
    bundles: int


class ConsolidatedStore:
    """The consolidated file, opened with Eligo's pragmas (WAL, synchronous FULL)."""

    def __init__(self, folder: Path, *, read_only: bool = False) -> None:
        path = folder / FILE_NAME
        if read_only and not path.exists():
            raise StoreError(f"no consolidated store in {folder}")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # Plain SQLite: a consolidated store holds only what bundles carry, no direct identifier.
            self.db = connect(path, key=None, read_only=read_only)
        except (OSError, sqlite3.Error) as exc:  # a read-only medium, no permission, no such drive
            cause = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise StoreError(
                f"the consolidated store cannot be made or opened in {folder} ({cause})"
            ) from exc
        self.path, self.read_only = path, read_only
        problem = integrity_problem(self.db)
        if problem is not None:
            self.db.close()
            raise StoreError(f"the consolidated store {path} is damaged: {problem}")
        if not read_only:
            migrations.apply(self.db)
        elif migrations.pending(self.db):
            self.db.close()
            raise StoreError(f"the consolidated store {path} needs to be opened once for writing")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ConsolidatedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            _rollback(conn)
            raise StoreWriteError("The import", str(exc)) from exc
        except BaseException:
            _rollback(conn)
            raise

    def import_bundle(self, bundle: SiteBundle, imported_at: str) -> ImportResult:
        """Add a verified bundle's screenings; see the module's description for the rules."""
        if self.read_only:
            raise StoreError("the consolidated store is open read-only")
        manifest = bundle.manifest
        site = manifest.get("site") or {}
        code = str(site.get("code") or "")
        if not code:
            raise BadInputError("bundle", "the manifest names no site")
        with self._transaction() as conn:
            if conn.execute("SELECT 1 FROM bundles WHERE sha256 = ?", [bundle.sha256]).fetchone():
                return ImportResult(code, "unchanged")
            last = conn.execute(
                "SELECT exported_at, audit_head, audit_events FROM bundles WHERE site_code = ? "
                "ORDER BY exported_at DESC LIMIT 1",
                [code],
            ).fetchone()
            newest = None if last is None else last[0]
            if newest is not None and str(manifest["exported_at"]) <= newest:
                raise BadInputError(
                    "bundle",
                    f"it was exported at {manifest['exported_at']}, not after the bundle already imported "
                    f"from site {code} (exported at {newest}); only a newer bundle updates a site",
                )
            if last is not None and not extends(bundle.audit_chain, last[1], last[2]):
                raise BadInputError(
                    "bundle",
                    f"its audit chain (head {manifest['audit_head']}) does not extend the chain of the "
                    f"bundle last accepted from site {code} (head {last[1]}, exported at {last[0]}): "
                    "the site's history was rewritten or forked",
                )
            demo = bool(site.get("demo"))
            other = conn.execute(
                "SELECT site_code FROM bundles WHERE demo != ? LIMIT 1", [int(demo)]
            ).fetchone()
            if other is not None:
                raise BadInputError(
                    "bundle",
                    (f"it holds DEMO sample data and this consolidated store holds real sites ({other[0]})"
                     if demo else
                     f"this consolidated store holds DEMO sample data ({other[0]}) and the bundle is a real site's")
                    + "; DEMO and real data are never mixed: choose another folder",
                )  # fmt: skip
            protocol = manifest["protocol"]
            cursor = conn.execute(
                "INSERT INTO bundles (sha256, file_name, site_code, site_name, principal_investigator, demo, exported_at, "
                "exported_by, signer_fingerprint, signer_trusted, protocol_id, protocol_version, protocol_sha256, "
                "audit_head, screenings, imported_at, audit_events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?)",
                [bundle.sha256, bundle.file_name, code, str(site.get("name") or ""),
                 str(site.get("principal_investigator") or ""), int(bool(site.get("demo"))),
                 manifest["exported_at"], str(manifest["exported_by"]["printed_name"]), bundle.signer_fingerprint,
                 None if bundle.signer_trusted is None else int(bundle.signer_trusted), protocol["id"],
                 protocol["version"], protocol["sha256"], manifest["audit_head"], manifest["screenings"],
                 imported_at, (manifest.get("audit_chain") or {}).get("events")],
            )  # fmt: skip
            bundle_id = int(cursor.lastrowid or 0)
            added = updated = unchanged = 0
            for s in bundle.screenings:
                key = [code, s["screening_number"], int(s["attempt"])]
                record = json.dumps(s, sort_keys=True, ensure_ascii=False)
                log_row = json.dumps(
                    bundle.log_rows.get((s["screening_number"], int(s["attempt"])), {}),
                    sort_keys=True,
                    ensure_ascii=False,
                )
                annotations = bundle.annotations.get((s["screening_number"], int(s["attempt"])))
                determination = (s.get("determination") or {}).get("determination")
                failing = ",".join((s.get("determination") or {}).get("failing", []))
                values = [
                    bundle_id,
                    s["status"],
                    determination,
                    failing,
                    s.get("outcome"),
                    log_row,
                    record,
                    annotations,
                ]
                old = conn.execute(
                    "SELECT bundle_id, status, log_row, record, annotations FROM screenings WHERE "
                    "site_code = ? AND screening_number = ? AND attempt = ?",
                    key,
                ).fetchone()
                if old is None:
                    conn.execute(
                        "INSERT INTO screenings (site_code, screening_number, attempt, bundle_id, status, "
                        "determination, failing, outcome, log_row, record, annotations) VALUES (?, ?, ?, ?, "
                        "?, ?, ?, ?, ?, ?, ?)",
                        key + values,
                    )
                    added += 1
                elif old[2:] == (log_row, record, annotations):
                    unchanged += 1
                else:
                    conn.execute(
                        "INSERT INTO screening_history (site_code, screening_number, attempt, bundle_id, "
                        "replaced_by, status, log_row, record, annotations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [*key, old[0], bundle_id, *old[1:]],
                    )
                    conn.execute(
                        "UPDATE screenings SET bundle_id = ?, status = ?, determination = ?, failing = ?, "
                        "outcome = ?, log_row = ?, record = ?, annotations = ? WHERE site_code = ? AND "
                        "screening_number = ? AND attempt = ?",
                        values + key,
                    )
                    updated += 1
        return ImportResult(code, "imported", added, updated, unchanged)

    # ------------------------------------------------------------------ reading

    def sites(self) -> list[SiteSummary]:
        rows = self.db.execute(
            "SELECT b.site_code, b.site_name, b.principal_investigator, b.demo, b.exported_at, b.exported_by, b.signer_fingerprint, "
            "b.signer_trusted, (SELECT count(*) FROM screenings s WHERE s.site_code = b.site_code), "
            "(SELECT count(*) FROM bundles c WHERE c.site_code = b.site_code) FROM bundles b "
            "WHERE b.exported_at = (SELECT max(exported_at) FROM bundles c WHERE c.site_code = b.site_code) "
            "ORDER BY b.site_code"
        ).fetchall()
        return [SiteSummary(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], None if r[7] is None else bool(r[7]),
                            r[8], r[9]) for r in rows]  # fmt: skip

    def log_rows(self, search: str = "") -> list[PrintedLogRow]:
        """The trial-wide log, site by site, in screening-number order."""
        return [row for _, row in self.log_page(search)]

    def log_page(
        self,
        search: str = "",
        *,
        limit: int | None = None,
        after: tuple[str, str, int] | None = None,
    ) -> list[tuple[str, PrintedLogRow]]:
        """(site, row) of the trial-wide log; with `limit`, one page after the (site, number,
        attempt) key `after` (keyset paging: the same cost at any depth)."""
        sql = ("SELECT site_code, screening_number, attempt, log_row FROM screenings "
               "WHERE screening_number LIKE ? ESCAPE '\\'")  # fmt: skip
        params: list[Any] = [f"%{like_literal(search)}%"]
        if after is not None:
            sql += " AND (site_code, screening_number, attempt) > (?, ?, ?)"
            params += list(after)
        sql += " ORDER BY site_code, screening_number, attempt"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [
            (site, printed_from_columns(number, attempt, json.loads(log_row)))
            for site, number, attempt, log_row in self.db.execute(sql, params).fetchall()
        ]

    def consort(self) -> Consort:
        """CONSORT counts across sites: each candidate once, by their latest attempt."""
        return consort_of(
            self.db.execute(
                "SELECT s.determination, s.failing, s.outcome FROM screenings s WHERE s.attempt = (SELECT "
                "max(attempt) FROM screenings t WHERE t.site_code = s.site_code AND "
                "t.screening_number = s.screening_number)"
            ).fetchall()
        )

    def record(
        self, screening_number: str, attempt: int | None = None, site_code: str | None = None
    ) -> tuple[SiteSummary, dict[str, Any]]:
        """One screening attempt as its site's latest bundle carries it (the latest attempt when
        none is given), with its site; NotFoundError names what was asked for."""
        row = self.db.execute(
            "SELECT site_code, record FROM screenings WHERE screening_number = ? AND (? IS NULL OR attempt = ?) "
            "AND (? IS NULL OR site_code = ?) ORDER BY attempt DESC LIMIT 1",
            [screening_number, attempt, attempt, site_code, site_code],
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no screening {screening_number}" + (f" attempt {attempt}" if attempt else "")
                                + " in the consolidated store")  # fmt: skip
        site = next(s for s in self.sites() if s.code == row[0])
        return site, json.loads(row[1])

    def annotations(self, site_code: str, screening_number: str, attempt: int) -> dict[str, Any]:
        """The notes, queries and audit trail reviews of one screening attempt as its site's
        latest bundle carried them (store/carried_annotations.py); {} when there were none."""
        row = self.db.execute(
            "SELECT annotations FROM screenings WHERE site_code = ? AND screening_number = ? AND "
            "attempt = ?",
            [site_code, screening_number, attempt],
        ).fetchone()
        return {} if row is None or row[0] is None else dict(json.loads(row[0]))

    def history(self, site_code: str, screening_number: str, attempt: int) -> list[dict[str, Any]]:
        """Earlier versions of one screening, oldest first, each with the bundles involved and the
        notes, queries and reviews it had then."""
        rows = self.db.execute(
            "SELECT h.status, h.record, b.exported_at, r.exported_at, h.annotations FROM screening_history h "
            "JOIN bundles b ON b.id = h.bundle_id JOIN bundles r ON r.id = h.replaced_by "
            "WHERE h.site_code = ? AND h.screening_number = ? AND h.attempt = ? ORDER BY h.id",
            [site_code, screening_number, attempt],
        ).fetchall()
        return [{"status": r[0], "record": json.loads(r[1]), "from_bundle_exported_at": r[2],
                 "replaced_by_bundle_exported_at": r[3],
                 "annotations": json.loads(r[4]) if r[4] else {}} for r in rows]  # fmt: skip
