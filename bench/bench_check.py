"""`db check` on 100,000 screenings, as a ratio to `PRAGMA integrity_check` on the same file.

The store is made through Eligo's own functions (so that every row has its audit event and the
chain is the one Eligo writes): a site, two accounts, and per screening a candidate, an attempt and
every answer of one of the resources/examples documents saved with its determination (one
transaction each, with synchronous=OFF while seeding only). `db check` then runs SQLite's
integrity check, the whole chain, every checkpoint and signature, and the replay of the chain
against every table, with each determination computed again by the rules. Printed: both times,
the ratio, and how long the replay alone takes per screening.

    .venv/bin/python bench/bench_check.py [N]     # N screenings, default 100,000
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from resource import RUSAGE_SELF, getrusage

from desktop_app.paths import resource
from desktop_app.rules import default_protocol, evaluate
from desktop_app.store import (
    access,
    register_candidate,
    save_answers,
    start_screening,
)
from desktop_app.store.accounts import set_roles
from desktop_app.store.check import check, replay_report
from desktop_app.store.database import connect, integrity_problem

N_SCREENINGS = 100_000
BENCH_PASSWORD = "bench password"  # a benchmark fixture, never a real account's password


def seed(folder: Path, count: int) -> None:
    protocol = default_protocol()
    documents = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(resource("examples").glob("*.json"))
    ]
    results = [evaluate(protocol, doc) for doc in documents]
    setup = access.set_up_site(folder, code="BENCH", name="Benchmark", principal_investigator="PI",
                               username="bench.user", full_name="Bench User",
                               password=BENCH_PASSWORD)  # fmt: skip
    store = setup.store
    store.db.execute("PRAGMA synchronous = OFF")  # seeding only: the check reads a finished file
    user = set_roles(store, setup.admin, "bench.user", ["administrator", "coordinator"])
    start = time.perf_counter()
    for i in range(count):
        doc = documents[i % len(documents)]
        candidate = register_candidate(store, user, initials="AB", sex=doc.get("sex"))
        screening = start_screening(store, user, candidate.id, protocol)
        save_answers(store, user, screening.id, doc, determination=results[i % len(documents)])
        if i and i % 10_000 == 0:
            rate = i / (time.perf_counter() - start)
            print(f"  seeded {i:,} screenings ({rate:,.0f}/s)", flush=True)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else N_SCREENINGS
    if len(sys.argv) > 2:
        measure(Path(sys.argv[2]), count)
        return
    with tempfile.TemporaryDirectory(prefix="eligo-bench-check-", dir=Path.cwd()) as tmp:
        measure(Path(tmp) / "store", count)


def measure(folder: Path, count: int) -> None:
    if not (folder / "eligo.db").exists():
        start = time.perf_counter()
        seed(folder, count)
        print(f"seeded {count:,} screenings in {time.perf_counter() - start:.0f} s")
    print(f"{folder}: {(folder / 'eligo.db').stat().st_size / 1e6:,.0f} MB")

    key = access.unlock(folder, "bench.user", BENCH_PASSWORD).key
    db = connect(folder / "eligo.db", key=key, read_only=True)
    start = time.perf_counter()
    assert integrity_problem(db) is None
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    replayed = replay_report(db)
    replay_only = time.perf_counter() - start
    db.close()
    assert replayed.ok, replayed.lines()[:5]
    memory = getrusage(RUSAGE_SELF).ru_maxrss / 1024

    start = time.perf_counter()
    report = check(folder, key)
    ours = time.perf_counter() - start
    assert report.ok, report.lines()
    print(f"PRAGMA integrity_check {baseline:.1f} s; db check {ours:.1f} s; "
          f"ratio {ours / baseline:.1f} (no target: issue #14 asks only that it be printed; integrity, whole "
          f"chain, checkpoints, signatures and the replay of {report.chain.events:,} events against every table)")  # fmt: skip
    print(f"the replay alone: {replay_only:.1f} s, {replay_only / count * 1e3:.2f} ms per screening "
          f"(the rules evaluated again for each); peak memory after it {memory:,.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
