"""Electronic signatures: meaning by role, re-authentication, binding to content, locking,
invalidation with a reason, tamper detection, and known-answer vectors."""

from __future__ import annotations

from pathlib import Path

import pytest
import rfc8785
from helpers import (
    ELIGIBLE,
    TEST_PASSWORD,
    add_user,
    answers,
    as_user,
    open_test_store,
    raw_connect,
    screened,
)
from sqlcipher3 import dbapi2 as sqlite3

from desktop_app.cli import main
from desktop_app.rules import LoadedProtocol, evaluate
from desktop_app.store import (
    AuthenticationError,
    BadInputError,
    PermissionDeniedError,
    Store,
    create_site,
    get_screening,
    register_candidate,
    save_answer,
    save_answers,
)
from desktop_app.store.accounts import change_password, reset_password
from desktop_app.store.keys import verify_signature
from desktop_app.store.signatures import (
    acknowledge_warning,
    sign_screening,
    signature_statuses,
    tampered_screenings,
)

# RFC 8032, section 7.1, test 1: the fixed test key (public test vector, not a secret of ours).
RFC8032_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC8032_EMPTY_SIGNATURE = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065"
    "224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)


class Team:
    def __init__(self, store: Store) -> None:
        create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="Dr. PI")
        self.admin = add_user(store, "admin", roles=("administrator",))
        self.coordinator = add_user(store, "coordinator", full_name="Li Coordinator")
        self.investigator = add_user(
            store, "investigator", roles=("investigator",), full_name="Dr. Wang Investigator"
        )
        self.monitor = add_user(store, "monitor", roles=("monitor",))


@pytest.fixture
def team(store: Store) -> Team:
    return Team(store)


def test_known_answer_rfc8032_vector() -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = Ed25519PrivateKey.from_private_bytes(RFC8032_SECRET)
    assert key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw) == RFC8032_PUBLIC
    assert key.sign(b"") == RFC8032_EMPTY_SIGNATURE
    assert verify_signature(RFC8032_PUBLIC, RFC8032_EMPTY_SIGNATURE, b"")


def test_known_answer_signature_over_a_canonical_payload() -> None:
    # Pins the signed bytes (RFC 8785) and the signature of a fixed payload under the fixed key.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    payload = {"format": "eligo-signature/1", "meaning": "Eligibility confirmed by investigator",
               "signer": {"printed_name": "Dr. Wang Wei", "user_id": 3, "username": "wang.wei"},
               "signed_at": "2023-03-08T01:00:00.000000Z", "utc_offset": "+08:00",
               "content": {"answers": {"hiv": "negative", "serum_igg4_value": 8.0}, "attempt": 1}}  # fmt: skip
    message = rfc8785.dumps(payload)
    assert message == (
        b'{"content":{"answers":{"hiv":"negative","serum_igg4_value":8},"attempt":1},'
        b'"format":"eligo-signature/1","meaning":"Eligibility confirmed by investigator",'
        b'"signed_at":"2023-03-08T01:00:00.000000Z","signer":{"printed_name":"Dr. Wang Wei","user_id":3,'
        b'"username":"wang.wei"},"utc_offset":"+08:00"}'
    )
    signature = Ed25519PrivateKey.from_private_bytes(RFC8032_SECRET).sign(message)
    assert signature.hex() == KNOWN_SIGNATURE
    assert verify_signature(RFC8032_PUBLIC, signature, message)
    assert not verify_signature(
        RFC8032_PUBLIC, signature, message.replace(b"negative", b"positive")
    )


KNOWN_SIGNATURE = (  # Ed25519 is deterministic: this is the one signature of that message under that key
    "cfa7915c05e1f52d8c501142360f59795fe59367837c88b51f564696ea7fc29b"
    "f18e1cabaca9e09984a3d23ed24cf4326d2b87836b82b704cc941462917f3a07"
)


def test_sign_and_verify_round_trip(team: Team, store: Store, protocol: LoadedProtocol) -> None:
    sid = screened(store, team.coordinator, protocol)
    sign_screening(store, team.coordinator, sid, TEST_PASSWORD)
    assert get_screening(store, sid).sign_state == "signed"
    sign_screening(store, team.investigator, sid, TEST_PASSWORD)
    screening = get_screening(store, sid)
    assert screening.sign_state == "locked"
    statuses = signature_statuses(store, sid)
    assert [s.check for s in statuses] == ["valid", "valid"]
    assert [s.meaning for s in statuses] == [
        "Screening performed by",
        "Eligibility confirmed by investigator",
    ]
    assert statuses[1].printed_name == "Dr. Wang Investigator"
    assert statuses[1].signed_at.endswith("Z")
    assert statuses[1].utc_offset == "+08:00"
    assert len(statuses[1].key_fingerprint) == 19
    assert (
        "Eligibility confirmed by investigator Dr. Wang Investigator" in statuses[1].manifestation
    )


def test_signing_asks_for_the_password_again(
    team: Team, store: Store, protocol: LoadedProtocol
) -> None:
    sid = screened(store, team.coordinator, protocol)
    with pytest.raises(AuthenticationError):
        sign_screening(store, team.investigator, sid, "not my password")
    assert signature_statuses(store, sid) == []


