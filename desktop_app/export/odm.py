"""CDISC ODM 1.3.2 of the screening log: the protocol's questions as metadata (one form per wizard
step, one item per question, code lists for choices), AdminData (users, the site, the two
signature meanings) and ClinicalData: one SubjectData per candidate (keyed by screening number),
one StudyEventData per screening attempt, with each answer's latest AuditRecord and the valid
electronic signatures inline, then every audit event of the screenings in AuditRecords and every
stored signature (invalidated ones too) in Signatures.

Every ItemData holds one value, never a list or an object (no JSON text): a question with several
values (a multi-select, the last dose per agent, the other medications) has a count item in its
step's ItemGroup (0: answered, nothing selected; it carries the answer's audit record) and its
own repeating ItemGroup, one ItemGroupData per value (per selected code, per agent, per medicine).
The outcome's details and the failing criteria are split the same way. A missing-data code (the
protocol's pending / not done / unknown / not applicable, rules.missing_data) is written as ODM
says: the ItemData IsNull="Yes", with an Annotation whose Flag carries the code from the
CL.MISSING_DATA code list (the protocol's codes, with their labels).

Written with the standard library's ElementTree; the tests validate it against the ODM 1.3.2 XML
Schema. Like the rest of a bundle it holds no direct identifier: the date of birth is never
exported (its item is defined, never filled)."""

from __future__ import annotations

import functools
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, get_args

from desktop_app import __version__
from desktop_app.export.annotations import Annotations, add_code_lists, annotate_event
from desktop_app.rules import LoadedProtocol
from desktop_app.rules.missing_data import code_of
from desktop_app.rules.protocol import DrugClass, Option, Protocol, Question

NS = "http://www.cdisc.org/ns/odm/v1.3"

# ODM DataType of each question type with one value (the others have repeating ItemGroups).
DATA_TYPES = {
    "date": "date", "boolean": "boolean", "choice": "text", "text": "text", "number": "float",
    "number_or_indeterminate": "text",
}  # fmt: skip
SIGNATURE_DEFS = {
    "Screening performed by": ("SD.SCREENING_PERFORMED", "Screening performed: the answers are complete and correct"),
    "Eligibility confirmed by investigator": ("SD.ELIGIBILITY_CONFIRMED", "Eligibility confirmed by the investigator"),
}  # fmt: skip
STUDY_EVENT = "SE.SCREENING"
DETERMINATION_FORM = "F.DETERMINATION"
MISSING_DATA_CODE_LIST = "CL.MISSING_DATA"
_OUTCOMES = {"enrolled": "Enrolled", "declined": "Eligible but declined", "screen_failure": "Screen failure",
             "withdrawn": "Withdrawn before enrollment"}  # fmt: skip
_DETERMINATIONS = {"eligible": "Eligible", "ineligible": "Ineligible", "incomplete": "Incomplete"}
_DRUG_CLASSES = {c: c.replace("_", " ").capitalize() for c in get_args(DrugClass)}
# The entities whose audit events are a screening's: in AuditRecords, and inline as an answer's
# latest record.
SCREENING_ENTITIES = ("screening", "candidate", "signature")


@dataclass(frozen=True)
class Item:
    oid: str
    name: str
    data_type: str
    code_list: str | None = None  # CodeListOID


@dataclass(frozen=True)
class Group:
    """A repeating ItemGroup of a question with several values, one ItemGroupData per value."""

    oid: str
    name: str
    items: tuple[Item, ...]


def _code_lists(p: Protocol) -> dict[str, tuple[str, tuple[tuple[str, str], ...]]]:
    """Every code list: OID -> (name, ((code, English label), ...))."""
    lists: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}
    for question in p.questions:
        if question.type in ("choice", "multi_choice") and p.options(question.id):
            lists[f"CL.{_oid(question.id.upper())}"] = (question.id, _pairs(p.options(question.id)))
    lists["CL.DRUG_CLASS"] = ("drug_class", tuple(_DRUG_CLASSES.items()))
    lists["CL.DETERMINATION"] = ("determination", tuple(_DETERMINATIONS.items()))
    lists["CL.OUTCOME"] = ("outcome", tuple(_OUTCOMES.items()))
    lists["CL.CRITERION"] = ("criterion", tuple((c.id, c.label["en"]) for c in p.criteria))
    return lists


def _pairs(options: Iterable[Option]) -> tuple[tuple[str, str], ...]:
    return tuple((o.code, o.label["en"]) for o in options)


