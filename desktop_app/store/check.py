"""`db check`: SQLite integrity, the whole audit chain, every signature, versions and counts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_app.store import chain, schema, signatures
from desktop_app.store.clock import system_clock
from desktop_app.store.database import Store, connect, integrity_problem, sqlite_library_version
from desktop_app.store.location import DB_NAME


@dataclass(frozen=True)
class CheckReport:
    path: Path
    sqlite_version: str
    integrity: str  # "ok" or the first problem
    chain: chain.ChainReport
    pending_migrations: list[str]
    screenings: int
    tampered: list[tuple[str, int, str]]

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and self.chain.ok and not self.tampered

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
            verdict,
        ]


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
        return CheckReport(
            path,
            sqlite_library_version(),
            integrity,
            report,
            schema.pending(db),
            screenings,
            tampered,
        )
    finally:
        db.close()
