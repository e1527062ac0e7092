"""The signed bundle lists each attachment (kind, title, SHA-256) and never carries its content."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from helpers import TEST_PASSWORD, screened

from desktop_app.export.bundle import write_bundle
from desktop_app.export.verify import verify_bundle
from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, User
from desktop_app.store.attachments import add_attachment, open_attachment, remove_attachment

SCAN = b"%PDF-1.4\n% Consent of a test candidate, with a NAME-THAT-MUST-NOT-LEAVE\n%%EOF\n"


def test_the_bundle_lists_attachments_without_their_content(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol, tmp_path: Path
) -> None:
    store, user = site_and_user
    sid = screened(store, user, protocol)
    first = add_attachment(store, user, sid, file_name="zhang-san.pdf", content=SCAN, kind="signed_consent",
                           title="Signed consent v2.1")  # fmt: skip
    remove_attachment(store, user, first.id, "wrong page order")
    second = add_attachment(store, user, sid, file_name="x.pdf", content=SCAN + b"%2\n", kind="signed_consent",
                            title="Signed consent v2.1, rescanned")  # fmt: skip
    out = tmp_path / "bundle.zip"
    write_bundle(store, protocol, user, TEST_PASSWORD, out, extra={})
    report = verify_bundle(out)
    assert not report.failures, report.failures
    with zipfile.ZipFile(out) as bundle:
        listed = json.loads(bundle.read("attachments.json"))
        everything = b"".join(bundle.read(name) for name in bundle.namelist())
        manifest = json.loads(bundle.read("manifest.json"))
    assert [
        (a["id"], a["kind"], a["title"], a["sha256"], a["removed_at"] is not None) for a in listed
    ] == [
        (first.id, "signed_consent", "Signed consent v2.1", hashlib.sha256(SCAN).hexdigest(), True),
        (second.id, "signed_consent", "Signed consent v2.1, rescanned", second.sha256, False),
    ]
    assert {(a["screening_number"], a["attempt"]) for a in listed} == {("PUMCH-0001", 1)}
    assert "attachments.json" in json.dumps(manifest)  # covered by the signed manifest
    assert b"NAME-THAT-MUST-NOT-LEAVE" not in everything  # the content never leaves
    assert b"zhang-san" not in everything  # nor the file's name


def test_an_opening_is_an_odm_audit_record_and_the_bundle_verifies(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol, tmp_path: Path
) -> None:
    import io

    import xmlschema
    from helpers import add_user

    store, user = site_and_user
    monitor = add_user(store, "monitor", roles=("monitor",))
    scan = add_attachment(store, user, screened(store, user, protocol), file_name="a.pdf",
                          content=SCAN, kind="signed_consent", title="Signed consent v2.1")  # fmt: skip
    open_attachment(store, monitor, scan.id)
    out = tmp_path / "bundle.zip"
    write_bundle(store, protocol, user, TEST_PASSWORD, out, extra={})
    report = verify_bundle(out)
    assert not report.failures, report.failures
    with zipfile.ZipFile(out) as bundle:
        odm, trail = bundle.read("odm.xml"), bundle.read("audit_trail.csv").decode("utf-8-sig")
    schema = Path(__file__).parents[1] / "data" / "odm-1.3.2" / "cdisc-odm-1.3.2" / "ODM1-3-2.xsd"
    xmlschema.XMLSchema(str(schema)).validate(io.BytesIO(odm))
    assert b" attachment_viewed PUMCH-0001/1 attachment hash " in odm
    [line] = [row for row in trail.splitlines() if ",attachment_viewed," in row]
    assert ",monitor," in line
    assert scan.sha256 in line
