"""The bundle-attack suite: every zip trick that showed forged content to some extractor while
`verify` said VALID, a zip bomb, a forger's own key, a key trusted for another site, a forked
history and a date in the future. Each is refused, with its reason."""

from __future__ import annotations

import json
import shutil
import time
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bundle_tools import Entry, entries, members, raw_zip, resigned, write
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers import TEST_PASSWORD, add_user, demo_site_bundle, open_test_store, screened

from desktop_app.cli import main
from desktop_app.export.consolidate import import_site_bundle
from desktop_app.export.verify import verify_bundle
from desktop_app.rules import LoadedProtocol
from desktop_app.store import create_site, get_account, save_answer
from desktop_app.store.consolidated import ConsolidatedStore


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The DEMO bundle and the trust list a sponsor would hold for it."""
    folder = tmp_path_factory.mktemp("attacks")
    data, bundle = demo_site_bundle(folder)
    with open_test_store(data, read_only=True) as store:
        key = store.db.execute("SELECT k.public_key FROM user_keys k JOIN users u ON u.id = k.user_id "
                               "WHERE u.username = 'demo.coordinator'").fetchone()[0]  # fmt: skip
    return bundle, {key: "DEMO"}


def refused(path: Path, trusted: dict[str, str] | None, reason: str, code: int = 1) -> None:
    report = verify_bundle(path, trusted)
    assert report.exit_code == code, report.lines
    assert any(reason in failure for failure in report.failures), report.failures


def test_the_genuine_bundle_is_valid_with_the_trust_list(demo: tuple[Path, dict[str, str]]) -> None:
    bundle, trusted = demo
    assert verify_bundle(bundle, trusted).exit_code == 0
    # and the raw writer below writes it as zipfile does: a re-written genuine bundle is valid
    assert verify_bundle(write(bundle.with_name("raw.zip"), raw_zip(entries(members(bundle)))), trusted).exit_code == 0  # fmt: skip


def forged_log(files: dict[str, bytes]) -> bytes:
    return files["screening_log.csv"].replace(b"DEMO-0001", b"DEMO-0666")


def test_a_forged_zip_in_front_of_the_genuine_one(
    demo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bundle, trusted = demo
    files = members(bundle)
    forged = raw_zip(entries({"screening_log.csv": forged_log(files)}))
    target = write(tmp_path / "prepended.zip", forged + bundle.read_bytes())
    refused(
        target,
        trusted,
        "byte(s) its central directory does not account for (bytes before its first member",
    )


def test_duplicate_member_names_with_the_forged_copy_first(
    demo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bundle, trusted = demo
    files = members(bundle)
    items = [Entry(b"screening_log.csv", forged_log(files)), *entries(files)]
    refused(
        write(tmp_path / "dup.zip", raw_zip(items)),
        trusted,
        "has two members named 'screening_log.csv'",
    )
    # names differing only in case are one file on Windows and macOS
    items = [*entries(files), Entry(b"Screening_Log.csv", forged_log(files))]
    refused(
        write(tmp_path / "case.zip", raw_zip(items)),
        trusted,
        "has two members named 'Screening_Log.csv'",
    )


def test_trailing_bytes_and_comments(demo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    bundle, trusted = demo
    genuine = bundle.read_bytes()
    refused(write(tmp_path / "tail.zip", genuine + b"PK\x03\x04 forged"), trusted,
            "byte(s) after the end of its central directory")  # fmt: skip
    files = members(bundle)
    refused(write(tmp_path / "comment.zip", raw_zip(entries(files), comment=b"forged")), trusted,
            "has a comment (6 bytes)")  # fmt: skip
    refused(write(tmp_path / "member-comment.zip", raw_zip(entries(files), member_comment=b"x")), trusted,
            "has a comment on member")  # fmt: skip


def test_encrypted_members_and_other_features_eligo_never_writes(
    demo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bundle, trusted = demo
    files = members(bundle)
    for flags, method, reason in [
        (0x1, 8, "has an encrypted member (consort.json)"),
        (0x8, 8, "member consort.json uses zip features Eligo never writes"),  # a data descriptor
        (0x0, 12, "member consort.json uses compression method 12"),  # bzip2
    ]:
        items = [Entry(n.encode(), d, method=method if n == "consort.json" else 8,
                       flags=flags if n == "consort.json" else 0) for n, d in files.items()]  # fmt: skip
        refused(write(tmp_path / f"f{flags}-{method}.zip", raw_zip(items)), trusted, reason)
    items = [Entry(n.encode(), d, local={"extra_len": 4} if n == "consort.json" else {})
             for n, d in files.items()]  # fmt: skip
    refused(
        write(tmp_path / "extra.zip", raw_zip(items)),
        trusted,
        "local header and the central directory disagree",
    )


@pytest.mark.parametrize(
    "name",
    [b"/etc/passwd", b"../consort.json", b"redcap/../x.csv", b"a\\b.csv", b"C:x.csv", b"nul\0.csv",
     b"bell\x07.csv", b".hidden", b"folder/", "caf\u00e9.csv".encode(), b"a//b.csv", b"a/b/c.csv", b""],
    ids=["absolute", "dotdot", "inner-dotdot", "backslash", "drive", "nul", "control", "dotfile",
         "directory", "non-ascii", "empty-segment", "two-folders", "empty"],
)  # fmt: skip
def test_names_that_are_not_plain_file_names(
    demo: tuple[Path, dict[str, str]], tmp_path: Path, name: bytes
) -> None:
    bundle, trusted = demo
    items = [*entries(members(bundle)), Entry(name, b"forged")]
    refused(
        write(tmp_path / "name.zip", raw_zip(items)), trusted, "whose name is not a plain file name"
    )


def test_a_member_not_in_the_manifest(demo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    bundle, trusted = demo
    items = [*entries(members(bundle)), Entry(b"notes.txt", b"added later")]
    refused(write(tmp_path / "extra.zip", raw_zip(items)), trusted,
            "notes.txt is in the zip but not in the manifest")  # fmt: skip


def test_sizes_that_disagree(demo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    bundle, trusted = demo
    files = members(bundle)

    def changed(local: dict[str, int], central: dict[str, int]) -> Path:
        items = [Entry(n.encode(), d, local=local if n == "consort.json" else {},
                       central=central if n == "consort.json" else {}) for n, d in files.items()]  # fmt: skip
        return write(tmp_path / "sizes.zip", raw_zip(items))

    size = len(files["consort.json"])
    refused(changed({"size": size + 1}, {}), trusted, "member consort.json: its local header and the central directory disagree")  # fmt: skip
    refused(changed({"size": size + 1}, {"size": size + 1}), trusted,
            f"consort.json: the zip says {size + 1} bytes, the manifest {size}")  # fmt: skip
    refused(changed({"size": size - 1}, {"size": size - 1}), trusted, f"the manifest {size}")


def test_a_zip_bomb_is_refused_at_once_in_little_memory(
    demo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """256 MiB of zeros deflated to 255 KB, its headers claiming the size the manifest declares:
    refused at the first byte past it, costing one piece of memory, not the 256 MiB."""
    bundle, trusted = demo
    files = members(bundle)
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = b"".join(deflater.compress(bytes(1 << 24)) for _ in range(16)) + deflater.flush()
    size = len(files["consort.json"])
    items = [Entry(n.encode(), d, compressed=bomb if n == "consort.json" else None,
                   local={"size": size} if n == "consort.json" else {},
                   central={"size": size} if n == "consort.json" else {}) for n, d in files.items()]  # fmt: skip
    target = write(tmp_path / "bomb.zip", raw_zip(items))
    tracemalloc.start()
    start = time.perf_counter()
    refused(
        target,
        trusted,
        f"member consort.json inflates past its declared {size} bytes (a zip bomb?)",
    )
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 16 << 20, peak  # far below the 256 MiB it inflates to
    assert elapsed < 5, elapsed  # (not a timing test: 256 MiB would take far longer to inflate)


def test_a_manifest_resigned_with_the_forgers_key(
    demo: tuple[Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle, trusted = demo
    files = members(bundle)
    forged = resigned(files, {"screening_log.csv": forged_log(files)}, Ed25519PrivateKey.generate())
    target = write(tmp_path / "resigned.zip", raw_zip(entries(forged)))
    keys = tmp_path / "trusted.pub"
    keys.write_text(
        json.dumps([{"public_key": k, "site": s} for k, s in trusted.items()]), encoding="utf-8"
    )
    assert main(["verify", str(target), "--trusted-keys", str(keys)]) == 1
    out = capsys.readouterr().out
    assert "INVALID: 1 check(s) failed: the signer's key" in out
    assert "is not in the trusted keys" in out
    # Without a trust list nothing says whose key it is: exit 3, and the verdict says so in words.
    assert main(["verify", str(target)]) == 3
    verdict = capsys.readouterr().out.strip().splitlines()[-1]
    assert verdict.startswith("VALID, SIGNER NOT CHECKED: ")
    assert "no trusted keys were given, so whose key that is was not checked" in verdict


def test_a_key_trusted_for_one_site_cannot_sign_for_another(
    demo: tuple[Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle, trusted = demo
    (key,) = trusted
    refused(bundle, {key: "XIEHE"}, "is trusted for site XIEHE, and this bundle is from site DEMO")
    keys = tmp_path / "xiehe.pub"
    keys.write_text(json.dumps({"public_key": key, "site": "XIEHE"}), encoding="utf-8")
    into = tmp_path / "centre"
    assert main(["consolidate", str(bundle), "--into", str(into), "--trusted-keys", str(keys)]) == 1
    assert "is trusted for site XIEHE, and this bundle is from site DEMO" in capsys.readouterr().out
    with ConsolidatedStore(into, read_only=True) as centre:
        assert centre.sites() == []


def test_a_rewritten_chain_is_caught_from_the_bundle_alone(
    demo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """An event edited in the exported chain (here by a forger who re-signs the manifest with
    their own key, so that every file's sha256 matches) no longer recomputes to its hash. One who
    also re-hashes the chain from there is refused by the trust list (exit 1) and, at the centre,
    by the fork test below."""
    bundle, _ = demo
    files = members(bundle)
    lines = files["audit_chain.jsonl"].split(b"\n")
    index = next(i for i, line in enumerate(lines) if b'"demo.coordinator"' in line)
    lines[index] = lines[index].replace(b'"demo.coordinator"', b'"demo.investigator"')
    forged = resigned(files, {"audit_chain.jsonl": b"\n".join(lines)}, Ed25519PrivateKey.generate())
    refused(
        write(tmp_path / "chain.zip", raw_zip(entries(forged))),
        None,
        f"audit_chain.jsonl: event {index + 1} was altered",
    )


def _site(folder: Path, protocol: LoadedProtocol) -> Path:
    with open_test_store(folder) as store:
        create_site(store, None, code="PUMCH", name="Site PUMCH", principal_investigator="Dr. P")
        user = add_user(store, "coordinator", full_name="Coordinator PUMCH")
        screened(store, user, protocol, initials="XY")
    return folder


def _export(data: Path, out: Path, tmp_path: Path) -> Path:
    password = tmp_path / "password.txt"
    password.write_text(TEST_PASSWORD + "\n", encoding="utf-8")
    assert main(["export", "--out", str(out), "--user", "coordinator", "--password-file", str(password),
                 "--data-dir", str(data), "--no-pdf"]) == 0  # fmt: skip
    return out


def _answer(data: Path, question: str, value: str) -> None:
    with open_test_store(data) as store:
        save_answer(store, get_account(store, "coordinator"), 1, question, value)


def test_a_fork_between_two_bundles_of_one_site_is_refused_naming_both_heads(
    tmp_path: Path, protocol: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(tmp_path / "site", protocol)
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)  # the store as it was; its history goes another way below
    _answer(site, "hbsag", "positive")
    first = _export(site, tmp_path / "first.zip", tmp_path)
    _answer(copy, "hiv", "positive")
    forked = _export(copy, tmp_path / "forked.zip", tmp_path)
    _answer(site, "anti_hbc", "positive")
    later = _export(site, tmp_path / "later.zip", tmp_path)
    heads = [json.loads(members(b)["manifest.json"])["audit_head"] for b in (first, forked, later)]
    into = tmp_path / "centre"
    capsys.readouterr()
    assert main(["consolidate", str(first), str(forked), str(later), "--into", str(into)]) == 1
    out = capsys.readouterr().out
    assert "first.zip: PUMCH: imported (1 new" in out
    assert (f"forked.zip: refused: bundle: its audit chain (head {heads[1]}) does not extend the chain of the bundle last "
            f"accepted from site PUMCH (head {heads[0]}, exported at ") in out  # fmt: skip
    assert "the site's history was rewritten or forked" in out
    assert (
        "later.zip: PUMCH: imported (0 new, 1 updated" in out
    )  # the genuine continuation is accepted


def test_a_bundle_dated_more_than_a_day_ahead_of_the_centre_is_refused(
    demo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bundle, trusted = demo
    dated = datetime.fromisoformat(
        json.loads(members(bundle)["manifest.json"])["exported_at"].replace("Z", "+00:00")
    )
    with ConsolidatedStore(tmp_path / "centre") as centre:
        early = (dated - timedelta(days=1, minutes=1)).astimezone(UTC).isoformat()
        result = import_site_bundle(centre, bundle, trusted, early)
        assert str(result).startswith(f"{bundle.name}: refused: it is dated ")
        assert "more than a day after this computer's clock" in str(result)
        assert centre.sites() == []
        within = (dated - timedelta(hours=23)).astimezone(UTC).isoformat()  # clocks differ a little
        assert str(import_site_bundle(centre, bundle, trusted, within)).startswith("DEMO: imported")


def test_screenings_whose_signatures_differ_from_the_signed_index_are_not_consolidated(
    demo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """verify checks the stored signatures in signature_index.json (small, quick); the centre,
    which reads screenings.json anyway, refuses one whose signatures are not those."""
    bundle, _ = demo
    files = members(bundle)
    screenings = json.loads(files["screenings.json"])
    signed = next(s for s in screenings if s["signatures"])
    signed["signatures"][0]["signature"] = "00" * 64
    forged = resigned(
        files, {"screenings.json": json.dumps(screenings).encode()}, Ed25519PrivateKey.generate()
    )
    target = write(tmp_path / "index.zip", raw_zip(entries(forged)))
    assert verify_bundle(target).exit_code == 3
    with ConsolidatedStore(tmp_path / "centre") as centre:
        result = import_site_bundle(centre, target, None, datetime.now(UTC).isoformat())
    assert str(result) == (
        "index.zip: refused: its screenings cannot be read (its stored signatures differ from the signed "
        "signature_index.json)"
    )
