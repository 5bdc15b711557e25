"""intake_load.py's check, run with the server's settings: what the database and files hold.

Reads {marker: sent_with_photo} on standard input; prints counts as JSON on standard output.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonbeat.settings")
    django.setup()
    from django.conf import settings
    from PIL import Image

    from commonbeat.oversight.models import Attachment, Complaint

    markers: dict[str, bool] = json.load(sys.stdin)
    cases: dict[str, list[int]] = {marker: [] for marker in markers}
    photos: dict[int, int] = {}
    rows = Complaint.objects.filter(
        narrative__startswith="Benchmark report ", duplicate_of__isnull=True
    ).values_list("pk", "narrative")
    for pk, narrative in rows.iterator():
        marker = narrative.removeprefix("Benchmark report ").split(".", 1)[0]
        if marker in cases:
            cases[marker].append(pk)
    for complaint_id in Attachment.objects.values_list("complaint_id", flat=True):
        photos[complaint_id] = photos.get(complaint_id, 0) + 1

    root = Path(settings.OVERSIGHT_FILES_DIR)
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    stored = set(Attachment.objects.values_list("stored_name", flat=True))
    exif = 0
    for name in stored & on_disk:
        with Image.open(root / name) as image:
            if image.getexif() or "exif" in image.info:
                exif += 1
    half = sum(
        1
        for marker, pks in cases.items()
        for pk in pks
        if photos.get(pk, 0) != (1 if markers[marker] else 0)
    )
    print(
        json.dumps(
            {
                "stored": sum(1 for pks in cases.values() if pks),
                "lost": sum(1 for pks in cases.values() if not pks),
                "doubled": sum(1 for pks in cases.values() if len(pks) > 1),
                "half_written": half,
                "rows_without_file": len(stored - on_disk),
                "orphan_files": len(on_disk - stored),
                "exif": exif,
            }
        )
    )


if __name__ == "__main__":
    main()