def repeating_group(p: Protocol, question: Question) -> Group | None:
    """The repeating ItemGroup of a question with several values; None for one value."""
    oid, upper = _oid(question.id.upper()), question.id.upper()
    if question.type == "multi_choice":
        items: tuple[Item, ...] = (Item(f"IT.{oid}", question.id, "text", f"CL.{oid}"),)
    elif question.type == "date_per_agent":
        agents = f"CL.{_oid(str(question.per_item_of).upper())}"
        items = (Item(f"IT.{oid}_AGENT", f"{question.id}_agent", "text", agents),
                 Item(f"IT.{oid}_DATE", f"{question.id}_date", "date"))  # fmt: skip
    elif question.type == "other_medications":
        items = (Item(f"IT.{oid}_NAME", f"{question.id}_name", "text"),
                 Item(f"IT.{oid}_CLASSIFICATION", f"{question.id}_classification", "text", "CL.DRUG_CLASS"),
                 Item(f"IT.{oid}_LAST_DOSE_DATE", f"{question.id}_last_dose_date", "date"))  # fmt: skip
    else:
        return None
    return Group(f"IG.{_oid(upper)}", question.text["en"][:200], items)


def _group_values(question: Question, value: Any) -> list[tuple[str, ...]]:
    """The rows of a repeating group: one per selected code, agent or medicine."""
    if question.type == "multi_choice":
        return [(str(code),) for code in value]
    if question.type == "date_per_agent":
        return [(str(agent), str(day)) for agent, day in value.items()]
    return [
        (str(m["name"]), str(m["classification"]), str(m.get("last_dose_date") or ""))
        for m in value
    ]


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


# What needs escaping, searched before escaping: most values need none, and one search of a
# character class is much quicker than translate() with a table of several-character escapes.
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\n\r\t]').search
_TEXT_SPECIAL = re.compile("[&<>\r]").search
_PADS = tuple("\n" + "  " * depth for depth in range(32))


def _serialize(element: ET.Element, depth: int, out: list[str]) -> None:
    """Indented XML, written directly: ElementTree's own writer is several times slower, which
    shows with 100,000 screenings."""
    attrib, tag = element.attrib, element.tag
    special = _ATTRIBUTE_SPECIAL
    attributes = (
        "".join([
            f' {k}="{v.translate(_ATTRIBUTE_ESCAPES) if special(v) else v}"'
            for k, v in attrib.items()
        ])
        if attrib
        else ""
    )  # fmt: skip
    pad = _PADS[depth] if depth < 32 else "\n" + "  " * depth
    if len(element):
        out.append(f"{pad}<{tag}{attributes}>")
        for child in element:
            _serialize(child, depth + 1, out)
        out.append(f"{pad}</{tag}>")
    elif (text := element.text) is not None:
        if _TEXT_SPECIAL(text):
            text = text.translate(_TEXT_ESCAPES)
        out.append(f"{pad}<{tag}{attributes}>{text}</{tag}>")
    else:
        out.append(f"{pad}<{tag}{attributes}/>")


def _translated(parent: ET.Element, tag: str, text: str) -> None:
    _el(
        _el(parent, tag),
        "TranslatedText",
        text,
        **{"xml:lang": "en"},
    )


@functools.lru_cache(maxsize=4096)
def _oid(text: str) -> str:
    # Cached: the same few names (questions, steps, users) make every attempt's OIDs, a character
    # at a time (a fifth of an answered attempt's ODM).
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in text)


