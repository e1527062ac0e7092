"""Kill a process that is saving answers at a random moment; report what it had confirmed.

Shared by tests/store/test_crash.py (25 kills) and bench/soak_kill.py (500 kills). The child
is forked after the imports, so that each run costs milliseconds rather than an interpreter start.
"""

from __future__ import annotations

import os
import random
import signal
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from helpers import TEST_KEY, open_test_store

from desktop_app.rules import default_protocol
from desktop_app.store import (
    answers_of,
    create_account,
    create_site,
    get_site,
    get_user,
    register_candidate,
    save_answer,
    start_screening,
)
from desktop_app.store.backup import check_file
from desktop_app.store.location import DB_NAME


def _child(data: Path, out: int) -> None:  # pragma: no cover - runs in the forked child
    store = open_test_store(data)
    if get_site(store) is None:
        create_site(store, None, code="CRASH", name="Crash test", principal_investigator="PI")
        create_account(
            store,
            None,
            username="saver",
            full_name="Saver",
            roles=["administrator", "coordinator"],
            password="saver password",
        )
    user = get_user(store, "saver")
    candidate = register_candidate(store, user, initials="KL")
    screening = start_screening(store, user, candidate.id, default_protocol())
    os.write(out, f"screening {screening.id}\n".encode())
    i = 0
    while True:
        i += 1
        save_answer(store, user, screening.id, "consent_form_version", f"save {i}")
        save_answer(store, user, screening.id, "severe_infection_note", f"save {i}")
        os.write(out, f"saved {i}\n".encode())  # only after both saves have returned


@dataclass(frozen=True)
class KillResult:
    screening_id: int
    acknowledged: int  # the last save the child confirmed before it died
    found: int  # the last save found in the database afterwards
    check: str | None  # None when integrity and audit chain pass


def kill_once(data: Path, rng: random.Random) -> KillResult:
    default_protocol()  # loaded before the fork, as in the application
    read, write = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork() in a process with threads; the child only uses SQLite.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        try:
            _child(data, write)
        finally:
            os._exit(1)
    os.close(write)
    stream = os.fdopen(read, "r")
    first = stream.readline()
    time.sleep(rng.uniform(0.0, 0.25))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    lines = [first, *stream.read().splitlines()]
    stream.close()
    screening_id = int(first.split()[1])
    acked = max((int(x.split()[1]) for x in lines if x.startswith("saved ")), default=0)
    problem = check_file(data / DB_NAME, TEST_KEY)
    with open_test_store(data) as store:
        saved = answers_of(store, screening_id)
    note = saved.get("severe_infection_note")
    found = int(note.split()[1]) if note else 0
    consent = saved.get("consent_form_version")
    if consent is not None and int(consent.split()[1]) < found:
        problem = f"saves committed out of order: {consent} before {note}"
    return KillResult(screening_id, acked, found, problem)
