"""The strict reader on large members: inflated in a second thread while hashed, with the same
result as reading them whole, and the same refusals (a bomb, damage) raised in the caller."""

from __future__ import annotations

import hashlib
import threading
import zlib
from pathlib import Path

import pytest
from bundle_tools import Entry, raw_zip, write

from desktop_app.export.reader import BundleReader, RefusedBundleError, UnreadableBundleError

BIG = bytes(range(256)) * (40 << 12)  # 10 MiB, above the size read in two threads


def test_a_large_member_hashes_as_a_whole(tmp_path: Path) -> None:
    path = write(tmp_path / "big.zip", raw_zip([Entry(b"big.bin", BIG)]))
    with BundleReader(path) as reader:
        digest, data = reader.digest("big.bin", len(BIG), keep=True)
    assert digest == hashlib.sha256(BIG).hexdigest()
    assert data == BIG
    assert threading.active_count() == 1  # the inflating thread has ended


def test_a_large_bomb_and_damage_are_refused_from_the_worker_thread(tmp_path: Path) -> None:
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = b"".join(deflater.compress(bytes(1 << 24)) for _ in range(8)) + deflater.flush()
    path = write(tmp_path / "bomb.zip", raw_zip([Entry(b"big.bin", BIG, compressed=bomb)]))
    with (
        BundleReader(path) as reader,
        pytest.raises(RefusedBundleError, match="inflates past its declared"),
    ):
        reader.digest("big.bin", len(BIG))
    good = raw_zip([Entry(b"big.bin", BIG)])
    damaged = bytearray(good)
    damaged[30 + 7 + 1000] ^= 0xFF  # inside the deflated data
    path = write(tmp_path / "damaged.zip", bytes(damaged))
    with BundleReader(path) as reader, pytest.raises((UnreadableBundleError, RefusedBundleError)):
        reader.digest("big.bin", len(BIG))
    assert threading.active_count() == 1


def test_a_missing_file_or_a_folder_is_unreadable_in_words(tmp_path: Path) -> None:
    from desktop_app.export.verify import verify_bundle

    for path in (tmp_path / "missing.zip", tmp_path):
        report = verify_bundle(path)
        assert report.exit_code == 2
        assert report.verdict.startswith("UNREADABLE: the file cannot be opened: ")


def test_a_bundle_of_another_format_says_which(tmp_path: Path) -> None:
    from desktop_app.export.bundle_format import manifest_problems

    assert manifest_problems({"format": "eligo-bundle/1"}) == [
        "the bundle's format is 'eligo-bundle/1'; this version of Eligo reads 'eligo-bundle/2' (export the "
        "bundle again with this version)"
    ]
