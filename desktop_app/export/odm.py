"""CDISC ODM 1.3.2 of the screening log: the protocol's questions as metadata (one form per wizard
step, one item per question, code lists for choices), AdminData (users, the site, the two
signature meanings) and ClinicalData: one SubjectData per candidate (keyed by screening number),
one StudyEventData per screening attempt, with each answer's latest AuditRecord and the valid
electronic signatures inline, then every audit event of the screenings in AuditRecords and every
stored signature (invalidated ones too) in Signatures.

Written with the standard library's ElementTree; the tests validate it against the ODM 1.3.2 XML
Schema. Like the rest of a bundle it holds no direct identifier: the date of birth is never
exported (its item is defined, never filled)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Any

from desktop_app import __version__
from desktop_app.rules import LoadedProtocol
from desktop_app.rules.protocol import Question

NS = "http://www.cdisc.org/ns/odm/v1.3"

# ODM DataType of each question type; lists and per-agent dates are JSON text.
DATA_TYPES = {
    "date": "date", "boolean": "boolean", "choice": "text", "multi_choice": "text", "text": "text",
    "number": "float", "number_or_indeterminate": "text", "date_per_agent": "text",
    "other_medications": "text",
}  # fmt: skip
SIGNATURE_DEFS = {
    "Screening performed by": ("SD.SCREENING_PERFORMED", "Screening performed: the answers are complete and correct"),
    "Eligibility confirmed by investigator": ("SD.ELIGIBILITY_CONFIRMED", "Eligibility confirmed by the investigator"),
}  # fmt: skip
STUDY_EVENT = "SE.SCREENING"
DETERMINATION_FORM = "F.DETERMINATION"
_DETERMINATION_ITEMS = (
    ("IT.DETERMINATION", "determination", "text"),
    ("IT.FAILING_CRITERIA", "failing_criteria", "text"),
    ("IT.ACR_EULAR_TOTAL", "acr_eular_total", "integer"),
    ("IT.OUTCOME", "outcome", "text"),
    ("IT.OUTCOME_DETAIL", "outcome_detail", "text"),
)


def _el(parent: ET.Element, tag: str, text: str | None = None, **attributes: Any) -> ET.Element:
    """A child element; tags are bare names in ODM's default namespace (declared on the root)."""
    element = ET.SubElement(
        parent, tag, {k: str(v) for k, v in attributes.items() if v is not None}
    )
    if text is not None:
        element.text = text
    return element


_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;",
                                    "\r": "&#13;", "\t": "&#9;"})  # fmt: skip
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _serialize(element: ET.Element, depth: int, out: list[str]) -> None:
    """Indented XML, written directly: ElementTree's own writer is several times slower, which
    shows with 100,000 screenings."""
    attributes = "".join(
        f' {k}="{v.translate(_ATTRIBUTE_ESCAPES)}"' for k, v in element.attrib.items()
    )
    pad = "\n" + "  " * depth
    if len(element):
        out.append(f"{pad}<{element.tag}{attributes}>")
        for child in element:
            _serialize(child, depth + 1, out)
        out.append(f"{pad}</{element.tag}>")
    elif element.text is not None:
        out.append(
            f"{pad}<{element.tag}{attributes}>{element.text.translate(_TEXT_ESCAPES)}</{element.tag}>"
        )
    else:
        out.append(f"{pad}<{element.tag}{attributes}/>")


def _translated(parent: ET.Element, tag: str, text: str) -> None:
    _el(
        _el(parent, tag),
        "TranslatedText",
        text,
        **{"xml:lang": "en"},
    )


def _oid(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in text)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _user_ref(parent: ET.Element, username: str) -> None:
    _el(parent, "UserRef", UserOID=f"USR.{_oid(username or 'system')}")


