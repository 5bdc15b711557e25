"""Panels that upper layers add to the neighbourhood page (core cannot import them).

A panel is a template and a function giving its context for one neighbourhood, or None when
it has nothing to say there; its `data` also goes into the page's JSON twin under its key.
Apps register panels from their AppConfig.ready(), as every extension point is filled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from commonbeat.core.registry import Registry

if TYPE_CHECKING:
    from django.http import HttpRequest

    from commonbeat.core.models import Neighbourhood


@dataclass(frozen=True)
class NeighbourhoodPanel:
    key: str
    template: str
    # Returns {"data": <JSON-able>, ...template context} or None to leave the panel out.
    build: Callable[[HttpRequest, Neighbourhood], dict[str, Any] | None]


NEIGHBOURHOOD_PANELS: Registry[NeighbourhoodPanel] = Registry(
    "neighbourhood panels", key=lambda panel: panel.key
)


def panels_for(request: HttpRequest, neighbourhood: Neighbourhood) -> list[dict[str, Any]]:
    """Return each registered panel that has something to show, in registration order."""
    shown = []
    for panel in NEIGHBOURHOOD_PANELS.values():
        context = panel.build(request, neighbourhood)
        if context is not None:
            shown.append({"key": panel.key, "template": panel.template, "context": context})
    return shown
