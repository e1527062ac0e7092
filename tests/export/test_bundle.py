"""Signed export bundles: verification passes on a clean bundle and catches every tampering."""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

import pytest
from helpers import demo_site_bundle

from desktop_app.cli import main
from desktop_app.export.bundle import MANIFEST
from desktop_app.export.verify import verify_bundle


@pytest.fixture(scope="module")
def demo_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bundle")
    data, out = demo_site_bundle(folder)
    assert main(["export-key", "--user", "demo.coordinator", "--out", str(folder / "coordinator.pub"),
                 "--data-dir", str(data), "--password-file", str(folder / "password.txt")]) == 0  # fmt: skip
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
    # Without a trust list: valid, but the verdict says in words that the signer was not checked.
    assert main(["verify", str(demo_bundle)]) == 3
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1].startswith("VALID, SIGNER NOT CHECKED: ")
    assert "no trusted keys were given" in out
    assert "manifest signature by Demo Coordinator (DEMO)" in out
    assert "stored screening signature(s) checked" in out
    files = members(demo_bundle)
    events = json.loads(files[MANIFEST])["audit_chain"]["events"]
    assert events > 1800  # the DEMO history, with its checkpoints
    assert f"audit chain: {events} events, every hash recomputed" in out
    assert set(files) == {"manifest.json", "manifest.sig", "signer.pub", "screening_log.csv", "screenings.json",
                          "audit_trail.csv", "audit_chain.jsonl", "signature_index.json", "consort.json",
                          "attachments.json", "fhir_bundle.json", "odm.xml", "annotations.csv", "annotations.json",
                          "redcap/data_dictionary.csv", "redcap/records.csv"}  # fmt: skip
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
    verdict = capsys.readouterr().out.strip().splitlines()[-1]
    assert verdict.startswith("VALID: signed by Demo Coordinator (DEMO)")
    assert verdict.endswith("a key trusted for site DEMO")
    other = tmp_path / "other.pub"
    other.write_text(json.dumps({"public_key": "00" * 32, "site": "DEMO"}), encoding="utf-8")
    assert main(["verify", str(demo_bundle), "--trusted-keys", str(other)]) == 1
    out = capsys.readouterr().out
    assert "INVALID: 1 check(s) failed: the signer's key" in out
    assert "is not in the trusted keys" in out


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
        assert report.exit_code in (1, 2), (name, spot)
        assert report.failures, (name, spot)  # each refusal says why


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
    from helpers import open_test_store

    data = demo_bundle.parent / "data"
    with open_test_store(data, read_only=True) as store:
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


