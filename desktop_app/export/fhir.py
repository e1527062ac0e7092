"""A FHIR R4 Bundle of the screening log: one ResearchStudy, the site as a Location, one
ResearchSubject per screening attempt. Plain JSON (no runtime dependency); the tests validate it
with the fhir.resources models, resolve every reference and check every status code.

Every entry's fullUrl is `urn:uuid:` and a UUID (version 5) derived from the site, the screening
number and the attempt, so the same resource has the same UUID in every export; each resource's
id is that UUID and every reference inside the Bundle is one of those fullUrls. Subjects are
referred to by screening number only: no Patient, no identifier of a person."""

from __future__ import annotations

import hashlib
import json
import json.encoder
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from desktop_app.export.templates import Bare, data_json
from desktop_app.rules import LoadedProtocol

# The name space of Eligo's UUIDs (itself a version 5 UUID of Eligo's URN in the URL name space).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:eligo:fhir")

# Eligo's status of an attempt -> ResearchSubject.status (R4 value set research-subject-status;
# the table in docs/exports.md says why). Signed and locked are about the record, not the person:
# there the determination decides (eligible, ineligible, or still screening when incomplete).
SUBJECT_STATUS = {
    "draft": "screening", "incomplete": "screening", "eligible": "eligible", "ineligible": "ineligible",
    "signed": "by determination", "locked": "by determination", "enrolled": "on-study",
    "declined": "not-registered", "withdrawn": "withdrawn",
}  # fmt: skip
BY_DETERMINATION = {"eligible": "eligible", "ineligible": "ineligible", "incomplete": "screening"}
_SCREENING_SYSTEM = "urn:eligo:screening-number"


def subject_status(screening: Mapping[str, Any]) -> str:
    """The research-subject-status code of one screening attempt (as in screenings.json)."""
    status = SUBJECT_STATUS[str(screening["status"])]
    if status == "by determination":
        determination = (screening.get("determination") or {}).get("determination")
        return BY_DETERMINATION.get(str(determination), "screening")
    return status


def resource_uuid(kind: str, site_code: str, *key: object) -> str:
    """The stable UUID of a resource: the same site, screening and attempt give the same UUID."""
    return str(uuid.uuid5(NAMESPACE, "/".join([kind, site_code, *(str(k) for k in key)])))


def fhir_bundle(
    protocol: LoadedProtocol, site_code: str, screenings: list[dict[str, Any]]
) -> dict[str, Any]:
    meta = protocol.protocol.metadata
    study_id = resource_uuid("ResearchStudy", site_code, meta.registry_id)
    site_id = resource_uuid("Location", site_code)
    entries: list[dict[str, Any]] = [
        {
            "fullUrl": f"urn:uuid:{study_id}",
            "resource": {
                "resourceType": "ResearchStudy", "id": study_id, "status": "active",
                "title": meta.title["en"],
                "identifier": [{"system": "https://clinicaltrials.gov", "value": meta.registry_id}],
                "phase": {"text": meta.phase},
                "sponsor": {"display": meta.sponsor},
                "site": [{"reference": f"urn:uuid:{site_id}", "display": site_code}],
            },
        },
        {
            "fullUrl": f"urn:uuid:{site_id}",
            "resource": {
                "resourceType": "Location", "id": site_id, "status": "active", "name": site_code,
                "identifier": [{"system": "urn:eligo:site-code", "value": site_code}],
            },
        },
    ]  # fmt: skip
    entries += (subject_entry(site_code, study_id, s) for s in screenings)
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def subject_entry(site_code: str, study_id: str, s: Mapping[str, Any]) -> dict[str, Any]:
    """The Bundle's entry of one screening attempt (as in screenings.json): its ResearchSubject."""
    site_system = f"{_SCREENING_SYSTEM}:{site_code}"
    subject_id = resource_uuid("ResearchSubject", site_code, s["screening_number"], s["attempt"])
    return {
        "fullUrl": f"urn:uuid:{subject_id}",
        "resource": {
            "resourceType": "ResearchSubject", "id": subject_id, "status": subject_status(s),
            "identifier": [{"system": site_system, "value": f"{s['screening_number']}/{s['attempt']}"}],
            "study": {"reference": f"urn:uuid:{study_id}"},
            "individual": {"identifier": {"system": site_system, "value": s["screening_number"]},
                           "display": f"candidate {s['initials']}"},
        },
    }  # fmt: skip


_text = json.encoder.encode_basestring  # what data_json writes for a str, without its dispatch


