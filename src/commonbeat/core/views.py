"""Public pages (home, agency, neighbourhoods) and the signed-in account pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from commonbeat.core import api, policy, services
from commonbeat.core.forms import BIO_FIELDS, BioForm
from commonbeat.core.languages import translated
from commonbeat.core.maps import boundary_svg
from commonbeat.core.models import Agency, TeamMembership
from commonbeat.core.twins import respond


@policy.requires("public.view")
def home(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    agencies = list(api.agencies())
    neighbourhoods = list(api.neighbourhoods_with_agency())
    data = {
        "agencies": [api.agency_data(agency) for agency in agencies],
        "neighbourhoods": [api.neighbourhood_summary(n) for n in neighbourhoods],
    }
    context = {"agencies": agencies, "neighbourhoods": neighbourhoods}
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
        {"neighbourhoods": neighbourhoods},
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
    points = [
        (float(location.latitude), float(location.longitude), translated(location, "name").text)
        for location in found.locations.all()
    ]
    context = {
        "agency": found_agency,
        "neighbourhood": found,
        "team": list(api.public_team(found)),
        "svg_map": boundary_svg(found.boundary, points),
        "map_config": {
            "boundary": found.boundary,
            "locations": data["locations"],
            "tileUrl": settings.MAP_TILE_URL,
            "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        },
    }
    return respond(request, "core/neighbourhood_detail.html", context, data, suffix=suffix)


@policy.requires("account.view")
def account(request: HttpRequest) -> HttpResponse:
    memberships: list[TeamMembership] = []
    officer_id = getattr(request.user, "officer_id", None)
    if officer_id is not None:
        memberships = list(
            TeamMembership.objects.filter(officer_id=officer_id).select_related(
                "neighbourhood__agency"
            )
        )
    return render(request, "core/account.html", {"memberships": memberships})


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


login = policy.requires("public.view")(
    auth_views.LoginView.as_view(template_name="core/login.html", redirect_authenticated_user=True)
)
logout = policy.requires("public.view")(auth_views.LogoutView.as_view())


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)
