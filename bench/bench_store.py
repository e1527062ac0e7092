"""Store benchmark: seed 100,000 screenings, then compare against raw sqlite3 in the same run.

(a) one answer save (validation, answer, audit event with its hash, one transaction) / the same
    answer row written by a raw sqlite3 INSERT and COMMIT into a copy of the same database with the
    same pragmas; target <= 1.5
(b) the main window's log query (200 rows by screening date, status filter, search text, keyset
    page) / the same SQL run raw; target <= 2
(c) bytes per screening on disk.
(d) the encrypted store (SQLCipher, raw key) against the same operations on a plaintext SQLite file
    of the same data with the same pragmas: answer save (target <= 1.3) and the log page query
    (target <= 1.6); and sign-in (unwrap the key slot + open) in milliseconds.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from desktop_app.rules import default_protocol
from desktop_app.store import (
    Store,
    User,
    access,
    open_store,
    register_candidate,
    save_answer,
    start_screening,
)
from desktop_app.store.accounts import set_roles
from desktop_app.store.backup import backup
from desktop_app.store.connection import raw_connection
from desktop_app.store.database import connect
from desktop_app.store.demo import fill_demo
from desktop_app.store.log import LogCursor, LogQuery, log_page, log_sql

N_SCREENINGS = 100_000
STATUSES = ["incomplete", "eligible", "ineligible"]


BENCH_PASSWORD = "bench password"  # a benchmark fixture, never a real account's password


def new_bench_store(folder: Path, site_code: str) -> tuple[Store, User]:
    """A new (encrypted) store with a site and one account (administrator and coordinator)."""
    setup = access.set_up_site(folder, code=site_code, name=f"Benchmark {site_code}",
                               principal_investigator="PI", username="bench.user",
                               full_name="Bench User", password=BENCH_PASSWORD)  # fmt: skip
    user = set_roles(setup.store, setup.admin, "bench.user", ["administrator", "coordinator"])
    return setup.store, user


def bench_key(folder: Path) -> bytes:
    """The data key, through bench.user's slot (as a sign-in gets it)."""
    return access.key_that_opens(folder, access.unlock(folder, "bench.user", BENCH_PASSWORD))


def open_bench_store(folder: Path, *, check_in_background: bool = False) -> Store:
    return open_store(folder, key=bench_key(folder), check_in_background=check_in_background)


