"""Evaluate the full protocol for 10,000 varied candidates; print time per evaluation and its
ratio to a 16 ms frame (target: at most 1 ms, the wizard re-evaluates on every change)."""

from __future__ import annotations

import json
import random
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from desktop_app.rules import default_protocol, evaluate

FRAME_SECONDS = 0.016
TARGET_SECONDS = 0.001
ROOT = Path(__file__).resolve().parents[1]


def varied_candidates(n: int, seed: int = 4660565) -> list[dict[str, Any]]:
    """Realistic candidates: the scenario files, with dates, doses and answers shuffled."""
    rng = random.Random(seed)
    bases = [
        json.loads(p.read_text(encoding="utf-8"))["answers"]
        for p in sorted((ROOT / "tests/data/cases").glob("*.json"))
    ]
    protocol = default_protocol().protocol
    agents = [a.code for a in protocol.medication_catalog]
    out = []
    for _ in range(n):
        doc = dict(rng.choice(bases))
        screening = date(2023, 1, 1) + timedelta(days=rng.randint(0, 600))
        doc["screening_date"] = screening.isoformat()
        doc["consent_date"] = (screening - timedelta(days=rng.randint(0, 14))).isoformat()
        for key in ("chest_imaging_date", "ppd_date", "tb_elispot_date"):
            if key in doc:
                doc[key] = screening.isoformat()
        if doc.get("malignancy_date"):
            doc["malignancy_date"] = (screening - timedelta(days=rng.randint(0, 5000))).isoformat()
        given = rng.sample(agents, rng.randint(0, 3))
        doc["medications_given"] = given
        doc["medication_last_dose"] = {
            a: (screening - timedelta(days=rng.randint(0, 400))).isoformat() for a in given
        }
        doc["serum_igg4_value"] = (
            round(rng.uniform(0.2, 30), 2) if doc.get("serum_igg4_measured") else None
        )
        if rng.random() < 0.2:
            doc.pop(rng.choice([k for k in doc if not k.startswith("medication")]), None)
        out.append({k: v for k, v in doc.items() if v is not None})
    return out


def main() -> None:
    protocol = default_protocol()
    candidates = varied_candidates(10_000)
    evaluate(protocol, candidates[0])  # warm up imports and caches
    counts: dict[str, int] = {}
    start = time.perf_counter()
    for doc in candidates:
        result = evaluate(protocol, doc)
        counts[result.determination] = counts.get(result.determination, 0) + 1
    elapsed = time.perf_counter() - start
    per = elapsed / len(candidates)
    print(f"evaluations: {len(candidates)} {counts}")
    print(f"total: {elapsed:.2f} s; per evaluation: {per * 1000:.3f} ms")
    print(f"ratio to a 16 ms frame: {per / FRAME_SECONDS:.4f}")
    print(
        f"target <= 1 ms: {'met' if per <= TARGET_SECONDS else 'NOT met'} ({per / TARGET_SECONDS:.2f} of budget)"
    )


if __name__ == "__main__":
    main()
