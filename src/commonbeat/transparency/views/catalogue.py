"""The open-data catalogue and a page per release: /data/ and /data/releases/<version>/.

Everything here comes from the releases' own files (manifest.json and datapackage.json) through
`transparency.release`, never from the record store: a release carries its own data dictionary,
so the page of an old release describes its columns as they were when it was published.
Release files are served only when the manifest lists them (`Release.file()`), so no path
typed into the address bar can reach anything else on disk.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from commonbeat.core import policy
from commonbeat.core.licences import resolve as resolve_licence
from commonbeat.core.twins import respond
from commonbeat.records.sources import file_sha256
from commonbeat.releases.cache import Release, all_releases, current_release, get_release

# Releases never change, so browsers and proxies may keep their files for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json",
}
DATA_SUFFIXES = (".csv", ".parquet")  # downloaded as attachments; the JSON files open in place


# Reading a release's own description -------------------------------------------------------


@lru_cache(maxsize=64)
def _read_json(file: Path) -> dict[str, Any]:
    # Keyed by path: a release's files never change once published, so one read is enough.
    data: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    return data


def dictionary(release: Release) -> dict[str, dict[str, Any]]:
    """Return the release's data dictionary: per table, its description, fields and key."""
    package = _read_json(release.file("datapackage.json"))
    by_path = {resource["path"]: resource for resource in package.get("resources", [])}
    out: dict[str, dict[str, Any]] = {}
    for name, table in release.manifest["tables"].items():
        resource = by_path.get(table["files"]["csv"]["path"], {})
        schema = resource.get("schema", {})
        out[name] = {
            "description": resource.get("description", ""),
            "fields": [
                {"name": f["name"], "type": f["type"], "description": f.get("description", "")}
                for f in schema.get("fields", [])
            ],
            "primary_key": schema.get("primaryKey", []),
        }
    return out


def licences(release: Release) -> list[dict[str, str]]:
    """Return the release's licences as Frictionless entries (name, title, path where known).

    Releases before per-table licences only list their sources' declared texts: those are
    resolved against the same vocabulary (core/licences.py)."""
    listed: list[dict[str, str]] | None = release.manifest.get("licences")
    if listed is not None:
        return listed
    texts = {source["licence"] for source in release.manifest.get("sources", [])}
    found = {lic.id: lic for lic in map(resolve_licence, sorted(texts))}
    return [found[key].to_frictionless() for key in sorted(found)]


def table_licences(release: Release, name: str) -> list[dict[str, str]]:
    """Return one table's licences; a release that does not name them per table gives all."""
    table = release.manifest["tables"][name]
    return list(table["licences"]) if "licences" in table else licences(release)


def source_licences(release: Release) -> list[dict[str, str]]:
    """Return each source once with its licence (several mappings may read one source)."""
    pairs = {(s["source"], s["licence"]) for s in release.manifest.get("sources", [])}
    return [{"source": source, "licence": licence} for source, licence in sorted(pairs)]


def release_summary(release: Release) -> dict[str, Any]:
    """Return what the catalogue says about one release."""
    manifest = release.manifest
    return {
        "version": release.version,
        "created": manifest["created"],
        "tables": len(manifest["tables"]),
        "rows": sum(t["rows"] for t in manifest["tables"].values() if t["kind"] == "records"),
        "privacy": manifest.get("privacy", {}),
        "sources": manifest.get("sources", []),
        "source_licences": source_licences(release),
        "licences": licences(release),
        "url": reverse("transparency:release", args=[release.version]),
        "json_url": reverse("transparency:release", args=[release.version, "json"]),
    }


def datasets(releases: list[Release]) -> list[dict[str, Any]]:
    """Return every table name across releases, described by the newest release carrying it."""
    found: dict[str, dict[str, Any]] = {}
    for release in releases:  # newest first, so the first one seen is the latest
        described = dictionary(release)
        for name, table in release.manifest["tables"].items():
            if name not in found:
                found[name] = {
                    "name": name,
                    "kind": table["kind"],
                    "description": described[name]["description"],
                    "latest_release": release.version,
                    "latest_rows": table["rows"],
                    "releases": [],
                }
            found[name]["releases"].append(release.version)
    # Row-level tables first, then the aggregates; alphabetical within each.
    return sorted(found.values(), key=lambda d: (d["kind"] != "records", d["name"]))


