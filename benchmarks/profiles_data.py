"""profiles.py's helpers, run with the benchmark server's settings (a child process).

    python benchmarks/profiles_data.py cases N     # add N workflow complaints, in bulk
    python benchmarks/profiles_data.py urls        # print the pages to drive, as JSON

`cases` writes complaints straight through the ORM in bulk (not through intake and the
workflow, which the suite tests): spread over the real NYPD officers, received over 2019-2026,
a fifth of them still open in every stage, the rest closed with a final finding. It is
benchmark data for the staff queue, never run by the product. `urls` picks the pages to time:
the busiest officers' profiles and their CSV of cases, searches by surname and by badge, the
staff case queue (first pages, the overdue queue, one stage) with a signed-in investigator's
session, and the agency pages to compare with.
"""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import UTC, datetime, timedelta


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonbeat.settings")
    django.setup()


def add_cases(count: int) -> None:
    from django.db import transaction

    from commonbeat.core.models import Agency, Officer
    from commonbeat.oversight.cases.models import Allegation, Complaint, InvolvedOfficer
    from commonbeat.oversight.cases.workflow import OPEN_STAGES, Stage

    rng = random.Random(13)
    agency = Agency.objects.get(slug="nypd")
    officers = list(Officer.objects.filter(agency=agency).values_list("pk", flat=True))
    start = datetime(2019, 1, 1, tzinfo=UTC)
    categories = ("force", "abuse of authority", "discourtesy", "offensive language")
    findings = ("sustained", "not_sustained", "unfounded", "exonerated")
    batch = 2000
    made = Complaint.objects.filter(reference__startswith="BENCH-").count()
    with transaction.atomic():
        for first in range(made, made + count, batch):
            complaints = []
            for n in range(first, min(first + batch, made + count)):
                received = start + timedelta(minutes=rng.randrange(8 * 365 * 24 * 60))
                closed = rng.random() < 0.8
                stage = Stage.CLOSED if closed else rng.choice(OPEN_STAGES)
                complaints.append(
                    Complaint(
                        agency=agency,
                        kind=Complaint.Kind.COMPLAINT,
                        reference=f"BENCH-{n:07d}",
                        secret_hash="benchmark",  # noqa: S106  not a secret: no status look-up
                        received_at=received,
                        incident_date=(received - timedelta(days=rng.randrange(0, 30))).date(),
                        channel=Complaint.Channel.WEB,
                        language="en",
                        narrative=f"Benchmark complaint {n}.",
                        content_hash=f"bench-{n}",
                        stage=stage,
                        stage_entered_at=received + timedelta(days=rng.randrange(1, 200)),
                        closed_at=received + timedelta(days=rng.randrange(20, 400))
                        if closed
                        else None,
                        unit=f"{rng.randrange(1, 120):03d} PCT",
                        category=rng.choice(categories),
                    )
                )
            created = Complaint.objects.bulk_create(complaints)
            involved = InvolvedOfficer.objects.bulk_create(
                InvolvedOfficer(
                    complaint=c, officer_id=rng.choice(officers), role=InvolvedOfficer.Role.ACCUSED
                )
                for c in created
            )
            Allegation.objects.bulk_create(
                Allegation(
                    complaint=c,
                    accused=i,
                    category=c.category,
                    description="Benchmark allegation.",
                    final_finding=rng.choice(findings) if c.closed_at else "",
                )
                for c, i in zip(created, involved, strict=True)
            )
    print(f"{count:,} workflow complaints added ({made + count:,} in all).", file=sys.stderr)


def urls() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from commonbeat.core.roles import Role
    from commonbeat.oversight.cases.models import Complaint
    from commonbeat.oversight.profiles import release as tables
    from commonbeat.records.store import default_store
    from commonbeat.releases.cache import current_release

    release = current_release()
    if release is None:
        raise SystemExit("Nothing is published.")
    busiest = release.records(
        f"SELECT officer, last_name, badge FROM {tables.PROFILES} "
        "ORDER BY allegations DESC, officer LIMIT 40"
    )
    sample = release.records(
        f"SELECT officer, last_name, badge FROM {tables.PROFILES} "
        "WHERE badge IS NOT NULL USING SAMPLE reservoir(40 ROWS) REPEATABLE (7)"
    )
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username="bench-investigator", defaults={"role": Role.INVESTIGATOR}
    )
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    pages = {
        "profile": [f"/oversight/officers/{r['officer']}/" for r in busiest + sample],
        "profile cases CSV": [f"/oversight/officers/{r['officer']}.csv" for r in busiest],
        "search by name": [f"/oversight/officers/?q={r['last_name']}" for r in busiest + sample],
        "search by badge": [f"/oversight/officers/?q={r['badge']}" for r in sample],
        "case list (staff)": [
            *(f"/oversight/cases/?page={n}" for n in range(1, 11)),
            "/oversight/cases/?overdue=1",
            "/oversight/cases/?stage=investigation",
            "/oversight/cases/?stage=closed&page=3",
        ],
        "agency page": ["/agencies/nypd/", "/agencies/chicago-pd/"],
    }
    counts = {
        "officers": release.value(f"SELECT count(*) FROM {tables.PROFILES}"),
        "profile cases": release.value(f"SELECT count(*) FROM {tables.CASES}"),
        "historic allegations": default_store().count("allegation"),
        "workflow complaints": Complaint.objects.count(),
    }
    json.dump(
        {"pages": pages, "cookie": f"sessionid={session.session_key}", "counts": counts},
        sys.stdout,
    )


if __name__ == "__main__":
    _setup()
    if sys.argv[1] == "cases":
        add_cases(int(sys.argv[2]))
    else:
        urls()
