"""Build zips byte by byte for the bundle-attack suite, the fuzz test and bench/soak_verify.py:
zipfile cannot write the tricks an attacker uses (duplicate names without a warning, encrypted
flags, disagreeing headers, comments on members), so this writes local headers, the central
directory and the end record itself."""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Entry:
    name: bytes
    data: bytes
    method: int = 8
    flags: int = 0
    local: dict[str, int] = field(default_factory=dict)  # header fields to overwrite
    central: dict[str, int] = field(default_factory=dict)
    compressed: bytes | None = None  # instead of deflating `data`


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def entries(files: dict[str, bytes]) -> list[Entry]:
    return [Entry(name.encode(), data) for name, data in files.items()]


def raw_zip(items: list[Entry], *, comment: bytes = b"", member_comment: bytes = b"") -> bytes:
    """A zip of `items` in order, with whatever their overrides say."""
    out = bytearray()
    central = bytearray()
    for item in items:
        if item.compressed is not None:
            body = item.compressed
        elif item.method == 8:
            deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
            body = deflater.compress(item.data) + deflater.flush()
        else:
            body = item.data
        values = {"flags": item.flags, "method": item.method, "crc": zlib.crc32(item.data),
                  "compressed": len(body), "size": len(item.data), "name_len": len(item.name),
                  "extra_len": 0}  # fmt: skip
        local = {**values, **item.local}
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, local["flags"], local["method"], 0, 0x21,
                           local["crc"], local["compressed"], local["size"], local["name_len"],
                           local["extra_len"])  # fmt: skip
        out += item.name + b"\0" * local["extra_len"] + body
        cd = {**values, "comment_len": len(member_comment), "offset": offset, **item.central}
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, cd["flags"], cd["method"], 0, 0x21,
                               cd["crc"], cd["compressed"], cd["size"], cd["name_len"], cd["extra_len"],
                               cd["comment_len"], 0, 0, 0, cd["offset"])  # fmt: skip
        central += item.name + b"\0" * cd["extra_len"] + member_comment
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(items), len(items), len(central), len(out),
                      len(comment))  # fmt: skip
    return bytes(out + central + end + comment)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def resigned(files: dict[str, bytes], changes: dict[str, bytes], private: Any, **manifest_changes: Any) -> dict[str, bytes]:  # fmt: skip
    """The bundle's files with `changes`, the manifest updated to match and signed again with
    `private` (an Ed25519 private key), and signer.pub naming that key: what a forger with their
    own key can make."""
    import hashlib

    import rfc8785

    from desktop_app.store.keys import fingerprint

    files = {**files, **changes}
    manifest = __import__("json").loads(files["manifest.json"])
    for name, data in changes.items():
        if name in manifest["files"]:
            manifest["files"][name] = {
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": len(data),
            }
    manifest["exported_by"] = {"username": "mallory", "printed_name": "Mallory"}
    manifest.update(manifest_changes)
    raw = rfc8785.dumps(manifest)
    public = private.public_key().public_bytes_raw()
    signer = {"public_key": public.hex(), "fingerprint": fingerprint(public), "username": "mallory",
              "printed_name": "Mallory"}  # fmt: skip
    return {**files, "manifest.json": raw, "manifest.sig": private.sign(raw).hex().encode(),
            "signer.pub": rfc8785.dumps(signer)}  # fmt: skip
