"""What every equity analysis's result must be, for the analyses' tests.

The root conftest.py registers this module for pytest's assertion rewriting, so its
failures explain themselves as a test module's do.
"""

from __future__ import annotations

import json

from commonbeat.core.registry import Registry
from commonbeat.insights.equity import Analysis
from commonbeat.insights.results import Result


def assert_well_formed(result: Result, *, decided: bool = False) -> None:
    """Decisions chain, coverage is a share, the result survives JSON both ways, and every
    sentence renders with its parameters filled in.

    `decided`: the result must have logged decisions, the last ending at the sample analysed
    (every applicable benchmark result does); otherwise that is checked only where there are
    decisions, as a not-applicable result may stop before any.
    """
    for before, after in zip(result.decisions, result.decisions[1:], strict=False):
        assert before.rows_after == after.rows_before
    if decided:
        assert result.decisions, "no decision was logged"
    if result.decisions:
        assert result.decisions[-1].rows_after == result.sample_size
    assert all(0 <= share <= 1 for share in result.coverage.values())
    data = json.loads(json.dumps(result.to_dict()))
    assert Result.from_dict(data).to_dict() == data
    sentences = [result.title, result.method, *result.summary, *result.caveats]
    sentences += [*result.assumptions, *(t for d in result.decisions for t in (d.step, d.reason))]
    sentences += [t.title for t in result.tables] + [
        c.label for t in result.tables for c in t.columns
    ]
    sentences += [t for t in (result.uncertainty, result.reason) if t is not None]
    for sentence in sentences:
        shown = sentence.render()
        assert shown and "%(" not in shown and "%%" not in shown, sentence.msgid


def registry_of(*analyses: Analysis) -> Registry[Analysis]:
    """Return a stand-in for the analyses registry holding only these (tests monkeypatch it)."""
    registry: Registry[Analysis] = Registry("analyses", key=lambda analysis: analysis.name)
    for analysis in analyses:
        registry.register(analysis)
    return registry