def _value(value: Any) -> str:
    """One value as ODM text: ISO dates stay as they are, numbers without an exponent; a list or
    an object is refused (they go to repeating ItemGroups, never into one ItemData as JSON)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        return format(Decimal(str(value)).normalize(), "f")
    raise TypeError(f"one ItemData holds one value, not {type(value).__name__}")


def _user_ref(parent: ET.Element, username: str) -> None:
    ET.SubElement(parent, "UserRef", {"UserOID": f"USR.{_oid(username or 'system')}"})


def _metadata(study: ET.Element, protocol: LoadedProtocol, missing_codes: Mapping[str, str]) -> str:
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
    groups: list[tuple[Group, str]] = []  # repeating groups, with their step's form
    for step in p.steps:
        form = _el(
            mdv, "FormDef", OID=f"F.{_oid(step.id.upper())}", Name=step.title["en"], Repeating="No"
        )
        _el(form, "ItemGroupRef", ItemGroupOID=f"IG.{_oid(step.id.upper())}", Mandatory="No")
        for question_id in step.questions:
            group = repeating_group(p, p.question(question_id))
            if group is not None:
                _el(form, "ItemGroupRef", ItemGroupOID=group.oid, Mandatory="No")
                groups.append((group, step.id))
    form = _el(
        mdv, "FormDef", OID=DETERMINATION_FORM, Name="Determination and outcome", Repeating="No"
    )
    _el(form, "ItemGroupRef", ItemGroupOID="IG.DETERMINATION", Mandatory="Yes")
    _el(form, "ItemGroupRef", ItemGroupOID=FAILING_GROUP.oid, Mandatory="No")
    for step in p.steps:
        group_def = _el(mdv, "ItemGroupDef", OID=f"IG.{_oid(step.id.upper())}", Name=step.title["en"],
                        Repeating="No")  # fmt: skip
        for question_id in step.questions:
            _el(group_def, "ItemRef", ItemOID=_item_oid(p.question(question_id)),
                Mandatory="Yes" if p.question(question_id).required else "No")  # fmt: skip
    for group, _step in groups:
        group_def = _el(mdv, "ItemGroupDef", OID=group.oid, Name=group.name, Repeating="Yes")
        for item in group.items:
            _el(group_def, "ItemRef", ItemOID=item.oid, Mandatory="Yes")
    group_def = _el(
        mdv,
        "ItemGroupDef",
        OID="IG.DETERMINATION",
        Name="Determination and outcome",
        Repeating="No",
    )
    for item in DETERMINATION_ITEMS:
        _el(group_def, "ItemRef", ItemOID=item.oid, Mandatory="No")
    group_def = _el(
        mdv, "ItemGroupDef", OID=FAILING_GROUP.oid, Name=FAILING_GROUP.name, Repeating="Yes"
    )
    for item in FAILING_GROUP.items:
        _el(group_def, "ItemRef", ItemOID=item.oid, Mandatory="Yes")
    for step in p.steps:
        for question_id in step.questions:
            question = p.question(question_id)
            several = repeating_group(p, question) is not None
            item_def = _el(mdv, "ItemDef", OID=_item_oid(question),
                           Name=f"{question.id}_count" if several else question.id,
                           DataType="integer" if several else DATA_TYPES[question.type])  # fmt: skip
            if several:
                _translated(item_def, "Description", "How many values were given (0: answered, none "
                            "selected); the values are in this question's repeating item group")  # fmt: skip
            _translated(item_def, "Question", question.text["en"])
            if not several and question.type == "choice" and p.options(question.id):
                _el(item_def, "CodeListRef", CodeListOID=f"CL.{_oid(question.id.upper())}")
    extra = [i for group, _ in groups for i in group.items]
    for item in [*extra, *DETERMINATION_ITEMS, *FAILING_GROUP.items]:
        item_def = _el(mdv, "ItemDef", OID=item.oid, Name=item.name, DataType=item.data_type)
        if item.code_list is not None:
            _el(item_def, "CodeListRef", CodeListOID=item.code_list)
    code_lists = _code_lists(p)
    if missing_codes:
        code_lists[MISSING_DATA_CODE_LIST] = ("missing_data", tuple(missing_codes.items()))
    for oid, (name, pairs) in code_lists.items():
        code_list = _el(mdv, "CodeList", OID=oid, Name=name, DataType="text")
        for code, label in pairs:
            _translated(_el(code_list, "CodeListItem", CodedValue=code), "Decode", label)
    return mdv_oid


def _item_oid(question: Question) -> str:
    """The item of a question in its step's ItemGroup (the count, for several values)."""
    several = question.type in ("multi_choice", "date_per_agent", "other_medications")
    return f"IT.{_oid(question.id.upper())}" + ("_COUNT" if several else "")