def file_url(release: Release, relative: str) -> str:
    return reverse("transparency:release_file", args=[release.version, relative])


def download_name(release: Release, relative: str) -> str:
    """Return the file name a download is saved under: unique across releases."""
    folder = Path(relative).parent.name
    prefix = f"{folder}-" if folder == "equity" else ""  # equity/<agency>.json
    return f"commonbeat-{release.version}-{prefix}{Path(relative).name}"


def equity_files(release: Release) -> list[dict[str, Any]]:
    """Return the release's equity reports (one JSON file per agency with stops)."""
    return [
        {
            "agency": agency,
            "format": "json",
            "path": entry["path"],
            "url": file_url(release, entry["path"]),
            "download_name": download_name(release, entry["path"]),
            "bytes": entry["bytes"],
            "sha256": entry["sha256"],
            "stops": entry.get("stops"),
            "page": reverse("transparency:equity", args=[agency]),
        }
        for agency, entry in sorted(release.manifest.get("equity", {}).items())
    ]


def release_data(release: Release) -> dict[str, Any]:
    """Return the release page's JSON twin: the manifest, its data dictionary and addresses."""
    return {
        **release.manifest,
        "dictionary": dictionary(release),
        "links": {
            "manifest": file_url(release, "manifest.json"),
            "datapackage": file_url(release, "datapackage.json"),
            "files": {
                name: {fmt: file_url(release, entry["path"]) for fmt, entry in t["files"].items()}
                for name, t in release.manifest["tables"].items()
            },
            "equity": {
                agency: file_url(release, entry["path"])
                for agency, entry in release.manifest.get("equity", {}).items()
            },
        },
    }


# Pages -------------------------------------------------------------------------------------


