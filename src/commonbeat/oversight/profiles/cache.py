"""The profile pages' tables in the release cache: native DuckDB copies shaped for their use.

Read straight from Parquet, each page view would open and scan the release's files; the cache
database (releases/cache.py) holds these instead (measured with benchmarks/profiles.py):

- `BY_OFFICER`, one profile by its address (an ART index: the whole roster fits in one row
  group, where zone maps skip nothing), and the assignments and cases, indexed the same way;
- `LISTED`, the list's columns in name order with each row's place (`pos` over everyone,
  `agency_pos` within its agency), so a page of the list is a range of places, not a sort;
- `NAME_WORDS` and `BADGES`, the search indexes: one row per word of a name or badge held,
  with the list's columns beside it, sorted, so a search reads a range of one table and never
  joins back to the roster.

Registered from OversightConfig.ready().
"""

from __future__ import annotations

from commonbeat.oversight.profiles.release import ASSIGNMENTS, CASES, PROFILES
from commonbeat.releases.cache import derived

BY_OFFICER = "oversight_profiles_by_officer"
LISTED = "oversight_profiles_listed"
ASSIGNMENTS_CACHED = "oversight_profile_assignments_cached"
CASES_CACHED = "oversight_profile_cases_cached"
NAME_WORDS = "oversight_profile_name_words"
BADGES = "oversight_profile_badges"

# What a row of the list shows (profiles/views.py LIST_HEADER), and what it is sorted by.
LIST_COLUMNS = (
    "officer, name, agency, rank, unit, badge, complaints, allegations, sustained, "
    "commendations, force_incidents, name_search"
)

# Every name and column here is fixed in code; no outside value reaches this SQL.
derived(BY_OFFICER, [PROFILES], f"SELECT * FROM {PROFILES}", indexes=["officer"])  # noqa: S608
derived(
    LISTED,
    [PROFILES],
    f"SELECT {LIST_COLUMNS}, row_number() OVER (ORDER BY name_search, officer) AS pos, "  # noqa: S608
    "row_number() OVER (PARTITION BY agency ORDER BY name_search, officer) AS agency_pos "
    f"FROM {PROFILES}",
    order_by="pos",
)
derived(
    ASSIGNMENTS_CACHED,
    [ASSIGNMENTS],
    f"SELECT * FROM {ASSIGNMENTS}",  # noqa: S608
    "officer, n",
    ["officer"],
)
derived(CASES_CACHED, [CASES], f"SELECT * FROM {CASES}", "officer, n", ["officer"])  # noqa: S608
derived(
    NAME_WORDS,
    [PROFILES],
    f"SELECT DISTINCT unnest(string_split(name_search, ' ')) AS word, {LIST_COLUMNS} "  # noqa: S608
    f"FROM {PROFILES}",
    order_by="word, name_search, officer",
)
derived(
    BADGES,
    [PROFILES],
    f"SELECT DISTINCT unnest(string_split(trim(badges), ' ')) AS held, {LIST_COLUMNS} "  # noqa: S608
    f"FROM {PROFILES} WHERE trim(badges) <> ''",
    order_by="held, officer",
)
