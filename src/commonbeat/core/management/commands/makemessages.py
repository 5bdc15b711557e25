"""`makemessages` that also collects `N_("...")`.

Analyses store their sentences untranslated (insights/results.py: a result is computed once and
read in either language) and mark each msgid with `gettext_noop as N_`; xgettext must know the
alias to find them.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
