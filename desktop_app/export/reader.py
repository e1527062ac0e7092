"""The one strict reader of export bundles, serving verify, consolidate and the Verify dialog.

A bundle is read as Eligo writes it and nothing else is accepted, because extractors disagree
on the rest: a forged zip prepended to a genuine one, a second member of the same name, bytes
after the end record or a comment are each shown by some tool and ignored by another. So the
reader parses the end record, the central directory and every local header itself (struct),
and refuses: bytes before the first local header, between members or after the end record; a zip
comment (archive or member); Zip64, extra fields, encryption, data descriptors and any method but
stored or deflated; member names that are not plain relative names; duplicate names (also when
they differ only in case); and any disagreement between a local header and the central
directory. Inflation is zlib's, fed in pieces and stopped at the first byte past the size the
caller allows (the manifest's), so a zip bomb costs one piece of memory and is refused at once.
"""

from __future__ import annotations

import hashlib
import queue
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_EOCD = struct.Struct(
    "<IHHHHIIH"
)  # signature, disk, cd disk, entries here, entries, size, offset, comment
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_EOCD_SIG, _CENTRAL_SIG, _LOCAL_SIG = 0x06054B50, 0x02014B50, 0x04034B50
_ALLOWED_FLAGS = 0x0806  # bits 1-2 (deflate level hints) and 11 (UTF-8 names)
_STORED, _DEFLATED = 0, 8
_PIECE = 1 << 20  # compressed bytes read at a time
_OUT = 4 << 20  # inflated bytes at a time: the hashing thread works on one while the next inflates
_THREADED = 8 << 20  # members this large are inflated and hashed in two threads
# A member name: a plain file name, or one in a single plain folder (redcap/records.csv, as the
# REDCap export is named), ASCII letters, digits, '.', '_' and '-', never starting with a dot: no
# '/' at either end, no second folder level, no '\\', no '..', no drive letter, no NUL or control
# character.
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,99}(/[A-Za-z0-9_][A-Za-z0-9._-]{0,99})?")
MAX_MEMBERS = 1000


class UnreadableBundleError(Exception):
    """The file is not a zip at all, or a member cannot be inflated (verify's exit 2)."""


class RefusedBundleError(Exception):
    """A zip, but not one this reader accepts; the message says what it holds (exit 1)."""


@dataclass(frozen=True)
class Member:
    name: str
    method: int
    crc: int
    compressed: int
    size: int
    data_at: int


def _refuse(text: str) -> RefusedBundleError:
    return RefusedBundleError(f"the zip {text}")


def plain_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None and ".." not in name


