"""Package attributes imported from their modules on first use (PEP 562), for `desktop_app.rules`
and `desktop_app.store`: importing a light submodule (rules.language, store.gate for the sign-in
window) must not import pydantic, sqlite-utils and the whole engine with it."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(
    package: str, module_of: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module `__getattr__`: `name` from `package.<module_of[name]>`, kept in `namespace`
    (the package's globals) so that the next use costs nothing."""

    def attribute(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        imported = importlib.import_module(f"{package}.{module}")
        value = getattr(imported, name)
        namespace[name] = value
        # Importing a submodule sets the package's attribute of its name to the module; where
        # that name is one of these attributes too (rules.evaluate: the module and its function),
        # the attribute is put back, whichever of the module's names came first.
        if module_of.get(module) == module:
            namespace[module] = getattr(imported, module)
        return value

    return attribute