def test_a_bundle_that_cannot_be_written_is_said_in_words_and_leaves_nothing(
    tmp_path: Path, demo_bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was a traceback (FileNotFoundError on 'x.partial'), and made any missing folders."""
    password = demo_bundle.parent / "password.txt"
    data = demo_bundle.parent / "data"
    missing = tmp_path / "no such folder" / "x.zip"
    code = main(["export", "--out", str(missing), "--user", "demo.coordinator", "--password-file", str(password),
                 "--data-dir", str(data), "--no-pdf"])  # fmt: skip
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        f"{missing} was not written: the folder {missing.parent} does not exist"
    )
    assert not missing.parent.exists()
    folder = tmp_path / "full"
    folder.mkdir()
    older = folder / "x.zip"
    older.write_bytes(b"the older export")
    real_write = zipfile.ZipFile.writestr

    def disk_full(
        self: zipfile.ZipFile, info: object, data: object, *args: object, **kwargs: object
    ) -> None:
        if self.fp is not None and self.fp.tell() > 1000:
            raise OSError(28, "No space left on device")
        real_write(self, info, data, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zipfile.ZipFile, "writestr", disk_full)
        code = main(["export", "--out", str(older), "--user", "demo.coordinator", "--password-file", str(password),
                     "--data-dir", str(data), "--no-pdf"])  # fmt: skip
    assert code == 2
    assert capsys.readouterr().err.strip() == f"{older} was not written: No space left on device"
    assert older.read_bytes() == b"the older export"
    assert [p.name for p in folder.iterdir()] == ["x.zip"]  # no partial file left


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
    assert {
        "screening",
        "eligible",
        "ineligible",
        "on-study",
        "not-registered",
        "withdrawn",
    } <= statuses


def test_the_odm_file_is_valid_odm_1_3_2_with_audit_records_and_signatures(
    demo_bundle: Path,
) -> None:
    import xml.etree.ElementTree as ET

    import xmlschema

    data = members(demo_bundle)["odm.xml"]
    # CDISC's ODM 1.3.2 schema files, kept in the tests (tests/data/odm-1.3.2/README.md says
    # where they come from), not odmlib's copy
    schema = xmlschema.XMLSchema(
        str(Path(__file__).parents[1] / "data" / "odm-1.3.2" / "cdisc-odm-1.3.2" / "ODM1-3-2.xsd")
    )
    schema.validate(io.BytesIO(data))  # raises, naming the element, when the file is not valid
    ns = {"odm": "http://www.cdisc.org/ns/odm/v1.3"}
    root = ET.fromstring(data)
    assert root.get("ODMVersion") == "1.3.2"
    screenings = json.loads(members(demo_bundle)["screenings.json"])
    subjects = root.findall("odm:ClinicalData/odm:SubjectData", ns)
    assert {s.get("SubjectKey") for s in subjects} == {s["screening_number"] for s in screenings}
    events = root.findall("odm:ClinicalData/odm:SubjectData/odm:StudyEventData", ns)
    assert len(events) == 41  # one per screening attempt, re-screens as repeat keys
    assert any(e.get("StudyEventRepeatKey") == "2" for e in events)
    # Each answer carries its latest audit record; every audit event of the screenings is listed.
    first = screenings[0]
    consent = root.find(
        f"odm:ClinicalData/odm:SubjectData[@SubjectKey='{first['screening_number']}']/odm:StudyEventData"
        "/odm:FormData/odm:ItemGroupData/odm:ItemData[@ItemOID='IT.CONSENT_DATE']", ns
    )  # fmt: skip
    assert consent is not None
    assert consent.get("Value") == first["answers"]["consent_date"]
    record = consent.find("odm:AuditRecord", ns)
    assert record is not None
    assert record.find("odm:UserRef", ns) is not None
    assert record.findtext("odm:DateTimeStamp", namespaces=ns)
    audit_records = root.findall("odm:ClinicalData/odm:AuditRecords/odm:AuditRecord", ns)
    assert len(audit_records) > 41
    assert any(r.findtext("odm:ReasonForChange", namespaces=ns) for r in audit_records)
    # Every stored signature in Signatures; valid ones inline, invalidated ones never inline.
    stored = [g for s in screenings for g in s["signatures"]]
    assert len(root.findall("odm:ClinicalData/odm:Signatures/odm:Signature", ns)) == len(stored)
    inline = root.findall(".//odm:StudyEventData/odm:Signature", ns) + root.findall(
        ".//odm:FormData/odm:Signature", ns
    )
    assert len(inline) == len([g for g in stored if not g["invalidated"]]) < len(stored)
    meanings = {
        d.findtext("odm:Meaning", namespaces=ns)
        for d in root.findall("odm:AdminData/odm:SignatureDef", ns)
    }
    assert meanings == {"Screening performed by", "Eligibility confirmed by investigator"}
    assert (
        root.findall(".//odm:ItemData[@ItemOID='IT.DATE_OF_BIRTH']", ns) == []
    )  # defined, never filled


# A site's name that begins with its code is not preceded by it again; another is followed by it.
@pytest.mark.parametrize(
    ("site", "shown"),
    [
        ({"code": "DEMO", "name": "DEMO site - sample data", "demo": True}, "DEMO site - sample data"),
        ({"code": "PUMCH", "name": "Peking Union Medical College Hospital"},
         "Peking Union Medical College Hospital (PUMCH)"),
        ({"code": "XY", "name": "", "demo": True}, "XY [DEMO: sample data]"),
    ],
)  # fmt: skip
def test_the_stated_site_names_the_site_once(site: dict[str, object], shown: str) -> None:
    from desktop_app.export.verify import stated_by

    assert dict(stated_by({"site": site}, {}))["site"] == shown
