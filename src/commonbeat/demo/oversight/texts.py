"""What the demo city's residents wrote and staff answered, in the language each one used.

A resident's report is their own words, in their own language (it is not translated content);
staff's reasons are written in the complainant's language, as a real oversight body would.
"""

from __future__ import annotations

# Allegation category (oversight/vocab.py CATEGORIES) → language → reports.
NARRATIVES: dict[str, dict[str, list[str]]] = {
    "discourtesy": {
        "en": [
            "The officer shouted at me and called me names in front of my children when I "
            "asked why my car had been stopped.",
            "I asked for directions after the festival and the officer told me to get lost "
            "and laughed with his partner.",
        ],
        "es": [
            "El agente me gritó y me insultó delante de mis hijos cuando pregunté por qué "
            "habían detenido mi coche.",
            "Pedí ayuda para encontrar a mi hermano y la agente me dijo que no era su problema "
            "y se fue.",
        ],
    },
    "force": {
        "en": [
            "The officer pushed me against the patrol car and twisted my arm although I was "
            "not resisting and had my hands up.",
            "My son was taken to the ground hard during a stop for a broken tail light; he "
            "needed stitches on his chin.",
        ],
        "es": [
            "El agente me empujó contra la patrulla y me torció el brazo aunque yo no me "
            "resistía y tenía las manos en alto.",
            "A mi hijo lo tiraron al suelo con fuerza durante un control por una luz trasera "
            "rota; necesitó puntos en la barbilla.",
        ],
    },
    "abuse of authority": {
        "en": [
            "Two officers came into my home without a warrant or my permission and looked "
            "through my drawers.",
            "The officer threatened to arrest me if I kept filming the stop from the sidewalk.",
        ],
        "es": [
            "Dos agentes entraron en mi casa sin orden judicial ni mi permiso y revisaron mis "
            "cajones.",
            "El agente amenazó con arrestarme si seguía grabando el control desde la acera.",
        ],
    },
    "improper search": {
        "en": [
            "I was searched on the street for no reason I was given, and my bag was emptied "
            "onto the pavement.",
        ],
        "es": [
            "Me registraron en la calle sin darme ningún motivo y vaciaron mi bolso en la acera.",
        ],
    },
    "neglect of duty": {
        "en": [
            "I reported a break-in three times and nobody came or called back for two weeks.",
        ],
        "es": [
            "Denuncié un robo en mi casa tres veces y nadie vino ni me llamó en dos semanas.",
        ],
    },
    "bias": {
        "en": [
            "The officer said people like me should go back where we came from and only "
            "stopped the drivers of colour at the checkpoint.",
        ],
        "es": [
            "El agente dijo que la gente como yo debería volver a su país y solo detuvo a los "
            "conductores latinos en el control.",
        ],
    },
}

COMMENDATIONS: dict[str, list[str]] = {
    "en": [
        "The officer stayed with my mother after her fall until the ambulance came, and "
        "called me to let me know she was safe.",
        "Thank you to the officer who found my lost son at the park and waited with him.",
        "The officer calmed a frightening argument outside our building with patience and "
        "respect for everyone involved.",
    ],
    "es": [
        "La agente se quedó con mi madre después de su caída hasta que llegó la ambulancia y "
        "me llamó para decirme que estaba bien.",
        "Gracias al agente que encontró a mi hijo perdido en el parque y esperó con él.",
        "El agente calmó una discusión peligrosa frente a nuestro edificio con paciencia y "
        "respeto para todos.",
    ],
}

# Staff's reasons, in the complainant's language.
REASONS: dict[str, dict[str, str]] = {
    "en": {
        "sustained": "The body-worn camera footage and two witnesses confirm the account.",
        "not_sustained": "The evidence neither proves nor disproves the account.",
        "unfounded": "The footage shows the events did not happen as described.",
        "exonerated": "The events happened, but the officer acted within policy.",
        "commendation": "Passed to the officer and the unit commander with thanks.",
        "referred": "The incident involved the county sheriff's deputies, not our officers.",
        "referred_to": "County Sheriff's Office",
        "mediated": "Both sides met with a mediator and reached an agreement.",
    },
    "es": {
        "sustained": "Las imágenes de la cámara corporal y dos testigos confirman el relato.",
        "not_sustained": "Las pruebas no demuestran ni desmienten el relato.",
        "unfounded": "Las imágenes muestran que los hechos no ocurrieron como se describen.",
        "exonerated": "Los hechos ocurrieron, pero el agente actuó conforme a las normas.",
        "commendation": "Se ha transmitido al agente y a su comandante con agradecimiento.",
        "referred": "En el incidente participaron ayudantes del sheriff del condado, no "
        "nuestros agentes.",
        "referred_to": "Oficina del Sheriff del Condado",
        "mediated": "Ambas partes se reunieron con un mediador y llegaron a un acuerdo.",
    },
}
