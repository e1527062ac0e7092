"""Export benchmark with 100,000 screenings (the store benchmark's seed, plus 50 fully answered
and signed ones so that verification checks real signatures), against baselines in the same run:

(a) writing the signed bundle (every file but screening_log.pdf, whose cost bench_print.py
    measures per 1,000 rows) / the `sqlite3 -csv` command-line shell dumping the rows the export
    reads (screenings with candidates, answers, determinations, signatures, audit), each the best
    of five runs in the same process, every export right after a run of the baseline (the
    machine's speed drifts alike for both); target <= 4
    (issue #21: the export writes four representations of every row, in one pass)
(b) verifying the bundle / sha256 over the same files' bytes, the best of five each,
    interleaved alike; target <= 2

(a) is followed by its floor, the least any exporter of the bundle the issue asks for must do,
timed on the same bytes with the standard library's C code: compressing every
file as the zip does (deflate level 1), its CRC-32 and its SHA-256 for the manifest, on one core
(nothing of reading the store or building CSV, JSON, ODM, FHIR or PDF: the one pass writes the
JSON files from templates, faster than the C encoder would encode them from objects). A floor
above its target means no implementation of that bundle reaches the target. (b) is followed by
zipfile reading every file back out of the zip (inflate and CRC) and hashing it, a file to a
thread on two threads, and on one (what verify costs when another process holds the second
core): not a floor, since the verifier also splits a large file's inflating and hashing between
its threads (zlib and hashlib let go of the interpreter lock).

--audit-events-per-screening K (default 0: the figures above as they were) appends K audit events
per seeded screening (its start, then answer changes, each hashed into the chain as Eligo writes
them; a real site store holds about 45) and prints (c): the export's peak RSS, sampled every 5 ms
while it runs, against the RSS before it and the size of the audit files it wrote unpacked
(target: the peak does not grow with the events; the audit parts are streamed in pieces of
20,000 events). --screenings N seeds N instead of 100,000 (a quicker run at a smaller scale).

Needs the sqlite3 shell (Debian: apt install sqlite3), which reads a plaintext copy of the store
(it cannot open SQLCipher); without it the baseline is Python's csv module over the same queries,
and the output says so.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

DUMP_QUERIES = (
    "SELECT s.*, c.screening_number, c.initials FROM screenings s JOIN candidates c ON c.id = s.candidate_id "
    "ORDER BY c.seq, s.attempt",
    "SELECT * FROM answers ORDER BY screening_id",
    "SELECT * FROM determinations ORDER BY screening_id, id",
    "SELECT * FROM signatures ORDER BY screening_id, id",
    "SELECT * FROM audit ORDER BY seq",
)


EXPORT_TARGET = 4
RUNS = 5  # of each timed program, interleaved with its baseline's
AUDIT_FILES = ("audit_trail.csv", "audit_chain.jsonl", "odm.xml")


def sqlite_csv_dump(db: Path, out: Path) -> float:
    """Seconds for the baseline dump of the same rows."""
    shell = shutil.which("sqlite3")
    start = time.perf_counter()
    if shell:
        with out.open("wb") as sink:
            subprocess.run(
                [shell, "-csv", "-readonly", str(db), *DUMP_QUERIES], stdout=sink, check=True
            )
    else:
        conn = sqlite3.connect(db)
        with out.open("w", newline="", encoding="utf-8") as sink:
            writer = csv.writer(sink)
            for query in DUMP_QUERIES:
                writer.writerows(conn.execute(query))
        conn.close()
    return time.perf_counter() - start


def seed_audit(store: Any, user: Any, per_screening: int) -> int:
    """`per_screening` events for each seeded screening (BENCH-...), appended to the chain in one
    transaction with their real hashes: its start, then answer changes of the protocol's
    questions in turn. Gives how many."""
    from desktop_app.rules import default_protocol
    from desktop_app.store import chain

    questions = [q.id for q in default_protocol().protocol.questions]
    keys = [f"{number}/{attempt}" for number, attempt in store.db.execute(
        "SELECT c.screening_number, s.attempt FROM screenings s JOIN candidates c ON c.id = s.candidate_id "
        "WHERE c.screening_number LIKE 'BENCH-%' ORDER BY c.seq, s.attempt")]  # fmt: skip
    with store.transaction("bench audit events") as db:
        seq, previous = db.execute(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        conn = db.conn

        def events() -> Iterator[list[Any]]:
            nonlocal seq, previous
            for n, key in enumerate(keys):
                for k in range(per_screening):
                    seq += 1
                    event = {
                        "seq": seq, "at_utc": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}T08:{k % 60:02d}:00.000000Z",
                        "utc_offset": "+08:00", "user_id": user.id, "username": user.username,
                        "action": "answer_saved" if k else "screening_started", "entity": "screening",
                        "entity_id": key, "field": questions[k % len(questions)] if k else None,
                        "old_value": None if k < 2 else f'"value {k - 1}"', "new_value": f'"value {k}"',
                        "reason": "corrected after source check" if k and k % 15 == 0 else None,
                        "prev_hash": previous, "salt": None,
                    }  # fmt: skip
                    event["hash"] = previous = chain.event_hash(event)
                    yield list(event.values())

        conn.executemany(chain._INSERT, events())
    store.chain_head.forget()
    return len(keys) * per_screening


class PeakRss:
    """The process's resident set size sampled every 5 ms on a thread (Linux's /proc), its peak
    kept: what the export needs at most, unlike ru_maxrss, which keeps the seeding's peak too."""

    def __init__(self) -> None:
        self.peak = self.before = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._rss())

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())


