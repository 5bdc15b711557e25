"""The demo city's announcements and one critical incident, dated from the day the demo is
built so that they are always recent.

City-wide news, one item per neighbourhood, a safety alert in force in the first
neighbourhood, and a police shooting's incident page: occurred at 13:40 two days ago, first
public update 2 hours 25 minutes later, then three more updates, one of which corrects the
first (the time given was wrong), and the released body-worn camera footage and the
incident report. Everything goes through announcements/services.py, as staff would.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.demo.languages import in_languages
from commonbeat.engagement.announcements import services
from commonbeat.engagement.models import Announcement, CriticalIncident, IncidentLink

ZONE = ZoneInfo("America/Chicago")

CITY_NEWS = [
    (
        3,
        {
            "en": "Town hall with the chief: questions welcome",
            "es": "Asamblea con la jefatura: envíe sus preguntas",
        },
        {
            "en": "The chief and the oversight board answer residents' questions on the year's complaints, stops and use of force. Send questions ahead through the events page, or ask on the night.",
            "es": "La jefatura y la junta de supervisión responden a las preguntas de los vecinos sobre las quejas, las paradas y el uso de la fuerza del año. Envíe sus preguntas antes desde la página del evento o pregunte esa noche.",
        },
    ),
    (
        9,
        {
            "en": "New data: a year of stops published",
            "es": "Nuevos datos: un año de paradas publicado",
        },
        {
            "en": "Every stop officers made last year is now in the open data, with the dashboards that compare stop rates by neighbourhood.",
            "es": "Todas las paradas que hicieron los agentes el año pasado están ahora en los datos abiertos, con los paneles que comparan las tasas de paradas por barrio.",
        },
    ),
]
ALERT = (
    {"en": "Road closed after a gas leak", "es": "Calle cortada por una fuga de gas"},
    {
        "en": "The gas company is repairing a leak. Avoid the area until the alert ends; homes within one block have been asked to stay indoors with windows closed.",
        "es": "La compañía de gas está reparando una fuga. Evite la zona hasta que termine la alerta; se ha pedido a las casas a una cuadra que permanezcan dentro con las ventanas cerradas.",
    },
)

INCIDENT_TITLE = {
    "en": "Officer-involved shooting on River Street",
    "es": "Tiroteo con participación de un agente en River Street",
}
INCIDENT_SUMMARY = {
    "en": "An officer fired at a man during a traffic stop. The man was taken to hospital. The state investigations bureau is investigating; the department will post what it knows here as it learns it.",
    "es": "Un agente disparó contra un hombre durante una parada de tráfico. El hombre fue trasladado al hospital. La oficina estatal de investigaciones investiga; el departamento publicará aquí lo que sepa a medida que lo sepa.",
}
# (minutes after the incident, text); the correction is posted after the second update.
UPDATES = [
    (145, {
        "en": "At about 14:00 an officer fired during a traffic stop on River Street. One man was hurt and taken to hospital; no officer was hurt. The officer is on administrative leave.",
        "es": "Hacia las 14:00 un agente disparó durante una parada de tráfico en River Street. Un hombre resultó herido y fue trasladado al hospital; ningún agente resultó herido. El agente está de baja administrativa.",
    }),
    (400, {
        "en": "The man is in stable condition. The state investigations bureau has taken over the investigation.",
        "es": "El hombre está en condición estable. La oficina estatal de investigaciones se ha hecho cargo de la investigación.",
    }),
]  # fmt: skip
CORRECTION = (
    460,
    {
        "en": "The first update gave the time as about 14:00. The dispatch record shows the shots were fired at 13:40.",
        "es": "La primera actualización daba la hora como hacia las 14:00. El registro de despacho muestra que los disparos fueron a las 13:40.",
    },
    {
        "en": "At 13:40 an officer fired during a traffic stop on River Street. One man was hurt and taken to hospital; no officer was hurt. The officer is on administrative leave.",
        "es": "A las 13:40 un agente disparó durante una parada de tráfico en River Street. Un hombre resultó herido y fue trasladado al hospital; ningún agente resultó herido. El agente está de baja administrativa.",
    },
)
LAST_UPDATE = (
    1560,
    {
        "en": "The body-worn camera footage of both officers is released below, with the incident report. Faces of bystanders are blurred.",
        "es": "Las grabaciones de las cámaras corporales de los dos agentes se publican abajo, con el informe del incidente. Las caras de los transeúntes están difuminadas.",
    },
)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE)


def remove_announcements(agency: Agency) -> None:
    """Delete the agency's announcements and incidents (each deletion audited)."""
    for announcement in Announcement.objects.filter(agency=agency):
        announcement.delete()
    for incident in CriticalIncident.objects.filter(agency=agency):
        incident.delete()  # its updates and links go with it


