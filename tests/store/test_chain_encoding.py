"""The audit chain is hashed through the standard library's C JSON encoder where its bytes are
RFC 8785's (issue #21: 16.7 µs an event through rfc8785, about 7 through json), and through
rfc8785 itself for anything else. These properties are what allows it."""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.store.chain import _FIELDS, canonical_array, event_hash, hashed_fields

TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)  # no lone surrogates
# Adversarial text as well: quotes, backslashes, controls, the line separators JSON allows raw,
# non-ASCII and Chinese, astral characters.
TRICKY = st.sampled_from(['"', "\\", "\x00", "\x1f", "\x7f", "\u2028", "\u2029", "é", "筛选", "😀",
                          "</script>", "=1+1", "\t\r\n"])  # fmt: skip
STRINGS = TEXT | st.lists(TRICKY, max_size=6).map("".join)
SAFE = st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
ANY_INT = st.integers(min_value=-(2**60), max_value=2**60)
JSONISH = st.recursive(
    st.none() | st.booleans() | STRINGS | SAFE | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


@given(st.lists(st.none() | STRINGS | SAFE, max_size=16))
def test_the_c_encoder_writes_rfc8785_for_text_safe_integers_and_nulls(row: list[Any]) -> None:
    assert canonical_array(row) == rfc8785.dumps(row)


@given(st.lists(JSONISH, max_size=6))
def test_anything_else_is_written_by_rfc8785_itself(row: list[Any]) -> None:
    assert canonical_array(row) == rfc8785.dumps(row)


@given(st.lists(ANY_INT, min_size=1, max_size=4))
def test_integers_beyond_2_53_are_refused_as_rfc8785_refuses_them(row: list[int]) -> None:
    try:
        expected: bytes | None = rfc8785.dumps(row)
    except rfc8785.CanonicalizationError:
        expected = None
    try:
        got: bytes | None = canonical_array(row)
    except rfc8785.CanonicalizationError:
        got = None
    assert got == expected


EVENT = st.fixed_dictionaries({
    "seq": st.integers(min_value=1, max_value=2**40), "at_utc": TEXT, "utc_offset": TEXT,
    "user_id": st.none() | st.integers(min_value=1, max_value=10**6), "username": STRINGS,
    "action": TEXT, "entity": TEXT, "entity_id": STRINGS,
    "field": st.none() | st.sampled_from(["initials", "date_of_birth", "hiv", "medical_record_number"]),
    "old_value": st.none() | STRINGS, "new_value": st.none() | STRINGS, "reason": st.none() | STRINGS,
    "prev_hash": st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    "salt": st.none() | st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
})  # fmt: skip


@given(EVENT, st.booleans())
def test_an_events_hash_is_the_sha256_of_its_rfc8785_array(event: dict[str, Any], legacy: bool) -> None:  # fmt: skip
    fields = hashed_fields(event, legacy=legacy)
    assert len(fields) == len(_FIELDS)
    expected = hashlib.sha256(rfc8785.dumps(fields)).hexdigest()
    assert event_hash(event, legacy=legacy) == expected
