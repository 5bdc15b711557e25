"""The demo city is built by generators, one per app, run in order by `commonbeat demo`.

Each generator is a function of a `DemoRun` registered in `GENERATORS` with `@generator(...)`
in a module of demo/steps/, all of which DemoConfig.ready() imports: the city itself
(places, people and accounts: steps/city.py), a year of police records (steps/records.py),
and the release that publishes them (steps/release.py). An app adds its own demo data, with
its own planted effects, as one more module in demo/steps/ (and its generating code in a
package beside records/), without touching another app's: the demo app sits at the top of
the layers, so it alone may use every app's models and services.

Generators run in ascending `order`; the city is 10, its streets and addresses 15, records 20,
publication 90, so an app's
data goes between (oversight's cases, say, at 30). A generator reads what earlier ones left
on the run (`run.plan`, `run.has_release_data`, `run.changed`) and says what it did with `run.say()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from commonbeat.core.registry import Registry
from commonbeat.demo.city import CityPlan


@dataclass
class DemoRun:
    """One `commonbeat demo`: its options, what earlier generators made, and its output."""

    seed: int
    options: dict[str, Any]  # the command's options (accounts, records_scale, no_records, …)
    say: Callable[..., None]  # say(text, style=None): style is "success" or None
    plan: CityPlan | None = None  # set by the city generator
    # Whether any generator made data a release carries, and whether any of it is new.
    has_release_data: bool = False
    changed: bool = False

    def city(self) -> CityPlan:
        """Return the city plan (a generator that needs it runs after the city's)."""
        if self.plan is None:
            raise RuntimeError("The city generator has not run yet.")
        return self.plan


@dataclass(frozen=True)
class Generator:
    name: str
    order: int
    run: Callable[[DemoRun], None]


GENERATORS: Registry[Generator] = Registry("demo generators", key=lambda g: g.name)


def generator(
    name: str, order: int
) -> Callable[[Callable[[DemoRun], None]], Callable[[DemoRun], None]]:
    """Register the decorated function as a demo generator."""

    def register(function: Callable[[DemoRun], None]) -> Callable[[DemoRun], None]:
        GENERATORS.register(Generator(name, order, function))
        return function

    return register


def in_order() -> list[Generator]:
    """Return the registered generators in the order they run."""
    return sorted(GENERATORS.values(), key=lambda g: (g.order, g.name))
