"""A REDCap project for the screening log: the Data Dictionary (redcap/data_dictionary.csv) and
the records in REDCap's flat import format (redcap/records.csv).

The project is longitudinal with one repeating event, "Screening" (unique name screening_arm_1,
"Repeat entire event"): a record is a candidate (record_id: the screening number) and each
screening attempt is one instance of that event (redcap_repeat_instance: the attempt), so each
attempt is one row holding every instrument, and branching logic between instruments of an
attempt needs no instance qualifiers. There is one instrument per wizard step (review: the
determination; sign: the signatures) and one for the outcome.

Field names follow REDCap's rules (lowercase letters, digits and underscores, starting with a
letter, at most 26 characters, unique); the Field Annotation names the Eligo question each field
comes from. Dates are text fields validated as date_ymd, numbers as number or integer; a
multi-select is a checkbox field (columns field___code) with a count field beside it (0: answered,
none selected, which REDCap checkboxes cannot tell from "not answered"). The protocol's
applicability rules (a question's and a step's applies_when, and the last dose asked per agent
given) become branching logic.

The tests check both files against REDCap's documented rules; no REDCap server was available
here to import them into (the README says how to).

A missing-data code (rules.missing_data) is written as REDCap's own Missing Data Codes feature
stores it: the code as the literal value of the question's (first) field, from the codes that
REDCAP_MISSING_CODES lists and docs/exports.md gives for the project's "Missing Data Codes" setting
(Project Setup > Additional customizations). The Field Annotation of each question that accepts
codes names them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, get_args

from desktop_app.rules import LoadedProtocol
from desktop_app.rules.missing_data import code_of
from desktop_app.rules.protocol import Condition, DrugClass, Option, Protocol, Question

DICTIONARY_COLUMNS = (
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note", "Text Validation Type OR Show Slider Number",
    "Text Validation Min", "Text Validation Max", "Identifier?", "Branching Logic (Show field only if...)",
    "Required Field?", "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
    "Matrix Ranking?", "Field Annotation",
)  # fmt: skip
EVENT = "screening_arm_1"
RECORD_COLUMNS = (
    "record_id",
    "redcap_event_name",
    "redcap_repeat_instrument",
    "redcap_repeat_instance",
)
MAX_NAME = 26
# Eligo's missing-data codes as REDCap codes (upper case: never one of a field's own raw codes,
# which are lower case), to be entered in the project's Missing Data Codes setting.
REDCAP_MISSING_CODES = {
    "pending": "PEND",
    "not_done": "ND",
    "unknown": "UNK",
    "not_applicable": "NA",
}
MIN_OTHER_MEDICATION_SLOTS = 5
_NAME = re.compile(r"[^a-z0-9_]+")


@dataclass
class Field:
    """One row of the Data Dictionary, and how a screening fills it."""

    name: str
    form: str
    type: str  # text, notes, radio, dropdown, checkbox, yesno
    label: str
    choices: tuple[tuple[str, str], ...] = ()  # (raw code, label)
    validation: str = ""  # date_ymd, number, integer
    minimum: str = ""
    branching: str = ""
    required: bool = False
    identifier: bool = False
    note: str = ""
    annotation: str = ""
    question: str = ""  # the Eligo question it comes from (its missing-data code goes here)
    section: str = ""  # the Section Header shown above the field
    value: Any = None  # screening -> value (a code for choices, a set of codes for checkboxes)
    codes: dict[str, str] = field(default_factory=dict)  # Eligo code -> REDCap code

    def row(self) -> list[str]:
        choices = " | ".join(f"{code}, {label}" for code, label in self.choices)
        return [self.name, self.form, self.section, self.type, self.label, choices, self.note, self.validation,
                self.minimum, "", "y" if self.identifier else "", self.branching, "y" if self.required else "",
                "", "", "", "", self.annotation]  # fmt: skip

    @property
    def columns(self) -> list[str]:
        """Its columns in records.csv: one per choice for a checkbox."""
        if self.type == "checkbox":
            return [f"{self.name}___{code}" for code, _ in self.choices]
        return [self.name]


def _shorten(name: str, limit: int) -> str:
    """At most `limit` characters, still readable: the longest word (not the last, none with a
    digit, none below 4 letters) is cut a letter at a time (gc_maintenance_dose_mg_per_day:
    gc_mainten_dose_mg_per_day), then the end."""
    words = [w for w in name.split("_") if w]
    while len("_".join(words)) > limit:
        cuttable = [
            i for i, w in enumerate(words[:-1]) if len(w) > 4 and w.isalpha()
        ]  # never igg4 -> igg
        if not cuttable:
            break
        longest = max(cuttable, key=lambda i: len(words[i]))
        words[longest] = words[longest][:-1]
    return "_".join(words)[:limit].rstrip("_")


class _Names:
    """REDCap field names: each Eligo name made valid and unique, at most 26 characters."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, wanted: str) -> str:
        base = _NAME.sub("_", wanted.lower()).strip("_") or "field"
        if not base[0].isalpha():
            base = "f_" + base
        name, n = _shorten(base, MAX_NAME), 1
        while name in self.used:
            n += 1
            name = f"{_shorten(base, MAX_NAME - len(str(n)) - 1)}_{n}"
        self.used.add(name)
        return name