DETERMINATION_ITEMS = (
    Item("IT.DETERMINATION", "determination", "text", "CL.DETERMINATION"),
    Item("IT.ACR_EULAR_TOTAL", "acr_eular_total", "integer"),
    Item("IT.OUTCOME", "outcome", "text", "CL.OUTCOME"),
    Item("IT.RANDOMIZATION_NUMBER", "randomization_number", "text"),
    Item("IT.RANDOMIZATION_DATE", "randomization_date", "date"),
    Item("IT.OUTCOME_NOTE", "outcome_note", "text"),
)
FAILING_GROUP = Group(
    "IG.FAILING_CRITERIA",
    "Failing criteria",
    (Item("IT.FAILING_CRITERION", "failing_criterion", "text", "CL.CRITERION"),),
)


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
    parent: ET.Element | None, row: Mapping[str, Any], location: str, **attributes: Any
) -> ET.Element:
    """An AuditRecord, appended to `parent` (or standing alone, for the caller to place)."""
    record = ET.Element("AuditRecord", {k: str(v) for k, v in attributes.items()})
    if parent is not None:
        parent.append(record)
    # Its children made as _el makes them, without its keyword arguments: an answered attempt
    # has one AuditRecord an answer, most of the elements of its StudyEventData.
    sub = ET.SubElement
    _user_ref(record, str(row["username"] or ""))
    sub(record, "LocationRef", {"LocationOID": location})
    sub(record, "DateTimeStamp").text = str(row["at_utc"])
    if row.get("reason"):
        sub(record, "ReasonForChange").text = str(row["reason"])
    sub(record, "SourceID").text = (
        f"eligo-audit seq {row['seq']} {row['action']} {row['entity_id']} "
        f"{row['field'] or ''} hash {row['hash']}"
    ).replace("  ", " ")
    return record


def _missing_item(
    parent: ET.Element, item_oid: str, code: str, codes: Mapping[str, str]
) -> ET.Element:
    """A value missing for a stated reason, as ODM 1.3.2 says it: IsNull="Yes" (no Value) and an
    Annotation whose Flag carries the reason's code from the CL.MISSING_DATA code list."""
    if code not in codes:
        raise ValueError(f"{item_oid}: {code!r} is not a defined missing-data code")
    item = _el(parent, "ItemData", ItemOID=item_oid, IsNull="Yes")
    flag = _el(_el(item, "Annotation", SeqNum=1), "Flag")
    _el(flag, "FlagValue", code, CodeListOID=MISSING_DATA_CODE_LIST)
    return item


