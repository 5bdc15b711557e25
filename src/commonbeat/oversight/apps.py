from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """Complaints and commendations, cases, use-of-force review, early intervention, profiles."""

    name = "commonbeat.oversight"
    label = "oversight"
    verbose_name = _("Oversight")

    def ready(self) -> None:
        from commonbeat.core import audit
        from commonbeat.core.account import ACCOUNT_SECTIONS
        from commonbeat.core.jobs import JOB_KINDS, JobKind
        from commonbeat.core.policy import register_actions
        from commonbeat.oversight import models, permissions, sources
        from commonbeat.oversight.early.indicators import COUNT_SOURCES

        register_actions(permissions.RULES, permissions.OBJECT_RULES)
        # Every change to a case, its people and its findings is in the audit log; who the
        # complainant and witnesses are is logged only as "changed" ([redacted]), since the
        # log's readers are not all entitled to it.
        audit.register(
            models.Complaint,
            secret=(
                "complainant_name",
                "complainant_email",
                "complainant_phone",
                "complainant_address",
                "secret_hash",
                # The complainant's own words name them and their witnesses.
                "narrative",
            ),
        )
        # A file's name as sent may carry the sender's name.
        audit.register(models.Attachment, secret=("original_name",))
        audit.register(models.Witness, secret=("name", "contact", "statement"))
        audit.register(
            models.InvolvedOfficer,
            models.Allegation,
            models.StageChange,
            models.StageDeadline,
            models.Extension,
            models.Notification,
        )
        # Use-of-force reports: the audit log records each change; django-simple-history
        # also keeps every version of the report and its rows, shown to its reviewers.
        audit.register(
            models.ForceReport,
            models.ForceSubject,
            models.ForceOfficer,
            models.ForceUse,
            models.ForceResistance,
            models.BodyCamera,
            models.ForceReview,
        )
        # Early intervention: rules are operator settings; alerts and reviews are confidential
        # and every change to them is kept.
        audit.register(models.AlertRule, models.Alert, models.AlertReview)
        # "Your complaints and commendations" on the account page.
        from commonbeat.oversight import work
        from commonbeat.oversight.cases import account

        ACCOUNT_SECTIONS.register(account.REPORTS)
        # "Oversight work": the queues and pages this person may open.
        ACCOUNT_SECTIONS.register(work.WORK)
        # Filed use-of-force reports count in early intervention's indicators.
        COUNT_SOURCES.register(sources.FORCE_REPORTS)
        # Oversight's public aggregates in every release (after the record store's tables).
        from commonbeat.oversight import release
        from commonbeat.records.contributions import CONTRIBUTORS

        release.TABLE_SOURCES.register(sources.FORCE_REVIEWS)
        CONTRIBUTORS.register(release.CONTRIBUTOR)
        # Public officer profiles, when the deployment's policy publishes them.
        from commonbeat.oversight.profiles import cache as profile_cache  # noqa: F401  registers
        from commonbeat.oversight.profiles import release as profiles

        CONTRIBUTORS.register(profiles.CONTRIBUTOR)
        JOB_KINDS.register(
            JobKind(
                "oversight.early_evaluate", "commonbeat.oversight.early.services.run_evaluation"
            )
        )
