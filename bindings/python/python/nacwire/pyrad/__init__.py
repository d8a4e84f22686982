"""A drop-in for pyrad 2.6: the same modules, names and behaviours over nacwire.

Change ``import pyrad.packet`` to ``import nacwire.pyrad.packet``, or leave every
``pyrad`` import alone and call :func:`install` once at start::

    import nacwire.pyrad
    nacwire.pyrad.install()   # from now on `import pyrad...` gives nacwire.pyrad
    import pyrad.client

Packets split and join in Rust; dictionaries load the FreeRADIUS tree as shipped.
What differs from pyrad, and why, is in the package's COMPATIBILITY.md.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType
from typing import Any

__version__ = "2.6.0"
# pyrad's own __all__ (its modules): `from pyrad import *` binds the same names; install
# is reached as nacwire.pyrad.install.
__all__ = ["client", "dictfile", "dictionary", "packet", "server", "tools"]

_PREFIX = __name__  # "nacwire.pyrad"


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves ``pyrad`` and ``pyrad.x`` to the already imported ``nacwire.pyrad.x``."""

    def __init__(self) -> None:
        self._specs: dict[str, Any] = {}

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "pyrad" and not fullname.startswith("pyrad."):
            return None
        real = _PREFIX + fullname[len("pyrad") :]
        try:
            if importlib.util.find_spec(real) is None:
                return None
        except ModuleNotFoundError:  # e.g. pyrad.tests: not ours, left to the other finders
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=fullname == "pyrad")

    def create_module(self, spec: Any) -> ModuleType:
        # The same module object under both names: patching pyrad.client.time patches ours.
        module = importlib.import_module(_PREFIX + spec.name[len("pyrad") :])
        self._specs[spec.name] = (module.__spec__, module.__loader__)
        return module

    def exec_module(self, module: ModuleType) -> None:
        # Already executed under its own name; keep its own spec (the import system
        # set the alias's).
        own = self._specs.pop(module.__spec__.name if module.__spec__ else "", None)
        if own is not None:
            module.__spec__, module.__loader__ = own


def install() -> None:
    """Make every later ``import pyrad`` / ``import pyrad.x`` resolve to ``nacwire.pyrad``.

    Idempotent. Raises ``RuntimeError`` if a real pyrad was imported already (its
    objects would mix with ours).
    """
    loaded = sys.modules.get("pyrad")
    if loaded is not None and loaded is not sys.modules[_PREFIX]:
        raise RuntimeError(
            "pyrad is already imported; call nacwire.pyrad.install() before importing it"
        )
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.insert(0, _Alias())


# pyrad's __all__ names its modules; here they are imported with the package.
from nacwire.pyrad import client, dictfile, dictionary, packet, server, tools  # noqa: E402
