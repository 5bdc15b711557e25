from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    """Meetings and events, neighbourhood priorities from "you said" to "we did"."""

    name = "commonbeat.engagement"
    label = "engagement"
    verbose_name = _("Engagement")

    def ready(self) -> None:
        from datetime import timedelta

        from commonbeat.core import audit
        from commonbeat.core.api import NEIGHBOURHOOD_LISTINGS
        from commonbeat.core.jobs import JOB_KINDS, PERIODIC, JobKind, Periodic
        from commonbeat.core.panels import NEIGHBOURHOOD_PANELS
        from commonbeat.core.policy import register_actions
        from commonbeat.engagement import listings, models, panels, permissions, release
        from commonbeat.engagement.announcements import panel as announcement_panel
        from commonbeat.records.contributions import CONTRIBUTORS

        register_actions(permissions.RULES, permissions.OBJECT_RULES)
        # Published survey results go into every release beside the records.
        CONTRIBUTORS.register(release.CONTRIBUTOR)
        # A registrant's name and address are theirs: the log says they changed, not to what.
        audit.register(models.Registration, secret=("name", "email", "needs"))
        audit.register(models.MinutesComment, secret=("text",))
        audit.register(
            models.Event, models.MeetingConcern, models.Priority, models.Milestone, models.Measure
        )
        # A concern's reporter is theirs: the log says their details changed, not to what.
        audit.register(
            models.Concern,
            secret=("first_name", "last_name", "email", "phone", "device_id", "account_id"),
        )
        audit.register(models.Follower, secret=("email",))
        audit.register(
            models.Service, models.ServiceAttribute, models.AttributeValue, models.StatusNote
        )
        audit.register(models.ApiKey)
        # Survey staff's work is logged; residents' answers are not (they are anonymous, and
        # the log would tie each to a time and a session).
        audit.register(
            models.Survey, models.Wave, models.Question, models.Choice, models.MatrixRow,
            models.WaveResult,
        )  # fmt: skip
        audit.register(models.Excerpt)
        # A volunteer's details and screening are private: the log says they changed, not to what.
        audit.register(
            models.Volunteer,
            secret=("name", "email", "phone", "languages", "notes", "screening", "screening_note"),
        )
        audit.register(models.Programme, models.ProgrammeRole, models.HoursServed)
        audit.register(
            models.Announcement, models.CriticalIncident, models.IncidentUpdate, models.IncidentLink
        )
        NEIGHBOURHOOD_PANELS.register(panels.PANEL)
        # Safety alerts and the latest announcements, after "You said, we did".
        NEIGHBOURHOOD_PANELS.register(announcement_panel.PANEL)
        # The data.police.uk-compatible API lists each neighbourhood's events and priorities.
        NEIGHBOURHOOD_LISTINGS.register(listings.EVENTS)
        NEIGHBOURHOOD_LISTINGS.register(listings.PRIORITIES)
        JOB_KINDS.register(
            JobKind("engagement.reminders", "commonbeat.engagement.events.services.reminders_job")
        )
        PERIODIC.register(Periodic("engagement.reminders", every=timedelta(minutes=15)))
        # Batch services' concerns are accepted by the worker (their apps follow a token).
        JOB_KINDS.register(
            JobKind(
                "engagement.accept_concerns",
                "commonbeat.engagement.concerns.services.accept_pending",
                3,
            )
        )
        PERIODIC.register(Periodic("engagement.accept_concerns", every=timedelta(minutes=1)))
