"""Notes and monitors' queries in the bundle: as ODM 1.3.2 Annotations (a Comment with the text,
Flags with the kind and, for a query, its state) and as annotations.csv.

ODM 1.3.2 allows Annotation* inside ItemData (after AuditRecord, Signature and
MeasurementUnitRef) and inside StudyEventData (after AuditRecord and Signature, before the
FormData): a note or query on an answer goes into that answer's ItemData; one on a question not
answered (no ItemData) into the attempt's StudyEventData, its Comment naming the question. A note's
Comment is the site's (SponsorOrSite="Site"); a query's, raised by the sponsor's monitor, is the
sponsor's. Usernames only: no direct identifier of a candidate (store.annotations withholds a
date of birth suggested or changed through a query)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

JSON_MEMBER = "annotations.json"
"""The bundle member that carries every note version, query step and audit trail review with
printed names (store/carried_annotations.py): what consolidation keeps for the centre's printouts."""
KIND_CODE_LIST = "CL.ANNOTATION_KIND"
STATE_CODE_LIST = "CL.QUERY_STATE"
CODE_LISTS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    KIND_CODE_LIST: ("annotation_kind", (("NOTE", "Note on an answer"), ("QUERY", "Monitor query"))),
    STATE_CODE_LIST: ("query_state", (("open", "Open"), ("answered", "Answered"), ("closed", "Closed"))),
}  # fmt: skip

Annotations = Mapping[str, Mapping[str, list[dict[str, Any]]]]
"""By screening 'NUMBER/attempt': {"notes": [...], "queries": [...]}, as
store.annotations.exported_annotations gives them."""


def add_code_lists(mdv: ET.Element) -> None:
    """The code lists of the Flags, after the MetaDataVersion's other CodeLists."""
    for oid, (name, pairs) in CODE_LISTS.items():
        code_list = ET.SubElement(mdv, "CodeList", OID=oid, Name=name, DataType="text")
        for code, label in pairs:
            decode = ET.SubElement(
                ET.SubElement(code_list, "CodeListItem", CodedValue=code), "Decode"
            )
            ET.SubElement(decode, "TranslatedText", {"xml:lang": "en"}).text = label


def _flag(annotation: ET.Element, code_list: str, value: str) -> None:
    ET.SubElement(
        ET.SubElement(annotation, "Flag"), "FlagValue", CodeListOID=code_list
    ).text = value


def note_text(note: Mapping[str, Any]) -> str:
    reason = f" (reason for the edit: {note['reason']})" if note.get("reason") else ""
    return f"Note, version {note['version']}, by {note['by']} at {note['at_utc']}{reason}: {note['text']}"


def query_text(query: Mapping[str, Any]) -> str:
    """The whole thread of a query as one text: each step, who, when, what."""
    parts = [f"Query {query['id']} ({query['state']})."]
    for step in query["steps"]:
        line = f"{step['action'].capitalize()} by {step['by']} at {step['at_utc']}"
        line += f": {step['text']}" if step["text"] else ""
        if step["action"] == "raised" and query.get("suggested_value"):
            line += f" (suggested value: {query['suggested_value']})"
        if step.get("changed_value") is not None:
            line += f" (answer changed to {json.dumps(step['changed_value'], ensure_ascii=False)})"
        if step.get("reason"):
            line += f" (reason: {step['reason']})"
        parts.append(line + ".")
    return " ".join(parts)


def annotate_event(
    event: ET.Element, found: Mapping[str, list[dict[str, Any]]], item_oid_of: Mapping[str, str]
) -> None:
    """Put the notes and queries of one attempt into its StudyEventData element."""
    if not found.get("notes") and not found.get("queries"):
        return  # most attempts: nothing to look for (100,000 of them in an export)
    items: dict[str, ET.Element] = {}
    for form in event.findall("FormData"):
        for group in form.findall("ItemGroupData"):
            for item in group.findall("ItemData"):
                items.setdefault(str(item.get("ItemOID")), item)
    entries = [
        ("NOTE", "Site", n["question_id"], note_text(n), None) for n in found.get("notes", [])
    ]
    entries += [("QUERY", "Sponsor", q["question_id"], query_text(q), q["state"])
                for q in found.get("queries", [])]  # fmt: skip
    for kind, side, question_id, text, state in entries:
        oid = item_oid_of.get(question_id.split(".", 1)[0])
        target = items.get(oid) if oid else None
        parent: ET.Element
        if target is not None:
            parent, at = target, len(target)
        else:  # not answered: on the attempt, before its forms, naming the question
            parent = event
            at = next((i for i, child in enumerate(event) if child.tag == "FormData"), len(event))
            text = f"On {question_id} (not answered): {text}"
        annotation = ET.Element("Annotation", SeqNum=str(len(parent.findall("Annotation")) + 1))
        comment = ET.SubElement(annotation, "Comment", SponsorOrSite=side)
        comment.text = text
        _flag(annotation, KIND_CODE_LIST, kind)
        if state is not None:
            _flag(annotation, STATE_CODE_LIST, state)
        parent.insert(at, annotation)


CSV_HEADER = ("screening_number", "attempt", "question_id", "kind", "id", "version", "state", "step",
              "by", "at_utc", "utc_offset", "text", "suggested_value", "changed_value", "reason")  # fmt: skip


def csv_rows(annotations: Annotations) -> list[list[Any]]:
    """annotations.csv: one row per note (its current version; every version is in the audit
    chain) and one per step of each query, in the order of the screenings."""
    rows: list[list[Any]] = []
    for key, found in annotations.items():
        number, _, attempt = key.rpartition("/")
        for n in found.get("notes", []):
            rows.append([number, attempt, n["question_id"], "note", "", n["version"], "", "", n["by"],
                         n["at_utc"], n["utc_offset"], n["text"], "", "", n.get("reason") or ""])  # fmt: skip
        for q in found.get("queries", []):
            for step in q["steps"]:
                changed = step.get("changed_value")
                rows.append([number, attempt, q["question_id"], "query", q["id"], "", q["state"],
                             step["action"], step["by"], step["at_utc"], step["utc_offset"], step["text"],
                             (q.get("suggested_value") or "") if step["action"] == "raised" else "",
                             "" if changed is None else json.dumps(changed, ensure_ascii=False),
                             step.get("reason") or ""])  # fmt: skip
    return rows
