"""The transparency app is the public side: it reads releases only, never the record store."""

from __future__ import annotations

import pytest
from django.test import Client

from commonbeat.demo.city import AGENCY_SLUG, CityPlan
from commonbeat.releases.cache import Release


def public_urls(city: CityPlan, release: Release) -> list[str]:
    neighbourhood = city.neighbourhoods[0].slug
    latitude, longitude = city.neighbourhoods[0].centre
    month = release.value("SELECT max(last_month) FROM coverage")
    urls = ["/dashboards/", "/dashboards.json", "/data/", "/data.json"]
    for board in ("calls", "crime", "stops", "force", "complaints"):
        urls += [
            f"/dashboards/{AGENCY_SLUG}/{board}/",
            f"/dashboards/{AGENCY_SLUG}/{board}.json?neighbourhood={neighbourhood}",
            f"/dashboards/{AGENCY_SLUG}/{board}.csv",
        ]
    equity = f"/dashboards/{AGENCY_SLUG}/stops/equity"
    urls += [f"{equity}/", f"{equity}.json?analysis=benchmark", f"{equity}.csv", f"/es{equity}/"]
    urls += [
        f"/data/releases/{release.version}/",
        f"/data/releases/{release.version}/files/equity/{AGENCY_SLUG}.json",
        f"/data/releases/{release.version}.json",
        f"/data/releases/{release.version}/files/data/stop.csv",
        "/api/",
        "/api/openapi.json",
        "/api/forces",
        f"/api/forces/{AGENCY_SLUG}",
        f"/api/{AGENCY_SLUG}/neighbourhoods",
        f"/api/{AGENCY_SLUG}/{neighbourhood}",
        f"/api/crimes-street/all-crime?lat={latitude}&lng={longitude}&date={month}",
        f"/api/stops-street?lat={latitude}&lng={longitude}&date={month}",
        f"/api/stops-force?force={AGENCY_SLUG}&date={month}",
    ]
    return urls


def test_public_pages_and_the_api_never_open_the_private_record_store(
    published: Release, city: CityPlan, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commonbeat.records.store import RecordStore

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a public page opened the private record store")

    monkeypatch.setattr(RecordStore, "connect", refuse)
    monkeypatch.setattr(RecordStore, "catalog", refuse)
    for url in public_urls(city, published):
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_cache_database_is_built_once_and_opened_read_only(published: Release) -> None:
    path = published.ensure_cache()
    assert path.exists() and path.parent.name == "cache"
    assert published.ensure_cache() == path
    # Writing through the public side's connection is refused: it is opened read-only.
    with pytest.raises(Exception, match="read-only"):
        published.rows("CREATE TABLE intruder AS SELECT 1")


def test_a_new_release_replaces_the_current_one_without_a_restart(
    published: Release, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import shutil

    from commonbeat.releases.cache import current_release

    assert current_release() is published
    newer = published.path.parent / "9999-12-31.1"
    shutil.copytree(published.path, newer)
    manifest = (newer / "manifest.json").read_text()
    (newer / "manifest.json").chmod(0o644)
    (newer / "manifest.json").write_text(
        manifest.replace(published.version, "9999-12-31.1").replace(
            published.manifest["created"], "9999-12-31T00:00:00+00:00"
        )
    )
    try:
        fresh = current_release()
        assert fresh is not None and fresh.version == "9999-12-31.1"
    finally:
        for path in newer.rglob("*"):
            path.chmod(0o644)
        shutil.rmtree(newer)
    again = current_release()
    assert again is not None and again.version == published.version