def _choices(
    options: Iterable[tuple[str, str]],
) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """REDCap choices from (Eligo code, label): a code that is not lowercase letters, digits and
    underscores (such as mg/dL) is written with those characters only, kept unique."""
    pairs, codes, used = [], {}, set()
    for code, label in options:
        raw = _NAME.sub("_", code.lower()).strip("_") or "code"
        while raw in used:
            raw += "_"
        used.add(raw)
        codes[code] = raw
        pairs.append((raw, label.replace("|", "/").strip()))
    return tuple(pairs), codes


def _option_pairs(options: Iterable[Option]) -> list[tuple[str, str]]:
    return [(o.code, o.label["en"]) for o in options]


def _decimal(value: Any) -> str:
    return format(Decimal(str(value)).normalize(), "f")


@dataclass
class Dictionary:
    fields: list[Field]
    by_question: dict[str, Field]  # the field a question's condition refers to


def _condition(condition: Condition | None, fields: dict[str, Field]) -> str:
    """REDCap branching logic for `condition` (the question is answered with one of the values);
    '' when there is none, or when REDCap cannot say it (a question without a field here)."""
    if condition is None or condition.question not in fields:
        return ""
    target = fields[condition.question]
    terms = []
    for value in condition.one_of:
        if target.type == "yesno":
            terms.append(f"[{target.name}] = '{1 if value is True else 0}'")
        elif target.type == "checkbox":
            terms.append(f"[{target.name}({target.codes[str(value)]})] = '1'")
        elif target.codes:
            terms.append(f"[{target.name}] = '{target.codes[str(value)]}'")
        else:
            terms.append(f"[{target.name}] = '{value}'")
    return terms[0] if len(terms) == 1 else "(" + " or ".join(terms) + ")"


def _and(*parts: str) -> str:
    present = [p for p in parts if p]
    return " and ".join(present)


def data_dictionary(
    p: Protocol, other_medication_slots: int = MIN_OTHER_MEDICATION_SLOTS
) -> Dictionary:
    names = _Names()
    fields: list[Field] = []
    by_question: dict[str, Field] = {}
    first_form = _NAME.sub("_", p.steps[0].id.lower())
    fields.append(Field(names("record_id"), first_form, "text", "Screening number",
                        annotation="the site's screening number of the candidate",
                        value=lambda s: s["screening_number"]))  # fmt: skip
    fields.append(Field(names("initials"), first_form, "text", "Initials", identifier=True,
                        value=lambda s: s.get("initials") or None))  # fmt: skip
    for step in p.steps:
        form = _NAME.sub("_", step.id.lower())
        step_logic = _condition(step.applies_when, by_question)
        for question_id in step.questions:
            question = p.question(question_id)
            logic = _and(step_logic, _condition(question.applies_when, by_question))
            made_fields = _question_fields(
                p, question, form, logic, names, by_question, other_medication_slots
            )
            if question.missing_codes and made_fields:
                codes = ", ".join(REDCAP_MISSING_CODES[c] for c in question.missing_codes)
                made_fields[0].question = question.id
                made_fields[0].annotation += f" (missing-data codes: {codes})"
            fields.extend(made_fields)
        if step.id == "review":
            fields.extend(_review_fields(p, form, names))
        elif step.id == "sign":
            fields.extend(_sign_fields(form, names))
    fields.extend(_outcome_fields(names))
    titles = {_NAME.sub("_", step.id.lower()): step.title["en"] for step in p.steps} | {
        "outcome": "Outcome"
    }
    for before, made in zip([None, *fields], fields, strict=False):
        if before is None or before.form != made.form:
            made.section = titles[made.form]  # each instrument opens with its wizard step's title
    return Dictionary(fields, by_question)


