"""Command line: the GUI by default, and subcommands for protocols, schemas and evaluation."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from desktop_app import __version__
from desktop_app.rules import (
    InputError,
    InvalidProtocolError,
    default_protocol,
    evaluate,
    load_protocol,
    parse_answers_json,
)
from desktop_app.rules.answers import Answers
from desktop_app.rules.protocol import Protocol

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m desktop_app",
        description="Eligo: offline eligibility screening. Without a command, opens the application.",
    )
    parser.add_argument("--version", action="version", version=f"Eligo {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    proto = sub.add_parser("protocol", help="protocol files")
    proto_sub = proto.add_subparsers(dest="protocol_command", metavar="ACTION", required=True)
    check = proto_sub.add_parser("check", help="validate a protocol file and print every problem")
    check.add_argument("file", type=Path)

    schema = sub.add_parser("schema", help="print a JSON Schema")
    schema.add_argument("which", choices=["answers", "protocol"])

    ev = sub.add_parser(
        "evaluate", help="evaluate an answers document and print the result as JSON"
    )
    ev.add_argument("answers", type=Path, help="answers JSON file ('-' for standard input)")
    ev.add_argument(
        "--protocol", type=Path, help="protocol file (default: the bundled NCT04660565)"
    )
    ev.add_argument(
        "--today",
        type=date.fromisoformat,
        help="reference date for 'in the future' checks (default: this machine's date)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command is None:
            from desktop_app.app import run_gui  # Qt is imported only for the GUI

            return run_gui()
        if args.command == "protocol":
            return _protocol_check(args.file)
        if args.command == "schema":
            return _schema(args.which)
        if args.command == "evaluate":
            return _evaluate(args.answers, args.protocol, args.today)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK  # pragma: no cover - argparse rejects unknown commands


def _protocol_check(path: Path) -> int:
    try:
        loaded = load_protocol(path)
    except InvalidProtocolError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    meta = loaded.protocol.metadata
    print(f"OK: {path}")
    print(f"  {meta.registry_id} {meta.title['en']!r}, protocol version {meta.protocol_version}")
    print(f"  {len(loaded.protocol.criteria)} criteria, sha256 {loaded.sha256}")
    return EXIT_OK


def _schema(which: str) -> int:
    model = Answers if which == "answers" else Protocol
    print(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def _evaluate(answers_path: Path, protocol_path: Path | None, today: date | None) -> int:
    loaded = load_protocol(protocol_path) if protocol_path else default_protocol()
    try:
        text = (
            sys.stdin.read()
            if str(answers_path) == "-"
            else answers_path.read_text(encoding="utf-8")
        )
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read {answers_path}: {exc}", file=sys.stderr)
        return EXIT_INPUT
    result = evaluate(loaded, parse_answers_json(text), today=today or date.today())
    print(result.model_dump_json(indent=2))
    return EXIT_OK
