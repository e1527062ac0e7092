"""docs/verifying-a-bundle.md, run as written: its shell block (the system's OpenSSL 3,
sha256sum, xxd, sed) and docs/recompute_chain.py (standard library and rfc8785) accept the DEMO
bundle and refuse tampered ones, each at the step that catches it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bundle_tools import entries, members, raw_zip, resigned, write
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers import demo_site_bundle

DOCS = Path(__file__).resolve().parents[2] / "docs"


def documented_script() -> str:
    text = (DOCS / "verifying-a-bundle.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```sh\n(# verify-without-eligo\n.*?)```", text, flags=re.DOTALL)
    return block


def run_documented(bundle: Path) -> subprocess.CompletedProcess[str]:
    for tool in ("openssl", "sha256sum", "xxd", "sed", "bash"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: run scripts/setup.sh, which installs it")
    env = {**os.environ, "BUNDLE": str(bundle), "RECOMPUTE": str(DOCS / "recompute_chain.py"),
           "PYTHON": sys.executable}  # fmt: skip
    return subprocess.run(["bash", "-c", documented_script()], capture_output=True, text=True,
                          env=env, timeout=120, check=False)  # fmt: skip


@pytest.fixture(scope="module")
def demo_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_site_bundle(tmp_path_factory.mktemp("without-eligo"))[1]


def test_openssl_3_is_what_the_document_assumes() -> None:
    version = subprocess.run(
        ["openssl", "version"], capture_output=True, text=True, check=True
    ).stdout
    assert version.startswith("OpenSSL 3."), version


def test_the_documented_commands_accept_the_demo_bundle(demo_bundle: Path) -> None:
    result = run_documented(demo_bundle)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads(members(demo_bundle)["manifest.json"])
    assert "Signature Verified Successfully" in result.stdout
    assert result.stdout.count(": OK\n") == len(manifest["files"])
    assert (f"audit chain OK: {manifest['audit_chain']['events']} events recomputed; head "
            f"{manifest['audit_head']} is the signed manifest's audit_head") in result.stdout  # fmt: skip
    signer = json.loads(members(demo_bundle)["signer.pub"])
    assert f"fingerprint: {signer['fingerprint'].replace(' ', '').lower()}" in result.stdout
    assert result.stdout.rstrip().endswith(
        "BUNDLE VERIFIED: compare the fingerprint above with the one the site sent you"
    )


def test_a_changed_file_is_refused_by_sha256sum(demo_bundle: Path, tmp_path: Path) -> None:
    files = members(demo_bundle)
    files["screening_log.csv"] = files["screening_log.csv"].replace(b"DEMO-0001", b"DEMO-0666")
    result = run_documented(write(tmp_path / "t.zip", raw_zip(entries(files))))
    assert result.returncode != 0
    assert "screening_log.csv: FAILED" in result.stdout
    assert "BUNDLE VERIFIED" not in result.stdout


def test_an_edited_manifest_is_refused_by_openssl(demo_bundle: Path, tmp_path: Path) -> None:
    files = members(demo_bundle)
    files["manifest.json"] = files["manifest.json"].replace(b'"screenings":41', b'"screenings":40')
    result = run_documented(write(tmp_path / "t.zip", raw_zip(entries(files))))
    assert result.returncode != 0
    assert "Signature Verification Failure" in result.stdout + result.stderr
    assert "BUNDLE VERIFIED" not in result.stdout


def test_an_extra_file_is_refused(demo_bundle: Path, tmp_path: Path) -> None:
    files = {**members(demo_bundle), "notes.txt": b"added later"}
    result = run_documented(write(tmp_path / "t.zip", raw_zip(entries(files))))
    assert result.returncode != 0
    assert "> notes.txt" in result.stdout


def test_an_edited_audit_event_is_refused_by_the_recomputation(
    demo_bundle: Path, tmp_path: Path
) -> None:
    """A forger who re-signs with their own key passes OpenSSL and sha256sum (only the
    fingerprint tells), and the edited event still fails to recompute."""
    files = members(demo_bundle)
    lines = files["audit_chain.jsonl"].split(b"\n")
    edited = next(i for i, line in enumerate(lines) if b'"demo.' in line)
    lines[edited] = lines[edited].replace(b'"demo.', b'"evil.', 1)
    forged = resigned(files, {"audit_chain.jsonl": b"\n".join(lines)}, Ed25519PrivateKey.generate())
    result = run_documented(write(tmp_path / "t.zip", raw_zip(entries(forged))))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Signature Verified Successfully" in result.stdout
    assert (
        f"audit chain FAILED: event {edited + 1}: its hash does not recompute (the event was altered)"
        in result.stdout
    )


def test_a_chain_that_does_not_reach_the_signed_head_is_refused(
    demo_bundle: Path, tmp_path: Path
) -> None:
    files = members(demo_bundle)
    lines = files["audit_chain.jsonl"].split(b"\n")
    shortened = b"\n".join(lines[:-2]) + b"\n"  # the last event dropped, the rest intact
    forged = resigned(files, {"audit_chain.jsonl": shortened}, Ed25519PrivateKey.generate())
    result = run_documented(write(tmp_path / "t.zip", raw_zip(entries(forged))))
    assert result.returncode == 1
    assert "audit chain FAILED: " in result.stdout