def _metadata(study: ET.Element, protocol: LoadedProtocol) -> str:
    p = protocol.protocol
    meta = p.metadata
    globals_ = _el(study, "GlobalVariables")
    _el(globals_, "StudyName", meta.title["en"])
    _el(globals_, "StudyDescription", f"{meta.registry_id}: {meta.title['en']}")
    _el(globals_, "ProtocolName", meta.registry_id)
    mdv_oid = _oid(f"MDV.{protocol.id}.{protocol.version}")
    mdv = _el(study, "MetaDataVersion", OID=mdv_oid, Name=f"{protocol.id} version {protocol.version}",
              Description=f"Eligo protocol file sha256 {protocol.sha256}")  # fmt: skip
    _el(_el(mdv, "Protocol"), "StudyEventRef", StudyEventOID=STUDY_EVENT, Mandatory="Yes")
    event = _el(mdv, "StudyEventDef", OID=STUDY_EVENT, Name="Screening attempt", Repeating="Yes",
                Type="Scheduled")  # fmt: skip
    forms = [*(f"F.{_oid(s.id.upper())}" for s in p.steps), DETERMINATION_FORM]
    for form_oid in forms:
        _el(event, "FormRef", FormOID=form_oid, Mandatory="No")
    for step in p.steps:
        form = _el(
            mdv, "FormDef", OID=f"F.{_oid(step.id.upper())}", Name=step.title["en"], Repeating="No"
        )
        _el(form, "ItemGroupRef", ItemGroupOID=f"IG.{_oid(step.id.upper())}", Mandatory="No")
    form = _el(
        mdv, "FormDef", OID=DETERMINATION_FORM, Name="Determination and outcome", Repeating="No"
    )
    _el(form, "ItemGroupRef", ItemGroupOID="IG.DETERMINATION", Mandatory="Yes")
    for step in p.steps:
        group = _el(mdv, "ItemGroupDef", OID=f"IG.{_oid(step.id.upper())}", Name=step.title["en"],
                    Repeating="No")  # fmt: skip
        for question_id in step.questions:
            _el(group, "ItemRef", ItemOID=_item_oid(question_id),
                Mandatory="Yes" if p.question(question_id).required else "No")  # fmt: skip
    group = _el(
        mdv,
        "ItemGroupDef",
        OID="IG.DETERMINATION",
        Name="Determination and outcome",
        Repeating="No",
    )
    for oid, _name, _type in _DETERMINATION_ITEMS:
        _el(group, "ItemRef", ItemOID=oid, Mandatory="No")
    code_lists: list[Question] = []
    for step in p.steps:
        for question_id in step.questions:
            question = p.question(question_id)
            item = _el(mdv, "ItemDef", OID=_item_oid(question.id), Name=question.id,
                       DataType=DATA_TYPES[question.type])  # fmt: skip
            _translated(item, "Question", question.text["en"])
            if question.type == "choice" and p.options(question.id):
                _el(item, "CodeListRef", CodeListOID=f"CL.{_oid(question.id.upper())}")
                code_lists.append(question)
    for oid, name, data_type in _DETERMINATION_ITEMS:
        _el(mdv, "ItemDef", OID=oid, Name=name, DataType=data_type)
    for question in code_lists:
        code_list = _el(mdv, "CodeList", OID=f"CL.{_oid(question.id.upper())}", Name=question.id,
                        DataType="text")  # fmt: skip
        for option in p.options(question.id):
            _translated(
                _el(code_list, "CodeListItem", CodedValue=option.code), "Decode", option.label["en"]
            )
    return mdv_oid


def _item_oid(question_id: str) -> str:
    return f"IT.{_oid(question_id.upper())}"


def _admin(
    root: ET.Element, study_oid: str, mdv_oid: str, location: str, site_name: str,
    users: Mapping[str, str], effective: str,
) -> None:  # fmt: skip
    admin = _el(root, "AdminData", StudyOID=study_oid)
    for username, full_name in sorted(users.items()):
        user = _el(admin, "User", OID=f"USR.{_oid(username or 'system')}")
        _el(user, "LoginName", username or "system")
        _el(user, "FullName", full_name or username or "Eligo")
    site = _el(admin, "Location", OID=location, Name=site_name or location, LocationType="Site")
    _el(
        site,
        "MetaDataVersionRef",
        StudyOID=study_oid,
        MetaDataVersionOID=mdv_oid,
        EffectiveDate=effective,
    )
    for meaning, (oid, legal) in SIGNATURE_DEFS.items():
        definition = _el(admin, "SignatureDef", OID=oid, Methodology="Electronic")
        _el(definition, "Meaning", meaning)
        _el(definition, "LegalReason", legal)


def _audit_record(
    parent: ET.Element, row: Mapping[str, Any], location: str, **attributes: Any
) -> None:
    record = _el(parent, "AuditRecord", **attributes)
    _user_ref(record, str(row["username"] or ""))
    _el(record, "LocationRef", LocationOID=location)
    _el(record, "DateTimeStamp", str(row["at_utc"]))
    if row.get("reason"):
        _el(record, "ReasonForChange", str(row["reason"]))
    _el(record, "SourceID", f"eligo-audit seq {row['seq']} {row['action']} {row['entity_id']} "
                            f"{row['field'] or ''} hash {row['hash']}".replace("  ", " "))  # fmt: skip


def _signature(
    parent: ET.Element, payload: Mapping[str, Any], location: str, **attributes: Any
) -> None:
    element = _el(parent, "Signature", **attributes)
    _user_ref(element, str(payload.get("signer", {}).get("username", "")))
    _el(element, "LocationRef", LocationOID=location)
    meaning = str(payload.get("meaning"))
    _el(element, "SignatureRef", SignatureOID=SIGNATURE_DEFS.get(meaning, ("SD.UNKNOWN", ""))[0])
    _el(element, "DateTimeStamp", str(payload.get("signed_at")))


