"""Answer documents for tests: a complete eligible candidate to vary one answer at a time."""

from __future__ import annotations

import copy
from typing import Any

ELIGIBLE: dict[str, Any] = {
    "date_of_birth": "1970-05-12",
    "sex": "male",
    "consent_given": True,
    "consent_date": "2023-03-01",
    "consent_form_version": "2.1",
    "screening_date": "2023-03-08",
    "acr_entry": True,
    "involved_organs": ["pancreas", "bile_ducts"],
    "acr_exclusions": [],
    "acr_histopathology": "storiform_fibrosis",
    "acr_immunostaining": "not_performed",
    "serum_igg4_measured": True,
    "serum_igg4_value": 8.0,
    "serum_igg4_uln": 1.35,
    "serum_igg4_unit": "g/L",
    "acr_gland_sets": [],
    "acr_chest": "not_checked",
    "acr_pancreas_biliary": "pancreas_and_biliary",
    "acr_kidney": "none",
    "acr_retroperitoneum": "none",
    "disease_status": "new_onset",
    "gc_plan": "newly_initiated",
    "medications_given": [],
    "medication_last_dose": {},
    "severe_organ_dysfunction": False,
    "severe_infection": False,
    "known_immunodeficiency": False,
    "malignancy_history": False,
    "hbsag": "negative",
    "hbv_dna": "undetectable",
    "anti_hbc": "negative",
    "hiv": "negative",
    "chest_imaging": "normal",
    "chest_imaging_date": "2023-03-02",
    "ppd": "negative",
    "ppd_date": "2023-03-02",
    "tb_elispot": "negative",
    "tb_elispot_date": "2023-03-02",
    "tb_conclusion": "none",
}

# The ACR/EULAR answers of ELIGIBLE minus everything that scores: all domains at 0.
ZERO_DOMAINS: dict[str, Any] = {
    "acr_histopathology": "none",
    "acr_immunostaining": "not_performed",
    "serum_igg4_measured": False,
    "serum_igg4_value": None,
    "serum_igg4_uln": None,
    "serum_igg4_unit": None,
    "acr_gland_sets": [],
    "acr_chest": "not_checked",
    "acr_pancreas_biliary": "none",
    "acr_kidney": "none",
    "acr_retroperitoneum": "none",
}


def answers(**changes: Any) -> dict[str, Any]:
    """ELIGIBLE with some answers changed; a value of None removes the answer."""
    doc = copy.deepcopy(ELIGIBLE)
    for key, value in changes.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


def acr(**domain_answers: Any) -> dict[str, Any]:
    """ELIGIBLE with every domain at zero except those given."""
    return answers(**{**ZERO_DOMAINS, **domain_answers})


TEST_PASSWORD = "correct horse battery"  # a test fixture, never a real account's password


def add_user(
    store: Any, username: str, roles: tuple[str, ...] = ("coordinator",), full_name: str = ""
) -> Any:
    """An account with TEST_PASSWORD; the store's first account (an administrator) is made on demand."""
    from desktop_app.store import create_account, get_account
    from desktop_app.store.accounts import has_accounts

    admin = None
    if has_accounts(store):
        admin = get_account(store, "admin")
    elif "administrator" not in roles:
        admin = create_account(store, None, username="admin", full_name="Test Administrator",
                               roles=["administrator"], password=TEST_PASSWORD)  # fmt: skip
    return create_account(store, admin, username=username, full_name=full_name or username.title(),
                          roles=list(roles), password=TEST_PASSWORD)  # fmt: skip


def confirmed(store: Any, screening_id: int, username: str = "investigator") -> Any:
    """An investigator confirms the screening's eligibility with a signature, which locks it and
    is what enrolment waits for; the investigator account is made on first use."""
    from desktop_app.store import NotFoundError, get_account
    from desktop_app.store.signatures import sign_screening

    try:
        investigator = get_account(store, username)
    except NotFoundError:
        investigator = add_user(store, username, roles=("investigator",), full_name="Dr. Pi")
    sign_screening(store, investigator, screening_id, TEST_PASSWORD)
    return investigator