def fhir_json(protocol: LoadedProtocol, site_code: str, screenings: list[dict[str, Any]]) -> bytes:
    """fhir_bundle.json's bytes from FhirWriter, whole (the bundle's one pass writes them in
    pieces); the same bytes as bundle.json_bytes(fhir_bundle(...)), the reference (a Hypothesis
    test compares them on adversarial text)."""
    writer = FhirWriter(protocol, site_code)
    return (writer.head + writer.entries(screenings) + writer.tail).encode("utf-8")


def _uuid(kind: str, site_code: str, *key: object) -> str:
    """resource_uuid without the UUID object (a third of fhir_json's time at 100,000
    screenings): a test compares the two."""
    return _uuid_of(_NAMESPACE_BYTES, "/".join([kind, site_code, *(str(k) for k in key)]))


_NAMESPACE_BYTES = NAMESPACE.bytes

try:
    # CPython's own SHA-1 (hashlib's fallback where OpenSSL has none): on the short names of the
    # subjects' UUIDs OpenSSL's set-up of each hash costs more than the hash; this one, resumed
    # from a copy of the hashed prefix, takes 2,200 fewer instructions an attempt, about 3% of
    # a bare attempt's export (issue #21). A test checks the UUIDs against uuid.uuid5 with each.
    from _sha1 import sha1 as _sha1_hash  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - a Python built without it: OpenSSL's, the same digest
    _sha1_hash = hashlib.sha1

_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def _uuid_of(prefix: bytes, name: str) -> str:
    """The version 5 UUID of `prefix` (the name space's bytes and the name's start, UTF-8) and
    `name`: the SHA-1's first 16 bytes, with the version (5) and variant (RFC 4122) bits set as
    uuid.UUID(bytes=..., version=5) sets them."""
    h = _sha1_hash(prefix + name.encode("utf-8")).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


class FhirWriter:
    """fhir_bundle.json in pieces: `head`, then `entries(screenings)` for each run of attempts
    in order, then `tail`; each ResearchSubject from one template instead of a dict per attempt
    encoded with sorted keys."""

    tail = '],"resourceType":"Bundle","type":"collection"}'

    def __init__(self, protocol: LoadedProtocol, site_code: str) -> None:
        head = fhir_bundle(protocol, site_code, [])
        study_id = resource_uuid("ResearchStudy", site_code, protocol.protocol.metadata.registry_id)
        self._prefix = _NAMESPACE_BYTES + f"ResearchSubject/{site_code}/".encode()
        self._site_code, self._study_id = site_code, study_id
        self.system = _text(f"{_SCREENING_SYSTEM}:{site_code}")
        self.study = _text(f"urn:uuid:{study_id}")
        # The study and the site: every subject's entry after them is written with its comma.
        self.head = '{"entry":[' + ",".join(data_json(entry) for entry in head["entry"])

    def entries(self, screenings: Sequence[Mapping[str, Any] | Bare]) -> str:
        """The entries of these attempts, each with the comma before it: one layout, whose quoted
        values each path gives as JSON writes them inside the quotes. A Bare attempt, whose number
        and initials JSON writes as they are, gives them without an encoder; an attempt whose
        screening number is not text (never from a store) is the reference's entry, encoded."""
        system, study, prefix, undetermined = self.system, self.study, self._prefix, _UNDETERMINED
        prefixed = _sha1_hash(prefix).copy  # each subject's hash resumes from the hashed prefix
        parts = []
        for s in screenings:
            if isinstance(s, tuple):  # Bare (export/templates.py): the hot path
                number, initials, status = s[0], s[2], undetermined[s[3]]
                key = f"{number}/{s[1]}"
                hashed = prefixed()
                hashed.update(key.encode())
                h = hashed.hexdigest()  # as _uuid_of, from the hashed prefix
                subject_id = f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"
            else:
                number, attempt = s["screening_number"], s["attempt"]
                if type(number) is not str:
                    parts.append("," + data_json(subject_entry(self._site_code, self._study_id, s)))
                    continue
                subject_id = _uuid_of(prefix, f"{number}/{attempt}")
                key, number = _text(f"{number}/{attempt}")[1:-1], _text(number)[1:-1]
                initials, status = _text(str(s["initials"]))[1:-1], _text(subject_status(s))[1:-1]
            parts.append(
                f',{{"fullUrl":"urn:uuid:{subject_id}","resource":{{"id":"{subject_id}",'
                f'"identifier":[{{"system":{system},"value":"{key}"}}],"individual":'
                f'{{"display":"candidate {initials}","identifier":{{"system":{system},"value":"{number}"}}}},'
                f'"resourceType":"ResearchSubject","status":"{status}","study":{{"reference":{study}}}}}}}'
            )
        return "".join(parts)


# subject_status of an attempt without a determination, by its status.
_UNDETERMINED = {
    status: "screening" if code == "by determination" else code
    for status, code in SUBJECT_STATUS.items()
}
