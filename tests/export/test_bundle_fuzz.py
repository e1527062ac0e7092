"""No traceback on any input: 1,000 malformed bundles (manifest and signer.pub of every JSON
type, nesting, NaN, huge numbers, missing and extra keys, broken zips) through `verify` and
`consolidate`, each refused with exit 1 or 2 and a sentence. bench/soak_verify.py runs 100,000."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from bundle_strategy import malformed_bundle
from bundle_tools import members
from helpers import TEST_PASSWORD, add_user, screened
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.cli import main
from desktop_app.rules import LoadedProtocol
from desktop_app.store import create_site, open_store


@pytest.fixture(scope="module")
def small_bundle(
    tmp_path_factory: pytest.TempPathFactory, protocol: LoadedProtocol
) -> tuple[dict[str, bytes], bytes, Path]:
    """A genuine bundle of one screening (small, so that 1,000 examples run in seconds)."""
    folder = tmp_path_factory.mktemp("fuzz")
    with open_store(folder / "data") as store:
        create_site(store, None, code="FUZZ", name="Site FUZZ", principal_investigator="Dr. F")
        screened(store, add_user(store, "coordinator", full_name="C F"), protocol, initials="XY")
    password = folder / "password.txt"
    password.write_text(TEST_PASSWORD, encoding="utf-8")
    bundle = folder / "genuine.zip"
    assert main(["export", "--out", str(bundle), "--user", "coordinator", "--password-file", str(password),
                 "--data-dir", str(folder / "data"), "--no-pdf"]) == 0  # fmt: skip
    return members(bundle), bundle.read_bytes(), folder


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = main(argv)
    return code, out.getvalue()


def check_refused(path: Path, centre: Path) -> None:
    """verify and consolidate each refuse the bundle at `path` with exit 1 or 2 and a sentence."""
    code, out = run(["verify", str(path)])
    verdict = out.strip().splitlines()[-1]
    assert code in (1, 2), out
    assert verdict.startswith("INVALID: " if code == 1 else "UNREADABLE: "), out
    assert len(verdict.split()) >= 4, out  # a sentence, not a bare code
    code, out = run(["consolidate", str(path), "--into", str(centre)])
    assert code in (1, 2), out
    assert f"{path.name}: refused: it does not verify: " in out, out


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_malformed_bundles_are_refused_in_words(
    small_bundle: tuple[dict[str, bytes], bytes, Path], data: st.DataObject
) -> None:
    files, zipped, folder = small_bundle
    path = folder / "case.zip"
    path.write_bytes(data.draw(malformed_bundle(files, zipped)))
    check_refused(path, folder / "centre")


def test_the_genuine_small_bundle_passes(
    small_bundle: tuple[dict[str, bytes], bytes, Path],
) -> None:
    """The fuzz test's base is valid: each refusal above is the mutation's doing."""
    _, _, folder = small_bundle
    assert run(["verify", str(folder / "genuine.zip")])[0] == 3
