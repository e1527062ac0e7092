"""Command line: the GUI by default, and subcommands for protocols, schemas and evaluation."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from desktop_app import __version__
from desktop_app.rules.language import Language
from desktop_app.store.location import ENV_VAR, data_dir

if TYPE_CHECKING:
    from desktop_app.store import Store, User

# The rules and the store are imported by the commands that use them, not here: the application
# (no command) shows its first window without waiting for modules it does not need yet.

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_INPUT = 2
_PROG = "python -m desktop_app"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="Eligo: offline eligibility screening. Without a command, opens the application.",
    )
    parser.add_argument("--version", action="version", version=f"Eligo {__version__}")
    _application_options(parser)
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
        ("rekey", "a new data key for the store (administrators; a backup is taken first)"),
        ("recovery-key", "a new recovery key, written to --out (administrators)"),
    ):
        action = db_sub.add_parser(name, help=text)
        _data_dir_option(action)
        _sign_in_options(action)
        _language_option(action)
        if name == "recovery-key":
            action.add_argument("--out", type=Path, required=True, help="file for the new key")
    restore = db_sub.add_parser(
        "restore", help="replace the database by a checked backup (signed in to the backup's slots)"
    )
    restore.add_argument("file", type=Path)
    _data_dir_option(restore)
    _sign_in_options(restore)
    recover = db_sub.add_parser(
        "recover", help="every administrator forgot their password: reset one with the recovery key"
    )
    recover.add_argument("--recovery-key-file", type=Path, required=True)
    recover.add_argument("--admin", required=True, help="the administrator whose password is reset")
    recover.add_argument("--new-password-file", type=Path, help="the new password (else a prompt)")
    _data_dir_option(recover)

    sub.add_parser(
        "self-test",
        help="prove this installation works: screen, sign, print, export and verify in a temporary store",
    )
    demo = sub.add_parser("demo", help="fill an empty store with clearly marked sample data")
    _data_dir_option(demo)
    _sign_in_options(demo)

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
        _sign_in_options(parser_)
        _language_option(parser_)

    export = sub.add_parser(
        "export", help="write a signed export bundle (zip) of the screening log"
    )
    export.add_argument("--out", type=Path, required=True)
    _sign_in_options(export, recovery=False)
    export.add_argument("--no-pdf", action="store_true", help="leave out screening_log.pdf")
    _data_dir_option(export)
    _language_option(export)
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
    _language_option(verify)
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
    export_key.add_argument("--out", type=Path, required=True)
    _data_dir_option(export_key)
    _sign_in_options(export_key, recovery=False)

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
    _language_option(ev)
    return parser


def _application_options(parser: argparse.ArgumentParser) -> None:
    """The options before any command: those of the application itself, and --self-test."""
    parser.add_argument(
        "--demo", action="store_true", help="open the separate DEMO store, filled with sample data"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="the same as the self-test command (for the installed program)",
    )
    _data_dir_option(parser)
    _language_option(parser)


class _NotTheApplicationError(Exception):
    """The arguments are not those of a plain start of the application."""


class _ApplicationParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotTheApplicationError(message)


def application_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options of a plain start of the application (no command, no --self-test, --help or
    --version), read by a parser of the options before any command alone; None for any other
    arguments, wrong ones included, which the full parser reads (and says what is wrong with).
    The full parser, every command's, takes some 10 ms to build: the sign-in window does not
    wait for it."""
    parser = _ApplicationParser(prog=_PROG, add_help=False)
    _application_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except _NotTheApplicationError:
        return None
    return None if rest or args.self_test else args


def _language_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--language",
        choices=["en", "zh-CN"],
        default=argparse.SUPPRESS,
        help="language of the texts printed: evaluate's text fields, verify's and db check's "
        "lines, printouts and the exported bundle's readable files (default: en)",
    )


def _language(args: argparse.Namespace) -> Language:
    return "zh-CN" if getattr(args, "language", "en") == "zh-CN" else "en"


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


