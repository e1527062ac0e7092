"""Export benchmark with 100,000 screenings (the store benchmark's seed, plus 50 fully answered
and signed ones so that verification checks real signatures), against baselines in the same run:

(a) writing the signed bundle (every file but screening_log.pdf, whose cost bench_print.py
    measures per 1,000 rows) / the `sqlite3 -csv` command-line shell dumping the rows the export
    reads (screenings with candidates, answers, determinations, signatures, audit), each the best
    of three runs in the same process; target <= 4
    (issue #21: the export writes four representations of every row, in one pass)
(b) verifying the bundle / sha256 over the same files' bytes; target <= 2

Each is followed by its floor, the least any exporter or verifier of the bundle the issue asks for
must do, timed on the same bytes with the standard library's C code: for (a) compressing every
file as the zip does (deflate level 1), its CRC-32 and its SHA-256 for the manifest, on one core
(nothing of reading the store or building CSV, JSON, ODM, FHIR or PDF: the one pass writes the
JSON files from templates, faster than the C encoder would encode them from objects); for (b)
reading every file back out of the zip (inflate and CRC) and hashing it, on two threads, as the
verifier does (zlib and hashlib let go of the interpreter lock; the one-thread figure is printed
beside it: what verify costs when another process holds the second core). A floor above its
target means no implementation of that bundle reaches the target.

Needs the sqlite3 shell (Debian: apt install sqlite3), which reads a plaintext copy of the store
(it cannot open SQLCipher); without it the baseline is Python's csv module over the same queries,
and the output says so.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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


def main() -> None:
    from bench_store import BENCH_PASSWORD, signed_bench_store

    from desktop_app.export import bundle as bundle_module
    from desktop_app.export.bundle import write_bundle
    from desktop_app.export.one_pass import LEVEL
    from desktop_app.export.verify import verify_bundle
    from desktop_app.rules import default_protocol

    protocol = default_protocol()
    with tempfile.TemporaryDirectory(prefix="eligo-bench-export-", dir=Path.cwd()) as tmp:
        folder = Path(tmp) / "store"
        store, user = signed_bench_store(folder)
        count = store.db.execute("SELECT count(*) FROM screenings").fetchone()[0]
        print(
            f"{count:,} screenings; sqlite3 shell: {shutil.which('sqlite3') or 'not found (csv module instead)'}"
        )

        # The shell cannot read the encrypted store: it dumps a plaintext copy of the same file
        # (so the baseline pays no decryption; Eligo's export does).
        plain = Path(tmp) / "plain.db"
        store.db.conn.execute("ATTACH DATABASE ? AS plain KEY ''", [str(plain)])
        store.db.conn.execute("SELECT sqlcipher_export('plain')")
        store.db.conn.execute("DETACH DATABASE plain")
        baseline = min(sqlite_csv_dump(plain, Path(tmp) / "dump.csv") for _ in range(3))
        bundle = Path(tmp) / "bundle.zip"
        # The seed writes raw rows without their audit events, which the replay (run behind the
        # window after every open, its report cached for the export) reports as changed outside
        # Eligo: the export's refusal of a tampered store is left out here (bench_check.py times
        # the replay). The chain itself is still verified by the export, as always.
        setattr(bundle_module, "refuse_if_tampered", lambda *args, **kwargs: None)  # noqa: B010
        runs = []  # best of three, as the baseline (each export is recorded: a few events more)
        for _ in range(3):
            start = time.perf_counter()
            write_bundle(store, protocol, user, BENCH_PASSWORD, bundle)
            runs.append(time.perf_counter() - start)
        export = min(runs)
        store.close()
        size = bundle.stat().st_size
        print(f"(a) export: {export:.2f} s for {size / 1e6:.1f} MB zipped (best of {', '.join(f'{r:.2f}' for r in runs)}); "
              f"sqlite3 -csv of the same rows {baseline:.2f} s (best of three); ratio {export / baseline:.1f} "
              f"(target <= {EXPORT_TARGET})")  # fmt: skip

        with zipfile.ZipFile(bundle) as archive:
            members = [archive.read(info) for info in archive.infolist()]
        megabytes = sum(len(m) for m in members) / 1e6
        start = time.perf_counter()
        for data in members:
            packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)  # as the bundle's zip
            packer.compress(data)
            packer.flush()
            zlib.crc32(data)
            hashlib.sha256(data).hexdigest()
        floor = time.perf_counter() - start
        print(f"    floor (compress, CRC and hash every file, one core): {floor:.2f} s for {megabytes:.0f} MB; "
              f"ratio {floor / baseline:.1f}, {_verdict(floor / baseline, EXPORT_TARGET)}")  # fmt: skip
        start = time.perf_counter()
        for data in members:
            hashlib.sha256(data).hexdigest()
        hashing = time.perf_counter() - start
        start = time.perf_counter()
        report = verify_bundle(bundle)
        verification = time.perf_counter() - start
        assert report.exit_code == 3, report.failures  # valid; no trust list given
        print(f"(b) verify: {verification:.2f} s over {megabytes:.1f} MB unpacked; sha256 of the same bytes "
              f"{hashing:.2f} s; ratio {verification / hashing:.1f} (target <= 2)")  # fmt: skip
        start = time.perf_counter()
        with zipfile.ZipFile(bundle) as archive:
            for info in archive.infolist():
                hashlib.sha256(archive.read(info)).hexdigest()
        one_thread = time.perf_counter() - start

        def read(info: zipfile.ZipInfo) -> None:
            with zipfile.ZipFile(bundle) as archive:  # a file object of its own per thread
                hashlib.sha256(archive.read(info)).hexdigest()

        start = time.perf_counter()
        with zipfile.ZipFile(bundle) as archive:
            infos = sorted(archive.infolist(), key=lambda i: -i.file_size)
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(read, infos))
        floor = time.perf_counter() - start
        print(f"    floor (read every file out of the zip and hash it, two threads): {floor:.2f} s; ratio "
              f"{floor / hashing:.1f}, {_verdict(floor / hashing, 2)} (one thread: {one_thread:.2f} s, "
              f"ratio {one_thread / hashing:.1f})")  # fmt: skip


def _verdict(ratio: float, target: float) -> str:
    return (
        "above the target: no implementation reaches it" if ratio > target else "within the target"
    )


if __name__ == "__main__":
    main()
