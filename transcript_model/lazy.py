"""Names a package exports but loads on first use (PEP 562), to keep start-up short.

>>> getattr_, dir_ = lazy_exports("json", {"dumps": ""}, {})
>>> getattr_("dumps")({"a": 1}), "dumps" in dir_()
('{"a": 1}', True)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, table: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module ``__getattr__`` and ``__dir__`` for ``package``: each name in ``table`` is
    taken from the submodule it maps to (``""``: the package itself) when first asked
    for, then kept in ``namespace`` (the package's globals) so it is looked up only once."""

    def getattr_(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}" if module else package), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted({*namespace, *table})

    return getattr_, dir_
