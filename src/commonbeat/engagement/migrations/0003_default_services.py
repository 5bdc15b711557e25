"""The concern services a new deployment starts with (operators edit them in the back office):
noise, vandalism, traffic near schools, street lighting, drug activity and anything else, in
English and Spanish, with the questions each asks."""

from __future__ import annotations

from typing import Any

from django.db import migrations

# (code, group, type, keywords, name, description, [(code, datatype, required, question,
# [(key, name)])]); texts as (English, Spanish).
SERVICES: list[tuple[Any, ...]] = [
    ("noise", "Nuisance", "realtime", "noise, music, party, shouting",
     ("Noise", "Ruido"),
     ("Loud music, parties, shouting or engines that keep happening.", "Música alta, fiestas, gritos o motores que se repiten."),
     [("when", "singlevaluelist", True, ("When does it happen?", "¿Cuándo ocurre?"),
       [("day", ("In the day", "De día")), ("evening", ("In the evening", "Por la tarde")), ("night", ("At night", "De noche"))]),
      ("source", "singlevaluelist", False, ("Where does it come from?", "¿De dónde viene?"),
       [("home", ("A home", "Una vivienda")), ("business", ("A bar or business", "Un bar o negocio")), ("street", ("The street", "La calle")), ("vehicle", ("A vehicle", "Un vehículo"))])]),
    ("vandalism", "Property", "realtime", "graffiti, damage, broken",
     ("Vandalism and graffiti", "Vandalismo y grafitis"),
     ("Damage to property, graffiti, broken windows or fittings.", "Daños a la propiedad, grafitis, ventanas o instalaciones rotas."),
     [("target", "singlevaluelist", True, ("What was damaged?", "¿Qué se dañó?"),
       [("public", ("Public property", "Propiedad pública")), ("private", ("Private property", "Propiedad privada")), ("vehicle", ("A vehicle", "Un vehículo"))])]),
    ("school_traffic", "Traffic", "realtime", "speeding, school, crossing, parking",
     ("Traffic near a school", "Tráfico cerca de una escuela"),
     ("Speeding, dangerous parking or crossings near a school.", "Exceso de velocidad, estacionamiento peligroso o cruces cerca de una escuela."),
     [("times", "multivaluelist", False, ("At which times?", "¿A qué horas?"),
       [("drop_off", ("Drop-off", "Entrada")), ("pick_up", ("Pick-up", "Salida")), ("other", ("Other times", "Otras horas"))])]),
    ("lighting", "Streets", "batch", "light, dark, lamp",
     ("Street lighting", "Alumbrado público"),
     ("A street light that is out or a stretch that is too dark.", "Una farola apagada o un tramo demasiado oscuro."),
     [("lights_out", "number", False, ("How many lights are out?", "¿Cuántas farolas están apagadas?"), [])]),
    ("drug_activity", "Safety", "realtime", "drugs, dealing, needles",
     ("Drug activity", "Actividad de drogas"),
     ("Dealing or discarded needles. For a crime in progress, call 911.", "Venta de drogas o agujas tiradas. Para un delito en curso, llame al 911."),
     [("seen_at", "datetime", False, ("When did you last see it?", "¿Cuándo lo vio por última vez?"), [])]),
    ("other", "Other", "realtime", "other",
     ("Something else", "Otra cosa"),
     ("Any other concern for your neighbourhood team.", "Cualquier otra preocupación para el equipo de su barrio."),
     []),
]


def create_services(apps: Any, schema_editor: Any) -> None:
    Service = apps.get_model("engagement", "Service")
    Attribute = apps.get_model("engagement", "ServiceAttribute")
    Value = apps.get_model("engagement", "AttributeValue")
    for order, (code, group, kind, keywords, name, description, questions) in enumerate(SERVICES):
        if Service.objects.filter(code=code).exists():
            continue
        service = Service.objects.create(
            code=code, group=group, type=kind, keywords=keywords, order=order,
            name=name[0], name_en=name[0], name_es=name[1],
            description=description[0], description_en=description[0], description_es=description[1],
        )  # fmt: skip
        for place, (qcode, datatype, required, question, values) in enumerate(questions):
            attribute = Attribute.objects.create(
                service=service, code=qcode, datatype=datatype, required=required, order=place,
                description=question[0], description_en=question[0], description_es=question[1],
            )  # fmt: skip
            for rank, (key, label) in enumerate(values):
                Value.objects.create(
                    attribute=attribute, key=key, order=rank,
                    name=label[0], name_en=label[0], name_es=label[1],
                )  # fmt: skip


def remove_services(apps: Any, schema_editor: Any) -> None:
    Service = apps.get_model("engagement", "Service")
    Service.objects.filter(code__in=[s[0] for s in SERVICES], concerns__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("engagement", "0002_concerns")]
    operations = [migrations.RunPython(create_services, remove_services)]
