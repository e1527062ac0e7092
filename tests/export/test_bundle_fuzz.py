"""No traceback on any input: 1,000 malformed bundles (manifest and signer.pub of every JSON
type, nesting, NaN, huge numbers, missing and extra keys, broken zips) through `verify` and
`consolidate`, each refused with exit 1 or 2 and a sentence. bench/soak_verify.py runs 100,000."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bundle_strategy import malformed_bundle
from bundle_tools import members
from helpers import TEST_PASSWORD, add_user, open_test_store, screened
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.cli import main
from desktop_app.export.consolidate import Refused, import_site_bundle
from desktop_app.rules import LoadedProtocol
from desktop_app.store import create_site
from desktop_app.store.consolidated import ConsolidatedStore


@pytest.fixture(scope="module")
def small_bundle(
    tmp_path_factory: pytest.TempPathFactory, protocol: LoadedProtocol
) -> tuple[dict[str, bytes], bytes, Path]:
    """A genuine bundle of one screening (small, so that 1,000 examples run in seconds)."""
    folder = tmp_path_factory.mktemp("fuzz")
    with open_test_store(folder / "data") as store:
        create_site(store, None, code="FUZZ", name="Site FUZZ", principal_investigator="Dr. F")
        screened(store, add_user(store, "coordinator", full_name="C F"), protocol, initials="XY")
    password = folder / "password.txt"
    password.write_text(TEST_PASSWORD, encoding="utf-8")
    bundle = folder / "genuine.zip"
    assert main(["export", "--out", str(bundle), "--user", "coordinator", "--password-file", str(password),
                 "--data-dir", str(folder / "data"), "--no-pdf"]) == 0  # fmt: skip
    return members(bundle), bundle.read_bytes(), folder


@pytest.fixture(scope="module")
def centre(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsolidatedStore]:
    with ConsolidatedStore(tmp_path_factory.mktemp("centre")) as store:
        yield store


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = main(argv)
    return code, out.getvalue()


def check_refused(path: Path, centre: ConsolidatedStore) -> None:
    """verify and consolidate each refuse the bundle at `path` with exit 1 or 2 and a sentence.
    Consolidation through import_site_bundle, what the `consolidate` command runs per bundle, on
    a centre store opened once (opening it per example would be most of the test's time)."""
    code, out = run(["verify", str(path)])
    verdict = out.strip().splitlines()[-1]
    assert code in (1, 2), out
    assert verdict.startswith("INVALID: " if code == 1 else "UNREADABLE: "), out
    assert len(verdict.split()) >= 4, out  # a sentence, not a bare code
    result = import_site_bundle(centre, path, None, datetime.now(UTC).isoformat())
    assert isinstance(result, Refused), result
    assert result.unreadable is (code == 2)  # `consolidate` exits 2 for it, else 1
    assert str(result).startswith(f"{path.name}: refused: it does not verify: "), result


# No example database: the genuine bundle is made anew each run (new keys, new times), so an
# example saved by an earlier run would draw differently (FlakyStrategyDefinition).
@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
def test_malformed_bundles_are_refused_in_words(
    small_bundle: tuple[dict[str, bytes], bytes, Path],
    centre: ConsolidatedStore,
    data: st.DataObject,
) -> None:
    files, zipped, folder = small_bundle
    path = folder / "case.zip"
    path.write_bytes(data.draw(malformed_bundle(files, zipped)))
    check_refused(path, centre)


def test_the_genuine_small_bundle_passes(
    small_bundle: tuple[dict[str, bytes], bytes, Path],
) -> None:
    """The fuzz test's base is valid: each refusal above is the mutation's doing."""
    _, _, folder = small_bundle
    assert run(["verify", str(folder / "genuine.zip")])[0] == 3


def test_the_consolidate_command_exits_1_or_2_in_words(
    small_bundle: tuple[dict[str, bytes], bytes, Path],
) -> None:
    _, zipped, folder = small_bundle
    broken = folder / "broken.zip"
    broken.write_bytes(zipped[:-5])
    code, out = run(["consolidate", str(broken), "--into", str(folder / "c2")])
    assert code == 2
    assert "broken.zip: refused: it does not verify: the file is not a zip" in out
    invalid = folder / "invalid.zip"
    invalid.write_bytes(zipped + b"x")
    code, out = run(["consolidate", str(invalid), "--into", str(folder / "c2")])
    assert code == 1
    assert "invalid.zip: refused: it does not verify: the zip has 1 byte(s) after the end" in out
