"""Back-office pages for the record store: upload a file, preview its mapping, import, read the report."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonbeat.core import policy
from commonbeat.core.audit import actor_for_user
from commonbeat.records import services, standard_csv
from commonbeat.records.engine import Importer
from commonbeat.records.forms import ImportChoiceForm, UploadForm
from commonbeat.records.models import ImportRun
from commonbeat.records.report import for_person
from commonbeat.records.schema import RECORD_TYPES
from commonbeat.records.sources import InputError
from commonbeat.records.store import default_store

PREVIEW_ROWS = 10
OUTCOMES = {
    "stored": gettext_lazy("Stored"),
    "partly stored": gettext_lazy("Partly stored"),
    "rejected": gettext_lazy("Rejected"),
    "unchanged": gettext_lazy("Nothing new (already stored)"),
    "failed": gettext_lazy("Failed, nothing stored"),
}


def _uploads() -> Path:
    return Path(settings.VAR_DIR) / "uploads"


def _upload_path(token: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        raise Http404
    folder = _uploads() / token
    files = list(folder.iterdir()) if folder.is_dir() else []
    if len(files) != 1:
        raise Http404
    return files[0]


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
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = uuid.uuid4().hex
        folder = _uploads() / token
        folder.mkdir(parents=True)
        # Only the base name, stripped of anything path-like, reaches the disk.
        name = re.sub(r"[^A-Za-z0-9._-]", "_", Path(upload.name).name)[:120] or "upload.csv"
        with (folder / name).open("wb") as sink:
            for chunk in upload.chunks():
                sink.write(chunk)
        mapping = form.cleaned_data["mapping"] or ""
        return redirect(
            f"{reverse('records:import_preview', args=[token])}?{urlencode({'mapping': mapping})}"
        )
    templates = [(name, rt.title) for name, rt in RECORD_TYPES.items()]
    return render(request, "records/import_upload.html", {"form": form, "templates": templates})


@policy.requires("records.import")
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    path = _upload_path(token)
    mapping = request.GET.get("mapping") or request.POST.get("mapping") or None
    form = ImportChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _report, run = services.run_import(
            [path],
            actor=actor_for_user(request.user),
            mapping=mapping,
            user=request.user,
            all_or_nothing=form.cleaned_data["rows"] == ImportChoiceForm.ALL_OR_NOTHING,
        )
        shutil.rmtree(path.parent, ignore_errors=True)
        return redirect("records:import_detail", run_id=run.pk)
    context: dict[str, object] = {
        "token": token,
        "file_name": path.name,
        "mapping": mapping or "",
        "form": form,
    }
    try:
        chosen, rows, _problems = Importer(default_store(), mapping=mapping).preview(
            path, rows=PREVIEW_ROWS
        )
        # The whole file is checked as the import will check it, so the counts and reasons
        # shown are exactly what importing would store and reject.
        check = services.check_import(path, mapping=mapping)
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
def import_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=run_id)
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
    return render(
        request,
        "records/import_detail.html",
        {"run": run, "report": run.report, "files": files, "title": _("Import report")},
    )