def load_announcements(agency: Agency, today: date) -> dict[str, int]:
    """Write the demo's announcements and critical incident; return how many of each."""
    places = list(agency.neighbourhoods.order_by("name"))
    made = 0
    for days_ago, title, body in CITY_NEWS:
        news = Announcement.objects.create(
            agency=agency, kind=Announcement.Kind.NEWS,
            **in_languages("title", title), **in_languages("body", body),
        )  # fmt: skip
        services.publish_announcement(news, at=_at(today - timedelta(days=days_ago), 10))
        made += 1
    for index, place in enumerate(places):
        news = Announcement.objects.create(
            agency=agency, neighbourhood=place, kind=Announcement.Kind.NEWS,
            **in_languages("title", {"en": f"Meet your new neighbourhood sergeant in {place.name}", "es": f"Conozca a su nuevo sargento de barrio en {place.name}"}),
            **in_languages("body", {
                "en": f"The {place.name} team has a new sergeant. Come and meet them at the next neighbourhood walk, or write to the team.",
                "es": f"El equipo de {place.name} tiene un nuevo sargento. Venga a conocerlo en el próximo recorrido por el barrio o escriba al equipo.",
            }),
        )  # fmt: skip
        services.publish_announcement(news, at=_at(today - timedelta(days=2 + index), 9, 30))
        made += 1
    if places:
        title, body = ALERT
        alert = Announcement.objects.create(
            agency=agency, neighbourhood=places[0], kind=Announcement.Kind.SAFETY_ALERT,
            **in_languages("title", title), **in_languages("body", body),
            expires_at=_at(today + timedelta(days=2), 18),
        )  # fmt: skip
        # Published two hours before the build, so it is in force whatever the hour.
        services.publish_announcement(alert, at=timezone.now() - timedelta(hours=2))
        made += 1
    _incident(agency, places[0] if places else None, today)
    return {"announcements": made, "incidents": 1}


def _incident(agency: Agency, place: Neighbourhood | None, today: date) -> CriticalIncident:
    occurred = _at(today - timedelta(days=2), 13, 40)
    incident = CriticalIncident.objects.create(
        agency=agency, neighbourhood=place, occurred_at=occurred,
        **in_languages("title", INCIDENT_TITLE), **in_languages("summary", INCIDENT_SUMMARY),
    )  # fmt: skip
    (first_at, first_text), (second_at, second_text) = UPDATES
    first = services.post_update(incident, first_text["en"], first_text["es"])
    services.publish(incident, now=occurred + timedelta(minutes=first_at))
    first.refresh_from_db()
    services.post_update(
        incident, second_text["en"], second_text["es"],
        now=occurred + timedelta(minutes=second_at),
    )  # fmt: skip
    minutes, wrong, body = CORRECTION
    services.correct_update(
        first, wrong_en=wrong["en"], wrong_es=wrong["es"], body_en=body["en"],
        body_es=body["es"], now=occurred + timedelta(minutes=minutes),
    )  # fmt: skip
    minutes, text = LAST_UPDATE
    services.post_update(
        incident, text["en"], text["es"], now=occurred + timedelta(minutes=minutes)
    )
    released = (occurred + timedelta(minutes=minutes)).date()
    for kind, title, url in (
        (IncidentLink.Kind.FOOTAGE, {"en": "Body-worn camera footage, first officer", "es": "Grabación de la cámara corporal, primer agente"}, "https://video.riverton.example/incidents/river-street/officer-1"),
        (IncidentLink.Kind.FOOTAGE, {"en": "Body-worn camera footage, second officer", "es": "Grabación de la cámara corporal, segundo agente"}, "https://video.riverton.example/incidents/river-street/officer-2"),
        (IncidentLink.Kind.DOCUMENT, {"en": "Incident report (PDF)", "es": "Informe del incidente (PDF)"}, "https://riverton.example/documents/river-street-incident-report.pdf"),
    ):  # fmt: skip
        IncidentLink.objects.create(
            incident=incident, kind=kind, url=url, released_on=released,
            **in_languages("title", title),
        )  # fmt: skip
    return incident