def _question_fields(
    p: Protocol, q: Question, form: str, logic: str, names: _Names, by_question: dict[str, Field],
    slots: int,
) -> list[Field]:  # fmt: skip
    label, note = q.text["en"], f"unit: {q.unit}" if q.unit else ""
    annotation = f"Eligo question {q.id}"

    def answer(s: dict[str, Any]) -> Any:
        return s["answers"].get(q.id)

    if q.type in ("choice", "multi_choice"):
        choices, codes = _choices(_option_pairs(p.options(q.id)))
        if q.type == "choice":
            single = Field(names(q.id), form, "dropdown" if len(choices) > 6 else "radio", label, choices,
                           branching=logic, required=q.required, note=note, annotation=annotation, codes=codes,
                           value=lambda s: None if answer(s) is None else codes[str(answer(s))])  # fmt: skip
            by_question[q.id] = single
            return [single]
        count = Field(names(f"{q.id}_count"), form, "text", f"{label}: how many selected", validation="integer",
                      minimum="0", branching=logic, required=q.required, annotation=f"{annotation} (0: answered, none)",
                      value=lambda s: None if answer(s) is None else len(answer(s)))  # fmt: skip
        boxes = Field(names(q.id), form, "checkbox", label, choices, branching=logic, note=note,
                      annotation=annotation, codes=codes,
                      value=lambda s: None if answer(s) is None else {codes[str(c)] for c in answer(s)})  # fmt: skip
        by_question[q.id] = boxes
        return [count, boxes]
    if q.type == "date_per_agent":
        given = by_question.get(str(q.per_item_of))
        made: list[Field] = []
        for code, agent in _option_pairs(p.options(str(q.per_item_of))):
            shown = _and(logic, f"[{given.name}({given.codes[code]})] = '1'" if given else "")
            made.append(Field(names(f"ld_{code}"), form, "text", f"{label}: {agent}", validation="date_ymd",
                              branching=shown, required=q.required, annotation=f"{annotation} ({code})",
                              value=lambda s, c=code: (answer(s) or {}).get(c)))  # fmt: skip
        return made
    if q.type == "other_medications":
        count = Field(names("other_med_count"), form, "text", f"{label}: how many", validation="integer",
                      minimum="0", branching=logic, annotation=f"{annotation} (the number of medicines)",
                      value=lambda s: None if answer(s) is None else len(answer(s)))  # fmt: skip
        made = [count]
        classes, class_codes = _choices(
            (c, c.replace("_", " ").capitalize()) for c in get_args(DrugClass)
        )
        for n in range(1, slots + 1):
            shown = _and(logic, f"[{count.name}] >= '{n}'")

            def nth(s: dict[str, Any], key: str, n: int = n) -> Any:
                entries = answer(s) or []
                return entries[n - 1].get(key) if len(entries) >= n else None

            made += [
                Field(names(f"other_med_{n}_name"), form, "text", f"Other medication {n}: name", branching=shown,
                      annotation=f"{annotation}[{n}].name", value=lambda s, f=nth: f(s, "name")),
                Field(names(f"other_med_{n}_class"), form, "radio", f"Other medication {n}: classification",
                      classes, branching=shown, codes=class_codes, annotation=f"{annotation}[{n}].classification",
                      value=lambda s, f=nth: None if f(s, "classification") is None else class_codes[f(s, "classification")]),
                Field(names(f"other_med_{n}_date"), form, "text", f"Other medication {n}: date of the last dose",
                      validation="date_ymd", branching=shown, annotation=f"{annotation}[{n}].last_dose_date",
                      value=lambda s, f=nth: f(s, "last_dose_date")),
            ]  # fmt: skip
        return made
    if q.type == "number_or_indeterminate":
        flag = Field(names(f"{q.id}_ind"), form, "yesno", f"{label}: indeterminate?", branching=logic,
                     required=q.required, annotation=f"{annotation} (yes: answered 'indeterminate')",
                     value=lambda s: None if answer(s) is None else answer(s) == "indeterminate")  # fmt: skip
        number = Field(names(q.id), form, "text", label, validation="number", minimum="0", note=note,
                       branching=_and(logic, f"[{flag.name}] = '0'"), required=q.required, annotation=annotation,
                       value=lambda s: None if answer(s) in (None, "indeterminate") else answer(s))  # fmt: skip
        by_question[q.id] = number
        return [flag, number]
    kind = {"date": ("text", "date_ymd"), "boolean": ("yesno", ""), "number": ("text", "number"),
            "text": ("notes" if q.id.endswith("_note") else "text", "")}[q.type]  # fmt: skip
    made_one = Field(names(q.id), form, kind[0], label, validation=kind[1], minimum="0" if kind[1] == "number" else "",
                     branching=logic, required=q.required, note=note, annotation=annotation, value=answer)  # fmt: skip
    by_question[q.id] = made_one
    if q.id == "date_of_birth":  # a direct identifier: defined, never exported (the age is)
        made_one.identifier, made_one.value = True, lambda s: None
        made_one.annotation += " (never exported: a direct identifier)"
    return [made_one]