def test_role_rules(team: Team, store: Store, protocol: LoadedProtocol) -> None:
    sid = screened(store, team.coordinator, protocol)
    # A coordinator's signature means "screening performed", never "eligibility confirmed".
    sign_screening(store, team.coordinator, sid, TEST_PASSWORD)
    assert get_screening(store, sid).sign_state == "signed"  # not locked: no investigator yet
    for user in (team.admin, team.monitor):
        with pytest.raises(PermissionDeniedError):
            sign_screening(store, user, sid, TEST_PASSWORD)
    with pytest.raises(PermissionDeniedError, match="Monitor cannot change screening answers"):
        save_answer(store, team.monitor, sid, "hiv", "positive", reason="x")
    with pytest.raises(PermissionDeniedError):
        register_candidate(store, team.monitor, initials="ZZ")


def test_incomplete_cannot_be_signed_and_warnings_must_be_acknowledged(
    team: Team, store: Store, protocol: LoadedProtocol
) -> None:
    incomplete = screened(store, team.coordinator, protocol, answers(hiv=None))
    with pytest.raises(BadInputError, match="eligible or ineligible"):
        sign_screening(store, team.investigator, incomplete, TEST_PASSWORD)
    warned = screened(store, team.coordinator, protocol, answers(anti_hbc="positive"))
    with pytest.raises(BadInputError, match="isolated_anti_hbc"):
        sign_screening(store, team.investigator, warned, TEST_PASSWORD)
    acknowledge_warning(store, team.coordinator, warned, "isolated_anti_hbc")
    sign_screening(store, team.investigator, warned, TEST_PASSWORD)
    assert signature_statuses(store, warned)[0].check == "valid"


