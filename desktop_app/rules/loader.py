"""Load a protocol file all-or-nothing: every problem is reported with its JSON path."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import get_args

from pydantic import ValidationError

from desktop_app.paths import default_protocol_path
from desktop_app.rules.errors import InvalidProtocolError, Problem, problems_from_pydantic
from desktop_app.rules.protocol import Criterion, Domain, LoadedProtocol, Protocol, canonical_sha256


def _discriminator_tags(*unions: object) -> frozenset[str]:
    tags: set[str] = set()
    for annotated in unions:
        for model in get_args(get_args(annotated)[0]):
            tags.update(get_args(model.model_fields["kind"].annotation))
    return frozenset(tags)


_TAGS = _discriminator_tags(Criterion, Domain)


def parse_protocol(text: str | bytes) -> LoadedProtocol:
    """Validate protocol JSON text; raise InvalidProtocolError and load nothing on any problem."""
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidProtocolError([Problem("$", f"not valid JSON: {exc}")]) from None
    languages = language_problems(document)
    try:
        protocol = Protocol.model_validate(document)
    except ValidationError as exc:
        problems = problems_from_pydantic(list(exc.errors()), prefix="$.", tags=_TAGS)  # type: ignore[arg-type]
        raise InvalidProtocolError(problems + languages) from None
    if languages:
        raise InvalidProtocolError(languages)
    return LoadedProtocol(protocol=protocol, sha256=canonical_sha256(document))


def load_protocol(path: Path) -> LoadedProtocol:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidProtocolError([Problem("$", f"cannot read {path}: {exc.strerror}")]) from None
    return parse_protocol(data)


@lru_cache(maxsize=1)
def default_protocol() -> LoadedProtocol:
    """The bundled NCT04660565 protocol, loaded once per process."""
    return load_protocol(default_protocol_path())


def language_problems(document: object) -> list[Problem]:
    """Every text of a protocol in every language the protocol uses: a text with English but not
    Chinese (or the reverse) is refused, and each language beside English must be declared in
    metadata.translations (its texts are translations of the English reference)."""
    texts: list[tuple[str, frozenset[str]]] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            if "en" in node and all(isinstance(v, str) for v in node.values()):
                texts.append((path, frozenset(node)))
                return
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(document, "$")
    used = frozenset().union(*(langs for _, langs in texts)) if texts else frozenset({"en"})
    problems = [
        Problem(
            path,
            f"has {', '.join(sorted(langs))} but not {', '.join(sorted(used - langs))}: "
            "every text needs each language the protocol uses",
        )
        for path, langs in texts
        if langs != used
    ]
    metadata = document.get("metadata") if isinstance(document, dict) else None
    declared = {
        t.get("language")
        for t in (metadata.get("translations") or [] if isinstance(metadata, dict) else [])
        if isinstance(t, dict)
    }
    for language in sorted(used - {"en"} - declared):
        problems.append(Problem("$.metadata.translations",
                                f"texts in {language} are not declared as a translation of 'en'"))  # fmt: skip
    return problems