def _sign_in_options(parser: argparse.ArgumentParser, *, recovery: bool = True) -> None:
    """The store is encrypted: a command that reads or writes it signs in first."""
    parser.add_argument(
        "--user", metavar="NAME", help="sign in as this user (the store is encrypted)"
    )
    parser.add_argument(
        "--password-file", type=Path, metavar="F", help="read the password from F (else a prompt)"
    )
    if recovery:
        parser.add_argument("--recovery-key-file", type=Path, metavar="F",
                            help="open with the site's recovery key in F instead of a user")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    if os.name == "posix":
        # Every file Eligo makes is its owner's only (0600, folders 0700): the store's files set
        # their modes themselves; this covers what libraries write (Qt's PDFs, temporary files).
        os.umask(0o077)
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = application_arguments(arguments)
    if args is None:
        args = _parser().parse_args(arguments)
    if getattr(args, "command", None) is None and not args.self_test:
        from desktop_app.app import run_gui  # Qt is imported only for the GUI

        return run_gui(data_dir=getattr(args, "data_dir", None), demo=args.demo)
    from desktop_app.rules import InputError
    from desktop_app.store import StoreError

    try:
        if args.command == "self-test" or args.self_test:
            from desktop_app.selftest import run_self_test

            return run_self_test()
        if args.command == "db":
            return _db(args, data_dir(getattr(args, "data_dir", None)), _language(args))
        if args.command == "demo":
            return _demo(args, data_dir(getattr(args, "data_dir", None)))
        if args.command == "print":
            from desktop_app.ui.print_cli import print_command  # Qt is imported only to print

            return print_command(args, data_dir(getattr(args, "data_dir", None)), open_signed_in)
        if args.command == "export":
            return _export(args, data_dir(getattr(args, "data_dir", None)))
        if args.command == "verify":
            return _verify(args.bundle, args.trusted_keys, _language(args))
        if args.command == "consolidate":
            return _consolidate(args.bundles, args.into, args.trusted_keys)
        if args.command == "export-key":
            return _export_key(args, data_dir(getattr(args, "data_dir", None)))
        if args.command == "protocol":
            return _protocol_check(args.file)
        if args.command == "schema":
            return _schema(args.which)
        if args.command == "evaluate":
            return _evaluate(args.answers, args.protocol, args.today, _language(args))
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
    from desktop_app.rules import Protocol, default_protocol
    from desktop_app.rules.missing_data import answers_json_schema

    schema = (
        answers_json_schema(default_protocol().protocol)
        if which == "answers"
        else Protocol.model_json_schema()
    )
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return EXIT_OK


def _evaluate(
    answers_path: Path, protocol_path: Path | None, today: date | None, language: Language = "en"
) -> int:
    from desktop_app.rules import default_protocol, evaluate, load_protocol, parse_answers_json
    from desktop_app.rules.messages import in_language

    loaded = load_protocol(protocol_path) if protocol_path else default_protocol()
    try:  # bytes: the strict parse decodes them (a byte-order mark is fine, other encodings not)
        data = sys.stdin.buffer.read() if str(answers_path) == "-" else answers_path.read_bytes()
    except OSError as exc:
        print(f"cannot read {answers_path}: {exc}", file=sys.stderr)
        return EXIT_INPUT
    parsed = parse_answers_json(data, loaded.protocol.option_codes, loaded.protocol.missing_codes)
    result = evaluate(loaded, parsed, today=today or date.today())
    # Codes and parameters stay as they are; only the `text` fields are in the language asked.
    print(in_language(result, language, loaded.protocol).model_dump_json(indent=2))
    return EXIT_OK


