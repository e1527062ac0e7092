"""Signed export bundles: verification passes on a clean bundle and catches every tampering."""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.export.bundle import MANIFEST
from desktop_app.export.verify import verify_bundle


@pytest.fixture(scope="module")
def demo_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bundle")
    data = folder / "data"
    assert main(["demo", "--data-dir", str(data)]) == 0
    password = folder / "password.txt"
    password.write_text("demo-coordinator-2019\n", encoding="utf-8")
    out = folder / "bundle.zip"
    assert main(["export", "--out", str(out), "--user", "demo.coordinator", "--password-file", str(password),
                 "--data-dir", str(data), "--no-pdf"]) == 0  # fmt: skip
    assert main(["export-key", "--user", "demo.coordinator", "--out", str(folder / "coordinator.pub"),
                 "--data-dir", str(data)]) == 0  # fmt: skip
    return out


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(files: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_the_clean_bundle_verifies(demo_bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(demo_bundle)]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith("VALID")
    assert "manifest signature by Demo Coordinator (DEMO)" in out
    assert "stored screening signature(s) checked" in out
    files = members(demo_bundle)
    assert set(files) == {"manifest.json", "manifest.sig", "signer.pub", "screening_log.csv", "screenings.json",
                          "audit_trail.csv", "consort.json", "fhir_bundle.json"}  # fmt: skip
    assert files["screening_log.csv"].startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    manifest = json.loads(files[MANIFEST])
    assert manifest["screenings"] == 41
    assert len(manifest["audit_head"]) == 64


def test_trusted_keys(
    demo_bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "verify",
                str(demo_bundle),
                "--trusted-keys",
                str(demo_bundle.parent / "coordinator.pub"),
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip().endswith("VALID")
    other = tmp_path / "other.pub"
    other.write_text(json.dumps({"public_key": "00" * 32}), encoding="utf-8")
    assert main(["verify", str(demo_bundle), "--trusted-keys", str(other)]) == 0
    assert "VALID; signer not in trusted keys" in capsys.readouterr().out


def test_200_flipped_bytes_across_all_files_are_detected(demo_bundle: Path, tmp_path: Path) -> None:
    files = members(demo_bundle)
    rng = random.Random(7)
    names = sorted(files)
    total = sum(len(files[n]) for n in names)
    for i in range(200):
        spot = rng.randrange(total)
        for name in names:  # offsets sampled across all files, in proportion to their sizes
            if spot < len(files[name]):
                break
            spot -= len(files[name])
        changed = bytearray(files[name])
        changed[spot] ^= 1 << rng.randrange(8)
        report = verify_bundle(rezip({**files, name: bytes(changed)}, tmp_path / f"flip{i}.zip"))
        assert report.exit_code != 0, (name, spot)


@pytest.mark.parametrize(
    "tamper",
    ["truncate", "remove", "add", "reorder_csv", "edit_manifest", "edit_signature"],
)
def test_tampering_is_detected(demo_bundle: Path, tmp_path: Path, tamper: str) -> None:
    files = members(demo_bundle)
    target = tmp_path / "tampered.zip"
    if tamper == "truncate":
        target.write_bytes(demo_bundle.read_bytes()[: demo_bundle.stat().st_size // 2])
        assert verify_bundle(target).exit_code == 2  # unreadable
        return
    if tamper == "remove":
        files.pop("consort.json")
    elif tamper == "add":
        files["notes.txt"] = b"added later"
    elif tamper == "reorder_csv":
        head, *rows = files["screening_log.csv"].split(b"\r\n")
        files["screening_log.csv"] = b"\r\n".join([head, *reversed(rows[:-1]), rows[-1]])
    elif tamper == "edit_manifest":
        manifest = json.loads(files[MANIFEST])
        manifest["screenings"] = 40
        files[MANIFEST] = json.dumps(manifest).encode()
    elif tamper == "edit_signature":
        screenings = json.loads(files["screenings.json"])
        signed = next(s for s in screenings if s["signatures"])
        signed["signatures"][0]["payload"] = signed["signatures"][0]["payload"].replace(
            "Demo", "Fake"
        )
        files["screenings.json"] = json.dumps(screenings).encode()
        # A forger would also have to re-sign the manifest: even with the hash refreshed it fails.
        report = verify_bundle(rezip(files, target))
        assert report.exit_code == 1
        assert any("screenings.json" in f for f in report.failures)
        return
    report = verify_bundle(rezip(files, target))
    assert report.exit_code == 1, report.lines
    assert report.failures


def test_no_direct_identifier_in_any_file(demo_bundle: Path) -> None:
    from desktop_app.store import open_store

    data = demo_bundle.parent / "data"
    with open_store(data, read_only=True) as store:
        identifiers = [json.loads(row[0])["medical_record_number"]
                       for row in store.db.execute("SELECT local_identifiers FROM candidates")
                       if row[0] != "{}"]  # fmt: skip
        births = [
            row[0] for row in store.db.execute("SELECT date_of_birth FROM candidates") if row[0]
        ]
    assert identifiers
    assert births
    for name, data_bytes in members(demo_bundle).items():
        text = data_bytes.decode("utf-8", errors="replace")
        for secret in [*identifiers, *births, "DEMO-MRN"]:
            assert secret not in text, (name, secret)


def test_a_wrong_password_exports_nothing(tmp_path: Path, demo_bundle: Path) -> None:
    password = tmp_path / "wrong.txt"
    password.write_text("not the password", encoding="utf-8")
    out = tmp_path / "never.zip"
    code = main(["export", "--out", str(out), "--user", "demo.coordinator", "--password-file", str(password),
                 "--data-dir", str(demo_bundle.parent / "data"), "--no-pdf"])  # fmt: skip
    assert code == 2
    assert not out.exists()


def test_not_a_zip_is_unreadable(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(io.BytesIO(b"not a zip").getvalue())
    assert verify_bundle(junk).exit_code == 2


def test_the_fhir_bundle_validates_with_fhir_resources(demo_bundle: Path) -> None:
    from fhir.resources.R4B.bundle import Bundle

    bundle = Bundle.model_validate_json(members(demo_bundle)["fhir_bundle.json"])
    resources = [entry.resource for entry in bundle.entry or []]
    assert resources[0].__resource_type__ == "ResearchStudy"
    subjects = [r for r in resources if r.__resource_type__ == "ResearchSubject"]
    assert len(subjects) == 41
    statuses = {s.status for s in subjects}
    assert {"candidate", "eligible", "ineligible", "on-study", "withdrawn"} <= statuses
