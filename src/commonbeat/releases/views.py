"""Publishing from the web: a confirmation page, then a status page that refreshes itself."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from commonbeat.core import policy, twins
from commonbeat.core.audit import actor_for_user
from commonbeat.releases import services
from commonbeat.releases.models import PublishRun

REFRESH_SECONDS = 3


@policy.requires("release.publish")
def publish(request: HttpRequest) -> HttpResponse:
    running = PublishRun.objects.filter(status=PublishRun.Status.RUNNING).first()
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            run = services.start_publish(actor_for_user(request.user), user=request.user)
        except services.PublishBusy as exc:
            return render(
                request,
                "releases/publish.html",
                {"error": str(exc), "running": running, "runs": PublishRun.objects.all()[:10]},
                status=409,
            )
        return redirect("releases:publish_status", run_id=run.pk)
    return render(
        request,
        "releases/publish.html",
        {"running": running, "runs": PublishRun.objects.all()[:10]},
    )


@policy.requires("release.publish")
def publish_status(request: HttpRequest, run_id: int, suffix: str | None = None) -> HttpResponse:
    run = get_object_or_404(PublishRun, pk=run_id)
    running = run.status == PublishRun.Status.RUNNING
    data = {
        "id": run.pk,
        "status": run.status,
        "status_label": str(run.get_status_display()),
        "done": not running,
        "step": run.step,
        "who": str(run.who),
        "started": run.started.isoformat(),
        "finished": run.finished.isoformat() if run.finished else None,
        "version": run.summary.get("version"),
        "tables": run.summary.get("tables", {}),
        "error": run.error,
    }
    return twins.respond(
        request,
        "releases/publish_status.html",
        {"run": run, "refresh": REFRESH_SECONDS if running else None},
        data,
        suffix=suffix,
    )