def screened(
    store: Any, user: Any, protocol: Any, doc: dict[str, Any] | None = None, initials: str = "AB"
) -> int:
    """A new candidate screened with these answers (the eligible candidate by default) and the
    determination they give; the screening's id."""
    from desktop_app.rules import evaluate
    from desktop_app.store import register_candidate, save_answers, start_screening

    doc = ELIGIBLE if doc is None else doc
    screening = start_screening(
        store, user, register_candidate(store, user, initials=initials).id, protocol
    )
    save_answers(store, user, screening.id, doc, determination=evaluate(protocol, doc))
    return int(screening.id)


def demo_site_bundle(folder: Any) -> tuple[Any, Any]:
    """A DEMO store (the documented sample data) in folder/data and its bundle exported and signed
    by demo.coordinator (without the PDF, to save time): (data folder, bundle path)."""
    from desktop_app.cli import main

    data = folder / "data"
    assert main(["demo", "--data-dir", str(data)]) == 0
    password = folder / "password.txt"
    password.write_text("demo-coordinator-2019\n", encoding="utf-8")
    bundle = folder / "demo-site.zip"
    assert main(["export", "--out", str(bundle), "--user", "demo.coordinator", "--password-file", str(password),
                 "--data-dir", str(data), "--no-pdf"]) == 0  # fmt: skip
    return data, bundle


def answer_dialogs(
    monkeypatch: Any, *, save: Any = None, open_: Any = None, text: str | None = None
) -> None:
    """Replace the modal questions a test cannot click: the file to save to, the file to open, and
    a text (the password) asked by QInputDialog; only those given are replaced."""
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    if save is not None:
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(save), ""))
        )
    if open_ is not None:
        monkeypatch.setattr(
            QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(open_), ""))
        )
    if text is not None:
        monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (text, True)))


# ---------------------------------------------------------------- encrypted test stores

TEST_KEY = bytes(range(32))
"""The data key of every test store (never a real key: a real store's is random)."""


def open_test_store(data_dir: Any, **options: Any) -> Any:
    """Open (creating on first use) an encrypted store with TEST_KEY, as a sign-in would after
    unwrapping a slot; accounts created in it get real key slots."""
    from desktop_app.store import keyslots
    from desktop_app.store.database import open_store
    from desktop_app.store.location import make_private_dir

    if not keyslots.sidecar_path(data_dir).exists() and not options.get("read_only"):
        make_private_dir(data_dir)
        keyslots.create(data_dir, TEST_KEY)
    return open_store(data_dir, key=key_of(data_dir), **options)


def key_of(data_dir: Any) -> bytes:
    """The data key of a test store: TEST_KEY, or a DEMO store's (through demo.admin's slot)."""
    from desktop_app.store import keyslots

    if keyslots.read(data_dir).mac_ok(TEST_KEY):
        return TEST_KEY
    return keyslots.unlock(data_dir, "demo.admin", DEMO_ADMIN_PASSWORD, _now()).key


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def raw_connect(path: Any) -> Any:
    """A SQLCipher connection to a test store's file, for tests that change it behind Eligo."""
    from desktop_app.store.connection import raw_connection

    keys_beside = path.with_name(path.name + ".keys")
    if keys_beside.exists():  # a backup, with the key file of its time
        import shutil
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            shutil.copyfile(keys_beside, Path(tmp) / "eligo.keys")
            return raw_connection(path, key_of(Path(tmp)))
    return raw_connection(path, key_of(path.parent))


DEMO_ADMIN_PASSWORD = "demo-admin-2019"  # documented in the README, DEMO store only


def as_user(username: str = "admin", password: str = TEST_PASSWORD) -> list[str]:
    """Command-line options that sign in as `username` (the store is encrypted)."""
    import hashlib
    import os
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.gettempdir()) / "eligo-test-passwords"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / hashlib.sha256(f"{username}:{password}".encode()).hexdigest()[:16]
    if not path.exists():  # written whole, once: test runs side by side read the same file
        partial = folder / f"{path.name}.{os.getpid()}.partial"
        partial.write_text(password + "\n", encoding="utf-8")
        os.replace(partial, path)
    return ["--user", username, "--password-file", str(path)]


def as_demo_admin() -> list[str]:
    return as_user("demo.admin", DEMO_ADMIN_PASSWORD)