def test_a_change_after_signing_needs_a_reason_and_invalidates(
    team: Team, store: Store, protocol: LoadedProtocol
) -> None:
    sid = screened(store, team.coordinator, protocol)
    sign_screening(store, team.investigator, sid, TEST_PASSWORD)
    with pytest.raises(BadInputError, match="reason"):
        save_answer(store, team.coordinator, sid, "consent_form_version", "2.2")
    doc = answers(consent_form_version="2.2")
    save_answers(store, team.coordinator, sid, {"consent_form_version": "2.2"}, determination=evaluate(protocol, doc),
                 reason="consent form version misread")  # fmt: skip
    status = signature_statuses(store, sid)[0]
    assert status.check == "invalidated"
    assert "signature invalidated on" in status.detail
    assert "by Li Coordinator: consent form version misread" in status.detail
    assert get_screening(store, sid).sign_state == "invalidated"
    sign_screening(store, team.investigator, sid, TEST_PASSWORD)  # signed again
    assert [s.check for s in signature_statuses(store, sid)] == ["invalidated", "valid"]
    with pytest.raises(sqlite3.IntegrityError, match="never"):
        store.db.execute("UPDATE signatures SET meaning = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="never"):
        store.db.execute("DELETE FROM signature_invalidations")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE answers SET value = '\"positive\"' WHERE question_id = 'hiv'",
        "DELETE FROM answers WHERE question_id = 'tb_conclusion'",
        "INSERT INTO answers VALUES (1, 'lactating', 'true', 'x', 1)",
        "UPDATE determinations SET result = replace(result, '\"eligible\"', '\"ineligible\"')",
        "UPDATE screenings SET protocol_version = '9.9'",
    ],
)
def test_a_change_outside_the_app_shows_as_tampered(tmp_path: Path, protocol: LoadedProtocol, sql: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    data = tmp_path / "data"
    with open_test_store(data) as store:
        team = Team(store)
        sid = screened(store, team.coordinator, protocol)
        sign_screening(store, team.investigator, sid, TEST_PASSWORD)
        assert tampered_screenings(store) == []
    conn = raw_connect(data / "eligo.db")
    conn.execute(sql)
    conn.commit()
    conn.close()
    with open_test_store(data) as store:
        status = signature_statuses(store, sid)[0]
        assert status.check == "tampered"
        assert status.detail.startswith("TAMPERED")
    assert main(["db", "check", "--data-dir", str(data), *as_user()]) == 1
    out = capsys.readouterr().out
    assert "TAMPERED PUMCH-0001 attempt 1" in out


def test_a_forged_signature_shows_as_tampered(tmp_path: Path, protocol: LoadedProtocol) -> None:
    data = tmp_path / "data"
    with open_test_store(data) as store:
        team = Team(store)
        sid = screened(store, team.coordinator, protocol)
        sign_screening(store, team.investigator, sid, TEST_PASSWORD)
    conn = raw_connect(data / "eligo.db")
    conn.executescript(
        "DROP TRIGGER signatures_no_update; UPDATE signatures SET payload = replace(payload, 'Dr. Wang', 'Dr. Evil');"
    )
    conn.close()
    with open_test_store(data) as store:
        assert (
            signature_statuses(store, sid)[0].detail
            == "TAMPERED: the stored signature does not verify"
        )


def test_password_change_and_reset_keep_old_signatures_valid(
    team: Team, store: Store, protocol: LoadedProtocol
) -> None:
    sid = screened(store, team.coordinator, protocol)
    sign_screening(store, team.investigator, sid, TEST_PASSWORD)
    change_password(store, team.investigator, TEST_PASSWORD, "another long password")
    assert signature_statuses(store, sid)[0].check == "valid"
    reset_password(store, team.admin, "investigator", "reset long password")
    assert signature_statuses(store, sid)[0].check == "valid"  # the retired key still verifies
    other = screened(store, team.coordinator, protocol)
    sign_screening(store, team.investigator, other, "reset long password")
    old, new = signature_statuses(store, sid)[0], signature_statuses(store, other)[0]
    assert old.key_fingerprint != new.key_fingerprint


def test_signatures_cover_a_salted_digest_of_the_birth_date(
    team: Team, store: Store, protocol: LoadedProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.store import signatures

    sid = screened(store, team.coordinator, protocol)
    sign_screening(store, team.investigator, sid, TEST_PASSWORD)
    payload = store.db.execute(
        "SELECT payload FROM signatures WHERE screening_id = ?", [sid]
    ).fetchone()[0]
    assert ELIGIBLE["date_of_birth"] not in payload
    assert '"salted_sha256"' in payload
    assert signature_statuses(store, sid)[0].check == "valid"
    # A signature made before the digest (format 1) still verifies against the raw answers.
    other = screened(store, team.coordinator, protocol)
    monkeypatch.setattr(signatures, "FORMAT", "eligo-signature/1")
    sign_screening(store, team.investigator, other, TEST_PASSWORD)
    old = store.db.execute(
        "SELECT payload FROM signatures WHERE screening_id = ?", [other]
    ).fetchone()[0]
    assert ELIGIBLE["date_of_birth"] in old
    assert signature_statuses(store, other)[0].check == "valid"
    # Changing the birth date outside the app is caught through the digest.
    store.db.execute(
        "UPDATE answers SET value = '\"1970-05-13\"' WHERE question_id = 'date_of_birth' AND screening_id = ?",
        [sid],
    )
    assert signature_statuses(store, sid)[0].check == "tampered"


def test_one_signature_of_a_meaning_per_user_per_version_of_the_record(
    store: Store, team: Team, protocol: LoadedProtocol
) -> None:
    from desktop_app.store.signatures import already_signed

    sid = screened(store, team.coordinator, protocol)
    assert not already_signed(store, team.investigator, sid)
    sign_screening(store, team.investigator, sid, TEST_PASSWORD)
    assert already_signed(store, team.investigator, sid)
    with pytest.raises(BadInputError, match="already signed this version"):
        sign_screening(store, team.investigator, sid, TEST_PASSWORD)
    confirmations = [
        s for s in signature_statuses(store, sid) if s.meaning.startswith("Eligibility")
    ]
    assert len(confirmations) == 1  # never a second one that can never be removed
    # The coordinator's meaning is another signature; a changed record is a new version.
    sign_screening(store, team.coordinator, sid, TEST_PASSWORD)
    save_answer(store, team.coordinator, sid, "consent_form_version", "2.2",
                determination=evaluate(protocol, answers(consent_form_version="2.2")),
                reason="version corrected")  # fmt: skip
    assert not already_signed(store, team.investigator, sid)
    sign_screening(store, team.investigator, sid, TEST_PASSWORD)


def test_enrolment_is_not_before_the_investigators_confirmation(
    store: Store, team: Team, protocol: LoadedProtocol
) -> None:
    from datetime import date

    from desktop_app.store import record_outcome
    from desktop_app.store.clock import Stamp

    sid = screened(store, team.coordinator, protocol, answers(screening_date="2023-03-06"))
    sign_screening(store, team.investigator, sid, TEST_PASSWORD)
    assert Stamp.of(store.clock()).at_utc.startswith("2023-03-08T01")  # 2023-03-08 09:00, UTC+08:00
    with pytest.raises(
        BadInputError, match="before the investigator's confirmation of eligibility on 2023-03-08"
    ):
        record_outcome(store, team.coordinator, sid, "enrolled", randomization_number="R-1",
                       enrolled_on=date(2023, 3, 7))  # fmt: skip
    assert get_screening(store, sid).outcome is None
    record_outcome(store, team.coordinator, sid, "enrolled", randomization_number="R-1",
                   enrolled_on=date(2023, 3, 8))  # fmt: skip
    assert get_screening(store, sid).outcome == "enrolled"


def test_a_signature_reads_in_local_time_with_its_zone(
    store: Store, team: Team, protocol: LoadedProtocol
) -> None:
    sid = screened(store, team.coordinator, protocol)
    sign_screening(store, team.coordinator, sid, TEST_PASSWORD)
    (status,) = signature_statuses(store, sid)
    assert status.signed_at.endswith("Z")  # the exact UTC stays in the data
    local = status.signed_at[:10] + " " + f"{(int(status.signed_at[11:13]) + 8) % 24:02d}"
    assert f"Screening performed by Li Coordinator, {local}:" in status.manifestation
    assert "(UTC+08:00), key" in status.manifestation