def _db(args: argparse.Namespace, folder: Path, language: Language = "en") -> int:
    from desktop_app.store import access, backup, check, keyslots

    action = args.db_command
    if action == "recover":
        code = args.recovery_key_file.read_text(encoding="utf-8").strip()
        new_password = _read_password(args.new_password_file, "New password: ")
        signed = access.recover(folder, code, args.admin, new_password)
        signed.store.close()
        print(f"the password of {signed.user.username} is reset; sign in with it")
        return EXIT_OK
    if action == "restore":
        return _restore(args, folder)
    if action == "check":
        if not (folder / "eligo.db").exists():
            print(f"no Eligo database in {folder}", file=sys.stderr)
            return EXIT_INPUT
        key = None if _plaintext(folder) else _key(args, folder)
        report = check.check(folder, key)
        from desktop_app.report_words import lines_in

        print("\n".join(lines_in(language, report.lines())))
        key_file = None if key is None else _key_file_problem(folder, key)
        if key_file is not None:
            print(f"key file: {key_file}")
        return EXIT_OK if report.ok and key_file is None else EXIT_INVALID
    with open_signed_in(args, folder) as store:
        if action == "backup":
            print(f"backup written: {backup.backup(store, reason='manual')}")
        elif action == "rekey":
            dropped = access.rekey(store, _admin(store, args))
            print("the store has a new data key; every slot was rewritten")
            if dropped:
                print(f"{dropped} account(s) not signed in since the upgrade need a password reset")
        else:  # recovery-key
            code = access.new_recovery_key(store, _admin(store, args))
            keyslots.write_private(args.out, (code + "\n").encode())
            print(f"{args.out}: the new recovery key (the old one no longer opens the store)")
    return EXIT_OK


def _key_file_problem(folder: Path, key: bytes) -> str | None:
    """The key file checked against the data key and what the database last saw of it."""
    from desktop_app.store import keyslots
    from desktop_app.store.access import SETTLED_SETTING
    from desktop_app.store.connection import raw_connection

    conn = raw_connection(folder / "eligo.db", key, read_only=True)
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", [SETTLED_SETTING]).fetchone()
    finally:
        conn.close()
    return keyslots.Keyring(folder, key).problem(int(row[0]) if row else None)


def _plaintext(folder: Path) -> bool:
    from desktop_app.store import upgrade

    return upgrade.needed(folder)


def _upgrade(folder: Path) -> None:
    """A plaintext store from before encryption is converted first (as the application does)."""
    from desktop_app.store import upgrade

    if upgrade.needed(folder):
        aside = upgrade.encrypt_in_place(folder)
        print(f"The store is now encrypted. A plaintext copy of the old store was kept at {aside}: "
              "check the data, then delete it (anyone who reads it sees every name).", file=sys.stderr)  # fmt: skip


def _admin(store: Store, args: argparse.Namespace) -> User:
    from desktop_app.store import PermissionDeniedError, get_account

    if not args.user:
        raise PermissionDeniedError("an administrator signs in for this (--user NAME)")
    return get_account(store, args.user)


def _key(args: argparse.Namespace, folder: Path) -> bytes:
    """The data key from --user (and its password) or --recovery-key-file, without opening."""
    from desktop_app.store import access, keyslots
    from desktop_app.store.accounts import AuthenticationError

    if getattr(args, "recovery_key_file", None) is not None:
        code = args.recovery_key_file.read_text(encoding="utf-8").strip()
        try:
            unlocked = keyslots.unlock(folder, "", code, _now(), recovery=True)
        except (keyslots.WrongSecretError, keyslots.LockedOutError) as exc:
            raise AuthenticationError(str(exc)) from None
    else:
        user, password = _credentials(args)
        unlocked = access.unlock(folder, user, password)
    return access.key_that_opens(folder, unlocked)


def _now() -> datetime:
    from desktop_app.store.clock import system_clock

    return system_clock()


def _credentials(args: argparse.Namespace) -> tuple[str, str]:
    from desktop_app.store import PermissionDeniedError

    if not args.user:
        raise PermissionDeniedError(
            "the store is encrypted: sign in with --user NAME (or --recovery-key-file F)"
        )
    return args.user, _read_password(args.password_file)


