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
    try:
        protocol = Protocol.model_validate(document)
    except ValidationError as exc:
        problems = problems_from_pydantic(list(exc.errors()), prefix="$.", tags=_TAGS)  # type: ignore[arg-type]
        raise InvalidProtocolError(problems) from None
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