def odm_xml(
    protocol: LoadedProtocol, site: Mapping[str, str], screenings: list[dict[str, Any]],
    audit: Iterable[Mapping[str, Any]], users: Mapping[str, str], created_at: str,
) -> bytes:  # fmt: skip
    """The ODM document. `screenings` as in screenings.json; `audit` rows as in audit_trail.csv
    (dicts by column); `users` maps username to printed name. Invalidated signatures are listed in
    Signatures only, never inline on the data they no longer cover."""
    study_oid = _oid(f"ST.{protocol.protocol.metadata.registry_id}")
    location = f"LOC.{_oid(site.get('code') or 'SITE')}"
    root = ET.Element("ODM", {"xmlns": NS,
        "FileType": "Snapshot", "Granularity": "All", "FileOID": _oid(f"ELIGO.{site.get('code')}.{created_at}"),
        "CreationDateTime": created_at, "ODMVersion": "1.3.2", "Originator": site.get("name") or "",
        "SourceSystem": "Eligo", "SourceSystemVersion": __version__,
    })  # fmt: skip
    mdv_oid = _metadata(_el(root, "Study", OID=study_oid), protocol)
    _admin(root, study_oid, mdv_oid, location, site.get("name", ""), users, created_at[:10])
    clinical = _el(root, "ClinicalData", StudyOID=study_oid, MetaDataVersionOID=mdv_oid)
    screening_events = [r for r in audit if r["entity"] in ("screening", "candidate", "signature")]
    latest: dict[tuple[str, str], Mapping[str, Any]] = {}
    for row in screening_events:
        if row["action"] == "answer_saved":
            latest[(str(row["entity_id"]), str(row["field"]))] = row
    steps = protocol.protocol.steps
    by_candidate: dict[str, list[dict[str, Any]]] = {}
    for s in screenings:
        by_candidate.setdefault(str(s["screening_number"]), []).append(s)
    signature_index = 0
    all_signatures: list[tuple[int, dict[str, Any]]] = []
    for number, attempts in by_candidate.items():
        subject = _el(clinical, "SubjectData", SubjectKey=number, TransactionType="Insert")
        _el(subject, "SiteRef", LocationOID=location)
        for s in attempts:
            key = f"{number}/{s['attempt']}"
            payloads = []
            for stored in s["signatures"]:
                payload = json.loads(stored["payload"])
                all_signatures.append((signature_index, payload))
                if not stored.get("invalidated"):
                    payloads.append(payload)
                signature_index += 1
            event = _el(
                subject,
                "StudyEventData",
                StudyEventOID=STUDY_EVENT,
                StudyEventRepeatKey=s["attempt"],
            )
            performed = [p for p in payloads if p.get("meaning") == "Screening performed by"]
            if performed:
                _signature(event, performed[-1], location)
            answers = s["answers"]
            for step in steps if answers else ():
                present = [q for q in step.questions if answers.get(q) is not None]
                if not present:
                    continue
                form = _el(event, "FormData", FormOID=f"F.{_oid(step.id.upper())}")
                group = _el(form, "ItemGroupData", ItemGroupOID=f"IG.{_oid(step.id.upper())}")
                for question_id in present:
                    item = _el(
                        group,
                        "ItemData",
                        ItemOID=_item_oid(question_id),
                        Value=_value(answers[question_id]),
                    )
                    if (key, question_id) in latest:
                        _audit_record(item, latest[(key, question_id)], location)
            form = _el(event, "FormData", FormOID=DETERMINATION_FORM)
            confirmed = [
                p for p in payloads if p.get("meaning") == "Eligibility confirmed by investigator"
            ]
            if confirmed:
                _signature(form, confirmed[-1], location)
            group = _el(form, "ItemGroupData", ItemGroupOID="IG.DETERMINATION")
            determination = s.get("determination") or {}
            values = {
                "IT.DETERMINATION": determination.get("determination"),
                "IT.FAILING_CRITERIA": " ".join(determination.get("failing", [])) or None,
                "IT.ACR_EULAR_TOTAL": (determination.get("acr_eular") or {}).get("total"),
                "IT.OUTCOME": s.get("outcome"),
                "IT.OUTCOME_DETAIL": s.get("outcome_detail") or None,
            }  # fmt: skip
            for oid, value in values.items():
                if value is not None:
                    _el(group, "ItemData", ItemOID=oid, Value=_value(value))
    records = _el(clinical, "AuditRecords")
    for row in screening_events:
        _audit_record(records, row, location, ID=f"AR.{row['seq']}")
    signatures = _el(clinical, "Signatures")
    for index, payload in all_signatures:
        _signature(signatures, payload, location, ID=f"SG.{index + 1}")
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    _serialize(root, 0, out)
    out.append("\n")
    return "".join(out).encode("utf-8")
