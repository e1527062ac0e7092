"""Pure eligibility rules: protocol models, evaluation and wizard flow. No Qt, no SQL."""

# The names below are imported from their modules on first use (PEP 562): importing a light
# submodule (rules.language, for the sign-in window) must not import pydantic and the whole
# engine with it. The sign-in window and the main window's first paint come before those.

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.lazy import lazy_attributes

if TYPE_CHECKING:
    from desktop_app.rules.answers import Answers
    from desktop_app.rules.criteria import medication_windows
    from desktop_app.rules.errors import (
        InputError,
        InvalidAnswersError,
        InvalidProtocolError,
        Problem,
    )
    from desktop_app.rules.evaluate import checked_answers, evaluate
    from desktop_app.rules.loader import default_protocol, load_protocol, parse_protocol
    from desktop_app.rules.parsing import parse_answers, parse_answers_json
    from desktop_app.rules.protocol import LoadedProtocol, Protocol
    from desktop_app.rules.result import AgentWindow, CriterionResult, Determination
    from desktop_app.rules.washout import window_over_on

_MODULE_OF = {
    "AgentWindow": "result",
    "Answers": "answers",
    "CriterionResult": "result",
    "Determination": "result",
    "InputError": "errors",
    "InvalidAnswersError": "errors",
    "InvalidProtocolError": "errors",
    "LoadedProtocol": "protocol",
    "Problem": "errors",
    "Protocol": "protocol",
    "checked_answers": "evaluate",
    "default_protocol": "loader",
    "evaluate": "evaluate",
    "load_protocol": "loader",
    "medication_windows": "criteria",
    "parse_answers": "parsing",
    "parse_answers_json": "parsing",
    "parse_protocol": "loader",
    "window_over_on": "washout",
}

__all__ = [
    "AgentWindow",
    "Answers",
    "CriterionResult",
    "Determination",
    "InputError",
    "InvalidAnswersError",
    "InvalidProtocolError",
    "LoadedProtocol",
    "Problem",
    "Protocol",
    "checked_answers",
    "default_protocol",
    "evaluate",
    "load_protocol",
    "medication_windows",
    "parse_answers",
    "parse_answers_json",
    "parse_protocol",
    "window_over_on",
]


__getattr__ = lazy_attributes(__name__, _MODULE_OF, globals())