@policy.requires("public.view")
def catalogue(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    releases = all_releases()
    found = datasets(releases)
    summaries = [release_summary(r) for r in releases]
    data = {
        "latest_release": releases[0].version if releases else None,
        "datasets": found,
        "releases": summaries,
    }
    header = ["name", "kind", "description", "latest_release", "latest_rows", "releases"]
    rows = [[*(d[c] for c in header[:-1]), " ".join(d["releases"])] for d in found]
    context = {
        "datasets": found,
        "releases": [{**s, "created_at": parse_datetime(s["created"])} for s in summaries],
        "latest": releases[0] if releases else None,
    }
    return respond(
        request,
        "transparency/catalogue.html",
        context,
        data,
        suffix=suffix,
        table=(header, rows),
        filename="datasets",
    )


@policy.requires("public.view")
def latest(request: HttpRequest) -> HttpResponse:
    release = current_release()
    if release is None:
        return redirect("transparency:catalogue")  # which explains that nothing is published
    return redirect("transparency:release", release.version)


def _disclosure(figures: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return a table's disclosure figures (records/disclosure.py) with shares as percentages."""
    if not figures:
        return None

    def percent(share: float | None) -> str | None:
        return None if share is None else f"{number_format(round(share * 100, 2), 2)} %"

    return {
        **figures,
        "share_text": percent(figures["unique_share"]),
        "threshold_text": percent(figures.get("threshold")),
    }


@policy.requires("public.view")
def release_page(request: HttpRequest, version: str, suffix: str | None = None) -> HttpResponse:
    release = get_release(version)
    if release is None:
        raise Http404(_("There is no release %(version)s.") % {"version": version})
    manifest = release.manifest
    described = dictionary(release)
    tables = [
        {
            "name": name,
            "kind": table["kind"],
            "rows": table["rows"],
            "description": described[name]["description"],
            "fields": described[name]["fields"],
            "primary_key": described[name]["primary_key"],
            "licences": table_licences(release, name),
            "disclosure": _disclosure(table.get("disclosure")),
            "files": [
                {
                    "format": fmt,
                    "path": entry["path"],
                    "url": file_url(release, entry["path"]),
                    "download_name": download_name(release, entry["path"]),
                    "bytes": entry["bytes"],
                    "sha256": entry["sha256"],
                }
                for fmt, entry in table["files"].items()
            ],
        }
        for name, table in manifest["tables"].items()
    ]
    newest = current_release()
    header = ["table", "format", "file", "bytes", "sha256", "url"]
    rows = []
    for t in tables:
        for f in t["files"]:
            url = request.build_absolute_uri(f["url"])
            rows.append([t["name"], f["format"], f["download_name"], f["bytes"], f["sha256"], url])
    equity = equity_files(release)
    for f in equity:
        url = request.build_absolute_uri(f["url"])
        rows.append(["equity", f["format"], f["download_name"], f["bytes"], f["sha256"], url])
    context = {
        "release": release,
        "created_at": parse_datetime(manifest["created"]),
        "tables": tables,
        "equity_files": equity,
        "sources": source_licences(release),
        "licences": licences(release),
        "privacy": manifest.get("privacy", {}),
        "measured": [t for t in tables if t["disclosure"]],
        "agencies": manifest.get("agencies", {}),
        "newest": newest if newest is not None and newest.version != release.version else None,
        "manifest_url": file_url(release, "manifest.json"),
        "datapackage_url": file_url(release, "datapackage.json"),
        "example": tables[0]["files"][0] if tables and tables[0]["files"] else None,
        "sums_url": request.build_absolute_uri(
            reverse("transparency:release", args=[release.version, "csv"])
        ),
    }
    return respond(
        request,
        "transparency/release.html",
        context,
        release_data(release),
        suffix=suffix,
        table=(header, rows),
        filename=f"commonbeat-{release.version}-files",
    )


# Files -------------------------------------------------------------------------------------


def _listed_file(version: str, relative: str) -> tuple[Release, Path]:
    release = get_release(version)
    if release is None:
        raise Http404(_("There is no release %(version)s.") % {"version": version})
    try:
        found = release.file(relative)  # refuses any path the manifest does not list
    except KeyError:
        raise Http404(_("This release has no file %(path)s.") % {"path": relative}) from None
    if not found.is_file():
        raise Http404(_("This release has no file %(path)s.") % {"path": relative})
    return release, found


def _file_etag(request: HttpRequest, version: str, path: str) -> str | None:
    # The checksum is the file's identity: the manifest has it for data files, and the two
    # small JSON files are hashed (once per process: they never change).
    try:
        release, found = _listed_file(version, path)
    except Http404:
        return None  # the view itself then answers 404
    for table in release.manifest["tables"].values():
        for entry in table["files"].values():
            if entry["path"] == path:
                return str(entry["sha256"])
    for entry in release.manifest.get("equity", {}).values():
        if entry["path"] == path:
            return str(entry["sha256"])
    return _json_digest(found)


@lru_cache(maxsize=128)
def _json_digest(found: Path) -> str:
    return file_sha256(found)


@policy.requires("public.view")
@condition(etag_func=_file_etag)
def release_file(request: HttpRequest, version: str, path: str) -> HttpResponseBase:
    release, found = _listed_file(version, path)
    attachment = found.suffix in DATA_SUFFIXES
    response = FileResponse(
        found.open("rb"),
        content_type=CONTENT_TYPES.get(found.suffix, "application/octet-stream"),
        as_attachment=attachment,
        filename=download_name(release, path) if attachment else found.name,
    )
    response["Cache-Control"] = IMMUTABLE
    return response


routes: list[URLPattern] = [
    path("data/", catalogue, name="catalogue"),
    path("data.<fmt:suffix>", catalogue, name="catalogue"),
    # Before <version>/, so that "latest" is not read as a version.
    path("data/releases/latest/", latest, name="latest"),
    path("data/releases/<str:version>/", release_page, name="release"),
    path("data/releases/<str:version>.<fmt:suffix>", release_page, name="release"),
    path("data/releases/<str:version>/files/<path:path>", release_file, name="release_file"),
]