def _split_codes(
    answers: Mapping[str, Any], missing: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answers with values, and the missing-data code of each answer given one."""
    coded = {q: code for q, v in answers.items() if (code := code_of(v)) is not None}
    return {q: v for q, v in answers.items() if q not in coded}, {**missing, **coded}


def _signature(
    parent: ET.Element, payload: Mapping[str, Any], location: str, **attributes: Any
) -> None:
    element = _el(parent, "Signature", **attributes)
    _user_ref(element, str(payload.get("signer", {}).get("username", "")))
    _el(element, "LocationRef", LocationOID=location)
    meaning = str(payload.get("meaning"))
    _el(element, "SignatureRef", SignatureOID=SIGNATURE_DEFS.get(meaning, ("SD.UNKNOWN", ""))[0])
    _el(element, "DateTimeStamp", str(payload.get("signed_at")))


@dataclass
class Document:
    """The ODM document before its ClinicalData's children: the tree, and what writing each
    screening attempt into it needs (odm_xml and export.streams.OdmWriter write with it)."""

    root: ET.Element
    clinical: ET.Element
    protocol: Protocol
    location: str
    missing_codes: dict[str, str]
    item_oids: dict[str, str]
    layout: list[tuple[Any, list[tuple[Question, Group | None]]]]
    screening_events: list[Mapping[str, Any]]
    latest: dict[tuple[str, str], Mapping[str, Any]]
    annotations: Annotations


def document(
    protocol: LoadedProtocol, site: Mapping[str, str], audit: Iterable[Mapping[str, Any]],
    users: Mapping[str, str], created_at: str, missing_codes: Mapping[str, str] | None = None,
    annotations: Annotations | None = None,
) -> Document:  # fmt: skip
    """The root with the study's metadata and AdminData, and an empty ClinicalData."""
    p = protocol.protocol
    codes = dict(missing_codes or {m.code: m.label["en"] for m in p.missing_data_codes})
    study_oid = _oid(f"ST.{p.metadata.registry_id}")
    location = f"LOC.{_oid(site.get('code') or 'SITE')}"
    root = ET.Element("ODM", {"xmlns": NS,
        "FileType": "Snapshot", "Granularity": "All", "FileOID": _oid(f"ELIGO.{site.get('code')}.{created_at}"),
        "CreationDateTime": created_at, "ODMVersion": "1.3.2", "Originator": site.get("name") or "",
        "SourceSystem": "Eligo", "SourceSystemVersion": __version__,
    })  # fmt: skip
    study = _el(root, "Study", OID=study_oid)
    mdv_oid = _metadata(study, protocol, codes)
    add_code_lists(study[-1])  # notes and queries as Annotations (export/annotations.py)
    item_oids = {q.id: _item_oid(q) for q in p.questions}
    _admin(root, study_oid, mdv_oid, location, site.get("name", ""), users, created_at[:10])
    clinical = _el(root, "ClinicalData", StudyOID=study_oid, MetaDataVersionOID=mdv_oid)
    screening_events = [r for r in audit if r["entity"] in SCREENING_ENTITIES]
    latest: dict[tuple[str, str], Mapping[str, Any]] = {}
    for row in screening_events:
        if row["action"] == "answer_saved":
            latest[(str(row["entity_id"]), str(row["field"]))] = row
    layout = [
        (step, [(p.question(q), repeating_group(p, p.question(q))) for q in step.questions])
        for step in p.steps
    ]
    return Document(root, clinical, p, location, codes, item_oids, layout, screening_events,
                    latest, annotations or {})  # fmt: skip


def subject_data(parent: ET.Element, number: str, location: str) -> ET.Element:
    subject = _el(parent, "SubjectData", SubjectKey=number, TransactionType="Insert")
    _el(subject, "SiteRef", LocationOID=location)
    return subject


def study_event(
    doc: Document, subject: ET.Element, number: str, s: Mapping[str, Any],
    all_signatures: list[dict[str, Any]],
    answer_record: Callable[[Mapping[str, Any], str], ET.Element] | None = None,
) -> None:  # fmt: skip
    """One screening attempt's StudyEventData, in its candidate's SubjectData; each stored
    signature's payload appended to `all_signatures` (for Signatures, in order).

    `answer_record(event row, location)` makes each answer's AuditRecord element (by default
    _audit_record's; export.streams.OdmWriter puts in a stand-in whose text it writes itself)."""
    location, missing_codes = doc.location, doc.missing_codes
    key = f"{number}/{s['attempt']}"
    payloads = []
    for stored in s["signatures"]:
        payload = json.loads(stored["payload"])
        all_signatures.append(payload)
        if not stored.get("invalidated"):
            payloads.append(payload)
    event = _el(
        subject, "StudyEventData", StudyEventOID=STUDY_EVENT, StudyEventRepeatKey=s["attempt"]
    )
    performed = [p for p in payloads if p.get("meaning") == "Screening performed by"]
    if performed:
        _signature(event, performed[-1], location)
    answers, missing = _split_codes(s["answers"], s.get("missing_data") or {})
    sub, item_oids, latest = ET.SubElement, doc.item_oids, doc.latest
    for step, questions in doc.layout:
        present = [(q, g) for q, g in questions if answers.get(q.id) is not None or q.id in missing]
        if not present:
            continue
        form = sub(event, "FormData", {"FormOID": f"F.{_oid(step.id.upper())}"})
        group = sub(form, "ItemGroupData", {"ItemGroupOID": f"IG.{_oid(step.id.upper())}"})
        repeating = []  # (its group, its rows) of each question with several values
        for question, several in present:
            value = answers.get(question.id)
            if value is None:
                item = _missing_item(
                    group, item_oids[question.id], str(missing[question.id]), missing_codes
                )
            elif several is not None:
                rows = _group_values(question, value)
                repeating.append((several, rows))
                item = sub(group, "ItemData", {"ItemOID": item_oids[question.id], "Value": str(len(rows))})  # fmt: skip
            else:
                item = sub(group, "ItemData", {"ItemOID": item_oids[question.id], "Value": _value(value)})  # fmt: skip
            record = latest.get((key, question.id))
            if record is not None:
                item.insert(0, _audit_record(None, record, location) if answer_record is None
                            else answer_record(record, location))  # fmt: skip
        for several, rows in repeating:
            for repeat, cells in enumerate(rows, 1):
                data = sub(form, "ItemGroupData", {"ItemGroupOID": several.oid, "ItemGroupRepeatKey": str(repeat)})  # fmt: skip
                for item_def, cell in zip(several.items, cells, strict=True):
                    if cell:
                        sub(data, "ItemData", {"ItemOID": item_def.oid, "Value": cell})
    form = _el(event, "FormData", FormOID=DETERMINATION_FORM)
    confirmed = [p for p in payloads if p.get("meaning") == "Eligibility confirmed by investigator"]
    if confirmed:
        _signature(form, confirmed[-1], location)
    group = _el(form, "ItemGroupData", ItemGroupOID="IG.DETERMINATION")
    determination = s.get("determination") or {}
    detail = s.get("outcome_detail") or {}
    values = {
        "IT.DETERMINATION": determination.get("determination"),
        "IT.ACR_EULAR_TOTAL": (determination.get("acr_eular") or {}).get("total"),
        "IT.OUTCOME": s.get("outcome"),
        "IT.RANDOMIZATION_NUMBER": detail.get("randomization_number"),
        "IT.RANDOMIZATION_DATE": detail.get("date"),
        "IT.OUTCOME_NOTE": detail.get("note"),
    }  # fmt: skip
    for oid, value in values.items():
        if value is not None:
            _el(group, "ItemData", ItemOID=oid, Value=_value(value))
    for repeat, criterion in enumerate(determination.get("failing", []), 1):
        data = _el(form, "ItemGroupData", ItemGroupOID=FAILING_GROUP.oid, ItemGroupRepeatKey=repeat)
        _el(data, "ItemData", ItemOID=FAILING_GROUP.items[0].oid, Value=str(criterion))
    annotate_event(event, doc.annotations.get(key, {}), doc.item_oids)


def closing(doc: Document, parent: ET.Element, all_signatures: list[dict[str, Any]]) -> None:
    """AuditRecords (every audit event of the screenings) and Signatures (every stored one)."""
    records = _el(parent, "AuditRecords")
    for row in doc.screening_events:
        audit_record(records, row, doc.location)
    signature_list(doc, parent, all_signatures)


def audit_record(parent: ET.Element | None, row: Mapping[str, Any], location: str) -> ET.Element:
    """One audit event in AuditRecords."""
    return _audit_record(parent, row, location, ID=f"AR.{row['seq']}")


def signature_fields(payload: dict[str, Any]) -> dict[str, Any]:
    """Of a signature's payload, what its Signature in Signatures reads (_signature): the same
    element from less (the signer's username, the meaning, the time)."""
    kept: dict[str, Any] = {k: payload[k] for k in ("meaning", "signed_at") if k in payload}
    if "signer" in payload:
        signer = payload["signer"]
        fits = isinstance(signer, dict) and "username" in signer
        kept["signer"] = {"username": signer["username"]} if fits else signer
    return kept


def signature_list(doc: Document, parent: ET.Element, all_signatures: list[dict[str, Any]]) -> None:
    signatures = _el(parent, "Signatures")
    for index, payload in enumerate(all_signatures, 1):
        _signature(signatures, payload, doc.location, ID=f"SG.{index}")


XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def odm_xml(
    protocol: LoadedProtocol, site: Mapping[str, str], screenings: list[dict[str, Any]],
    audit: Iterable[Mapping[str, Any]], users: Mapping[str, str], created_at: str,
    missing_codes: Mapping[str, str] | None = None, annotations: Annotations | None = None,
) -> bytes:  # fmt: skip
    """The ODM document. `screenings` as in screenings.json; `audit` rows as in audit_trail.csv
    (dicts by column); `users` maps username to printed name. Invalidated signatures are listed in
    Signatures only, never inline on the data they no longer cover.

    `missing_codes` (code -> English label) defines the CL.MISSING_DATA code list (by default the
    protocol's missing-data codes); an answer given a code ({"missing_data": code} in the answers)
    or listed in a screening's `missing_data` (question id -> code) is written as IsNull ItemData
    flagged with the code. `annotations` (by 'NUMBER/attempt') puts notes and queries in as
    Annotations (export/annotations.py)."""
    doc = document(protocol, site, audit, users, created_at, missing_codes, annotations)
    by_candidate: dict[str, list[dict[str, Any]]] = {}
    for s in screenings:
        by_candidate.setdefault(str(s["screening_number"]), []).append(s)
    all_signatures: list[dict[str, Any]] = []
    for number, attempts in by_candidate.items():
        subject = subject_data(doc.clinical, number, doc.location)
        for s in attempts:
            study_event(doc, subject, number, s, all_signatures)
    closing(doc, doc.clinical, all_signatures)
    out = [XML_DECLARATION]
    _serialize(doc.root, 0, out)
    out.append("\n")
    return "".join(out).encode("utf-8")
