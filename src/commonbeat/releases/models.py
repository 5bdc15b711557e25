"""The publish log: each publication, who asked for it, how far it got and what it made."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Publishing")
        DONE = "done", _("Published")
        FAILED = "failed", _("Failed, nothing published")

    started = models.DateTimeField(_("started"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    actor = models.CharField(_("who"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    step = models.CharField(_("step"), max_length=200, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.started:%Y-%m-%d %H:%M} {self.status}"

    @property
    def who(self) -> str:
        """Return the person who published by name, or what did (a command)."""
        if self.user is not None:
            return self.user.get_full_name() or self.user.get_username()
        return self.actor
