"""A standard trust and safety questionnaire, in English and Spanish, to start from.

Its questions follow those long asked in public surveys of policing (feeling safe after dark;
procedural justice: fairness, listening, respect; overall confidence; satisfaction after a
contact), so results can be set beside others'. The demographic questions' codes are the
groups the operator's population counts use (`commonbeat surveys population`): age bands,
sex, and the race and ethnicity vocabulary of the stop records. "Prefer not to say" is never
weighted. `commonbeat surveys standard --agency SLUG` makes one; staff then edit it freely.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from commonbeat.core.models import Agency
from commonbeat.engagement.surveys.models import Choice, MatrixRow, Question, Survey

Text = dict[str, str]

SAFE = [
    ("very_safe", {"en": "Very safe", "es": "Muy seguro/a"}, True),
    ("fairly_safe", {"en": "Fairly safe", "es": "Bastante seguro/a"}, True),
    ("a_bit_unsafe", {"en": "A bit unsafe", "es": "Algo inseguro/a"}, False),
    ("very_unsafe", {"en": "Very unsafe", "es": "Muy inseguro/a"}, False),
]
AGREE = [
    ("strongly_agree", {"en": "Strongly agree", "es": "Muy de acuerdo"}, True),
    ("agree", {"en": "Agree", "es": "De acuerdo"}, True),
    (
        "neither",
        {"en": "Neither agree nor disagree", "es": "Ni de acuerdo ni en desacuerdo"},
        False,
    ),
    ("disagree", {"en": "Disagree", "es": "En desacuerdo"}, False),
    ("strongly_disagree", {"en": "Strongly disagree", "es": "Muy en desacuerdo"}, False),
]
JOB = [
    ("excellent", {"en": "Excellent", "es": "Excelente"}, True),
    ("good", {"en": "Good", "es": "Bueno"}, True),
    ("fair", {"en": "Fair", "es": "Regular"}, False),
    ("poor", {"en": "Poor", "es": "Malo"}, False),
    ("very_poor", {"en": "Very poor", "es": "Muy malo"}, False),
]
SATISFIED = [
    ("very_satisfied", {"en": "Very satisfied", "es": "Muy satisfecho/a"}, True),
    ("fairly_satisfied", {"en": "Fairly satisfied", "es": "Bastante satisfecho/a"}, True),
    ("fairly_dissatisfied", {"en": "Fairly dissatisfied", "es": "Bastante insatisfecho/a"}, False),
    ("very_dissatisfied", {"en": "Very dissatisfied", "es": "Muy insatisfecho/a"}, False),
]
YES_NO = [
    ("yes", {"en": "Yes", "es": "Sí"}, False),
    ("no", {"en": "No", "es": "No"}, False),
]
FOCUS = [
    ("burglary", {"en": "Burglary and theft", "es": "Robos en viviendas y hurtos"}),
    ("traffic", {"en": "Speeding and dangerous driving", "es": "Exceso de velocidad y conducción peligrosa"}),
    ("drugs", {"en": "Drug dealing", "es": "Venta de drogas"}),
    ("disorder", {"en": "Noise and disorder", "es": "Ruido y desorden"}),
    ("violence", {"en": "Violence", "es": "Violencia"}),
    ("youth", {"en": "Activities for young people", "es": "Actividades para jóvenes"}),
]  # fmt: skip
NOT_SAY = ("prefer_not", {"en": "Prefer not to say", "es": "Prefiero no decirlo"}, False)
AGE = [
    ("18_24", {"en": "18 to 24", "es": "18 a 24"}, False),
    ("25_34", {"en": "25 to 34", "es": "25 a 34"}, False),
    ("35_44", {"en": "35 to 44", "es": "35 a 44"}, False),
    ("45_64", {"en": "45 to 64", "es": "45 a 64"}, False),
    ("65_plus", {"en": "65 or over", "es": "65 o más"}, False),
    NOT_SAY,
]
SEX = [
    ("female", {"en": "Female", "es": "Mujer"}, False),
    ("male", {"en": "Male", "es": "Hombre"}, False),
    NOT_SAY,
]
RACE = [
    ("white", {"en": "White", "es": "Blanca"}, False),
    ("black", {"en": "Black or African American", "es": "Negra o afroamericana"}, False),
    ("hispanic", {"en": "Hispanic or Latino", "es": "Hispana o latina"}, False),
    ("asian_pacific_islander", {"en": "Asian or Pacific Islander", "es": "Asiática o de las islas del Pacífico"}, False),
    ("native_american", {"en": "Native American", "es": "Indígena americana"}, False),
    ("multiracial", {"en": "More than one", "es": "Más de una"}, False),
    ("other", {"en": "Another", "es": "Otra"}, False),
    NOT_SAY,
]  # fmt: skip
TRUST_ROWS = [
    ("fair", {"en": "The police here treat everyone fairly, whoever they are.", "es": "La policía aquí trata a todos con justicia, sean quienes sean."}),
    ("listen", {"en": "The police here listen to residents' concerns.", "es": "La policía aquí escucha las preocupaciones de los vecinos."}),
    ("respect", {"en": "The police here treat people with respect.", "es": "La policía aquí trata a las personas con respeto."}),
    ("rely", {"en": "I can rely on the police to be there when I need them.", "es": "Puedo contar con que la policía estará cuando la necesite."}),
]  # fmt: skip

# (code, kind, text, help, choices, rows, dimension, (show_if code, codes), required)
QUESTIONS: list[tuple[Any, ...]] = [
    ("safe_night", Question.Kind.LIKERT,
     {"en": "How safe do you feel walking alone in your neighbourhood after dark?",
      "es": "¿Qué tan seguro/a se siente caminando solo/a por su vecindario de noche?"},
     {}, SAFE, [], "", None, True),
    ("trust", Question.Kind.MATRIX,
     {"en": "How much do you agree with each statement?",
      "es": "¿Qué tan de acuerdo está con cada afirmación?"},
     {}, AGREE, TRUST_ROWS, "", None, True),
    ("job", Question.Kind.SINGLE,
     {"en": "Overall, how good a job are the police doing in your neighbourhood?",
      "es": "En general, ¿qué tan bien hace su trabajo la policía en su vecindario?"},
     {}, JOB, [], "", None, True),
    ("contact", Question.Kind.SINGLE,
     {"en": "In the last 12 months, have you had contact with the police here?",
      "es": "En los últimos 12 meses, ¿ha tenido contacto con la policía aquí?"},
     {"en": "For example a stop, a call you made, or a visit.",
      "es": "Por ejemplo, una parada, una llamada que hizo o una visita."},
     YES_NO, [], "", None, False),
    ("contact_satisfied", Question.Kind.LIKERT,
     {"en": "How satisfied were you with how the police treated you?",
      "es": "¿Qué tan satisfecho/a quedó con el trato que recibió de la policía?"},
     {}, SATISFIED, [], "", ("contact", ["yes"]), False),
    ("focus", Question.Kind.MULTIPLE,
     {"en": "What should the police in your neighbourhood focus on?",
      "es": "¿En qué debería centrarse la policía de su vecindario?"},
     {"en": "Choose up to all that apply.", "es": "Elija todas las que correspondan."},
     [(c, t, False) for c, t in FOCUS], [], "", None, False),
    ("one_thing", Question.Kind.TEXT,
     {"en": "What one thing should the police here do differently?",
      "es": "¿Qué es lo único que la policía aquí debería hacer de otra manera?"},
     {}, [], [], "", None, False),
    ("age", Question.Kind.SINGLE, {"en": "Your age", "es": "Su edad"},
     {"en": "Used only to weight the results.", "es": "Solo se usa para ponderar los resultados."},
     AGE, [], "age", None, False),
    ("sex", Question.Kind.SINGLE, {"en": "Your sex", "es": "Su sexo"},
     {"en": "Used only to weight the results.", "es": "Solo se usa para ponderar los resultados."},
     SEX, [], "sex", None, False),
    ("race", Question.Kind.SINGLE,
     {"en": "Your race or ethnicity", "es": "Su raza u origen étnico"},
     {"en": "Used only to weight the results.", "es": "Solo se usa para ponderar los resultados."},
     RACE, [], "race", None, False),
]  # fmt: skip

TITLE = {"en": "Trust and safety survey", "es": "Encuesta de confianza y seguridad"}
INTRODUCTION = {
    "en": "Ten questions, about five minutes. Your answers are anonymous and shape what the "
    "police in your neighbourhood work on.",
    "es": "Diez preguntas, unos cinco minutos. Sus respuestas son anónimas y orientan el "
    "trabajo de la policía en su vecindario.",
}


def _both(field: str, text: Text) -> dict[str, str]:
    # engagement may not import the demo; the same shape as demo.languages.in_languages.
    return {f"{field}_{code}": text.get(code, "") for code, _name in settings.LANGUAGES}


@transaction.atomic
def create_standard(agency: Agency, min_cell: int = 10) -> Survey:
    survey = Survey.objects.create(
        agency=agency, min_cell=min_cell, **_both("title", TITLE),
        **_both("introduction", INTRODUCTION),
    )  # fmt: skip
    made: dict[str, Question] = {}
    for position, spec in enumerate(QUESTIONS, start=1):
        code, kind, text, help_text, choices, rows, dimension, condition, required = spec
        question = Question.objects.create(
            survey=survey, position=position * 10, code=code, kind=kind, dimension=dimension,
            required=required, **_both("text", text), **_both("help", help_text or {"en": ""}),
        )  # fmt: skip
        Choice.objects.bulk_create(
            Choice(question=question, position=i, code=c, favourable=good, **_both("label", label))
            for i, (c, label, good) in enumerate(choices)
        )
        MatrixRow.objects.bulk_create(
            MatrixRow(question=question, position=i, code=c, **_both("text", t))
            for i, (c, t) in enumerate(rows)
        )
        if condition:
            question.show_if = made[condition[0]]
            question.show_if_codes = condition[1]
            question.full_clean()
            question.save(update_fields=["show_if", "show_if_codes"])
        made[code] = question
    return survey