def open_signed_in(args: argparse.Namespace, folder: Path, *, read_only: bool = False) -> Store:
    """The store, signed in as --user (recorded in its audit trail), or opened with the recovery
    key; a wrong password or unknown user gets one sentence."""
    from desktop_app.store import access, open_store

    _upgrade(folder)
    if getattr(args, "recovery_key_file", None) is not None:
        return open_store(folder, key=_key(args, folder), read_only=read_only)
    user, password = _credentials(args)
    return access.sign_in(folder, user, password, read_only=read_only).store


def _restore(args: argparse.Namespace, folder: Path) -> int:
    """The backup is opened with its own key file (the slots of its time)."""
    import shutil
    import tempfile

    from desktop_app.store import backup
    from desktop_app.store.location import KEYS_NAME

    source: Path = args.file
    key = None
    keys_file = backup.keys_of(source)
    if keys_file.exists():
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copyfile(keys_file, Path(tmp) / KEYS_NAME)
            key = _key(args, Path(tmp))
    kept = backup.restore(folder, source, key)
    print(f"restored {source} into {folder}")
    if kept is not None:
        print(f"the replaced database is kept as {kept}")
    return EXIT_OK


def _demo(args: argparse.Namespace, folder: Path) -> int:
    from desktop_app.rules import default_protocol
    from desktop_app.store import access, sqlite_library_version
    from desktop_app.store.demo import fill_demo

    store = (
        open_signed_in(args, folder)
        if access.is_set_up(folder) or _plaintext(folder)
        else access.new_store(folder)
    )
    with store:
        made = fill_demo(store, default_protocol())
    print(
        f"DEMO data: {made} screening attempts written to {folder} (SQLite {sqlite_library_version()})"
    )
    return EXIT_OK


def _read_password(path: Path | None, prompt: str = "Password: ") -> str:
    if path is not None:
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    import getpass

    return getpass.getpass(prompt)


def _export(args: argparse.Namespace, folder: Path) -> int:
    from desktop_app.export.bundle import BundleNotWrittenError, write_bundle
    from desktop_app.rules import default_protocol
    from desktop_app.store import access

    user, password = _credentials(args)
    signed = access.sign_in(folder, user, password)
    with signed.store as store:
        extra: dict[str, bytes] = {}
        if not args.no_pdf:
            from desktop_app.ui.print_cli import log_pdf_bytes  # Qt only for the printed log

            extra["screening_log.pdf"] = log_pdf_bytes(store, _language(args))
        try:
            manifest = write_bundle(
                store,
                default_protocol(),
                signed.user,
                password,
                args.out,
                extra,
                language=_language(args),
            )
        except BundleNotWrittenError as exc:
            print(exc, file=sys.stderr)
            return EXIT_INPUT
    from desktop_app.report_words import line_in

    done = f"{args.out}: {manifest['screenings']} screening(s), {len(manifest['files'])} file(s), signed"
    print(line_in(_language(args), done))
    return EXIT_OK


def _verify(bundle: Path, trusted_keys: Path | None, language: Language = "en") -> int:
    from desktop_app.export.verify import load_trusted, verify_bundle
    from desktop_app.report_words import line_in, lines_in

    trusted = load_trusted(trusted_keys) if trusted_keys else None
    report = verify_bundle(bundle, trusted)
    stated = [f"{'stated':<8} {label}: {value}" for label, value in report.stated]
    print("\n".join(lines_in(language, stated)))
    print("\n".join(lines_in(language, report.lines)))
    print(line_in(language, report.verdict))
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


def _export_key(args: argparse.Namespace, folder: Path) -> int:
    from desktop_app.export.keys import public_key_file
    from desktop_app.store import access

    user_name, password = _credentials(args)
    signed = access.sign_in(folder, user_name, password, read_only=True)
    out: Path = args.out
    with signed.store as store:
        user = signed.user
        data, fingerprint = public_key_file(store, user)
    out.write_bytes(data)
    print(f"{out}: public key {fingerprint} of {user.full_name}")
    return EXIT_OK