def main() -> None:
    from bench_store import BENCH_PASSWORD, N_SCREENINGS, signed_bench_store
    from bench_streams import best

    from desktop_app.export import bundle as bundle_module
    from desktop_app.export.audit_stream import PIECE
    from desktop_app.export.bundle import write_bundle
    from desktop_app.export.one_pass import LEVEL
    from desktop_app.export.verify import verify_bundle
    from desktop_app.rules import default_protocol

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--audit-events-per-screening", type=int, default=0, metavar="K")
    parser.add_argument("--screenings", type=int, default=N_SCREENINGS, metavar="N")
    options = parser.parse_args()
    protocol = default_protocol()
    with tempfile.TemporaryDirectory(prefix="eligo-bench-export-", dir=Path.cwd()) as tmp:
        folder = Path(tmp) / "store"
        store, user = signed_bench_store(folder, count=options.screenings)
        if options.audit_events_per_screening:
            start = time.perf_counter()
            added = seed_audit(store, user, options.audit_events_per_screening)
            print(f"seeded {added:,} audit events ({options.audit_events_per_screening} a screening) "
                  f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
        count = store.db.execute("SELECT count(*) FROM screenings").fetchone()[0]
        events = store.db.execute("SELECT count(*) FROM audit").fetchone()[0]
        print(
            f"{count:,} screenings, {events:,} audit events; sqlite3 shell: "
            f"{shutil.which('sqlite3') or 'not found (csv module instead)'}"
        )

        # The shell cannot read the encrypted store: it dumps a plaintext copy of the same file
        # (so the baseline pays no decryption; Eligo's export does).
        plain = Path(tmp) / "plain.db"
        store.db.conn.execute("ATTACH DATABASE ? AS plain KEY ''", [str(plain)])
        store.db.conn.execute("SELECT sqlcipher_export('plain')")
        store.db.conn.execute("DETACH DATABASE plain")
        bundle = Path(tmp) / "bundle.zip"
        # The seed writes raw rows without their audit events, which the replay (run behind the
        # window after every open, its report cached for the export) reports as changed outside
        # Eligo: the export's refusal of a tampered store is left out here (bench_check.py times
        # the replay). The chain itself is still verified by the export, as always.
        setattr(bundle_module, "refuse_if_tampered", lambda *args, **kwargs: None)  # noqa: B010
        # Best of RUNS each, every export right after a baseline run: a machine that speeds up or
        # slows down during the run (another program, a throttled core) weighs on both alike.
        baselines, runs = [], []  # (each export is recorded: a few events more)
        with PeakRss() as rss:
            for _ in range(RUNS):
                baselines.append(sqlite_csv_dump(plain, Path(tmp) / "dump.csv"))
                start = time.perf_counter()
                write_bundle(store, protocol, user, BENCH_PASSWORD, bundle)
                runs.append(time.perf_counter() - start)
        export, baseline = min(runs), min(baselines)
        store.close()
        size = bundle.stat().st_size
        print(f"(a) export: {export:.2f} s for {size / 1e6:.1f} MB zipped (best of {', '.join(f'{r:.2f}' for r in runs)}); "
              f"sqlite3 -csv of the same rows {baseline:.2f} s (best of {', '.join(f'{r:.2f}' for r in baselines)}, "
              f"interleaved); ratio {export / baseline:.1f} (target <= {EXPORT_TARGET})")  # fmt: skip
        if options.audit_events_per_screening:
            with zipfile.ZipFile(bundle) as archive:
                audit = sum(archive.getinfo(name).file_size for name in AUDIT_FILES)
            print(f"(c) the exports' peak RSS {rss.peak / 1e6:.0f} MB, {(rss.peak - rss.before) / 1e6:.0f} MB over "
                  f"the {rss.before / 1e6:.0f} MB before them, for {events:,} audit events; audit_trail.csv, "
                  f"audit_chain.jsonl and odm.xml {audit / 1e6:.0f} MB unpacked (target: not growing with the "
                  f"events; streamed in pieces of {PIECE:,})")  # fmt: skip

        with zipfile.ZipFile(bundle) as archive:
            members = [archive.read(info) for info in archive.infolist()]
        megabytes = sum(len(m) for m in members) / 1e6

        def pack_all() -> None:
            for data in members:
                packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)  # as the bundle's zip
                packer.compress(data)
                packer.flush()
                zlib.crc32(data)
                hashlib.sha256(data).hexdigest()

        floor = best(pack_all, RUNS)  # a floor is timed as the figure it bounds
        print(f"    floor (compress, CRC and hash every file, one core): {floor:.2f} s for {megabytes:.0f} MB; "
              f"ratio {floor / baseline:.1f}, {_verdict(floor / baseline, EXPORT_TARGET)}")  # fmt: skip
        hashings, verifications = [], []  # best of RUNS each, interleaved as above
        for _ in range(RUNS):
            start = time.perf_counter()
            for data in members:
                hashlib.sha256(data).hexdigest()
            hashings.append(time.perf_counter() - start)
            start = time.perf_counter()
            report = verify_bundle(bundle)
            verifications.append(time.perf_counter() - start)
            assert report.exit_code == 3, report.failures  # valid; no trust list given
        hashing, verification = min(hashings), min(verifications)
        print(f"(b) verify: {verification:.2f} s over {megabytes:.1f} MB unpacked; sha256 of the same bytes "
              f"{hashing:.2f} s (best of {RUNS} each, interleaved); ratio {verification / hashing:.1f} "
              f"(target <= 2)")  # fmt: skip

        def read_all() -> None:
            with zipfile.ZipFile(bundle) as archive:
                for info in archive.infolist():
                    hashlib.sha256(archive.read(info)).hexdigest()

        def read(info: zipfile.ZipInfo) -> None:
            with zipfile.ZipFile(bundle) as archive:  # a file object of its own per thread
                hashlib.sha256(archive.read(info)).hexdigest()

        def read_on_two_threads() -> None:
            with zipfile.ZipFile(bundle) as archive:
                infos = sorted(archive.infolist(), key=lambda i: -i.file_size)
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(read, infos))

        one_thread, floor = best(read_all, RUNS), best(read_on_two_threads, RUNS)
        # Not a bound on verify, which also splits a large member's inflating and hashing
        # between the two threads (export/reader.py), and so can be faster than this.
        print(f"    zipfile reading every file and hashing it, two threads: {floor:.2f} s; ratio "
              f"{floor / hashing:.1f} (one thread: {one_thread:.2f} s, ratio {one_thread / hashing:.1f})")  # fmt: skip


def _verdict(ratio: float, target: float) -> str:
    return (
        "above the target: no implementation reaches it" if ratio > target else "within the target"
    )


if __name__ == "__main__":
    main()
