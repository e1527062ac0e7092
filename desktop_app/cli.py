"""Command line: the GUI by default, and subcommands for protocols, schemas and evaluation."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from desktop_app import __version__
from desktop_app.store.location import ENV_VAR, data_dir

# The rules and the store are imported by the commands that use them, not here: the application
# (no command) shows its first window without waiting for modules it does not need yet.

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m desktop_app",
        description="Eligo: offline eligibility screening. Without a command, opens the application.",
    )
    parser.add_argument("--version", action="version", version=f"Eligo {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="open the separate DEMO store, filled with sample data"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="the same as the self-test command (for the installed program)",
    )
    _data_dir_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    proto = sub.add_parser("protocol", help="protocol files")
    proto_sub = proto.add_subparsers(dest="protocol_command", metavar="ACTION", required=True)
    check = proto_sub.add_parser("check", help="validate a protocol file and print every problem")
    check.add_argument("file", type=Path)

    schema = sub.add_parser("schema", help="print a JSON Schema")
    schema.add_argument("which", choices=["answers", "protocol"])

    db = sub.add_parser("db", help="the local store: check, backup, restore")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    for name, text in (
        ("check", "verify integrity and the whole audit chain"),
        ("backup", "take a backup now"),
    ):
        action = db_sub.add_parser(name, help=text)
        _data_dir_option(action)
    restore = db_sub.add_parser("restore", help="replace the database by a checked backup")
    restore.add_argument("file", type=Path)
    _data_dir_option(restore)

    sub.add_parser(
        "self-test",
        help="prove this installation works: screen, sign, print, export and verify in a temporary store",
    )
    demo = sub.add_parser("demo", help="fill an empty store with clearly marked sample data")
    _data_dir_option(demo)

    printing = sub.add_parser("print", help="binder printouts as PDF")
    print_sub = printing.add_subparsers(dest="print_command", metavar="WHAT", required=True)
    summary = print_sub.add_parser("summary", help="the screening summary of one screening")
    summary.add_argument("screening_number")
    summary.add_argument("--attempt", type=int, help="attempt number (default: the latest)")
    summary.add_argument(
        "--site", help="with --consolidated: the site code, where numbers could clash"
    )
    log_parser = print_sub.add_parser("log", help="the screening log with CONSORT counts")
    for parser_ in (summary, log_parser):
        parser_.add_argument("--consolidated", type=Path, metavar="DIR",
                             help="print from a consolidated store (the coordinating centre's)")  # fmt: skip
        parser_.add_argument("--out", type=Path, required=True, help="PDF file to write")
        parser_.add_argument("--page-size", choices=["A4", "Letter"], default="A4")
        _data_dir_option(parser_)

    export = sub.add_parser(
        "export", help="write a signed export bundle (zip) of the screening log"
    )
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--user", required=True, help="the exporting user's username")
    export.add_argument(
        "--password-file", type=Path, help="read the password from this file (else a prompt)"
    )
    export.add_argument("--no-pdf", action="store_true", help="leave out screening_log.pdf")
    _data_dir_option(export)
    verify = sub.add_parser(
        "verify",
        help="verify an export bundle offline",
        description="Exit 0: valid, signed by a key trusted for the bundle's site; 1: invalid, or "
        "signed by a key not trusted (for that site); 2: unreadable; 3: valid, but no trusted keys "
        "were given, so whose key signed it was not checked.",
    )
    verify.add_argument("bundle", type=Path)
    verify.add_argument(
        "--trusted-keys", type=Path, help="public keys the sponsor trusts (from export-key)"
    )
    consolidate = sub.add_parser(
        "consolidate", help="verify site bundles and merge them into a consolidated store"
    )
    consolidate.add_argument("bundles", type=Path, nargs="+", metavar="BUNDLE")
    consolidate.add_argument("--into", type=Path, required=True, metavar="DIR",
                             help="folder of the consolidated store (made if missing)")  # fmt: skip
    consolidate.add_argument(
        "--trusted-keys", type=Path, help="refuse bundles not signed by one of these keys"
    )
    export_key = sub.add_parser("export-key", help="write a user's public key for the sponsor")
    export_key.add_argument("--user", required=True)
    export_key.add_argument("--out", type=Path, required=True)
    _data_dir_option(export_key)

    ev = sub.add_parser(
        "evaluate", help="evaluate an answers document and print the result as JSON"
    )
    ev.add_argument("answers", type=Path, help="answers JSON file ('-' for standard input)")
    ev.add_argument(
        "--protocol", type=Path, help="protocol file (default: the bundled NCT04660565)"
    )
    ev.add_argument(
        "--today",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="reference date for 'in the future' checks (default: this machine's date)",
    )
    return parser


def _iso_date(text: str) -> date:
    from desktop_app.rules.dates import TypedDateError, typed_date

    try:
        return typed_date(text)
    except TypedDateError as exc:
        if exc.no_such_day:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a calendar date (no such day)"
            ) from None
        raise argparse.ArgumentTypeError(
            f"{text!r}: write the date as YYYY-MM-DD, for example 2023-03-08"
        ) from None


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help=f"data directory (default: ${ENV_VAR}, else the per-user application data folder)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None and not args.self_test:
        from desktop_app.app import run_gui  # Qt is imported only for the GUI

        return run_gui(data_dir=getattr(args, "data_dir", None), demo=args.demo)
    from desktop_app.rules import InputError
    from desktop_app.store import StoreError

    try:
        if args.command == "self-test" or args.self_test:
            from desktop_app.selftest import run_self_test

            return run_self_test()
        if args.command == "db":
            return _db(
                args.db_command,
                data_dir(getattr(args, "data_dir", None)),
                getattr(args, "file", None),
            )
        if args.command == "demo":
            return _demo(data_dir(getattr(args, "data_dir", None)))
        if args.command == "print":
            from desktop_app.ui.print_cli import print_command  # Qt is imported only to print

            return print_command(args, data_dir(getattr(args, "data_dir", None)))
        if args.command == "export":
            return _export(args, data_dir(getattr(args, "data_dir", None)))
        if args.command == "verify":
            return _verify(args.bundle, args.trusted_keys)
        if args.command == "consolidate":
            return _consolidate(args.bundles, args.into, args.trusted_keys)
        if args.command == "export-key":
            return _export_key(args.user, args.out, data_dir(getattr(args, "data_dir", None)))
        if args.command == "protocol":
            return _protocol_check(args.file)
        if args.command == "schema":
            return _schema(args.which)
        if args.command == "evaluate":
            return _evaluate(args.answers, args.protocol, args.today)
    except (InputError, StoreError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:  # a file given on the command line that cannot be read or written
        print(file_problem(exc), file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK  # pragma: no cover - argparse rejects unknown commands


def file_problem(exc: OSError) -> str:
    """An operating-system error on a named file, in words."""
    from desktop_app.files import in_words

    return f"{exc.filename}: {in_words(exc)}" if exc.filename else in_words(exc)


def _protocol_check(path: Path) -> int:
    from desktop_app.rules import InvalidProtocolError, load_protocol

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
    from desktop_app.rules import Answers, Protocol

    model = Answers if which == "answers" else Protocol
    print(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def _evaluate(answers_path: Path, protocol_path: Path | None, today: date | None) -> int:
    from desktop_app.rules import default_protocol, evaluate, load_protocol, parse_answers_json

    loaded = load_protocol(protocol_path) if protocol_path else default_protocol()
    try:  # bytes: the strict parse decodes them (a byte-order mark is fine, other encodings not)
        data = sys.stdin.buffer.read() if str(answers_path) == "-" else answers_path.read_bytes()
    except OSError as exc:
        print(f"cannot read {answers_path}: {exc}", file=sys.stderr)
        return EXIT_INPUT
    parsed = parse_answers_json(data, loaded.protocol.option_codes)
    result = evaluate(loaded, parsed, today=today or date.today())
    print(result.model_dump_json(indent=2))
    return EXIT_OK


def _db(action: str, folder: Path, file: Path | None) -> int:
    from desktop_app.store import backup, check, open_store

    if action == "check":
        try:
            report = check.check(folder)
        except FileNotFoundError as exc:
            print(exc, file=sys.stderr)
            return EXIT_INPUT
        print("\n".join(report.lines()))
        return EXIT_OK if report.ok else EXIT_INVALID
    if action == "backup":
        with open_store(folder) as store:
            print(f"backup written: {backup.backup(store, reason='manual')}")
        return EXIT_OK
    if file is None:  # argparse requires FILE for restore; this only narrows the type
        return EXIT_INPUT
    kept = backup.restore(folder, file)
    print(f"restored {file} into {folder}")
    if kept is not None:
        print(f"the replaced database is kept as {kept}")
    return EXIT_OK


def _demo(folder: Path) -> int:
    from desktop_app.rules import default_protocol
    from desktop_app.store import open_store, sqlite_library_version
    from desktop_app.store.demo import fill_demo

    with open_store(folder) as store:
        made = fill_demo(store, default_protocol())
    print(
        f"DEMO data: {made} screening attempts written to {folder} (SQLite {sqlite_library_version()})"
    )
    return EXIT_OK


def _read_password(path: Path | None) -> str:
    if path is not None:
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    import getpass

    return getpass.getpass("Password: ")


def _export(args: argparse.Namespace, folder: Path) -> int:
    from desktop_app.export.bundle import BundleNotWrittenError, write_bundle
    from desktop_app.rules import default_protocol
    from desktop_app.store import get_account, open_store

    password = _read_password(args.password_file)
    with open_store(folder) as store:
        extra: dict[str, bytes] = {}
        if not args.no_pdf:
            from desktop_app.ui.print_cli import log_pdf_bytes  # Qt only for the printed log

            extra["screening_log.pdf"] = log_pdf_bytes(store)
        try:
            manifest = write_bundle(
                store, default_protocol(), get_account(store, args.user), password, args.out, extra
            )
        except BundleNotWrittenError as exc:
            print(exc, file=sys.stderr)
            return EXIT_INPUT
    print(
        f"{args.out}: {manifest['screenings']} screening(s), {len(manifest['files'])} file(s), signed"
    )
    return EXIT_OK


def _verify(bundle: Path, trusted_keys: Path | None) -> int:
    from desktop_app.export.verify import load_trusted, verify_bundle

    trusted = load_trusted(trusted_keys) if trusted_keys else None
    report = verify_bundle(bundle, trusted)
    print("\n".join(f"{'stated':<8} {label}: {value}" for label, value in report.stated))
    print("\n".join(report.lines))
    print(report.verdict)
    return (
        report.exit_code
    )  # 0 valid and trusted, 1 invalid or untrusted, 2 unreadable, 3 unchecked


def _consolidate(bundles: list[Path], into: Path, trusted_keys: Path | None) -> int:
    """One line per bundle; exit 0 when every bundle was imported (or already was), 2 when one
    was unreadable, else 1 when one was refused."""
    from datetime import UTC, datetime

    from desktop_app.export.consolidate import Refused, import_site_bundle
    from desktop_app.export.verify import load_trusted
    from desktop_app.store.consolidated import ConsolidatedStore

    trusted = load_trusted(trusted_keys) if trusted_keys else None
    refused = unreadable = 0
    with ConsolidatedStore(into) as store:
        for bundle in bundles:
            now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
            result = import_site_bundle(store, bundle, trusted, now)
            refused += isinstance(result, Refused)
            unreadable += isinstance(result, Refused) and result.unreadable
            print(result if isinstance(result, Refused) else f"{bundle.name}: {result}")
        sites = store.sites()
        consort = store.consort()
    print(
        f"{into}: {len(sites)} site(s), {consort.assessed} candidate(s) assessed, {consort.enrolled} enrolled"
    )
    return EXIT_INPUT if unreadable else EXIT_INVALID if refused else EXIT_OK


def _export_key(username: str, out: Path, folder: Path) -> int:
    from desktop_app.export.keys import public_key_file
    from desktop_app.store import get_account, open_store

    with open_store(folder, read_only=True) as store:
        user = get_account(store, username)
        data, fingerprint = public_key_file(store, user)
    out.write_bytes(data)
    print(f"{out}: public key {fingerprint} of {user.full_name}")
    return EXIT_OK
