from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from commonbeat.core import jobs
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
    assert "1 of 2 rows have problems and would be rejected; 1 are good." in html
    assert "line 3: Latitude" in html  # the whole file was checked, naming the line
    assert RecordStore(tmp_path / "store").count("stop") == 0
    done = client.post(preview.request["PATH_INFO"], {"mapping": "", "rows": "good"})
    jobs.run_pending()  # as the background worker would
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


def test_all_or_nothing_stores_nothing_when_a_row_is_bad(
    client_as: Callable[[str], Client], tmp_path: Path
) -> None:
    from commonbeat.core.models import AuditEntry

    client = client_as(Role.ANALYST)
    bad = GOOD.replace("2019-01-05T14:30:00+00:00", "05/01/2019")
    response = client.post("/records/imports/new/", {"file": month_file(GOOD, bad), "mapping": ""})
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "like 2024-03-31T13:05:00+0000" in html  # an example, not a strftime pattern
    assert "%Y" not in html
    done = client.post(response["Location"].split("?")[0], {"mapping": "", "rows": "all"})
    jobs.run_pending()
    run = ImportRun.objects.get()
    assert done["Location"] == f"/records/imports/{run.pk}/"
    assert run.status == ImportRun.Status.REJECTED
    assert (run.rows_read, run.rows_stored, run.rows_rejected) == (2, 0, 1)
    assert RecordStore(tmp_path / "store").count("stop") == 0
    report = client.get(done["Location"]).content.decode()
    assert "1 of 2 rows have problems, so nothing was stored" in report
    entry = AuditEntry.objects.get(action="import")
    assert entry.actor.endswith(":analyst-persona")
    assert entry.object_pk == str(run.pk)
    assert entry.changes["rows_rejected"] == [None, 1]


def test_an_unknown_format_is_explained_without_command_line_advice(
    client_as: Callable[[str], Client],
) -> None:
    client = client_as(Role.ANALYST)
    upload = SimpleUploadedFile("odd.csv", b"x,y\n1,2\n", "text/csv")
    response = client.post("/records/imports/new/", {"file": upload, "mapping": ""})
    html = client.get(response["Location"]).content.decode()
    assert "no source format recognises this file" in html
    assert "--mapping" not in html


@pytest.mark.parametrize("role", [ANONYMOUS, *Role.values])
def test_only_importers_download_a_template_of_the_standard_format(
    client_as: Callable[[str], Client], role: str
) -> None:
    from commonbeat.records.schema import RECORD_TYPES

    client = client_as(role)
    response = client.get("/records/imports/templates/stop.csv")
    if role not in IMPORTERS:
        assert response.status_code in (302, 403)
        return
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="stop.csv"'
    names = [f.name for f in RECORD_TYPES["stop"].fields if f.name != "source"]
    assert response.content.decode() == ",".join(names) + "\n"
    page = client.get("/records/imports/new/").content.decode()
    assert 'href="/records/imports/templates/stop.csv"' in page
    assert client.get("/records/imports/templates/nothing.csv").status_code == 404


def test_the_imports_list_shows_file_names_people_and_grouped_numbers(
    client_as: Callable[[str], Client], tmp_path: Path
) -> None:
    from commonbeat.core.models import User

    analyst = User.objects.create(
        username="ana", first_name="Ana", last_name="Ruiz", role=Role.ANALYST
    )
    ImportRun.objects.create(
        actor=f"user:{analyst.pk}:ana",
        user=analyst,
        inputs=str(tmp_path / "uploads" / ("0" * 32) / "stops-2024.csv"),
        status=ImportRun.Status.PARTLY,
        rows_read=1234567,
        rows_stored=1234000,
        rows_rejected=567,
    )
    ImportRun.objects.create(
        actor="command:import",
        inputs="/srv/data/a.csv\n/srv/data/b.csv",
        status=ImportRun.Status.COMMITTED,
    )
    client = client_as(Role.SUPERVISOR)
    html = client.get("/records/imports/").content.decode()
    assert "Ana Ruiz" in html and "user:" not in html
    assert "stops-2024.csv" in html and str(tmp_path) not in html
    assert "a.csv, b.csv" in html and "/srv/data" not in html
    assert "1,234,567" in html and "Partly stored" in html
    assert "command line (import)" in html
    spanish = client.get("/es/records/imports/").content.decode()
    assert "1\xa0234\xa0567" in spanish  # Spanish groups with a non-breaking space
