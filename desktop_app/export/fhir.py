"""A FHIR R4 Bundle of the screening log: one ResearchStudy, one ResearchSubject per screening
attempt. Plain JSON (no runtime dependency); the tests validate it with the fhir.resources models.
Subjects are referred to by screening number only: no Patient, no identifier of a person."""

from __future__ import annotations

from typing import Any

from desktop_app.rules import LoadedProtocol

# Eligo's status of an attempt -> ResearchSubject.status (FHIR R4 research-subject-status).
SUBJECT_STATUS = {
    "draft": "candidate", "incomplete": "candidate", "eligible": "eligible", "ineligible": "ineligible",
    "signed": "eligible", "locked": "eligible", "enrolled": "on-study", "declined": "eligible",
    "withdrawn": "withdrawn",
}  # fmt: skip
_SCREENING_SYSTEM = "urn:eligo:screening-number"


def _status(screening: dict[str, Any]) -> str:
    status = str(screening.get("status"))
    if status in ("signed", "locked"):  # signed is about the record; the verdict decides here
        determination = (screening.get("determination") or {}).get("determination")
        return "ineligible" if determination == "ineligible" else "eligible"
    return SUBJECT_STATUS.get(status, "candidate")


def fhir_bundle(
    protocol: LoadedProtocol, site_code: str, screenings: list[dict[str, Any]]
) -> dict[str, Any]:
    meta = protocol.protocol.metadata
    study_id = f"study-{meta.registry_id}"
    entries: list[dict[str, Any]] = [{
        "fullUrl": f"urn:uuid:{study_id}",
        "resource": {
            "resourceType": "ResearchStudy", "id": study_id, "status": "active",
            "title": meta.title["en"],
            "identifier": [{"system": "https://clinicaltrials.gov", "value": meta.registry_id}],
            "phase": {"text": meta.phase},
            "sponsor": {"display": meta.sponsor},
            "site": [{"display": site_code}],
        },
    }]  # fmt: skip
    for s in screenings:
        subject_id = f"subject-{s['screening_number']}-{s['attempt']}"
        entries.append({
            "fullUrl": f"urn:uuid:{subject_id}",
            "resource": {
                "resourceType": "ResearchSubject", "id": subject_id, "status": _status(s),
                "identifier": [{"system": f"{_SCREENING_SYSTEM}:{site_code}",
                                "value": f"{s['screening_number']}/{s['attempt']}"}],
                "study": {"reference": f"ResearchStudy/{study_id}"},
                "individual": {"identifier": {"system": f"{_SCREENING_SYSTEM}:{site_code}",
                                              "value": s["screening_number"]},
                               "display": f"candidate {s['initials']}"},
            },
        })  # fmt: skip
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}
