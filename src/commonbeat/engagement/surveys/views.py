"""Survey pages: the list, a survey with its trends, a wave's published results, answering (by
one-time link or signed in), and published sentiment scores charted beside them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from commonbeat.core import policy, twins
from commonbeat.core.languages import translated
from commonbeat.core.models import Agency
from commonbeat.core.roles import Role
from commonbeat.engagement.links import secret_page
from commonbeat.engagement.surveys import api, chart, sentiment, services
from commonbeat.engagement.surveys.forms import SurveyForm
from commonbeat.engagement.surveys.models import Invitation, Survey, Wave, WaveResult
from commonbeat.releases.cache import current_release

SURVEY_HEADER = ("survey", "title", "agency", "wave", "name", "opens", "closes", "results_url")
TREND_HEADER = ("question", "statement", "wave", "respondents", "share", "low", "high", "margin")
SENTIMENT_HEADER = ("level", "area", "measure", "period_start", "period_end", "value")


@policy.requires("engagement.view")
def survey_list(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    surveys = list(api.public_surveys())
    listed = [api.survey_data(s) for s in surveys]
    release = current_release()
    published = [
        {"agency": a, "name": _agency_name(a), "url": _sentiment_url(a)}
        for a in sentiment.agencies(release)
    ]
    data = {"surveys": listed, "published_series": published}
    rows = (
        [s["id"], s["title"], s["agency"], w["id"], w["name"], w["opens"], w["closes"],
         request.build_absolute_uri(w["results_url"]) if w["results_url"] else ""]
        for s in listed for w in s["waves"]
    )  # fmt: skip
    context = {"surveys": listed, "published": published}
    return twins.respond(
        request, "engagement/survey_list.html", context, data, suffix=suffix,
        table=(SURVEY_HEADER, rows), filename="surveys",
    )  # fmt: skip


def _agency_name(slug: str) -> str:
    agency = Agency.objects.filter(slug=slug).first()
    return agency.name if agency else slug


def _sentiment_url(agency: str) -> str:
    return reverse("engagement:sentiment", args=[agency])


@policy.requires("engagement.view")
def survey_page(request: HttpRequest, pk: int, suffix: str | None = None) -> HttpResponse:
    survey = get_object_or_404(api.public_surveys(), pk=pk)
    data = api.survey_data(survey)
    data["trends"] = api.trends(survey)
    rows = (
        [t["code"], t["row"] or "", p["label"], p["n"], p["share"], p["low"], p["high"],
         p["margin"]]
        for t in data["trends"] for p in t["points"]
    )  # fmt: skip
    open_waves = [w for w in survey.waves.all() if w.is_open()]
    context = {
        "survey": survey,
        "data": data,
        "open_waves": open_waves,
        "introduction": translated(survey, "introduction"),
        "trends": [{"trend": t, "chart": chart.intervals(t["points"])} for t in data["trends"]],
    }
    return twins.respond(
        request, "engagement/survey.html", context, data, suffix=suffix,
        table=(TREND_HEADER, rows), filename=f"survey-{survey.pk}-trends",
    )  # fmt: skip


@policy.requires("engagement.view")
def survey_results(request: HttpRequest, pk: int, suffix: str | None = None) -> HttpResponse:
    wave = get_object_or_404(Wave.objects.select_related("survey__agency"), pk=pk)
    result = WaveResult.objects.filter(wave=wave).first()
    if result is None:
        raise Http404(_("This wave's results have not been published."))
    data = api.results_data(wave, result)
    context = {"wave": wave, "data": data}
    return twins.respond(
        request, "engagement/survey_results.html", context, data, suffix=suffix,
        table=(api.RESULT_HEADER, api.result_rows(data)), filename=f"survey-wave-{wave.pk}",
    )  # fmt: skip


def _answer_page(
    request: HttpRequest, wave: Wave, *, invitation: Invitation | None = None
) -> HttpResponse:
    ask_place = invitation is None or invitation.neighbourhood_id is None
    if request.method == "POST":
        form = SurveyForm(wave.survey, request.POST, ask_place=ask_place)
        if form.is_valid():
            place = form.cleaned_data.get("neighbourhood")
            try:
                services.answer(
                    wave, form.given, language=translation.get_language() or "en",
                    neighbourhood=place, invitation=invitation,
                    user=None if invitation else request.user,
                )  # fmt: skip
            except services.SurveyRefused as refused:
                return render(
                    request, "engagement/survey_closed.html",
                    {"wave": wave, "reason": str(refused)}, status=409,
                )  # fmt: skip
            messages.success(request, _("Thank you: your answers are recorded."))
            return redirect("engagement:survey", wave.survey_id)
        status = 400
    else:
        form = SurveyForm(wave.survey, ask_place=ask_place)
        status = 200
    context = {
        "wave": wave,
        "survey": wave.survey,
        "form": form,
        "introduction": translated(wave.survey, "introduction"),
        "invited": invitation is not None,
    }
    response = render(request, "engagement/survey_answer.html", context, status=status)
    return secret_page(response)


@policy.requires("survey.answer")
def answer_signed_in(request: HttpRequest, pk: int) -> HttpResponse:
    wave = get_object_or_404(Wave.objects.select_related("survey__agency"), pk=pk)
    if not wave.admits_residents():
        raise Http404(_("This survey is answered through invitation links only."))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if getattr(request.user, "role", None) != Role.RESIDENT:
        return render(
            request, "engagement/survey_closed.html",
            {"wave": wave, "reason": _("Only residents' accounts answer this survey.")},
            status=403,
        )  # fmt: skip
    if not wave.is_open() or services.has_answered(wave, request.user):
        reason = (
            _("You have already answered this survey.")
            if wave.is_open()
            else _("This survey is not open for answers now.")
        )
        return render(
            request, "engagement/survey_closed.html", {"wave": wave, "reason": reason}, status=409
        )
    return _answer_page(request, wave)


@policy.requires("survey.answer")
def answer_invited(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for(token)
    if invitation is None:
        raise Http404(_("This survey link is not known; check it against your invitation."))
    wave = invitation.wave
    if invitation.used_at is not None or not wave.is_open():
        reason = (
            _("This link has already been used to answer.")
            if invitation.used_at
            else _("This survey is not open for answers now.")
        )
        return secret_page(
            render(
                request, "engagement/survey_closed.html", {"wave": wave, "reason": reason},
                status=409,
            )
        )  # fmt: skip
    return _answer_page(request, wave, invitation=invitation)


@policy.requires("engagement.view")
def sentiment_page(request: HttpRequest, agency: str, suffix: str | None = None) -> HttpResponse:
    release = current_release()
    if release is None or agency not in sentiment.agencies(release):
        raise Http404(_("No published sentiment scores for this agency."))
    data = sentiment.series(release, agency)
    data["release"] = release.version
    charts = [
        {
            "place": place,
            "chart": chart.lines(place, sentiment.MEASURES, data["first"], data["last"]),
            "latest": {m: (place[m][-1] if place[m] else None) for m in sentiment.MEASURES},
            "periods": sentiment.periods(place),
        }
        for place in data["places"]
    ]
    rows = (
        [p["level"], p["area"], m, pt["start"], pt["end"], pt["value"]]
        for p in data["places"] for m in sentiment.MEASURES for pt in p[m]
    )  # fmt: skip
    context: dict[str, Any] = {
        "data": data,
        "charts": charts,
        "agency_name": _agency_name(agency),
        "surveys": Survey.objects.filter(agency__slug=agency),
    }
    return twins.respond(
        request, "engagement/sentiment.html", context, data, suffix=suffix,
        table=(SENTIMENT_HEADER, rows), filename=f"sentiment-{agency}",
    )  # fmt: skip
