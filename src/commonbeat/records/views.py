"""Back-office pages for the record store: upload a file, preview its mapping, import, read the report."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonbeat.core import policy, twins
from commonbeat.core import uploads as core_uploads
from commonbeat.core.audit import actor_for_user
from commonbeat.records import services, sources, standard_csv, uploads
from commonbeat.records.engine import Importer
from commonbeat.records.forms import ImportChoiceForm, UploadForm
from commonbeat.records.models import ImportRun
from commonbeat.records.report import for_person
from commonbeat.records.schema import RECORD_TYPES
from commonbeat.records.sources import InputError
from commonbeat.records.store import default_store

PREVIEW_ROWS = 10
PREVIEW_BYTES = 1 << 20  # a preview reads at most this much of an upload
REFRESH_SECONDS = 3  # a waiting import's page reloads itself this often (no script needed)
OUTCOMES = {
    "stored": gettext_lazy("Stored"),
    "partly stored": gettext_lazy("Partly stored"),
    "rejected": gettext_lazy("Rejected"),
    "unchanged": gettext_lazy("Nothing new (already stored)"),
    "failed": gettext_lazy("Failed, nothing stored"),
}


@policy.requires("records.view_imports")
def import_list(request: HttpRequest) -> HttpResponse:
    runs = ImportRun.objects.all()[:100]
    return render(
        request,
        "records/import_list.html",
        {"runs": runs, "may_import": policy.can(request.user, "records.import")},
    )


@policy.requires("records.import")
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    refused = core_uploads.refusals(request) if request.method == "POST" else []
    if refused:
        form.is_valid()
        form.errors["file"] = form.error_class(refused)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token, _path = uploads.store(upload.name, upload.chunks())
        mapping = form.cleaned_data["mapping"] or ""
        return redirect(
            f"{reverse('records:import_preview', args=[token])}?{urlencode({'mapping': mapping})}"
        )
    templates = [(name, rt.title) for name, rt in RECORD_TYPES.items()]
    return render(
        request,
        "records/import_upload.html",
        {
            "form": form,
            "templates": templates,
            "limit_mb": settings.UPLOAD_MAX_MB,
            "retention_hours": settings.UPLOAD_RETENTION_HOURS,
        },
        status=413 if refused else 200,
    )


@policy.requires("records.import")
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    path = uploads.path_for(token)
    mapping = request.GET.get("mapping") or request.POST.get("mapping") or None
    form = ImportChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The import runs in the background worker; its page shows progress, then the report.
        run = services.queue_import(
            path,
            actor=actor_for_user(request.user),
            mapping=mapping,
            user=request.user,
            all_or_nothing=form.cleaned_data["rows"] == ImportChoiceForm.ALL_OR_NOTHING,
        )
        return redirect("records:import_detail", run_id=run.pk)
    context: dict[str, object] = {
        "token": token,
        "file_name": path.name,
        "mapping": mapping or "",
        "form": form,
    }
    try:
        # A preview reads only what it shows: the head of the first data file, at most
        # PREVIEW_BYTES, whatever the upload's size (an archive is not extracted for it).
        with sources.sample(path, PREVIEW_BYTES) as (head, cut):
            chosen, rows, _problems = Importer(default_store(), mapping=mapping).preview(
                head, rows=PREVIEW_ROWS
            )
            # The sample is checked as the import will check it, so the counts and reasons
            # shown are exactly what importing those rows would store and reject.
            check = services.check_import(head, mapping=mapping)
    except InputError as exc:
        context["error"] = exc.web
    else:
        failed = [f for f in check.files if f.status == "failed"]
        if failed:
            context["error"] = for_person(failed[0].error_web or failed[0].error)
        columns = [
            c for c in (rows[0].keys() if rows else []) if any(r[c] not in (None, "") for r in rows)
        ]
        table = [[row[c] for c in columns] for row in rows]
        reasons = [
            (for_person(reason), count)
            for total in check.totals().values()
            for reason, count in total.reasons.most_common()
        ]
        context.update(
            {
                "chosen": chosen,
                "columns": columns,
                "rows": table,
                "read": sum(f.read for f in check.files),
                "rejected": sum(f.rejected for f in check.files),
                "stored": sum(f.stored for f in check.files),
                "reasons": reasons,
                "problems": [for_person(p) for f in check.files for p in f.problems],
                "sampled": cut or path.suffix.lower() == ".zip",
                "sample_mb": PREVIEW_BYTES // (1 << 20),
            }
        )
    return render(request, "records/import_preview.html", context)


@policy.requires("records.import")
def import_template(request: HttpRequest, record_type: str) -> HttpResponse:
    """Return an empty standard CSV (its header row) for a record type."""
    if record_type not in RECORD_TYPES:
        raise Http404
    response = HttpResponse(
        standard_csv.template(RECORD_TYPES[record_type]), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{record_type}.csv"'
    return response


@policy.requires("records.view_imports")
def import_detail(request: HttpRequest, run_id: int, suffix: str | None = None) -> HttpResponse:
    run = get_object_or_404(ImportRun.objects.select_related("job", "user"), pk=run_id)
    if not policy.can(request.user, "records.view_imports", run):
        raise PermissionDenied
    files = []
    for file in run.report.get("files", []):
        files.append(
            {
                **file,
                "outcome_label": OUTCOMES.get(file.get("outcome", ""), file.get("status", "")),
                "error": for_person(file.get("error_web") or file.get("error", "")),
                "problems": [for_person(p) for p in file.get("problems", [])],
                "outputs": [
                    {**o, "reasons": [(for_person(r), n) for r, n in o.get("reasons", {}).items()]}
                    for o in file.get("outputs", [])
                ],
            }
        )
    job = run.job
    pending = run.is_pending and not (job is not None and job.status == job.Status.FAILED)
    data = {
        "id": run.pk,
        "status": run.status,
        "status_label": str(run.get_status_display()),
        "done": not pending,
        "files": run.file_names,
        "who": str(run.who),
        "started": run.started.isoformat(),
        "rows_read": run.rows_read,
        "rows_stored": run.rows_stored,
        "rows_rejected": run.rows_rejected,
        "job": job.as_dict() if job is not None else None,
        "report": run.report if not pending else None,
    }
    return twins.respond(
        request,
        "records/import_detail.html",
        {
            "run": run,
            "job": job,
            "pending": pending,
            "refresh": REFRESH_SECONDS if pending else None,
            "report": run.report,
            "files": files,
            "title": _("Import report"),
        },
        data,
        suffix=suffix,
    )
