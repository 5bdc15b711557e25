"""One year (2025) of the demo city's police records, with known effects planted in them.

From the city plan and its seed, `generate_records` writes Commonbeat standard CSV files into a
folder and `load_records` imports them through the one import path, so the demo city's records
are stored, checked and replaced like any other source's. The same seed always writes the same
bytes; a full year takes a few seconds. demo/demo-city.md describes the records and lists the
values each planted effect recovers.

Records (full scale): 60,000 stops, 80,000 calls for service, 25,000 crimes, 600 use-of-force
incidents (with subjects, officers and actions) and 400 complaints (with allegations and
complainants), dated in 2025 (America/Chicago), plus the residents by race of each
neighbourhood (the benchmark denominator). One module per seam:

- common.py: the year, counts, file names, seeded generators, table and CSV helpers
- clock.py: local instants, clock changes and the sun (`sun_times`)
- places.py: points inside neighbourhoods and their location columns
- roster.py: which officer a record names, and the high-force officers (`high_force_officers`)
- population.py: residents by race and stop rates (`resident_population`), effect 1
- context.py: what every record family draws from
- stops.py: effects 1 (stop disparity), 2 (veil of darkness), 3 (searches and hits)
- calls.py: effect 4 (response times, `slow_neighbourhood`) and 9 (quieter nights,
  `quiet_neighbourhood`)
- crimes.py: effect 5 (hot spot, `hot_spot`)
- force.py: use of force, effect 7 (early-intervention signal)
- complaints.py: effect 6 (complaint outcomes) and the rest of effect 7
- load.py: `generate_records`, `import_records`, `load_records`
"""

from __future__ import annotations

from commonbeat.demo.records.calls import quiet_neighbourhood, slow_neighbourhood
from commonbeat.demo.records.clock import sun_times
from commonbeat.demo.records.common import COUNTS, FILES, YEAR
from commonbeat.demo.records.crimes import hot_spot
from commonbeat.demo.records.load import GeneratedRecords, generate_records, load_records
from commonbeat.demo.records.population import resident_population
from commonbeat.demo.records.roster import high_force_officers

__all__ = [
    "COUNTS",
    "FILES",
    "YEAR",
    "GeneratedRecords",
    "generate_records",
    "high_force_officers",
    "hot_spot",
    "load_records",
    "quiet_neighbourhood",
    "resident_population",
    "slow_neighbourhood",
    "sun_times",
]
