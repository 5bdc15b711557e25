from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "commonbeat.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from commonbeat.insights import release
        from commonbeat.insights.equity import ANALYSES, Analysis
        from commonbeat.records.contributions import CONTRIBUTORS

        # In the order a reader meets them: who is stopped, who is searched and what searches
        # find, whether stops change when race is harder to see, the threshold test that
        # answers the outcome test's weakness, then force and complaints. Dotted paths, so
        # that reading reports (the public side) never imports statsmodels or JAX.
        for name, function in (
            ("benchmark", "benchmark.benchmark_test"),
            ("outcome", "outcome.outcome_test"),
            ("veil_of_darkness", "darkness.veil_of_darkness"),
            ("daylight_saving", "darkness.daylight_saving"),
            ("threshold", "threshold.threshold_test"),
            ("force", "force.force_rates"),
            ("sustained", "sustained.sustained_rates"),
        ):
            ANALYSES.register(Analysis(name, f"commonbeat.insights.{function}"))
        CONTRIBUTORS.register(release.CONTRIBUTOR)  # each agency's equity report
