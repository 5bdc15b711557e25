"""The import log: every import run, who ran it, and its full report."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Status(models.TextChoices):
        COMMITTED = "committed", _("Stored")
        PARTLY = "partly", _("Partly stored")
        REJECTED = "rejected", _("Rejected")
        UNCHANGED = "unchanged", _("Nothing new")
        FAILED = "failed", _("Failed, nothing stored")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")

    started = models.DateTimeField(_("started"), auto_now_add=True)
    actor = models.CharField(_("who"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    inputs = models.TextField(_("inputs"))
    mapping = models.CharField(_("mapping"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    rows_read = models.PositiveBigIntegerField(_("rows read"), default=0)
    rows_stored = models.PositiveBigIntegerField(_("rows stored"), default=0)
    rows_rejected = models.PositiveBigIntegerField(_("rows rejected"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    report = models.JSONField(_("report"), default=dict)
    # The background job that runs an upload's import (core/jobs.py); none for commands.
    job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.started:%Y-%m-%d %H:%M} {self.file_names[:60]}"

    @property
    def is_pending(self) -> bool:
        """Return whether the import is still waiting or running in the background."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def file_names(self) -> str:
        """Return the input files' names, without the server's folders."""
        return ", ".join(PurePath(line).name for line in self.inputs.splitlines() if line)

    @property
    def who(self) -> str:
        """Return the person who ran the import by name, or what ran it (a command)."""
        if self.user is not None:
            return self.user.get_full_name() or self.user.get_username()
        if self.actor.startswith("command:"):
            return _("command line (%(command)s)") % {"command": self.actor.split(":", 1)[1]}
        return self.actor
