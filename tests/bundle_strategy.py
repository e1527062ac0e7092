"""Malformed bundles for Hypothesis (tests/export/test_bundle_fuzz.py, 1,000 examples; and
bench/soak_verify.py, 100,000): a genuine bundle with its manifest, signer.pub or signature
replaced by JSON of every type (nested, NaN, huge numbers, missing and extra keys, wrong types),
or the zip itself broken (truncated, bytes flipped in a member's data, garbage around it)."""

from __future__ import annotations

import json
from typing import Any

from bundle_tools import Entry, raw_zip
from hypothesis import strategies as st

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
SPECIAL = st.sampled_from([
    b"", b"null", b"[]", b"{}", b"NaN", b"[NaN]", b'{"format": Infinity}', b"-Infinity", b"1" * 5000,
    b"1e999", b"[" * 50000 + b"]" * 50000, b'{"a":' * 20000 + b"1" + b"}" * 20000, b"\xff\xfe\x00",
    b'"\\ud800"', b"[1,2", b"\x00" * 10, json.dumps("x" * 100000).encode(),
])  # fmt: skip


def _dumps(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode("utf-8")


@st.composite
def document(draw: st.DrawFn, genuine: dict[str, Any]) -> bytes:
    """A JSON document in place of `genuine`: anything, or genuine with keys dropped, added or
    given values of another type, at the top or one level down."""
    kind = draw(st.sampled_from(["any", "special", "drop", "add", "retype", "retype-nested"]))
    if kind == "any":
        return _dumps(draw(JSON))
    if kind == "special":
        return draw(SPECIAL)
    changed = json.loads(json.dumps(genuine))
    keys = sorted(changed)
    if kind == "drop":
        for key in draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3, unique=True)):
            del changed[key]
    elif kind == "add":
        changed[draw(st.text(min_size=1, max_size=10).filter(lambda k: k not in genuine))] = draw(
            JSON
        )
    elif kind == "retype":
        key = draw(st.sampled_from(keys))
        changed[key] = draw(JSON.filter(lambda v: v != genuine[key]))
    else:
        nested = [k for k in keys if isinstance(changed[k], dict) and changed[k]]
        key = draw(st.sampled_from(nested)) if nested else draw(st.sampled_from(keys))
        if isinstance(changed[key], dict) and changed[key]:
            inner = draw(st.sampled_from(sorted(changed[key])))
            changed[key][inner] = draw(JSON.filter(lambda v: v != genuine[key][inner]))
        else:
            changed[key] = draw(JSON.filter(lambda v: v != genuine[key]))
    return _dumps(changed)


@st.composite
def malformed_bundle(draw: st.DrawFn, files: dict[str, bytes], zipped: bytes) -> bytes:
    """The bytes of a malformed bundle made from a genuine one (`files` in zip order, `zipped`)."""
    part = draw(st.sampled_from(["manifest.json", "signer.pub", "manifest.sig", "zip"]))
    if part == "zip":
        how = draw(st.sampled_from(["truncate", "flip", "garbage", "prefix", "suffix"]))
        if how == "truncate":
            return zipped[: draw(st.integers(0, len(zipped) - 1))]
        if how == "garbage":
            return draw(st.binary(max_size=2000))
        if how == "prefix":
            return draw(st.binary(min_size=1, max_size=100)) + zipped
        if how == "suffix":
            return zipped + draw(st.binary(min_size=1, max_size=100))
        # a byte flipped in the first half of a member's compressed data (inflation or CRC fails,
        # or sha256 differs; never in the last byte, whose padding bits inflation ignores)
        name = draw(st.sampled_from(sorted(files)))
        items = [Entry(n.encode(), d) for n, d in files.items()]
        data = bytearray(raw_zip(items))
        start = _data_offset(items, name)
        length = max(1, _compressed_length(files[name]) // 2)
        at = start + draw(st.integers(0, length - 1))
        data[at] ^= 1 << draw(st.integers(0, 7))
        return bytes(data)
    if part == "manifest.sig":
        replacement = draw(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
    else:
        replacement = draw(document(json.loads(files[part])))
    if replacement == files[part]:
        replacement += b" "
    return raw_zip([Entry(n.encode(), replacement if n == part else d) for n, d in files.items()])


def _compressed_length(data: bytes) -> int:
    import zlib

    deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
    return len(deflater.compress(data) + deflater.flush())


def _data_offset(items: list[Entry], name: str) -> int:
    offset = 0
    for item in items:
        offset += 30 + len(item.name)
        if item.name.decode() == name:
            return offset
        offset += _compressed_length(item.data)
    raise KeyError(name)
