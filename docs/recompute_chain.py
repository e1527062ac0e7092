"""Recompute every hash of an Eligo bundle's audit chain and link it to the signed manifest.

    python3 recompute_chain.py FOLDER     # FOLDER: the unpacked bundle

Needs only Python 3.10+ and the `rfc8785` package (pip install rfc8785). Checks, for each line of
audit_chain.jsonl: it is the RFC 8785 canonical JSON array of 14 values (the event's 13 hashed
fields, then its hash); its sequence number is the line number; its prev_hash is the hash of the
line before (64 zeros for the first); and sha256 of the canonical array of its 13 fields is its
hash. Then that the last hash is the manifest's audit_head and the number of lines its
audit_chain.events. Check the manifest's signature first (docs/verifying-a-bundle.md): only then
does the head it names mean anything. Exit 0 when all holds, 1 with the first problem otherwise.
"""

import hashlib
import json
import sys
from pathlib import Path

import rfc8785

FIELDS = ["seq", "at_utc", "utc_offset", "user_id", "username", "action", "entity", "entity_id",
          "field", "old_value", "new_value", "reason", "prev_hash"]  # fmt: skip


def recompute(folder: Path) -> str:
    manifest = json.loads((folder / "manifest.json").read_bytes())
    previous = "0" * 64
    lines = (folder / "audit_chain.jsonl").read_bytes().split(b"\n")
    if lines.pop() != b"":
        raise ValueError("audit_chain.jsonl does not end with a line break")
    for number, line in enumerate(lines, start=1):
        row = json.loads(line)
        if not isinstance(row, list) or len(row) != len(FIELDS) + 1:
            raise ValueError(f"line {number} is not an array of 14 values")
        if rfc8785.dumps(row) != line:
            raise ValueError(f"line {number} is not RFC 8785 canonical JSON")
        event, digest = dict(zip(FIELDS, row[:-1], strict=True)), row[-1]
        if event["seq"] != number:
            raise ValueError(f"line {number} carries event {event['seq']}")
        if event["prev_hash"] != previous:
            raise ValueError(f"event {number} does not follow event {number - 1}")
        if hashlib.sha256(rfc8785.dumps(row[:-1])).hexdigest() != digest:
            raise ValueError(f"event {number}: its hash does not recompute (the event was altered)")
        previous = digest
    if len(lines) != manifest["audit_chain"]["events"]:
        raise ValueError(
            f"{len(lines)} events, the manifest says {manifest['audit_chain']['events']}"
        )
    if previous != manifest["audit_head"]:
        raise ValueError(
            f"the chain ends at {previous}, the signed manifest's audit_head is {manifest['audit_head']}"
        )
    return f"audit chain OK: {len(lines)} events recomputed; head {previous} is the signed manifest's audit_head"


if __name__ == "__main__":
    try:
        print(recompute(Path(sys.argv[1])))
    except (ValueError, KeyError, TypeError, OSError, IndexError) as exc:
        print(f"audit chain FAILED: {exc}")
        sys.exit(1)