class BundleReader:
    """The members of a bundle file after every structural check; open with `with`."""

    def __init__(self, path: Path) -> None:
        try:
            self._file: BinaryIO = path.open("rb")
        except OSError as exc:
            raise UnreadableBundleError(
                f"the file cannot be opened: {exc.strerror or exc}"
            ) from None
        # Several members may be read at once (verify hashes the large ones side by side): each
        # read of the one open file seeks and reads under this lock.
        self._lock = threading.Lock()
        try:
            self.members = self._directory()
        except BaseException:
            self._file.close()
            raise

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> BundleReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ structure

    def _read_at(self, offset: int, length: int) -> bytes:
        with self._lock:
            self._file.seek(offset)
            data = self._file.read(length)
        if len(data) != length:
            raise UnreadableBundleError("the file ends early (truncated)")
        return data

    def _end_record(self, size: int) -> tuple[int, int, int]:
        """(entries, central directory offset, its size), from an end record that ends the file."""
        if size < _EOCD.size:
            raise UnreadableBundleError("the file is too short to be a zip")
        start = max(0, size - _EOCD.size - 0xFFFF - 1024)  # the longest comment, and some more
        tail = self._read_at(start, size - start)
        at = tail.rfind(struct.pack("<I", _EOCD_SIG))
        if at < 0 or at + _EOCD.size > len(tail):
            raise UnreadableBundleError(
                "the file is not a zip (no end of central directory record)"
            )
        _sig, disk, cd_disk, here, entries, cd_size, cd_offset, comment = _EOCD.unpack_from(
            tail, at
        )
        after = len(tail) - at - _EOCD.size
        if comment:
            raise _refuse(f"has a comment ({comment} bytes), which Eligo never writes")
        if after:
            raise _refuse(f"has {after} byte(s) after the end of its central directory")
        if disk or cd_disk or here != entries:
            raise _refuse("spans several disks")
        if 0xFFFF in (here, entries) or 0xFFFFFFFF in (cd_size, cd_offset):
            raise _refuse("uses Zip64, which Eligo never writes")
        unaccounted = size - _EOCD.size - (cd_offset + cd_size)
        if unaccounted > 0:
            raise _refuse(f"has {unaccounted} byte(s) its central directory does not account for (bytes "
                          "before its first member, such as another zip put in front of it)")  # fmt: skip
        if unaccounted < 0:
            raise UnreadableBundleError("the file is truncated or its central directory is damaged")
        return entries, cd_offset, cd_size

    def _directory(self) -> dict[str, Member]:
        self._file.seek(0, 2)
        size = self._file.tell()
        entries, cd_offset, cd_size = self._end_record(size)
        if entries == 0:
            raise _refuse("is empty")
        if entries > MAX_MEMBERS:
            raise _refuse(f"holds {entries} members, more than a bundle has")
        if cd_size > entries * (_CENTRAL.size + 512):  # names are short; no extras, no comments
            raise _refuse("has a central directory far larger than its entries need")
        directory = self._read_at(cd_offset, cd_size)
        members: dict[str, Member] = {}
        folded: set[str] = set()
        expected_at = 0
        at = 0
        for _ in range(entries):
            if at + _CENTRAL.size > len(directory):
                raise _refuse("has a central directory shorter than its entry count says")
            (sig, _made, needed, flags, method, time, date, crc, compressed, usize, name_len, extra_len,
             comment_len, _disk, _internal, _external, local_at) = _CENTRAL.unpack_from(directory, at)  # fmt: skip
            if sig != _CENTRAL_SIG:
                raise _refuse("has a damaged central directory")
            raw_name = directory[at + _CENTRAL.size : at + _CENTRAL.size + name_len]
            at += _CENTRAL.size + name_len + extra_len + comment_len
            name = raw_name.decode("ascii", errors="replace")
            shown = repr(name)[1:-1][:80]
            if not raw_name.isascii() or not plain_name(name):
                raise _refuse(f"has a member whose name is not a plain file name: {shown!r}")
            if name in members or name.lower() in folded:
                raise _refuse(f"has two members named {shown!r}")
            if flags & 0x1:
                raise _refuse(f"has an encrypted member ({name})")
            if flags & ~_ALLOWED_FLAGS:
                raise _refuse(
                    f"member {name} uses zip features Eligo never writes (flags {flags:#06x})"
                )
            if method not in (_STORED, _DEFLATED):
                raise _refuse(
                    f"member {name} uses compression method {method}, not stored or deflated"
                )
            if comment_len:
                raise _refuse(f"has a comment on member {name}")
            if extra_len:
                raise _refuse(f"member {name} has extra fields, which Eligo never writes")
            if method == _STORED and compressed != usize:
                raise _refuse(f"member {name} is stored with two different sizes")
            if local_at != expected_at:
                what = "before its first member" if expected_at == 0 else f"before member {name}"
                raise _refuse(f"has bytes {what} that no member accounts for")
            local = self._read_at(local_at, _LOCAL.size)
            (lsig, *fields, lname_len, lextra_len) = _LOCAL.unpack(local)
            if lsig != _LOCAL_SIG:
                raise _refuse(f"has no local header where the central directory puts member {name}")
            local_name = self._read_at(local_at + _LOCAL.size, lname_len)
            central = [needed, flags, method, time, date, crc, compressed, usize]
            if (local_name, fields, lextra_len) != (raw_name, central, 0):
                raise _refuse(
                    f"member {name}: its local header and the central directory disagree "
                    "(name, sizes, checksum, method, version or time)"
                )
            data_at = local_at + _LOCAL.size + lname_len
            expected_at = data_at + compressed
            members[name] = Member(name, method, crc, compressed, usize, data_at)
            folded.add(name.lower())
        if at != len(directory):
            raise _refuse("has bytes in its central directory that no entry accounts for")
        if expected_at != cd_offset:
            raise _refuse("has bytes between its last member and its central directory")
        return members

    # ------------------------------------------------------------------ contents

    def pieces(self, name: str, limit: int) -> Iterator[bytes]:
        """The member's bytes in pieces, inflated as read; refused at the first byte past `limit`
        (the size the manifest declares) and when the data or its checksum is damaged."""
        member = self.members[name]
        if member.size > limit:
            raise _refuse(
                f"member {name} declares {member.size} bytes, more than the {limit} allowed"
            )
        inflater = zlib.decompressobj(-15) if member.method == _DEFLATED else None
        left, total, crc = member.compressed, 0, 0
        at = member.data_at
        while left > 0 or (inflater is not None and inflater.unconsumed_tail):
            if inflater is not None and inflater.unconsumed_tail:
                chunk = inflater.unconsumed_tail
            else:
                with self._lock:
                    self._file.seek(at)
                    chunk = self._file.read(min(_PIECE, left))
                at += len(chunk)
                if not chunk:
                    raise UnreadableBundleError("the file ends early (truncated)")
                left -= len(chunk)
            try:
                out = (
                    chunk
                    if inflater is None
                    else inflater.decompress(chunk, min(limit - total + 1, _OUT))
                )
            except zlib.error as exc:
                raise UnreadableBundleError(f"member {name} cannot be inflated ({exc})") from None
            total += len(out)
            if total > limit:
                raise _refuse(
                    f"member {name} inflates past its declared {limit} bytes (a zip bomb?)"
                )
            crc = zlib.crc32(out, crc)
            if out:
                yield out
        if inflater is not None and (not inflater.eof or inflater.unused_data):
            raise UnreadableBundleError(
                f"member {name} is damaged (its compressed data is cut or padded)"
            )
        if total != member.size:
            raise _refuse(f"member {name} holds {total} bytes, its headers say {member.size}")
        if crc != member.crc:
            raise UnreadableBundleError(f"member {name} is damaged (CRC mismatch)")

    def read(self, name: str, limit: int) -> bytes:
        """The member's bytes, at most `limit` of them (see pieces)."""
        return b"".join(self.pieces(name, limit))

    def digest(self, name: str, limit: int, *, keep: bool = False) -> tuple[str, bytes | None]:
        """sha256 (hex) of the member, hashed while inflating; its bytes too with `keep`. A large
        member is inflated (and its CRC computed) in a second thread while this one hashes the
        pieces before: zlib and hashlib release the GIL on large buffers, so the two overlap."""
        sha = hashlib.sha256()
        kept: list[bytes] = []
        for piece in (
            self._pieces_ahead(name, limit)
            if self.members[name].size >= _THREADED
            else self.pieces(name, limit)
        ):
            sha.update(piece)
            if keep:
                kept.append(piece)
        return sha.hexdigest(), b"".join(kept) if keep else None

    def _pieces_ahead(self, name: str, limit: int) -> Iterator[bytes]:
        """pieces(), produced by a worker thread at most a few pieces ahead (bounded memory)."""
        ahead: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=3)
        stop = threading.Event()

        def hand(item: bytes | BaseException | None) -> bool:
            """Put item for the reader; False when the reader has stopped reading."""
            while not stop.is_set():
                try:
                    ahead.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def produce() -> None:
            try:
                for piece in self.pieces(name, limit):
                    if not hand(piece):
                        return
                hand(None)
            except BaseException as exc:  # handed to the reading thread, raised there
                hand(exc)

        worker = threading.Thread(target=produce, name="eligo-inflate", daemon=True)
        worker.start()
        try:
            while (item := ahead.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            worker.join()
