"""The city's named streets and address points, loaded through the operators' loader."""

from __future__ import annotations

import tempfile
from pathlib import Path

from commonbeat.core.audit import acting_as
from commonbeat.demo.generators import DemoRun, generator
from commonbeat.demo.streets import load_streets


@generator("streets", order=15)
def streets(run: DemoRun) -> None:
    """Draw the streets and number the houses, replacing the ones from an earlier run."""
    run.say("Naming the streets and numbering the houses…")
    with tempfile.TemporaryDirectory() as folder, acting_as("command:demo"):
        count, load = load_streets(run.city(), Path(folder))
    run.say(
        f"{count} streets and {load.loaded} address points loaded "
        f"({load.outside} just outside every neighbourhood).",
        "success",
    )
