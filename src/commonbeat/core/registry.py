"""Extension points: the one way an app plugs something into another layer.

An extension point is a `Registry`, created by the layer that consumes the entries (the record
store's mappings, the release's contributors, the demo's generators, ...). Apps add entries
from their `AppConfig.ready()`, or with the registry's decorator in a module that `ready()`
imports, so a lower layer never names its users and a new app plugs in from its own folder.

    # records/mapping.py (the layer that uses mappings)
    MAPPINGS: Registry[type[Mapping]] = Registry("source mappings", key=lambda m: m.name)

    # records/mappings/nypd_sqf.py (imported by RecordsConfig.ready())
    @MAPPINGS.register
    class NypdSqf(Mapping): ...

A registry reads like a dict (keys, values, items, `in`, `[key]`), in the order entries were
registered, which follows INSTALLED_APPS (lower layers first), so readers that show entries
in order see a stable one. Two entries with one key are a configuration error, raised at
start-up naming both.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

T = TypeVar("T")


class RegistryError(LookupError):
    """An entry is missing or registered twice; the message names the registry and the key."""


class Registry(Mapping[str, T]):
    """A named, ordered, read-only mapping of entries keyed by `key(entry)`; `register()`
    is the only way in."""

    def __init__(self, name: str, key: Callable[[T], str]) -> None:
        self.name = name
        self._key = key
        self._entries: dict[str, T] = {}

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {', '.join(self._entries) or 'empty'}>"

    def register(self, entry: T) -> T:
        """Add an entry and return it unchanged (so this also works as a class decorator)."""
        key = self._key(entry)
        if key in self._entries and self._entries[key] is not entry:
            raise RegistryError(
                f"Two {self.name} are registered as {key!r}: {self._entries[key]!r} and {entry!r}."
            )
        self._entries[key] = entry
        return entry

    def __getitem__(self, key: str) -> T:
        return self._entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)


def import_modules(package: str) -> None:
    """Import every module of a package, so that the decorators in them register their
    entries (a folder of mappings or demo generators: adding one is adding a file)."""
    found = importlib.import_module(package)
    for module in pkgutil.iter_modules(found.__path__):
        importlib.import_module(f"{package}.{module.name}")
