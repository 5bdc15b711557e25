"""Surveys' back office: build the instrument (questions with their choices and grid
statements, both languages side by side), run waves (invitation links, publishing results),
read free text and publish excerpts. Responses are read-only: nobody edits what people said."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonbeat.core import csvsafe
from commonbeat.core.admin import (
    PolicyAdmin,
    PolicyInline,
    TranslatedPolicyAdmin,
    TranslatedPolicyInline,
    backoffice,
)
from commonbeat.core.policy import can
from commonbeat.engagement.surveys import services
from commonbeat.engagement.surveys.models import (
    Answer,
    Choice,
    Excerpt,
    MatrixRow,
    PopulationCount,
    Question,
    Response,
    Survey,
    Wave,
)

INVITATIONS_PER_ACTION = 100


class WaveInline(TranslatedPolicyInline):
    model = Wave
    parent_action = "wave.change"
    fields = ["name", "opens_at", "closes_at", "access"]
    extra = 0


@admin.register(Survey, site=backoffice)
class SurveyAdmin(TranslatedPolicyAdmin):
    list_display = ["title", "agency", "min_cell", "created_at"]
    list_filter = ["agency"]
    search_fields = ["title"]
    inlines = [WaveInline]


class ChoiceInline(TranslatedPolicyInline):
    model = Choice
    parent_action = "choice.change"
    fields = ["position", "code", "label", "favourable"]
    extra = 0


class RowInline(TranslatedPolicyInline):
    model = MatrixRow
    parent_action = "matrixrow.change"
    fields = ["position", "code", "text"]
    extra = 0


@admin.register(Question, site=backoffice)
class QuestionAdmin(TranslatedPolicyAdmin):
    list_display = ["code", "survey", "position", "kind", "required", "dimension", "show_if"]
    list_filter = ["survey", "kind"]
    search_fields = ["code", "text"]
    inlines = [ChoiceInline, RowInline]


@admin.register(Wave, site=backoffice)
class WaveAdmin(TranslatedPolicyAdmin):
    list_display = ["name", "survey", "opens_at", "closes_at", "access", "answered", "published"]
    list_filter = ["survey"]
    actions = ["publish_results", "withdraw_results", "make_invitations"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Wave]:
        found: QuerySet[Wave] = (
            super()
            .get_queryset(request)
            .annotate(answered=Count("responses", distinct=True))
            .select_related("survey")
        )
        return found

    @admin.display(description=_("responses"))
    def answered(self, wave: Any) -> int:
        return int(wave.answered)

    @admin.display(description=_("results published"), boolean=True)
    def published(self, wave: Wave) -> bool:
        return hasattr(wave, "result")

    def _allowed(self, request: HttpRequest, action: str) -> bool:
        if not can(request.user, action):
            self.message_user(request, _("Your role may not do that."), messages.ERROR)
            return False
        return True

    @admin.action(description=_("Publish the results (weighted, with margins of error)"))
    def publish_results(self, request: HttpRequest, queryset: QuerySet[Wave]) -> None:
        if not self._allowed(request, "wave.publish"):
            return
        for wave in queryset:
            try:
                services.publish_results(wave, request.user)
            except services.SurveyRefused as refused:
                self.message_user(request, f"{wave}: {refused}", messages.ERROR)
            else:
                url = reverse("engagement:survey_results", args=[wave.pk])
                self.message_user(
                    request, _("%(wave)s: published at %(url)s") % {"wave": wave, "url": url}
                )

    @admin.action(description=_("Withdraw the published results"))
    def withdraw_results(self, request: HttpRequest, queryset: QuerySet[Wave]) -> None:
        if not self._allowed(request, "wave.publish"):
            return
        for wave in queryset:
            services.withdraw_results(wave)
        self.message_user(request, _("Results withdrawn."))

    @admin.action(description=_("Make 100 one-time links per wave (CSV, shown only once)"))
    def make_invitations(
        self, request: HttpRequest, queryset: QuerySet[Wave]
    ) -> HttpResponse | None:
        if not self._allowed(request, "wave.invite"):
            return None
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="survey-links.csv"'
        writer = csvsafe.writer(response)
        writer.writerow(["wave", "link"])
        for wave in queryset:
            try:
                tokens = services.invite(wave, INVITATIONS_PER_ACTION)
            except services.SurveyRefused as refused:
                self.message_user(request, f"{wave}: {refused}", messages.ERROR)
                return None
            for token in tokens:
                path = reverse("engagement:survey_invited", args=[token])
                writer.writerow([str(wave), f"{settings.SITE_URL}{path}"])
        return response


class AnswerInline(PolicyInline):
    model = Answer
    parent_action = "answer.view"
    fields = ["question", "row", "choice", "text"]
    readonly_fields = ["question", "row", "choice", "text"]
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Response, site=backoffice)
class ResponseAdmin(PolicyAdmin):
    list_display = ["pk", "wave", "neighbourhood", "channel", "language", "submitted_at"]
    list_filter = ["wave", "channel", "neighbourhood"]
    readonly_fields = ["wave", "neighbourhood", "channel", "language", "submitted_at"]
    exclude = ["respondent_key"]
    inlines = [AnswerInline]


class ExcerptInline(TranslatedPolicyInline):
    model = Excerpt
    parent_action = "excerpt.change"
    fields = ["text", "published_at"]
    readonly_fields = ["published_at"]
    extra = 1
    max_num = 1


@admin.register(Answer, site=backoffice)
class FreeTextAdmin(PolicyAdmin):
    """Free-text answers, to read and to publish an excerpt of (edited, in both languages)."""

    list_display = ["question", "short_text", "neighbourhood", "has_excerpt"]
    list_filter = ["question__survey", "response__wave", "question"]
    search_fields = ["text"]
    fields = ["question", "text"]
    readonly_fields = ["question", "text"]
    inlines = [ExcerptInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Answer]:
        found: QuerySet[Answer] = (
            super()
            .get_queryset(request)
            .filter(question__kind=Question.Kind.TEXT)
            .exclude(text="")
            .select_related("question", "response__neighbourhood")
            .annotate(excerpts=Count("excerpt", filter=Q(excerpt__published_at__isnull=False)))
        )
        return found

    @admin.display(description=_("answer"))
    def short_text(self, answer: Answer) -> str:
        return answer.text[:120]

    @admin.display(description=_("neighbourhood"))
    def neighbourhood(self, answer: Answer) -> str:
        return str(answer.response.neighbourhood or "—")

    @admin.display(description=_("excerpt published"), boolean=True)
    def has_excerpt(self, answer: Any) -> bool:
        return bool(answer.excerpts)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        excerpts = formset.save(commit=False)
        for excerpt in excerpts:
            excerpt.published_at = excerpt.published_at or timezone.now()
            excerpt.published_by = request.user
            excerpt.save()
        for gone in formset.deleted_objects:
            gone.delete()


@admin.register(PopulationCount, site=backoffice)
class PopulationCountAdmin(PolicyAdmin):
    """Read-only: counts are loaded from a file with `commonbeat surveys population`."""

    list_display = ["neighbourhood", "dimension", "group", "residents", "source"]
    list_filter = ["agency", "dimension", "neighbourhood"]
    readonly_fields = ["agency", "neighbourhood", "dimension", "group", "residents", "source"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
