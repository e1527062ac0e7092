"""`db check`: SQLite integrity, the whole audit chain, every checkpoint, the replay of the chain
against every table, every signature, the heads recorded in backups, versions and counts."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from desktop_app.store import chain, checkpoints, replay, schema, signatures
from desktop_app.store.clock import system_clock
from desktop_app.store.database import (
    DatabaseError,
    ReaderThread,
    Store,
    connect,
    integrity_problem,
    sqlite_library_version,
)
from desktop_app.store.location import BACKUP_DIR, DB_NAME
from desktop_app.store.replay import Divergence


@dataclass(frozen=True)
class ReplayReport:
    """The replay of the chain compared with the tables, and the checkpoints verified."""

    events: int
    divergences: list[Divergence]
    checkpoints: int
    last_checkpoint: int | None  # seq of the newest valid checkpoint
    head: int
    notes: list[str] = field(default_factory=list)  # what could not be checked, and why

    @property
    def ok(self) -> bool:
        return not self.divergences

    def affected(self) -> dict[str, list[str]]:
        """Divergence lines by the screening (NUMBER/attempt) they affect."""
        found: dict[str, list[str]] = {}
        for divergence in self.divergences:
            if divergence.screening:
                found.setdefault(divergence.screening, []).append(divergence.line())
        return found

    def lines(self) -> list[str]:
        if self.ok:
            tail = self.head - (self.last_checkpoint or 0)
            covered = (
                f"{self.checkpoints} checkpoint(s) verified, the newest at event "
                f"{self.last_checkpoint}; {tail} event(s) after it"
                if self.last_checkpoint
                else "no checkpoint yet"
            )
            return [
                f"replay: {self.events} events replayed, every table matches; {covered}",
                *(f"  note: {n}" for n in self.notes),
            ]
        return [
            f"replay: {len(self.divergences)} DIVERGENCE(S) between the tables and the chain",
            *(f"  DIVERGES {d.line()}" for d in self.divergences),
            *(f"  note: {n}" for n in self.notes),
        ]


def replay_report(db: Database) -> ReplayReport:
    """Replay the whole chain of this connection's database and compare every table."""
    state = replay.replay(db)
    table_keys = {
        replay._fingerprint_of(public): public
        for (public,) in db.execute("SELECT public_key FROM user_keys")
    }
    found = replay.compare(db, state)
    found += checkpoints.verify(state, table_keys)
    found += _export_heads(db, state)
    failing = {
        d.column for d in found if d.table == "audit" and d.column.startswith("checkpoint (")
    }
    valid = [p.seq for p in state.checkpoints if not any(f"event {p.seq}," in c for c in failing)]
    return ReplayReport(
        state.events, found, len(valid), max(valid) if valid else None, state.head[0], state.notes
    )


def _export_heads(db: Database, state: replay.Replay) -> list[Divergence]:
    """Each export recorded the chain head it carried: that event must still have that hash."""
    found = []
    for export in state.exports:
        head = export.get("audit_head") or {}
        seq, digest = head.get("seq"), head.get("hash")
        if not seq:
            continue
        row = db.execute("SELECT hash FROM audit WHERE seq = ?", [seq]).fetchone()
        stored = row[0] if row else replay.ABSENT
        if stored != digest:
            found.append(Divergence("audit", f"event {seq}", "hash (head of export event "
                                    f"{export['seq']})", stored, digest))  # fmt: skip
    return found


# The newest report of each open store, with the data version it was made at: another process
# writing the file (PRAGMA data_version changes) makes it stale; Eligo's own saves keep the
# store consistent with its chain by construction (each value is written with its event).
_reports: weakref.WeakKeyDictionary[Store, tuple[int, ReplayReport]] = weakref.WeakKeyDictionary()


def _data_version(store: Store) -> int:
    return int(store.db.execute("PRAGMA data_version").fetchone()[0])


def store_report(store: Store) -> ReplayReport:
    """The replay report of an open store, computed again when another process wrote the file."""
    version = _data_version(store)
    cached = _reports.get(store)
    if cached is not None and cached[0] == version:
        return cached[1]
    report = replay_report(store.db)
    _reports[store] = (version, report)
    return report


def screening_problems(store: Store, screening_number: str, attempt: int) -> list[str]:
    """Why this screening is TAMPERED (empty when its record is the replay of the chain)."""
    return store_report(store).affected().get(f"{screening_number}/{attempt}", [])


class ReplayInBackground:
    """The replay of the whole chain on a read-only connection of its own, in a thread, started
    once the window is up: it never delays the start, and writes do not wait for it (the quick
    open-time check of database.py guards them). Its report feeds the window's TAMPERED marks and
    the printouts (remember_report)."""

    def __init__(self, store: Store) -> None:
        self.report: ReplayReport | None = None
        self.problem: str | None = None
        self._store = weakref.ref(store)
        self._version = _data_version(store)
        self._done = threading.Event()
        replay.preload()  # the thread imports nothing
        key = store.keyring.key if store.keyring is not None else None
        ReaderThread(store.path, key, "eligo-replay", self._run, self._failed).start()

    def _run(self, db: Database) -> None:
        try:
            self.report = replay_report(db)
        except DatabaseError as exc:  # the exit's interruption among them (stop_readers)
            self._failed(str(exc))
            return
        self._done.set()

    def _failed(self, problem: str) -> None:
        self.problem = problem
        self._done.set()

    def finished(self) -> bool:
        """True once the report is in; it is then what printing uses for this store."""
        if not self._done.is_set():
            return False
        store = self._store()
        if store is not None and self.report is not None and store not in _reports:
            _reports[store] = (self._version, self.report)
        return True

    def wait(self, timeout: float | None = None) -> bool:
        self._done.wait(timeout)
        return self.finished()


