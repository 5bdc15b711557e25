"""The veil-of-darkness test, as the Stanford Open Policing Project runs it, and its
daylight-saving variant.

If officers decide whom to stop partly by race, a group whose race is visible in daylight should
make up a smaller share of stops after dark, when race is harder to see. Clock time confounds
this (who drives at 18:00 differs from who drives at 21:00), so the test compares light with
dark at the same clock time: between the earliest and the latest dusk of the year, each clock
time is light on some days and dark on others. ../shared/docs/methods.md gives the steps; the
Stanford code (stanford-policylab/opp, lib/eligibility.R and lib/veil_of_darkness*.R) decides
the details, each noted where it is applied:

1. Keep vehicular stops (all stops, with a caveat, when the records have none) of the two groups,
   with a date and a clock time (and an area, when the records have areas).
2. Sunset and dusk for each stop's place and date (`sun.py`); stops with no place of their own
   take their area's mean position, then the source's `centre`.
3. The inter-twilight window: clock times from the earliest to the latest dusk among the stops
   (Stanford: `min(dusk_minute)`/`max(dusk_minute)` over all of a city's or state's stops, all
   years together, not per year or per area). Stops between sunset and dusk are dropped; a stop
   is dark from the minute of dusk on (`minute >= dusk_minute`, whole minutes).
4. Clock time rounded to 5 minutes; area-years with fewer than 100 stops of either group
   removed, then at most the 20 areas with most stops kept.
5. Counts per cell (area x rounded minute x dark) and the binomial GLM
   `cbind(n_group, n_reference) ~ is_dark + ns(minute, df = 6) + area`; the estimate is the
   `is_dark` coefficient. The daylight-saving variant keeps the stops within 30 days of each
   clock change and adds `season * year`.

Everything row-wise runs in DuckDB (temporary tables named `_vod_*`, dropped at the end);
Python sees only the few thousand cells the model is fitted on.

The modules, in the order a run goes through them:

- analysis.py: `veil_of_darkness`, `daylight_saving` and `model_cells`, and the run from the
  steps below to the fit and the result;
- pipeline.py: the checks that the stops can support the test, their time zones and clock
  changes, step 1's row filters, and the steps below in order;
- sun_times.py: step 2, each stop's place and the evenings whose sun times sun.py computes;
- counts.py: steps 3 and 4, logged from counts of the stops, and step 5's cells;
- model.py: step 5's GLM, its design matrix and fit;
- result.py: the estimates, findings, tables, assumptions and caveats;
- run.py: the options, and what a run has learnt so far, shared by the steps.
"""

from commonbeat.insights.darkness.analysis import daylight_saving, model_cells, veil_of_darkness
from commonbeat.insights.darkness.model import Cells, Fit, design, fit_cells
from commonbeat.insights.darkness.run import FIELDS

__all__ = [
    "FIELDS",
    "Cells",
    "Fit",
    "daylight_saving",
    "design",
    "fit_cells",
    "model_cells",
    "veil_of_darkness",
]
