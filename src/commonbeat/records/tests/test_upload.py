from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from commonbeat.core.roles import Role
from commonbeat.records.models import ImportRun
from commonbeat.records.store import RecordStore
from commonbeat.records.tests.test_bad_input import GOOD, HEADER
from commonbeat.testing.personas import ANONYMOUS

IMPORTERS = {Role.ADMINISTRATOR, Role.ANALYST}
READERS = {Role.ADMINISTRATOR, Role.ANALYST, Role.SUPERVISOR}


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path) -> object:
    with override_settings(VAR_DIR=tmp_path, RECORD_STORE_DIR=tmp_path / "store"):
        yield


def month_file(*rows: str) -> SimpleUploadedFile:
    content = "\n".join([HEADER, *rows]) + "\n"
    return SimpleUploadedFile(
        "2019-01-city-of-london-stop-and-search.csv", content.encode(), "text/csv"
    )


@pytest.mark.parametrize("role", [ANONYMOUS, *Role.values])
def test_only_administrators_and_analysts_import(
    client_as: Callable[[str], Client], role: str
) -> None:
    client = client_as(role)
    upload = client.get("/records/imports/new/")
    listing = client.get("/records/imports/")
    if role == ANONYMOUS:
        assert upload.status_code == listing.status_code == 302
        return
    assert upload.status_code == (200 if role in IMPORTERS else 403)
    assert listing.status_code == (200 if role in READERS else 403)


def test_an_analyst_previews_then_imports_and_reads_the_report(
    client_as: Callable[[str], Client], tmp_path: Path
) -> None:
    client = client_as(Role.ANALYST)
    bad = GOOD.replace("51.51", "151.51")
    response = client.post("/records/imports/new/", {"file": month_file(GOOD, bad), "mapping": ""})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "uk_stop_search" in html
    assert "person_search" in html  # standardised values, before anything is stored
    assert "Latitude: impossible coordinate" in html
    assert RecordStore(tmp_path / "store").count("stop") == 0
    done = client.post(preview.request["PATH_INFO"], {"mapping": ""})
    run = ImportRun.objects.get()
    assert done["Location"] == f"/records/imports/{run.pk}/"
    assert (run.rows_read, run.rows_stored, run.rows_rejected) == (2, 1, 1)
    assert run.actor.endswith(":analyst-persona")
    assert RecordStore(tmp_path / "store").count("stop") == 1
    report = client.get(done["Location"]).content.decode()
    assert "Latitude: impossible coordinate, not in -90..90" in report
    assert client_as(Role.SUPERVISOR).get(done["Location"]).status_code == 200
    assert client_as(Role.OFFICER).get(done["Location"]).status_code == 403


def test_an_unreadable_upload_is_explained_and_stores_nothing(
    client_as: Callable[[str], Client], tmp_path: Path
) -> None:
    client = client_as(Role.ADMINISTRATOR)
    empty = SimpleUploadedFile("empty.csv", b"", "text/csv")
    response = client.post("/records/imports/new/", {"file": empty, "mapping": "uk_stop_search"})
    if response.status_code == 200:  # Django itself refuses empty uploads
        assert "The submitted file is empty" in response.content.decode()
        return
    preview = client.get(response["Location"])
    assert "the file is empty" in preview.content.decode()


def test_a_forged_upload_token_is_a_404(client_as: Callable[[str], Client]) -> None:
    client = client_as(Role.ADMINISTRATOR)
    assert client.get("/records/imports/preview/..%2F..%2Fetc/").status_code == 404
    assert client.get("/records/imports/preview/" + "0" * 32 + "/").status_code == 404