def refuse_if_tampered(store: Store, what: str, verified: chain.ChainReport | None = None) -> None:
    """Raise StoreTamperedError, saying why and what to do, when the store fails the check (the
    whole chain, unless the caller has just verified it, and the replay)."""
    problem = (verified or chain.verify(store.db)).problem
    report = store_report(store)
    if problem is None and report.ok:
        return
    first = problem or report.divergences[0].line()
    count = len(report.divergences) + (problem is not None)
    raise replay.StoreTamperedError(
        f"{what} refused: this store fails its check ({count} problem(s); the first: {first}). "
        "Nothing was written. Run `db check` to see every problem, then restore the newest good "
        "backup or ask your administrator and the sponsor's monitor what to do."
    )


@dataclass(frozen=True)
class CheckReport:
    path: Path
    sqlite_version: str
    integrity: str  # "ok" or the first problem
    chain: chain.ChainReport
    pending_migrations: list[str]
    screenings: int
    tampered: list[tuple[str, int, str]]
    replayed: ReplayReport | None = None
    backups: list[str] = field(default_factory=list)  # problems with the heads of backups
    backup_note: str = "not compared"

    @property
    def ok(self) -> bool:
        return (
            self.integrity == "ok"
            and self.chain.ok
            and not self.tampered
            and (self.replayed is None or self.replayed.ok)
            and not self.backups
        )

    def lines(self) -> list[str]:
        verdict = "OK" if self.ok else "FAILED"
        head = self.chain.head[:16]
        chain_line = (
            f"audit chain: ok, {self.chain.events} events, head {head}"
            if self.chain.ok
            else f"audit chain: BROKEN at event {self.chain.first_broken}: {self.chain.problem}"
        )
        return [
            f"database: {self.path}",
            f"SQLite library: {self.sqlite_version}",
            f"integrity: {self.integrity}",
            chain_line,
            f"schema: {'up to date' if not self.pending_migrations else 'pending ' + ', '.join(self.pending_migrations)}",
            f"screenings: {self.screenings}",
            f"signatures: {'ok' if not self.tampered else f'{len(self.tampered)} screening(s) TAMPERED'}",
            *(
                f"  TAMPERED {number} attempt {attempt}: {detail}"
                for number, attempt, detail in self.tampered
            ),
            *(self.replayed.lines() if self.replayed else ["replay: not run"]),
            *(self.backups or [f"backups: {self.backup_note}"]),
            *(
                f"  TAMPERED screening {key}"
                for key in sorted(self.replayed.affected() if self.replayed else {})
            ),
            verdict,
        ]


def _newest_backup(data_dir: Path) -> Path | None:
    folder = data_dir / BACKUP_DIR
    return max(folder.glob("eligo-*.db"), default=None) if folder.is_dir() else None


def _backup_heads(db: Database, data_dir: Path, key: bytes | None) -> list[str]:
    """The newest backup holds the chain as it was: each of its events up to its head must be in
    this chain unchanged (its head and the hash at the same sequence number compared)."""
    newest = _newest_backup(data_dir)
    if newest is None:
        return []
    try:
        other = connect(newest, key=key, read_only=True)  # a backup before a re-key: skipped
        try:
            row = other.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        finally:
            other.close()
    except DatabaseError:
        return []  # an unreadable backup is not this store's problem (restore checks backups)
    if row is None:
        return []
    seq, digest = row
    live = db.execute("SELECT hash FROM audit WHERE seq = ?", [seq]).fetchone()
    if live is None:
        return [f"backups: DIVERGES audit event {seq}: the backup {newest.name} has events up to "
                f"{seq}, this chain ends before it (events were dropped)"]  # fmt: skip
    if live[0] != digest:
        return [f"backups: DIVERGES audit event {seq}: hash {live[0][:16]} here, {digest[:16]} in "
                f"the backup {newest.name} (the chain was rewritten)"]  # fmt: skip
    return []


def check(data_dir: Path, key: bytes | None) -> CheckReport:
    """`key`: the data key (None only for a plaintext store not yet converted)."""
    path = data_dir / DB_NAME
    if not path.exists():
        raise FileNotFoundError(f"no Eligo database in {data_dir}")
    db = connect(path, key=key, read_only=True)
    try:
        integrity = integrity_problem(db) or "ok"
        report = (
            chain.verify(db)
            if integrity == "ok"
            else chain.ChainReport(0, chain.GENESIS, None, "not checked")
        )
        tables = db.table_names()
        screenings = (
            db.execute("SELECT count(*) FROM screenings").fetchone()[0]
            if "screenings" in tables
            else 0
        )
        tampered = (
            signatures.tampered_screenings(Store(data_dir, db, None, system_clock))
            if "signatures" in tables
            else []
        )
        complete = not schema.pending(db) and integrity == "ok"
        newest = _newest_backup(data_dir)
        return CheckReport(
            path,
            sqlite_library_version(),
            integrity,
            report,
            schema.pending(db),
            screenings,
            tampered,
            replay_report(db) if complete else None,
            _backup_heads(db, data_dir, key) if complete else [],
            f"the chain of the newest backup, {newest.name}, is part of this one"
            if newest and complete
            else "none to compare with"
            if complete
            else "not compared",
        )
    finally:
        db.close()