def _review_fields(p: Protocol, form: str, names: _Names) -> list[Field]:
    determinations, det_codes = _choices([("eligible", "Eligible"), ("ineligible", "Ineligible"),
                                          ("incomplete", "Incomplete")])  # fmt: skip
    criteria, criterion_codes = _choices((c.id, f"{c.id} {c.label['en']}") for c in p.criteria)

    def determination(s: dict[str, Any]) -> dict[str, Any]:
        return s.get("determination") or {}

    verdict = Field(names("determination"), form, "radio", "Determination", determinations, codes=det_codes,
                    value=lambda s: det_codes.get(str(determination(s).get("determination"))) if determination(s) else None)  # fmt: skip
    return [
        verdict,
        Field(names("failing_criteria"), form, "checkbox", "Failing criteria", criteria, codes=criterion_codes,
              branching=f"[{verdict.name}] = '{det_codes['ineligible']}'",
              value=lambda s: {criterion_codes[c] for c in determination(s)["failing"]}
              if determination(s).get("determination") == "ineligible" else None),
        Field(names("acr_eular_total"), form, "text", "2019 ACR/EULAR total points", validation="integer",
              minimum="0", value=lambda s: (determination(s).get("acr_eular") or {}).get("total")),
    ]  # fmt: skip


SIGNED = "_valid_signatures"  # the key under which redcap_tables puts each attempt's signers


