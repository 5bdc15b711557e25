"""Surveys' actions in the permission policy.

Anyone may open a survey (the view then asks for a one-time link or a signed-in account).
Analysts build surveys, load population counts, read free text, publish excerpts and results;
administrators too. Nobody else sees responses: supervisors and officers read published
results like the public.
"""

from __future__ import annotations

from commonbeat.core.policy import PUBLIC, Holders
from commonbeat.core.roles import Role

SURVEY_STAFF = frozenset({Role.ANALYST, Role.ADMINISTRATOR})
ADMIN = frozenset({Role.ADMINISTRATOR})

RULES: dict[str, Holders] = {"survey.answer": PUBLIC}
for model in ("survey", "wave", "question", "choice", "matrixrow", "populationcount"):
    RULES.update(
        {
            f"{model}.view": SURVEY_STAFF,
            f"{model}.add": SURVEY_STAFF,
            f"{model}.change": SURVEY_STAFF,
            f"{model}.delete": SURVEY_STAFF,
        }
    )
# Responses are never changed by hand; an administrator may delete one (e.g. a spoiled test).
for model in ("response", "answer", "invitation", "waveresult"):
    RULES.update(
        {
            f"{model}.view": SURVEY_STAFF,
            f"{model}.add": frozenset(),
            f"{model}.change": frozenset(),
            f"{model}.delete": ADMIN,
        }
    )
RULES.update(
    {
        "excerpt.view": SURVEY_STAFF,
        "excerpt.add": SURVEY_STAFF,
        "excerpt.change": SURVEY_STAFF,
        "excerpt.delete": SURVEY_STAFF,
        "wave.publish": SURVEY_STAFF,
        "wave.invite": SURVEY_STAFF,
    }
)
