"""Only what applies is exported as evidence (issue #17).

An answer whose question no longer applies under the other answers (a maintenance dose after the
plan changed to "newly initiated", a pregnancy test after the sex changed to male) is kept in the
store as typed, and the investigator's signature covers it as it was; but no export shows it as
evidence. screenings.json carries it apart, under `kept_not_applicable`, so that a reader can still
check the signature against everything it covers; the ODM, REDCap and FHIR files never see it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from desktop_app.rules import LoadedProtocol
from desktop_app.rules.applicability import applicable_document
from desktop_app.rules.protocol import Protocol

KEPT = "kept_not_applicable"


def applicable_screenings(
    protocol: LoadedProtocol, screenings: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The screenings with their answers split into those that apply and those kept aside."""
    applicable = once_per_document(protocol.protocol)
    return [split(screening, applicable) for screening in screenings]


def split(
    screening: dict[str, Any], applicable: Callable[[Mapping[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    """One screening with its answers split (itself when every answer applies); `applicable`
    from once_per_document."""
    answers = screening.get("answers") or {}
    applying = applicable(answers)
    if len(applying) == len(answers):
        return screening
    kept = {k: v for k, v in answers.items() if k not in applying}
    return {**screening, "answers": applying, KEPT: kept}


def once_per_document(protocol: Protocol) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """applicable_document, computed once per distinct answers document: it is pure and costs a
    parse of the answers (at 100,000 screenings, attempts started and not yet answered, or
    answered alike, share theirs). The result is shared: read it, never change it."""
    done: dict[str, dict[str, Any]] = {}

    def applicable(document: Mapping[str, Any]) -> dict[str, Any]:
        key = json.dumps(document, sort_keys=True, default=str)
        found = done.get(key)
        if found is None:
            found = done[key] = applicable_document(protocol, document)
        return found

    return applicable


def everything_typed(record: dict[str, Any]) -> dict[str, Any]:
    """The answers a signature covers: those that apply and those kept aside."""
    return {**(record.get(KEPT) or {}), **(record.get("answers") or {})}
