"""Public pages (home, agency, neighbourhoods) and the signed-in account pages."""

from __future__ import annotations

import sys
from typing import Any, Literal, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST

from commonbeat.core import address_search, api, policy, services
from commonbeat.core.account import account_page, account_user
from commonbeat.core.forms import (
    BIO_FIELDS,
    BioForm,
    FindNeighbourhoodForm,
    LanguageForm,
    NeighbourhoodForm,
)
from commonbeat.core.languages import translated
from commonbeat.core.maps import boundary_svg, streets_near
from commonbeat.core.models import (
    AddressPoint,
    Agency,
    Neighbourhood,
    Street,
    TeamMembership,
    User,
)
from commonbeat.core.panels import panels_for
from commonbeat.core.places import neighbourhood_index
from commonbeat.core.twins import respond

SameSite = Literal["Lax", "Strict", "None", False] | None


@policy.requires("public.view")
def home(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    agencies = list(api.agencies())
    neighbourhoods = list(api.neighbourhoods_with_agency())
    data = {
        "agencies": [api.agency_data(agency) for agency in agencies],
        "neighbourhoods": [api.neighbourhood_summary(n) for n in neighbourhoods],
    }
    context = {
        "agencies": agencies,
        "neighbourhoods": neighbourhoods,
        "find_form": FindNeighbourhoodForm(),
    }
    return respond(request, "core/home.html", context, data, suffix=suffix)


@policy.requires("public.view")
def agency_detail(request: HttpRequest, agency: str, suffix: str | None = None) -> HttpResponse:
    found = get_object_or_404(api.agencies(), slug=agency)
    neighbourhoods = list(found.neighbourhoods.select_related("agency").order_by("name"))
    data = {
        **api.agency_data(found),
        "neighbourhoods": [api.neighbourhood_summary(n) for n in neighbourhoods],
    }
    context = {"agency": found, "neighbourhoods": neighbourhoods}
    return respond(request, "core/agency.html", context, data, suffix=suffix)


@policy.requires("public.view")
def neighbourhood_list(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    neighbourhoods = list(api.neighbourhoods_with_agency())
    data = [api.neighbourhood_summary(n) for n in neighbourhoods]
    header = ["agency", "id", "name", "population", "latitude", "longitude"]
    rows = [
        [n.agency.slug, n.slug, n.name, n.population, n.centre_latitude, n.centre_longitude]
        for n in neighbourhoods
    ]
    return respond(
        request,
        "core/neighbourhood_list.html",
        {"neighbourhoods": neighbourhoods, "find_form": FindNeighbourhoodForm()},
        data,
        suffix=suffix,
        table=(header, rows),
        filename="neighbourhoods",
    )


@policy.requires("public.view")
def neighbourhood_detail(
    request: HttpRequest, agency: str, neighbourhood: str, suffix: str | None = None
) -> HttpResponse:
    found_agency = get_object_or_404(Agency, slug=agency)
    found = get_object_or_404(
        found_agency.neighbourhoods.select_related("agency").prefetch_related("links", "locations"),
        slug=neighbourhood,
    )
    data = api.neighbourhood_data(found)
    panels = panels_for(request, found)
    for panel in panels:
        data[panel["key"]] = panel["context"].get("data")
    points = [
        (float(location.latitude), float(location.longitude), translated(location, "name").text)
        for location in found.locations.all()
    ]
    streets = streets_near(
        found.boundary,
        list(Street.objects.filter(agency=found_agency).values_list("name", "geometry")),
    )
    context = {
        "agency": found_agency,
        "neighbourhood": found,
        "team": list(api.public_team(found)),
        "svg_map": boundary_svg(found.boundary, points, streets),
        "panels": panels,
        "map_config": {
            "boundary": found.boundary,
            "locations": data["locations"],
            # Tiles carry their own streets; without a tile server the map draws ours.
            "streets": [] if settings.MAP_TILE_URL else streets,
            "streetsLabel": _("Streets"),
            "tileUrl": settings.MAP_TILE_URL,
            "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        },
    }
    return respond(request, "core/neighbourhood_detail.html", context, data, suffix=suffix)


@policy.requires("public.view")
def find_neighbourhood(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    """Answer "which neighbourhood am I in?" for an address, a postcode or a point."""
    form = FindNeighbourhoodForm(request.GET)
    data: dict[str, Any] = {"query": "", "point": None, "matches": [], "clear_match": None}
    result = None
    located: Neighbourhood | None = None
    status = 200
    if not form.is_valid():
        status = 400
        data["errors"] = [str(error) for errors in form.errors.values() for error in errors]
    elif (point := form.point()) is not None:
        data["point"] = {"latitude": point[0], "longitude": point[1]}
        found = neighbourhood_index().locate(*point)
        if found is not None:
            located = Neighbourhood.objects.select_related("agency").get(pk=found.neighbourhood_id)
        data["neighbourhood"] = api.neighbourhood_ref(located)
    elif form.cleaned_data["q"].strip():
        result = address_search.search(form.cleaned_data["q"])
        data["query"] = result.query
        data["matches"] = [api.address_match_data(match) for match in result.matches]
        clear = result.clear_match
        data["clear_match"] = 0 if clear is not None else None
    header = ["address", "postcode", "score", "exact", "agency", "neighbourhood", "name"]
    rows = [
        [m["address"], m["postcode"], m["score"], m["exact"]]
        + [
            m["neighbourhood"][key] if m["neighbourhood"] else ""
            for key in ("agency", "id", "name")
        ]
        for m in data["matches"]
    ]
    context = {
        "form": form,
        "result": result,
        "clear": result.clear_match if result is not None else None,
        "point": data["point"],
        "located": located,
        "example": _example_address(),
    }
    response = respond(
        request,
        "core/find_neighbourhood.html",
        context,
        data,
        suffix=suffix,
        table=(header, rows),
        filename="neighbourhood-search",
    )
    response.status_code = status
    return response


def _example_address() -> str:
    """Return an address the visitor could type: a real one from the loaded file if any."""
    point = AddressPoint.objects.exclude(number="").order_by("pk").first()
    return f"{point.number} {point.street}" if point else _("12 Elm Street")


@policy.requires("account.view")
def account(request: HttpRequest) -> HttpResponse:
    return account_page(request)


@require_POST
@policy.requires("account.edit")
def choose_neighbourhood(request: HttpRequest) -> HttpResponse:
    form = NeighbourhoodForm(request.POST)
    if not form.is_valid():
        return account_page(request, {"neighbourhood": form}, status=400)
    chosen = form.chosen()
    services.choose_neighbourhood(account_user(request), chosen)
    if chosen is None:
        messages.success(request, _("Your neighbourhood has been cleared."))
    else:
        messages.success(request, _("Your neighbourhood is now %(name)s.") % {"name": chosen.name})
    return redirect("core:account")


@require_POST
@policy.requires("account.edit")
def choose_language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return account_page(request, {"language": form}, status=400)
    code = form.cleaned_data["language"]
    services.choose_language(account_user(request), code)
    if not code:
        messages.success(request, _("The site now follows the address you visit."))
        response = redirect("core:account")
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
    with translation.override(code):
        # Said in the language chosen, since the next page is in it.
        messages.success(request, _("The site is now in your language."))
    return switch_language(redirect(reverse("core:account")), code)


def switch_language(response: HttpResponseRedirect, code: str) -> HttpResponseRedirect:
    """Send a redirect to its address in the given language and remember it in the cookie.

    Pages take their language from the address (/es/...); the cookie serves the addresses
    without a prefix in the URLconf (the back office).
    """
    location = response["Location"]
    # translate_url resolves the address in the active language, so take the address's own.
    current = translation.get_language_from_path(location) or settings.LANGUAGE_CODE
    with translation.override(current):
        response["Location"] = translate_url(location, code)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
    )
    return response


class LoginView(auth_views.LoginView):
    """Django's log-in, then the site switches to the language the user chose."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        if isinstance(user, User) and user.language and isinstance(response, HttpResponseRedirect):
            return switch_language(response, user.language)
        return response


@policy.requires("teammembership.edit_bio")
def edit_bio(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership: TeamMembership = get_object_or_404(
        TeamMembership.objects.select_related("officer", "neighbourhood__agency"), pk=membership_id
    )
    if not policy.can(request.user, "teammembership.edit_bio", membership):
        raise PermissionDenied
    form = BioForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        services.update_team_bio(
            membership,
            {name.removeprefix("bio_"): form.cleaned_data[name] for name in BIO_FIELDS},
        )
        messages.success(request, _("Your public bio has been saved."))
        return redirect("core:account")
    return render(request, "core/bio_form.html", {"form": form, "membership": membership})


login = policy.requires("public.view")(LoginView.as_view())
logout = policy.requires("public.view")(auth_views.LogoutView.as_view())


# Seconds a client is asked to wait before sending again when the database was out of reach.
UNAVAILABLE_RETRY_SECONDS = 5


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Return the 500 page, rendered without the request so no context processor can fail it.

    When what failed is the database connection (a restart, a failover), the answer is 503
    with Retry-After instead: the fault is passing, the request's transaction was rolled back,
    and the client may send it again (a report sent twice is recognised as a duplicate).
    """
    current = get_language() or settings.LANGUAGE_CODE
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return _database_unavailable(request, current)
    codes = [current, *(code for code, _name in settings.LANGUAGES if code != current)]
    # Home addresses are spelled out rather than reversed: the URLconf may be what broke.
    languages = [(code, "/" if code == settings.LANGUAGE_CODE else f"/{code}/") for code in codes]
    page = loader.get_template("500.html").render({"language": current, "languages": languages})
    return HttpResponseServerError(page)


def _wants_json(request: HttpRequest) -> bool:
    path = request.path
    return (
        path.endswith(".json")
        or "/api/" in path
        or request.GET.get("format") == "json"
        or "application/json" in request.headers.get("Accept", "")
        or request.content_type == "application/json"
    )


def _database_unavailable(request: HttpRequest, current: str) -> HttpResponse:
    message = _(
        "The site could not reach its database for a moment, so nothing was changed. Please "
        "try again in %(seconds)s seconds; a report sent twice is recognised as the same one."
    ) % {"seconds": UNAVAILABLE_RETRY_SECONDS}
    response: HttpResponse
    if _wants_json(request):
        response = JsonResponse(
            {
                "error": "unavailable",
                "message": message,
                "retryable": True,
                "retry_after": UNAVAILABLE_RETRY_SECONDS,
            },
            status=503,
        )
    else:
        page = loader.get_template("503.html").render({"language": current, "message": message})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)
