"""`commonbeat createsuperuser`: the first administrator, made through the role (not is_superuser)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management.commands import createsuperuser

from commonbeat.core import audit


class Command(createsuperuser.Command):
    help = (
        "Create an account with the Administrator role, who may use the back office "
        "(/backoffice/). Logged in the audit log as command:createsuperuser."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # The manager (core.models.AccountManager) gives the role; this names the actor.
        with audit.acting_as("command:createsuperuser"):
            super().handle(*args, **options)
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(
                "The account has the Administrator role: sign in at /backoffice/ to manage "
                "agencies, neighbourhoods, officers and accounts."
            )