def signed_bench_store(
    folder: Path, signed: int = 50, count: int = N_SCREENINGS
) -> tuple[Store, User]:
    """The export and verify benchmarks' store: the seed's `count` (100,000) screenings plus
    `signed` fully answered ones signed by the bench user, so that verification checks real
    signatures."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from helpers import ELIGIBLE

    from desktop_app.rules import evaluate
    from desktop_app.store import save_answers
    from desktop_app.store.location import DB_NAME
    from desktop_app.store.signatures import sign_screening

    protocol = default_protocol()
    store, user = new_bench_store(folder, "BENCH")
    store.close()
    seed(folder / DB_NAME, count)
    store = open_bench_store(folder)
    result = evaluate(protocol, ELIGIBLE)
    for _ in range(signed):
        screening = start_screening(
            store, user, register_candidate(store, user, initials="AB").id, protocol
        )
        save_answers(store, user, screening.id, ELIGIBLE, determination=result)
        sign_screening(store, user, screening.id, BENCH_PASSWORD)
    return store, user


def seed(path: Path, count: int = N_SCREENINGS) -> None:
    """Bulk rows for the log (candidates and screenings), in one transaction."""
    rng = random.Random(1)
    conn = raw_connection(path, bench_key(path.parent))
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO candidates (screening_number, seq, initials, created_at, created_by) VALUES (?, ?, ?, 'x', 1)",
        ((f"BENCH-{i:06d}", i, "".join(rng.choice("ABCDEFGHJK") for _ in range(2))) for i in range(1, count + 1)),
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO screenings (candidate_id, attempt, protocol_id, protocol_version, protocol_sha256, "
        "screening_date, determination, failing, created_at, created_by, updated_at, coordinator_id) "
        "VALUES (?, 1, 'NCT04660565', '1.0', 'x', ?, ?, ?, 'x', 1, 'x', 1)",
        (
            (i, f"20{rng.randint(20, 23)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
             (d := rng.choice(STATUSES)), "E5" if d == "ineligible" else "")
            for i in range(1, count + 1)
        ),
    )  # fmt: skip
    conn.execute("COMMIT")
    conn.close()


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of one call."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    protocol = default_protocol()
    with tempfile.TemporaryDirectory(prefix="eligo-bench-", dir=Path.cwd()) as tmp:
        folder = Path(tmp) / "store"
        store, user = new_bench_store(folder, "BENCH")
        store.close()
        start = time.perf_counter()
        seed(folder / "eligo.db")
        print(f"seeded {N_SCREENINGS:,} screenings in {time.perf_counter() - start:.1f} s")

        store = open_bench_store(folder)
        candidate = register_candidate(store, user, initials="ZZ")
        screening = start_screening(store, user, candidate.id, protocol)
        values = iter(range(10**9))
        # The baseline: the same answer row inserted raw into the same table of a copy of the same
        # database (same schema, size and pragmas), one INSERT and COMMIT per answer. A copy, not
        # the live file: Eligo keeps exactly one writing connection per database.
        backup(store, reason="bench")
        copy = next((folder / "backups").glob("*-bench.db"))
        # the same connection factory (and so the same key, cache and pragmas) as the store's
        raw = connect(copy, key=store.keyring.key if store.keyring else None).conn
        for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
            raw.execute(f"PRAGMA {pragma}")

        def raw_insert() -> None:
            raw.execute("BEGIN IMMEDIATE")
            raw.execute(
                "INSERT INTO answers (screening_id, question_id, value, updated_at, updated_by) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (screening_id, question_id) DO UPDATE SET value = excluded.value",
                [
                    screening.id,
                    "consent_form_version",
                    f'"v{next(values)}"',
                    "2026-01-01T00:00:00Z",
                    user.id,
                ],
            )
            raw.execute("COMMIT")

        def our_save() -> None:
            save_answer(store, user, screening.id, "consent_form_version", f"v{next(values)}")

        # Interleaved, so that both see the same disk and the same background load.
        save_times, raw_times = [], []
        for _ in range(1000):
            save_times.append(timed(our_save, 1))
            raw_times.append(timed(raw_insert, 1))
        save, baseline = statistics.median(save_times), statistics.median(raw_times)
        print(f"(a) answer save {save * 1e3:.3f} ms; raw INSERT+COMMIT {baseline * 1e3:.3f} ms; "
              f"ratio {save / baseline:.2f} (target <= 1.5; medians of 1,000 interleaved pairs)")  # fmt: skip

        direct = connect(folder / "eligo.db", key=store.keyring.key if store.keyring else None).conn
        for depth_name, cursor in (("first page", None), ("depth ~90,000", _deep_cursor(store))):
            query = LogQuery(status="ineligible", search="A", limit=200)
            ours = timed(lambda q=query, c=cursor: log_page(store, q, c), 30)  # type: ignore[misc]
            sql, params = log_sql(query, cursor)
            bare = timed(lambda s=sql, p=params: direct.execute(s, p).fetchall(), 30)  # type: ignore[misc]
            print(f"(b) log query, {depth_name}: {ours * 1e3:.2f} ms; raw SQL {bare * 1e3:.2f} ms; "
                  f"ratio {ours / bare:.2f} (target <= 2)")  # fmt: skip
        direct.close()
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = (folder / "eligo.db").stat().st_size
        print(
            f"(c) {size / (N_SCREENINGS + 1):,.0f} bytes per screening (log rows only, {size / 1e6:.1f} MB)"
        )
        plain = plaintext_copy(store, Path(tmp) / "plain")
        encrypted_against_plaintext(store, plain, user, protocol)
        plain.close()
        store.close()
        raw.close()
        unwrap, opened, checked = [], [], []
        for _ in range(5):
            started = time.perf_counter()
            unlocked = access.unlock(folder, "bench.user", BENCH_PASSWORD)
            unwrap.append(time.perf_counter() - started)
            started = time.perf_counter()
            store = open_store(folder, key=unlocked.key, check_in_background=True)  # as the app
            opened.append(time.perf_counter() - started)
            started = time.perf_counter()
            store.wait_until_checked()
            checked.append(time.perf_counter() - started)
            store.close()
        print(f"(d) sign-in: unwrap the slot {statistics.median(unwrap) * 1e3:.0f} ms + open "
              f"{statistics.median(opened) * 1e3:.0f} ms (median of 5); the open-time check behind "
              f"it (integrity and the newest audit events), which the first write waits for: "
              f"{statistics.median(checked) * 1e3:.0f} ms")  # fmt: skip

        demo = access.new_store(Path(tmp) / "demo")
        made = fill_demo(demo, protocol)
        demo.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = (Path(tmp) / "demo" / "eligo.db").stat().st_size
        print(
            f"(c) {size / made:,.0f} bytes per fully answered screening with its audit trail (DEMO, {made})"
        )
        demo.close()


def plaintext_copy(store: Store, folder: Path) -> Store:
    """The same database decrypted into a plaintext SQLite file, opened with the same pragmas."""
    folder.mkdir()
    conn = store.db.conn
    conn.execute("ATTACH DATABASE ? AS plain KEY ''", [str(folder / "eligo.db")])
    conn.execute("SELECT sqlcipher_export('plain')")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f"PRAGMA plain.user_version = {int(version)}")
    conn.execute("DETACH DATABASE plain")
    return open_store(folder, key=None)


def encrypted_against_plaintext(store: Store, plain: Store, user: User, protocol: object) -> None:
    """(d): Eligo's own save and log query, encrypted / plaintext, interleaved."""
    from desktop_app.rules import LoadedProtocol

    assert isinstance(protocol, LoadedProtocol)
    pairs = []
    for target in (store, plain):
        candidate = register_candidate(target, user, initials="YY")
        pairs.append((target, start_screening(target, user, candidate.id, protocol).id))
    values = iter(range(10**9))
    times: dict[int, list[float]] = {0: [], 1: []}
    for _ in range(500):
        for index, (target, sid) in enumerate(pairs):
            times[index].append(timed(lambda t=target, s=sid: save_answer(t, user, s, "consent_form_version", f"v{next(values)}"), 1))  # type: ignore[misc]  # fmt: skip
    enc, pla = statistics.median(times[0]), statistics.median(times[1])
    print(f"(d) answer save encrypted {enc * 1e3:.3f} ms; plaintext {pla * 1e3:.3f} ms; "
          f"ratio {enc / pla:.2f} (target <= 1.3; medians of 500 interleaved pairs)")  # fmt: skip
    for depth_name, cursor in (("first page", None), ("depth ~90,000", _deep_cursor(store))):
        query = LogQuery(status="ineligible", search="A", limit=200)
        enc_times, pla_times = [], []
        for _ in range(30):
            enc_times.append(timed(lambda q=query, c=cursor: log_page(store, q, c), 1))  # type: ignore[misc]
            pla_times.append(timed(lambda q=query, c=cursor: log_page(plain, q, c), 1))  # type: ignore[misc]
        enc, pla = statistics.median(enc_times), statistics.median(pla_times)
        print(f"(d) log query, {depth_name}: encrypted {enc * 1e3:.2f} ms; plaintext {pla * 1e3:.2f} ms; "
              f"ratio {enc / pla:.2f} (target <= 1.6)")  # fmt: skip


def _deep_cursor(store: object) -> LogCursor:
    """The key of the row about 90,000 deep in date order: what the next page starts after."""
    from desktop_app.store import Store

    assert isinstance(store, Store)
    row = store.db.execute(
        "SELECT screening_date, id FROM screenings ORDER BY screening_date DESC, id DESC LIMIT 1 OFFSET 90000"
    ).fetchone()
    return LogCursor(row[0], row[1])


if __name__ == "__main__":
    main()
