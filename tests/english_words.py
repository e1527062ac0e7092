"""English words left in a Chinese text: runs of three or more English words outside an
allowlist (codes, units, names that stay as they are, whatever stands in parentheses)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Words that stay as they are in Chinese text (glossary §1 "codes stay as is", units, names).
ALLOWED_WORDS = {
    "acr",
    "eular",
    "igg4-rd",
    "igg4",
    "igg",
    "hbsag",
    "hbv-dna",
    "hbv",
    "hiv",
    "ppd",
    "t-spot",
    "tb",
    "igra",
    "anca",
    "pr3",
    "mpo",
    "ssa",
    "ro",
    "ssb",
    "la",
    "dsdna",
    "rnp",
    "sm",
    "jak",
    "cdisc",
    "odm",
    "fhir",
    "r4",
    "csv",
    "json",
    "pdf",
    "sha256",
    "uln",
    "hpf",
    "mg",
    "dl",
    "l",
    "g",
    "d",
    "nct04660565",
    "eligo",
    "sqlite",
    "demo",
    "crc",
    "cra",
    "pi",
    "gc",
    "dmard",
    "csdmard",
    "nsaid",
    "ltbi",
    "readme",
    "utc",
    "a4",
    "letter",
    "us",
    "yyyy-mm-dd",
    "riedel",
    "erdheim-chester",
    "castleman",
    "ok",
    "clinicaltrials",
    "gov",
    "mm",
    "dd",
    "yyyy",
    "pub",
    "consort",
    "elispot",
    "spot",
}


WORD = re.compile(r"[A-Za-z][A-Za-z0-9'\u2019.+-]*")
_PARENTHESES = re.compile(r"（[^（）]*）|\([^()]*\)")
_HEX = re.compile(
    r"\b[0-9A-Fa-f]{4}(?: [0-9A-Fa-f]{4})+\b|\b[0-9a-f]{12,}\b"
)  # fingerprints, hashes
_PATH = re.compile(r"(?:[A-Za-z]:)?[/\\][\w.~/\\-]+")  # a file or folder: data, not words


def english_runs(text: str, allowed_phrases: Iterable[str] = ()) -> list[str]:
    """Runs of three or more English words not allowed: the words of an allowed phrase, codes,
    units and whatever stands in parentheses (drug INNs beside their Chinese names) do not count."""
    for phrase in sorted(allowed_phrases, key=len, reverse=True):
        if phrase:
            text = text.replace(phrase, " ")
    text = _HEX.sub(" ", _PATH.sub(" ", _PARENTHESES.sub(" ", text)))
    runs: list[str] = []
    current: list[str] = []
    position = 0
    for match in WORD.finditer(text):
        between = text[position : match.start()]
        if current and re.search(
            r"[^\s,;:/&'\"-]", between
        ):  # a CJK character or a digit ends a run
            if len(current) >= 3:
                runs.append(" ".join(current))
            current = []
        word = match.group(0).strip(".'\u2019").lower()
        if word in ALLOWED_WORDS or len(word) <= 1:
            if len(current) >= 3:
                runs.append(" ".join(current))
            current = []
        else:
            current.append(match.group(0))
        position = match.end()
    if len(current) >= 3:
        runs.append(" ".join(current))
    return runs
