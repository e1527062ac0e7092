"""Pure eligibility rules: protocol models, evaluation and wizard flow. No Qt, no SQL."""

from desktop_app.rules.answers import Answers
from desktop_app.rules.criteria import medication_windows
from desktop_app.rules.errors import InputError, InvalidAnswersError, InvalidProtocolError, Problem
from desktop_app.rules.evaluate import evaluate
from desktop_app.rules.loader import default_protocol, load_protocol, parse_protocol
from desktop_app.rules.parsing import parse_answers, parse_answers_json
from desktop_app.rules.protocol import LoadedProtocol, Protocol
from desktop_app.rules.result import AgentWindow, CriterionResult, Determination
from desktop_app.rules.washout import window_over_on

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
    "default_protocol",
    "evaluate",
    "load_protocol",
    "medication_windows",
    "parse_answers",
    "parse_answers_json",
    "parse_protocol",
    "window_over_on",
]
