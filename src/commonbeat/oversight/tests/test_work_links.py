"""The account page's "Oversight work" links each person to the pages the policy lets them
open, and no further; residents and the public see no such section."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from commonbeat.core.roles import Role

QUEUE = "/oversight/cases/"
OVERDUE = "/oversight/cases/?overdue=1"
FORCE_MINE = "/oversight/force/"
FORCE_QUEUE = "/oversight/force/queue/"
ALERTS = "/oversight/early-intervention/alerts/"
OWN_ALERTS = "/oversight/early-intervention/mine/"
ALL = {QUEUE, OVERDUE, FORCE_MINE, FORCE_QUEUE, ALERTS, OWN_ALERTS}

EXPECTED = {
    Role.RESIDENT: set(),
    Role.ANALYST: set(),
    Role.OFFICER: {FORCE_MINE, OWN_ALERTS},
    Role.SUPERVISOR: {QUEUE, OVERDUE, FORCE_MINE, FORCE_QUEUE, ALERTS, OWN_ALERTS},
    Role.INVESTIGATOR: {QUEUE, OVERDUE},
    Role.BOARD_MEMBER: {QUEUE, OVERDUE},
    Role.ADMINISTRATOR: {QUEUE, OVERDUE, FORCE_QUEUE, ALERTS},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_is_linked_to_the_oversight_pages_it_may_open(
    client_as: Callable[..., Client], role: str
) -> None:
    client = client_as(role)
    page = client.get("/account/").content.decode()
    shown = {url for url in ALL if f'href="{url.replace("&", "&amp;")}"' in page}
    assert shown == EXPECTED[role]
    assert ("Oversight work" in page) == bool(EXPECTED[role])
    for url in shown:  # every link shown opens
        assert client.get(url).status_code == 200, url