def valid_signatures(s: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """meaning -> (printed name, UTC date) of the first stored signature of each meaning that no
    later change invalidated (the payloads are parsed once per attempt)."""
    found: dict[str, tuple[str, str]] = {}
    for stored in s.get("signatures", []):
        if stored.get("invalidated"):
            continue
        payload = json.loads(stored["payload"])
        signer = payload.get("signer") or {}
        found.setdefault(str(payload.get("meaning")), (str(signer.get("printed_name") or ""),
                                                        str(payload.get("signed_at") or "")[:10]))  # fmt: skip
    return found


def _sign_fields(form: str, names: _Names) -> list[Field]:
    made = []
    for prefix, meaning in (("screening_performed", "Screening performed by"),
                            ("eligibility_confirmed", "Eligibility confirmed by investigator")):  # fmt: skip
        made += [
            Field(names(f"{prefix}_by"), form, "text", f"{meaning} (printed name)",
                  annotation="from the valid stored electronic signature",
                  value=lambda s, m=meaning: s[SIGNED].get(m, ("", ""))[0] or None),
            Field(names(f"{prefix}_on"), form, "text", f"{meaning}: date signed (UTC)", validation="date_ymd",
                  value=lambda s, m=meaning: s[SIGNED].get(m, ("", ""))[1] or None),
        ]  # fmt: skip
    return made


def _outcome_fields(names: _Names) -> list[Field]:
    outcomes, codes = _choices([("enrolled", "Enrolled"), ("declined", "Eligible but declined"),
                                ("screen_failure", "Screen failure"), ("withdrawn", "Withdrawn before enrollment")])  # fmt: skip
    form = "outcome"
    outcome = Field(
        names("outcome"),
        form,
        "radio",
        "Outcome",
        outcomes,
        codes=codes,
        value=lambda s: codes[s["outcome"]] if s.get("outcome") else None,
    )
    enrolled = f"[{outcome.name}] = '{codes['enrolled']}'"

    def detail(s: dict[str, Any]) -> dict[str, Any]:
        return s.get("outcome_detail") or {}

    return [
        outcome,
        Field(names("randomization_number"), form, "text", "Randomization number", branching=enrolled,
              value=lambda s: detail(s).get("randomization_number")),
        Field(names("randomization_date"), form, "text", "Date of enrollment and randomization",
              validation="date_ymd", branching=enrolled, value=lambda s: detail(s).get("date")),
        Field(names("outcome_note"), form, "notes", "Note on the outcome", value=lambda s: detail(s).get("note")),
    ]  # fmt: skip


def _cell(made: Field, value: Any) -> list[Any]:
    """A field's cells in records.csv for one screening attempt."""
    if made.type == "checkbox":
        if value is None:
            return ["" for _ in made.choices]
        return [1 if code in value else 0 for code, _ in made.choices]
    if value is None:
        return [""]
    if made.type == "yesno":
        return [1 if value else 0]
    if made.validation in ("number", "integer") and not isinstance(value, bool):
        return [_decimal(value)]
    return [value]


def other_medication_slots(screenings: Iterable[Mapping[str, Any]]) -> int:
    """How many other-medication slots records.csv has: the most any attempt lists, at least
    MIN_OTHER_MEDICATION_SLOTS (the screenings as redcap_tables takes them)."""
    most = max((len(s["answers"].get("other_medications") or []) for s in screenings), default=0)
    return max(MIN_OTHER_MEDICATION_SLOTS, most)


class RecordRows:
    """records.csv's header and each screening attempt's row, for `slots` other-medication slots
    (redcap_tables and export.streams.RecordsWriter write the rows this gives)."""

    def __init__(self, protocol: LoadedProtocol, slots: int) -> None:
        self.dictionary = data_dictionary(protocol.protocol, slots)
        self.fields = self.dictionary.fields[1:]
        self.header = list(RECORD_COLUMNS) + [c for f in self.fields for c in f.columns]
        self.blank = [_cell(made, None) for made in self.fields]  # a field's cells without a value

    def row(self, screening: Mapping[str, Any]) -> list[Any]:
        applying = screening["answers"]
        coded = {q: code for q, v in applying.items() if (code := code_of(v)) is not None}
        answers = {q: v for q, v in applying.items() if q not in coded} if coded else applying
        s = {**screening, "answers": answers, SIGNED: valid_signatures(screening)}
        row: list[Any] = [s["screening_number"], EVENT, "", s["attempt"]]
        for made, empty in zip(self.fields, self.blank, strict=True):
            code = coded.get(made.question) if made.question else None
            if code:
                row += [REDCAP_MISSING_CODES[code]]
                continue
            value = made.value(s)
            row += empty if value is None else _cell(made, value)
        return row


def redcap_tables(
    protocol: LoadedProtocol, screenings: list[dict[str, Any]]
) -> tuple[tuple[tuple[str, ...], list[list[str]]], tuple[list[str], list[list[Any]]]]:
    """(Data Dictionary header and rows, records header and rows). The screenings as
    export.applicable.applicable_screenings gives them: their answers only those that apply (an
    answer kept for a question that no longer applies is not data, as REDCap's own branching
    would hide it); the bundle splits them once for every file."""
    records = RecordRows(protocol, other_medication_slots(screenings))
    rows = [records.row(screening) for screening in screenings]
    dictionary = records.dictionary
    return (DICTIONARY_COLUMNS, [f.row() for f in dictionary.fields]), (records.header, rows)
