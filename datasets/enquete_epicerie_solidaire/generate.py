"""Generate the fictitious survey ``enquete_epicerie_solidaire`` (seeded, deterministic).

Run: ``python datasets/enquete_epicerie_solidaire/generate.py``. Writes next to this file:

- ``formulaire.xlsx``: the XLSForm questionnaire (KoboToolbox/ODK ready), built with
  :class:`movsc_toolkit.survey.Questionnaire`;
- ``reponses.csv``: 280 answers exported the way KoboToolbox does it ("XML values and
  headers", ``;`` separator, every field quoted, group prefixes ``groupe/question``,
  ``select_multiple`` as a space-separated summary column plus ``question/choix`` 1/0 columns,
  empty cells for questions not asked);
- ``marges_population.csv``: the margins of the 860 people holding an access card (sexe,
  tranche d'âge, quartier), for quotas and raking.

The relationships are built in on purpose (see README.md): age → volunteering, household →
workshops, quartier → frequency, frequency → satisfaction, employment → opening hours; the
length of attendance has no effect on the recommendation.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import numpy as np

from movsc_toolkit.survey import Questionnaire

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _reproducible import pick, stamp_workbook  # helpers shared by the generators

HERE = Path(__file__).resolve().parent
SEED = 20260236
N = 280

# --- the questionnaire ------------------------------------------------------------------------

SEXE = {"femme": "Femme", "homme": "Homme", "autre": "Autre ou ne se prononce pas"}
AGE = {
    "18_29": "18 à 29 ans",
    "30_44": "30 à 44 ans",
    "45_59": "45 à 59 ans",
    "60_plus": "60 ans et plus",
}
QUARTIER = {
    "bourg": "Centre-bourg",
    "peupliers": "Les Peupliers (QPV)",
    "plaine": "La Plaine",
    "voisines": "Communes voisines",
}
SITUATION = {
    "emploi": "En emploi",
    "chomage": "En recherche d'emploi",
    "retraite": "Retraité·e",
    "foyer": "Au foyer",
    "autre": "Autre situation (études, invalidité…)",
}
FOYER = {
    "seul": "Personne seule",
    "couple": "Couple sans enfant",
    "couple_enfants": "Couple avec enfant(s)",
    "monoparental": "Famille monoparentale",
    "autre": "Autre",
}
ORIENTATION = {
    "ccas": "Le CCAS",
    "assistante": "Une assistante sociale du Département",
    "association": "Une autre association",
    "proche": "Un proche, le bouche-à-oreille",
    "autre": "Autre",
}
ANCIENNETE = {
    "moins_6mois": "Moins de 6 mois",
    "6_12mois": "De 6 mois à 1 an",
    "plus_1an": "Plus d'un an",
}
FREQUENCE = {
    "semaine": "Chaque semaine",
    "quinzaine": "Deux fois par mois",
    "mois": "Une fois par mois",
    "rarement": "Plus rarement",
}
SERVICES = {
    "cuisine": "Atelier cuisine",
    "budget": "Accompagnement budgétaire",
    "jardin": "Jardin partagé",
    "bien_etre": "Atelier bien-être",
    "numerique": "Aide au numérique",
    "vestiaire": "Vestiaire solidaire",
    "sorties": "Sorties familiales",
}
BESOINS = {
    "frais": "Plus de produits frais",
    "hygiene": "Produits d'hygiène et pour bébé",
    "horaires": "Horaires plus larges",
    "dettes": "Aide pour les dettes et le surendettement",
    "demarches": "Aide aux démarches administratives",
    "mobilite": "Transport ou livraison des courses",
    "emploi": "Accompagnement vers l'emploi",
}
SATISFACTION = {
    "1": "Pas du tout satisfait·e",
    "2": "Peu satisfait·e",
    "3": "Moyennement satisfait·e",
    "4": "Plutôt satisfait·e",
    "5": "Très satisfait·e",
    "nsp": "Ne sait pas",
}
ITEMS = {
    "sat_accueil": "L'accueil par les bénévoles et les salariés",
    "sat_choix": "Le choix des produits",
    "sat_prix": "Les prix pratiqués",
    "sat_horaires": "Les horaires d'ouverture",
    "sat_discretion": "La discrétion et le respect de la vie privée",
    "sat_information": "L'information sur les ateliers et les services",
    "sat_locaux": "Les locaux (propreté, confort, attente)",
}
RECOMMANDATION = {
    "certainement": "Oui, certainement",
    "probablement": "Oui, probablement",
    "probablement_pas": "Non, probablement pas",
    "certainement_pas": "Non, certainement pas",
}
OUI_NON = {"oui": "Oui", "non": "Non"}


def build_form() -> Questionnaire:
    q = Questionnaire(
        title="Enquête auprès des bénéficiaires de l'épicerie solidaire Le Panier du Val",
        form_id="enquete_panier_du_val",
        version="2026020101",
    )
    for name, choices in [
        ("sexe", SEXE),
        ("tranche_age", AGE),
        ("quartier", QUARTIER),
        ("situation", SITUATION),
        ("foyer", FOYER),
        ("orientation", ORIENTATION),
        ("anciennete", ANCIENNETE),
        ("frequence", FREQUENCE),
        ("services", SERVICES),
        ("besoins", BESOINS),
        ("satisfaction", SATISFACTION),
        ("recommandation", RECOMMANDATION),
        ("oui_non", OUI_NON),
    ]:
        q.add_choices(name, choices)
    q.add_question("start", "start")
    q.add_question("end", "end")
    q.add_note(
        "intro",
        "Bonjour ! L'épicerie solidaire Le Panier du Val prépare son nouveau projet associatif "
        "et veut connaître votre avis. Ce questionnaire est anonyme et prend environ 8 minutes. "
        "Il n'a aucun effet sur vos droits d'accès à l'épicerie.",
    )
    q.begin_group("profil", "Votre profil")
    q.add_question("select_one sexe", "sexe", "Vous êtes :", required=True)
    q.add_question("select_one tranche_age", "tranche_age", "Quel âge avez-vous ?", required=True)
    q.add_question(
        "select_one quartier",
        "quartier",
        "Où habitez-vous ?",
        required=True,
        hint="Les Peupliers est le quartier prioritaire de la politique de la ville (QPV).",
    )
    q.add_question(
        "select_one situation", "situation", "Quelle est votre situation actuelle ?", required=True
    )
    q.add_question("select_one foyer", "foyer", "Qui compose votre foyer ?", required=True)
    q.add_question(
        "integer",
        "nb_enfants",
        "Combien d'enfants de moins de 18 ans vivent dans votre foyer ?",
        relevant="${foyer} = 'couple_enfants' or ${foyer} = 'monoparental'",
        constraint=". >= 1 and . <= 10",
        constraint_message="Indiquez un nombre entre 1 et 10.",
        required=True,
    )
    q.end_group()
    q.begin_group("frequentation", "Votre venue à l'épicerie")
    q.add_question(
        "select_one orientation",
        "orientation",
        "Qui vous a orienté·e vers l'épicerie ?",
    )
    q.add_question(
        "select_one anciennete",
        "anciennete",
        "Depuis combien de temps avez-vous accès à l'épicerie ?",
        required=True,
    )
    q.add_question(
        "select_one frequence",
        "frequence",
        "À quelle fréquence venez-vous faire vos courses ?",
        required=True,
    )
    q.add_question(
        "select_multiple services",
        "services",
        "Quels ateliers ou services avez-vous utilisés depuis un an, en plus des courses ?",
        hint="Plusieurs réponses possibles.",
        required=True,
    )
    q.end_group()
    q.add_question(
        "select_multiple besoins",
        "besoins",
        "Qu'aimeriez-vous que l'épicerie propose en plus ? (trois réponses au plus)",
        constraint="count-selected(.) <= 3",
        constraint_message="Choisissez trois réponses au plus.",
    )
    q.begin_group("satisfaction", "Votre satisfaction", appearance="field-list")
    q.add_note("consigne_sat", "Êtes-vous satisfait·e des points suivants ?")
    for name, label in ITEMS.items():
        q.add_question("select_one satisfaction", name, label, required=True, appearance="likert")
    q.end_group()
    q.add_question(
        "select_one recommandation",
        "recommandation",
        "Conseilleriez-vous l'épicerie à une personne dans votre situation ?",
        required=True,
    )
    q.add_question(
        "select_one oui_non",
        "benevolat",
        "Aimeriez-vous donner un peu de votre temps comme bénévole à l'épicerie ?",
    )
    q.add_question(
        "text",
        "suggestion",
        "Avez-vous une suggestion pour l'épicerie ?",
        appearance="multiline",
    )
    q.add_note("merci", "Merci beaucoup pour vos réponses !")
    return q


# --- the respondents ---------------------------------------------------------------------------


SUGGESTIONS = {
    "frais": [
        "Plus de fruits et légumes frais, surtout en fin de semaine.",
        "Il manque souvent des produits frais, la viande part très vite.",
    ],
    "horaires": [
        "Ouvrir un soir ou le samedi pour ceux qui travaillent.",
        "Les horaires ne vont pas quand on travaille, il faudrait ouvrir plus tard.",
    ],
    "attente": [
        "Trop d'attente le mardi matin, on pourrait prendre rendez-vous.",
        "Une salle d'attente plus grande, on attend dehors quand il pleut.",
    ],
    "information": [
        "Je n'étais pas au courant des ateliers, il faudrait afficher le programme.",
        "Envoyer le programme des ateliers par SMS.",
    ],
    "merci": [
        "Rien à changer, merci aux bénévoles.",
        "Continuez comme ça, l'accueil est très chaleureux.",
    ],
}


def respondent(rng: np.random.Generator, i: int) -> dict[str, str]:
    sexe = pick(rng, list(SEXE), [0.71, 0.27, 0.02])
    age = pick(rng, list(AGE), [0.12, 0.33, 0.33, 0.22])
    quartier = pick(rng, list(QUARTIER), [0.27, 0.38, 0.20, 0.15])
    qpv = quartier == "peupliers"
    sit_w = {
        "18_29": [0.25, 0.35, 0.0, 0.20, 0.20],
        "30_44": [0.35, 0.30, 0.0, 0.25, 0.10],
        "45_59": [0.32, 0.33, 0.03, 0.17, 0.15],
        "60_plus": [0.06, 0.08, 0.76, 0.04, 0.06],
    }[age]
    situation = pick(rng, list(SITUATION), sit_w)
    foyer_w = {
        "18_29": [0.35, 0.08, 0.12, 0.40, 0.05],
        "30_44": [0.14, 0.05, 0.33, 0.45, 0.03],
        "45_59": [0.33, 0.10, 0.22, 0.30, 0.05],
        "60_plus": [0.62, 0.30, 0.02, 0.02, 0.04],
    }[age]
    if qpv:
        foyer_w = [w * f for w, f in zip(foyer_w, [0.8, 0.8, 1.0, 1.6, 1.0], strict=True)]
    foyer = pick(rng, list(FOYER), foyer_w)
    enfants = foyer in {"couple_enfants", "monoparental"}
    nb_enfants = int(min(10, 1 + rng.poisson(1.2 if qpv else 0.8))) if enfants else None
    orientation = pick(rng, list(ORIENTATION), [0.34, 0.30, 0.12, 0.20, 0.04])

    anciennete = pick(rng, list(ANCIENNETE), [0.30, 0.32, 0.38])
    freq_w = {
        "bourg": [0.30, 0.38, 0.22, 0.10],
        "peupliers": [0.46, 0.33, 0.15, 0.06],
        "plaine": [0.22, 0.36, 0.28, 0.14],
        "voisines": [0.08, 0.28, 0.40, 0.24],
    }[quartier]
    frequence = pick(rng, list(FREQUENCE), freq_w)

    # Household × services: single parents come to the budget support and the family outings.
    mono = foyer == "monoparental"
    p_srv = {
        "cuisine": 0.26 + 0.08 * (sexe == "femme"),
        "budget": 0.18 + 0.30 * mono + 0.10 * (situation == "chomage"),
        "jardin": 0.12 + 0.16 * (age == "60_plus"),
        "bien_etre": 0.15 + 0.06 * (sexe == "femme"),
        "numerique": 0.10 + 0.22 * (age == "60_plus"),
        "vestiaire": 0.30 + 0.15 * enfants,
        "sorties": 0.40 if enfants else 0.05,
    }
    services = [s for s, p in p_srv.items() if rng.random() < p]
    if not services:
        services = ["vestiaire"]

    besoins_p = {
        "frais": 0.45,
        "hygiene": 0.40 if enfants else 0.18,
        "horaires": 0.45 if situation == "emploi" else 0.10,
        "dettes": 0.14 + 0.10 * mono,
        "demarches": 0.12 + 0.12 * (age == "60_plus"),
        "mobilite": 0.35 if quartier == "voisines" else 0.08,
        "emploi": 0.40 if situation == "chomage" else 0.04,
    }
    besoins = [b for b, p in besoins_p.items() if rng.random() < p]
    if len(besoins) > 3:
        keep = set(rng.choice(besoins, size=3, replace=False))
        besoins = [b for b in BESOINS if b in keep]
    # Kobo leaves a skipped select_multiple blank: nobody "answers" with no box ticked.
    repond_besoins = rng.random() < 0.85 and bool(besoins)

    # Satisfaction: a latent score that rises with the frequency of visits; opening hours are
    # the weak point of people in employment. The length of attendance plays no part.
    latent = rng.normal(0.5, 0.75)
    latent += {"semaine": 0.40, "quinzaine": 0.20, "mois": -0.05, "rarement": -0.40}[frequence]
    item_shift = {
        "sat_accueil": 0.70,
        "sat_choix": -0.35,
        "sat_prix": 0.30,
        "sat_horaires": -0.15 - (1.0 if situation == "emploi" else 0.0),
        "sat_discretion": 0.45,
        "sat_information": -0.45,
        "sat_locaux": -0.20,
    }
    sats = {}
    for item, shift in item_shift.items():
        if rng.random() < 0.04:
            sats[item] = "nsp"
            continue
        value = latent + shift + rng.normal(0, 0.65)
        sats[item] = str(int(np.clip(np.round(3.3 + value), 1, 5)))
    reco_score = latent + rng.normal(0, 0.5)
    recommandation = (
        "certainement"
        if reco_score > 0.8
        else "probablement"
        if reco_score > -0.2
        else "probablement_pas"
        if reco_score > -0.8
        else "certainement_pas"
    )
    # Age × volunteering: retired people have time to give; young parents much less.
    p_benevole = {"18_29": 0.22, "30_44": 0.16, "45_59": 0.24, "60_plus": 0.42}[age]
    benevolat = "oui" if rng.random() < p_benevole else "non"
    if rng.random() < 0.07:
        benevolat = ""

    themes = []
    if sats["sat_horaires"] in {"1", "2"}:
        themes.append("horaires")
    if sats["sat_choix"] in {"1", "2"}:
        themes.append("frais")
    if sats["sat_locaux"] in {"1", "2"}:
        themes.append("attente")
    if sats["sat_information"] in {"1", "2"}:
        themes.append("information")
    wording = np.random.default_rng([SEED, i])  # own stream: the rest stays unchanged
    theme = themes[int(wording.integers(len(themes)))] if themes else "merci"
    options = SUGGESTIONS[theme]
    suggestion = options[int(wording.integers(len(options)))] if rng.random() < 0.45 else ""

    day = 2 + int(rng.integers(0, 25))
    hour, minute, second = 9 + int(rng.integers(0, 8)), int(rng.integers(60)), int(rng.integers(60))
    duration = 5 + int(rng.integers(0, 10))
    end_min = minute + duration
    start = f"2026-02-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.000+01:00"
    end = f"2026-02-{day:02d}T{hour + end_min // 60:02d}:{end_min % 60:02d}:{second:02d}.000+01:00"
    sub = f"2026-02-{day:02d}T{hour - 1 + end_min // 60:02d}:{end_min % 60:02d}:{(second + 9) % 60:02d}"
    uuid = "".join(f"{int(b):02x}" for b in rng.integers(0, 256, 16))
    uuid = f"{uuid[:8]}-{uuid[8:12]}-4{uuid[13:16]}-b{uuid[17:20]}-{uuid[20:32]}"

    r: dict[str, str] = {
        "start": start,
        "end": end,
        "profil/sexe": sexe,
        "profil/tranche_age": age,
        "profil/quartier": quartier,
        "profil/situation": situation,
        "profil/foyer": foyer,
        "profil/nb_enfants": "" if nb_enfants is None else str(nb_enfants),
        "frequentation/orientation": orientation if rng.random() > 0.06 else "",
        "frequentation/anciennete": anciennete,
        "frequentation/frequence": frequence,
        "frequentation/services": " ".join(s for s in SERVICES if s in services),
    }
    for s in SERVICES:
        r[f"frequentation/services/{s}"] = "1" if s in services else "0"
    r["besoins"] = " ".join(besoins) if repond_besoins else ""
    for b in BESOINS:
        r[f"besoins/{b}"] = ("1" if b in besoins else "0") if repond_besoins else ""
    for item in ITEMS:
        r[f"satisfaction/{item}"] = sats[item]
    r.update(
        {
            "recommandation": recommandation,
            "benevolat": benevolat,
            "suggestion": suggestion,
            "_id": str(412_000 + i * 11),
            "_uuid": uuid,
            "_submission_time": sub,
            "_validation_status": "",
            "_notes": "",
            "_status": "submitted_via_web",
            "_submitted_by": "",
            "__version__": "vPv3kR8mZtY2wQn5",
            "_tags": "",
            "_index": str(i + 1),
        }
    )
    return r


MARGINS = [
    ("sexe", {"Femme": 560, "Homme": 285, "Autre ou ne se prononce pas": 15}),
    (
        "tranche_age",
        {"18 à 29 ans": 180, "30 à 44 ans": 270, "45 à 59 ans": 240, "60 ans et plus": 170},
    ),
    (
        "quartier",
        {
            "Centre-bourg": 210,
            "Les Peupliers (QPV)": 390,
            "La Plaine": 150,
            "Communes voisines": 110,
        },
    ),
]


def main() -> None:
    rng = np.random.default_rng(SEED)
    build_form().to_xlsform(HERE / "formulaire.xlsx")
    stamp_workbook(HERE / "formulaire.xlsx", dt.datetime(2026, 2, 1, 9, 0, 0))
    rows = [respondent(rng, i) for i in range(N)]
    columns = list(rows[0])
    with (HERE / "reponses.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row[c] for c in columns])
    with (HERE / "marges_population.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\n")
        writer.writerow(["variable", "modalite", "effectif"])
        for variable, counts in MARGINS:
            for level, n in counts.items():
                writer.writerow([variable, level, n])


if __name__ == "__main__":
    main()
