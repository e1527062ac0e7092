"""The DEMO store's sample accounts and their published passwords (README, and the sign-in window
of a DEMO store). A module of its own, without imports: the sign-in window is the first window
and shows them before anything else is loaded."""

from __future__ import annotations

# (username, printed name, roles, password)
DEMO_ACCOUNTS: list[tuple[str, str, list[str], str]] = [
    ("demo.admin", "Demo Administrator (DEMO)", ["administrator"], "demo-admin-2019"),
    ("demo.coordinator", "Demo Coordinator (DEMO)", ["coordinator"], "demo-coordinator-2019"),
    (
        "demo.investigator",
        "Dr. Demo Investigator (DEMO)",
        ["investigator"],
        "demo-investigator-2019",
    ),
    ("demo.monitor", "Demo Monitor (DEMO)", ["monitor"], "demo-monitor-2019"),
]
