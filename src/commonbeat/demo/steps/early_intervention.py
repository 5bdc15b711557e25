"""Early-intervention alerts for the demo city: the default rules evaluated as of the records'
last day, so the supervisors' queue shows the planted officers (demo/demo-city.md, section 7)."""

from __future__ import annotations

import datetime

from commonbeat.core import audit
from commonbeat.demo.generators import DemoRun, generator
from commonbeat.demo.records import YEAR
from commonbeat.oversight.early import services


@generator("early_intervention", order=40)
def early_intervention(run: DemoRun) -> None:
    """Evaluate the early-intervention rules (idempotent: a rebuild opens no duplicates)."""
    if run.options.get("no_records"):
        return
    with audit.acting_as("command:demo"):
        result = services.evaluate(datetime.date(YEAR, 12, 31))
    run.say(
        f"Early intervention: {len(result.opened)} alerts opened, {result.already_open} "
        f"already open, for {result.officers} officers."
    )
