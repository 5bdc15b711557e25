"""The import log: every import run, who ran it, and its full report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Status(models.TextChoices):
        COMMITTED = "committed", _("Stored")
        UNCHANGED = "unchanged", _("Nothing new")
        FAILED = "failed", _("Failed, nothing stored")

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

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.started:%Y-%m-%d %H:%M} {self.inputs[:60]}"
