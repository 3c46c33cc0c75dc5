"""Generate the fictitious survey ``enquete_usagers`` (seeded, deterministic).

Run: ``python datasets/enquete_usagers/generate.py``. Writes next to this file:

- ``formulaire.xlsx``: the XLSForm questionnaire (KoboToolbox/ODK ready), built with
  :class:`movsc_toolkit.survey.Questionnaire`;
- ``reponses.csv``: 500 answers exported the way KoboToolbox does it ("XML values and
  headers", ``;`` separator, every field quoted, group prefixes ``groupe/question``,
  ``select_multiple`` as a space-separated summary column plus ``question/choix`` 1/0 columns,
  empty cells for questions not asked);
- ``marges_population.csv``: the margins of the 2 000 registered users (sexe, tranche d'âge,
  quartier), for raking.

The relationships are built in on purpose (see README.md): age → activities, quartier →
fréquentation, fréquentation → satisfaction, situation → satisfaction with opening hours;
sexe has no effect on satisfaction.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

from movsc_toolkit.survey import Questionnaire

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _reproducible import pick  # helper shared by the generators

HERE = Path(__file__).resolve().parent
SEED = 20260308
N = 500

# --- the questionnaire ------------------------------------------------------------------------

SEXE = {"femme": "Femme", "homme": "Homme", "autre": "Autre ou ne se prononce pas"}
AGE = {
    "15_24": "15 à 24 ans",
    "25_39": "25 à 39 ans",
    "40_59": "40 à 59 ans",
    "60_74": "60 à 74 ans",
    "75_plus": "75 ans et plus",
}
QUARTIER = {
    "centre": "Centre-ville",
    "gare": "La Gare",
    "coteaux": "Les Coteaux",
    "bles_dor": "Les Blés d'Or (QPV)",
    "hameaux": "Hameaux et écarts",
}
SITUATION = {
    "emploi": "En emploi",
    "chomage": "En recherche d'emploi",
    "etudes": "Élève, étudiant·e",
    "retraite": "Retraité·e",
    "foyer": "Au foyer",
    "autre": "Autre situation",
}
FOYER = {
    "seul": "Personne seule",
    "couple": "Couple sans enfant",
    "couple_enfants": "Couple avec enfant(s)",
    "monoparental": "Famille monoparentale",
    "autre": "Autre (colocation, chez les parents…)",
}
ANCIENNETE = {"moins_1an": "Moins d'un an", "1_3ans": "De 1 à 3 ans", "plus_3ans": "Plus de 3 ans"}
FREQUENCE = {
    "plusieurs_semaine": "Plusieurs fois par semaine",
    "semaine": "Une fois par semaine",
    "mois": "Une ou deux fois par mois",
    "rarement": "Plus rarement",
}
CONNAISSANCE = {
    "bouche": "Le bouche-à-oreille",
    "ecole": "L'école ou la crèche",
    "social": "La mairie ou un service social",
    "internet": "Internet, les réseaux sociaux",
    "passage": "En passant devant",
}
ACTIVITES = {
    "accueil": "Accueil et information",
    "demarches": "Aide aux démarches administratives",
    "numerique": "Ateliers numériques",
    "scolarite": "Accompagnement à la scolarité",
    "sport": "Sport et bien-être",
    "cuisine": "Ateliers cuisine",
    "sorties": "Sorties familiales",
    "seniors": "Club des seniors",
    "francais": "Cours de français",
}
BESOINS = {
    "garde": "Garde d'enfants",
    "emploi": "Aide à la recherche d'emploi",
    "numerique": "Accès au numérique",
    "sante": "Santé et prévention",
    "logement": "Logement",
    "loisirs": "Loisirs et culture",
    "isolement": "Rompre l'isolement",
}
SATISFACTION = {
    "1": "Pas du tout satisfait·e",
    "2": "Plutôt pas satisfait·e",
    "3": "Ni satisfait·e ni insatisfait·e",
    "4": "Plutôt satisfait·e",
    "5": "Très satisfait·e",
    "nsp": "Ne sait pas",
}
ITEMS = {
    "sat_accueil": "L'accueil",
    "sat_horaires": "Les horaires d'ouverture",
    "sat_locaux": "Les locaux",
    "sat_activites": "Les activités proposées",
    "sat_tarifs": "Les tarifs",
    "sat_information": "L'information sur les activités",
    "sat_ecoute": "L'écoute de l'équipe",
}
RECOMMANDATION = {
    "certainement": "Oui, certainement",
    "probablement": "Oui, probablement",
    "probablement_pas": "Probablement pas",
    "certainement_pas": "Certainement pas",
}
OUI_NON = {"oui": "Oui", "non": "Non"}


def build_form() -> Questionnaire:
    q = Questionnaire(
        title="Enquête auprès des usagers du centre social La Passerelle",
        form_id="enquete_usagers_passerelle",
        version="2026030101",
    )
    for name, choices in [
        ("sexe", SEXE),
        ("tranche_age", AGE),
        ("quartier", QUARTIER),
        ("situation", SITUATION),
        ("foyer", FOYER),
        ("anciennete", ANCIENNETE),
        ("frequence", FREQUENCE),
        ("connaissance", CONNAISSANCE),
        ("activites", ACTIVITES),
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
        "Bonjour ! Le centre social La Passerelle souhaite mieux connaître ses usagers. "
        "Ce questionnaire est anonyme et prend environ 10 minutes.",
    )
    q.begin_group("profil", "Votre profil")
    q.add_question("select_one sexe", "sexe", "Vous êtes :", required=True)
    q.add_question("select_one tranche_age", "tranche_age", "Quel âge avez-vous ?", required=True)
    q.add_question(
        "select_one quartier",
        "quartier",
        "Dans quel quartier habitez-vous ?",
        required=True,
        hint="Les Blés d'Or est le quartier prioritaire de la politique de la ville (QPV).",
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
        constraint=". >= 1 and . <= 12",
        constraint_message="Indiquez un nombre entre 1 et 12.",
        required=True,
    )
    q.end_group()
    q.begin_group("frequentation", "Votre fréquentation du centre")
    q.add_question(
        "select_one anciennete",
        "anciennete",
        "Depuis combien de temps fréquentez-vous le centre social ?",
        required=True,
    )
    q.add_question(
        "select_one frequence",
        "frequence",
        "À quelle fréquence venez-vous au centre social ?",
        required=True,
    )
    q.add_question(
        "select_one connaissance",
        "connaissance",
        "Comment avez-vous connu le centre social ?",
    )
    q.add_question(
        "select_multiple activites",
        "activites",
        "À quelles activités avez-vous participé depuis un an ?",
        hint="Plusieurs réponses possibles.",
        required=True,
    )
    q.end_group()
    q.add_question(
        "select_multiple besoins",
        "besoins",
        "Quels besoins aimeriez-vous voir mieux pris en compte ? (trois au plus)",
        constraint="count-selected(.) <= 3",
        constraint_message="Choisissez trois besoins au plus.",
    )
    q.begin_group("satisfaction", "Votre satisfaction", appearance="field-list")
    q.add_note("consigne_sat", "Êtes-vous satisfait·e des points suivants ?")
    for name, label in ITEMS.items():
        q.add_question("select_one satisfaction", name, label, required=True, appearance="likert")
    q.end_group()
    q.add_question(
        "select_one recommandation",
        "recommandation",
        "Recommanderiez-vous le centre social à un proche ?",
        required=True,
    )
    q.add_question(
        "select_one oui_non",
        "benevolat",
        "Seriez-vous prêt·e à donner un peu de votre temps comme bénévole ?",
    )
    q.add_question(
        "text",
        "point_fort",
        "Qu'appréciez-vous le plus au centre social ?",
        appearance="multiline",
    )
    q.add_question(
        "text",
        "amelioration",
        "Que faudrait-il améliorer, selon vous ?",
        appearance="multiline",
    )
    q.add_note("merci", "Merci beaucoup pour vos réponses !")
    return q


# --- the respondents ---------------------------------------------------------------------------


POINTS_FORTS = {
    "accueil": [
        "L'accueil est toujours chaleureux, on se sent attendu.",
        "La gentillesse des animatrices et des bénévoles.",
        "On est bien reçu, sans jugement.",
        "L'équipe prend le temps d'écouter.",
    ],
    "demarches": [
        "L'aide pour les papiers de la CAF et de la préfecture m'a beaucoup servi.",
        "On m'a aidé à faire mes démarches en ligne, seule je n'y arrivais pas.",
        "L'écrivain public m'aide pour les courriers et les dossiers.",
    ],
    "numerique": [
        "Les ateliers numériques : j'ai appris à utiliser ma tablette et à envoyer des mails.",
        "Le wifi gratuit et les ordinateurs en accès libre.",
    ],
    "scolarite": [
        "L'aide aux devoirs pour mes enfants, ils ont fait des progrès.",
        "Le soutien scolaire le soir, les enfants y vont avec plaisir.",
    ],
    "sport": [
        "Les séances de sport et de gym douce, l'ambiance est super.",
        "Le futsal et les activités sportives avec les copains.",
    ],
    "cuisine": [
        "Les ateliers cuisine, on partage des recettes de tous les pays.",
        "Cuisiner ensemble puis manger ensemble, c'est convivial.",
    ],
    "sorties": [
        "Les sorties familiales à la mer et au zoo, on ne pourrait pas partir seuls.",
        "Les sorties du week-end avec les enfants pour un petit prix.",
    ],
    "seniors": [
        "Le club des seniors : les repas partagés et les jeux de cartes.",
        "Retrouver les amis au club, ça évite de rester seule à la maison.",
    ],
    "francais": [
        "Les cours de français, je peux maintenant parler avec les voisins et l'école.",
        "Apprendre le français avec des bénévoles patients.",
    ],
    "general": [
        "Le lien avec les autres habitants du quartier.",
        "Les prix accessibles à tous.",
        "On rencontre des gens, on se sent moins isolé.",
        "La diversité des activités.",
    ],
}
AMELIORATIONS = {
    "horaires": [
        "Ouvrir plus tard le soir, je travaille et je ne peux jamais venir.",
        "Des horaires le samedi pour ceux qui travaillent.",
        "Le centre ferme trop tôt, ouvrir après 18 heures serait bien.",
    ],
    "locaux": [
        "Les locaux sont un peu vieux et il fait froid l'hiver.",
        "La salle est trop petite quand il y a du monde.",
        "Il manque un ascenseur pour les personnes âgées.",
    ],
    "information": [
        "Mieux communiquer sur les activités, on apprend les choses trop tard.",
        "Une page Facebook ou un programme mis à jour sur internet.",
        "Distribuer le programme dans les boîtes aux lettres.",
    ],
    "tarifs": [
        "Les sorties deviennent chères pour une famille nombreuse.",
        "Baisser un peu les tarifs des activités pour les enfants.",
    ],
    "places": [
        "Plus de places à l'aide aux devoirs, la liste d'attente est longue.",
        "Il faudrait plus de créneaux pour les ateliers numériques.",
        "Plus de cours de français, les groupes sont complets.",
    ],
    "jeunes": [
        "Plus d'activités pour les jeunes le soir et pendant les vacances.",
        "Un espace pour les ados avec du wifi et des jeux.",
    ],
    "seniors": [
        "Aller chercher les personnes âgées qui ne peuvent plus se déplacer.",
        "Plus de sorties pour les anciens.",
    ],
    "rien": [
        "Rien, tout est très bien comme ça.",
        "Je ne vois pas, continuez comme ça !",
    ],
}


# Other ways of saying each base phrase (chosen with a separate random stream, so that the
# rest of the data does not depend on them).
VARIANTES = {
    "L'accueil est toujours chaleureux, on se sent attendu.": [
        "Un accueil chaleureux, on se sent attendu à chaque fois.",
        "Quand on arrive, l'accueil est toujours souriant et chaleureux.",
    ],
    "La gentillesse des animatrices et des bénévoles.": [
        "Les animatrices et les bénévoles sont d'une grande gentillesse.",
        "La gentillesse de toute l'équipe, salariés comme bénévoles.",
    ],
    "On est bien reçu, sans jugement.": [
        "On est reçu sans jugement, quelle que soit notre situation.",
        "Personne ne nous juge, on est bien reçu.",
    ],
    "L'équipe prend le temps d'écouter.": [
        "L'équipe prend vraiment le temps de nous écouter.",
        "Ils prennent le temps d'écouter nos problèmes.",
    ],
    "L'aide pour les papiers de la CAF et de la préfecture m'a beaucoup servi.": [
        "On m'a aidé pour mon dossier CAF et mes papiers de la préfecture.",
        "Sans l'aide pour les papiers de la CAF, je n'aurais pas eu mes droits.",
    ],
    "On m'a aidé à faire mes démarches en ligne, seule je n'y arrivais pas.": [
        "L'aide pour les démarches sur internet, toute seule je n'y arrivais pas.",
        "Faire les démarches en ligne avec quelqu'un qui explique, c'est précieux.",
    ],
    "L'écrivain public m'aide pour les courriers et les dossiers.": [
        "La permanence de l'écrivain public pour les courriers administratifs.",
        "L'écrivain public qui m'aide à remplir les dossiers et les courriers.",
    ],
    "Les ateliers numériques : j'ai appris à utiliser ma tablette et à envoyer des mails.": [
        "Grâce aux ateliers numériques, j'envoie des mails et des photos à mes petits-enfants.",
        "J'ai appris à me servir d'une tablette et d'internet aux ateliers numériques.",
    ],
    "Le wifi gratuit et les ordinateurs en accès libre.": [
        "Pouvoir utiliser les ordinateurs et le wifi gratuitement.",
        "L'accès libre aux ordinateurs et à internet, surtout pour imprimer.",
    ],
    "L'aide aux devoirs pour mes enfants, ils ont fait des progrès.": [
        "Mes enfants ont fait des progrès grâce à l'aide aux devoirs.",
        "L'aide aux devoirs, mon fils a remonté ses notes.",
    ],
    "Le soutien scolaire le soir, les enfants y vont avec plaisir.": [
        "Les enfants vont au soutien scolaire avec plaisir après l'école.",
        "L'accompagnement scolaire du soir, les enfants adorent les animateurs.",
    ],
    "Les séances de sport et de gym douce, l'ambiance est super.": [
        "La gym douce et les séances de sport, dans une super ambiance.",
        "Le sport ensemble, l'ambiance est très bonne.",
    ],
    "Le futsal et les activités sportives avec les copains.": [
        "Jouer au futsal avec les copains le mercredi.",
        "Les activités sportives, le futsal surtout, avec les potes.",
    ],
    "Les ateliers cuisine, on partage des recettes de tous les pays.": [
        "On échange des recettes du monde entier aux ateliers cuisine.",
        "L'atelier cuisine où chacune apporte les recettes de son pays.",
    ],
    "Cuisiner ensemble puis manger ensemble, c'est convivial.": [
        "Préparer le repas ensemble et le partager, c'est très convivial.",
        "Les repas cuisinés ensemble, un vrai moment de convivialité.",
    ],
    "Les sorties familiales à la mer et au zoo, on ne pourrait pas partir seuls.": [
        "Les sorties en famille à la mer, seuls on ne pourrait pas se le permettre.",
        "Partir en sortie au zoo ou à la mer avec les enfants, sinon on ne part jamais.",
    ],
    "Les sorties du week-end avec les enfants pour un petit prix.": [
        "Des sorties le week-end avec les enfants à petit prix.",
        "Les sorties familiales pas chères le samedi.",
    ],
    "Le club des seniors : les repas partagés et les jeux de cartes.": [
        "Les après-midi du club des seniors, les cartes et les repas partagés.",
        "Le club des anciens, le loto et les repas ensemble.",
    ],
    "Retrouver les amis au club, ça évite de rester seule à la maison.": [
        "Retrouver mes amies au club, sinon je resterais seule chez moi.",
        "Le club me sort de la maison, je vois du monde.",
    ],
    "Les cours de français, je peux maintenant parler avec les voisins et l'école.": [
        "Grâce aux cours de français, je parle avec la maîtresse et les voisins.",
        "Apprendre le français ici m'aide pour le travail et pour l'école des enfants.",
    ],
    "Apprendre le français avec des bénévoles patients.": [
        "Les bénévoles des cours de français sont très patients.",
        "Les cours de français avec des bénévoles qui prennent le temps.",
    ],
    "Le lien avec les autres habitants du quartier.": [
        "Rencontrer d'autres habitants du quartier.",
        "Créer des liens avec les gens du quartier.",
    ],
    "Les prix accessibles à tous.": [
        "Des tarifs accessibles, même avec peu de moyens.",
        "Les activités ne sont pas chères.",
    ],
    "On rencontre des gens, on se sent moins isolé.": [
        "On rencontre du monde, on se sent moins seul.",
        "Voir des gens, ça rompt la solitude.",
    ],
    "La diversité des activités.": [
        "Le choix des activités, il y en a pour tout le monde.",
        "Il y a beaucoup d'activités différentes.",
    ],
    "Ouvrir plus tard le soir, je travaille et je ne peux jamais venir.": [
        "Je travaille en journée : ouvrir le soir me permettrait de venir.",
        "Ouvrir après le travail, le soir, sinon c'est impossible pour moi.",
    ],
    "Des horaires le samedi pour ceux qui travaillent.": [
        "Ouvrir le samedi pour les gens qui travaillent en semaine.",
        "Des activités le samedi, pour ceux qui ne sont pas libres en semaine.",
    ],
    "Le centre ferme trop tôt, ouvrir après 18 heures serait bien.": [
        "Les horaires : le centre ferme trop tôt, il faudrait rester ouvert après 18 heures.",
        "Fermer plus tard, 18 heures c'est trop tôt quand on travaille.",
    ],
    "Les locaux sont un peu vieux et il fait froid l'hiver.": [
        "Les locaux sont vieillissants et mal chauffés en hiver.",
        "Rénover les locaux, il fait froid dans les salles l'hiver.",
    ],
    "La salle est trop petite quand il y a du monde.": [
        "Les salles sont trop petites, on est serrés aux activités.",
        "Il faudrait une salle plus grande, on manque de place.",
    ],
    "Il manque un ascenseur pour les personnes âgées.": [
        "L'étage n'est pas accessible, il faudrait un ascenseur pour les anciens.",
        "Les escaliers sont difficiles pour les personnes âgées, il manque un ascenseur.",
    ],
    "Mieux communiquer sur les activités, on apprend les choses trop tard.": [
        "On est informés trop tard des activités, il faut mieux communiquer.",
        "Mieux faire connaître le programme, on rate des activités faute d'information.",
    ],
    "Une page Facebook ou un programme mis à jour sur internet.": [
        "Mettre le programme à jour sur internet et sur les réseaux sociaux.",
        "Un site internet ou une page Facebook avec les activités du mois.",
    ],
    "Distribuer le programme dans les boîtes aux lettres.": [
        "Mettre le programme papier dans les boîtes aux lettres du quartier.",
        "Un programme papier distribué dans les immeubles.",
    ],
    "Les sorties deviennent chères pour une famille nombreuse.": [
        "Pour une famille nombreuse, les sorties coûtent cher.",
        "Les tarifs des sorties sont trop élevés quand on a plusieurs enfants.",
    ],
    "Baisser un peu les tarifs des activités pour les enfants.": [
        "Des tarifs plus bas pour les activités des enfants.",
        "Un tarif dégressif pour les familles avec plusieurs enfants.",
    ],
    "Plus de places à l'aide aux devoirs, la liste d'attente est longue.": [
        "Ouvrir plus de places à l'aide aux devoirs, la liste d'attente est trop longue.",
        "Mon enfant attend une place à l'aide aux devoirs depuis des mois.",
    ],
    "Il faudrait plus de créneaux pour les ateliers numériques.": [
        "Plus de séances d'ateliers numériques, c'est toujours complet.",
        "Ajouter des créneaux aux ateliers informatiques.",
    ],
    "Plus de cours de français, les groupes sont complets.": [
        "Ouvrir d'autres groupes de français, tout est complet.",
        "Plus d'heures de cours de français par semaine.",
    ],
    "Plus d'activités pour les jeunes le soir et pendant les vacances.": [
        "Des activités pour les ados le soir et pendant les vacances scolaires.",
        "Il n'y a pas grand-chose pour les jeunes pendant les vacances.",
    ],
    "Un espace pour les ados avec du wifi et des jeux.": [
        "Un local jeunes avec du wifi, des jeux vidéo et un baby-foot.",
        "Un coin pour les jeunes où on peut se poser avec le wifi.",
    ],
    "Aller chercher les personnes âgées qui ne peuvent plus se déplacer.": [
        "Un minibus pour les personnes âgées qui ne peuvent plus venir seules.",
        "Penser aux anciens isolés qui ne peuvent plus se déplacer jusqu'au centre.",
    ],
    "Plus de sorties pour les anciens.": [
        "Organiser plus de sorties pour les seniors.",
        "Des sorties et des voyages pour les retraités.",
    ],
    "Rien, tout est très bien comme ça.": [
        "Rien à changer, tout est très bien.",
        "Pas grand-chose, l'équipe fait déjà beaucoup.",
    ],
    "Je ne vois pas, continuez comme ça !": [
        "Je ne vois rien à améliorer, continuez !",
        "Rien de spécial, bravo à toute l'équipe.",
    ],
}
OUVERTURES = ["Franchement, ", "Pour moi, ", "À mon avis, "]


def sentence(
    rng: np.random.Generator,
    wording: np.random.Generator,
    bank: dict[str, list[str]],
    themes: list[str],
) -> str:
    """Assemble an open answer: ``rng`` picks the ideas, ``wording`` the way they are said."""
    chosen: list[str] = []
    for theme in themes:
        options = bank[theme]
        text = options[int(rng.integers(len(options)))]
        if text not in chosen:
            chosen.append(text)
    said = []
    for text in chosen:
        forms = [text, *VARIANTES[text]]
        said.append(forms[int(wording.integers(len(forms)))])
    if wording.random() < 0.2:
        opener = OUVERTURES[int(wording.integers(len(OUVERTURES)))]
        said[0] = opener + said[0][0].lower() + said[0][1:]
    return " ".join(said)


def respondent(rng: np.random.Generator, i: int) -> dict[str, str]:
    r: dict[str, str] = {}
    # Users of a centre social: more women, many families and seniors.
    sexe = pick(rng, list(SEXE), [0.64, 0.34, 0.02])
    age = pick(rng, list(AGE), [0.14, 0.27, 0.25, 0.21, 0.13])
    quartier = pick(rng, list(QUARTIER), [0.20, 0.17, 0.19, 0.34, 0.10])
    qpv = quartier == "bles_dor"
    sit_w = {
        "15_24": [0.18, 0.12, 0.62, 0.0, 0.03, 0.05],
        "25_39": [0.52, 0.20, 0.04, 0.0, 0.19, 0.05],
        "40_59": [0.55, 0.20, 0.0, 0.04, 0.15, 0.06],
        "60_74": [0.12, 0.04, 0.0, 0.78, 0.03, 0.03],
        "75_plus": [0.0, 0.0, 0.0, 0.96, 0.02, 0.02],
    }[age]
    if qpv:
        sit_w = [w * f for w, f in zip(sit_w, [0.8, 1.8, 1, 1, 1.4, 1], strict=True)]
    situation = pick(rng, list(SITUATION), sit_w)
    foyer_w = {
        "15_24": [0.12, 0.08, 0.10, 0.08, 0.62],
        "25_39": [0.15, 0.12, 0.45, 0.23, 0.05],
        "40_59": [0.18, 0.14, 0.40, 0.22, 0.06],
        "60_74": [0.42, 0.45, 0.06, 0.03, 0.04],
        "75_plus": [0.62, 0.33, 0.0, 0.0, 0.05],
    }[age]
    foyer = pick(rng, list(FOYER), foyer_w)
    enfants = foyer in {"couple_enfants", "monoparental"}
    nb_enfants = int(min(12, 1 + rng.poisson(1.6 if qpv else 0.9))) if enfants else None

    anciennete = pick(rng, list(ANCIENNETE), [0.28, 0.37, 0.35])
    # Quartier × fréquentation: the QPV and La Gare are next to the centre; the hamlets are far.
    freq_w = {
        "centre": [0.18, 0.32, 0.32, 0.18],
        "gare": [0.30, 0.34, 0.24, 0.12],
        "coteaux": [0.14, 0.30, 0.34, 0.22],
        "bles_dor": [0.40, 0.33, 0.18, 0.09],
        "hameaux": [0.06, 0.20, 0.38, 0.36],
    }[quartier]
    frequence = pick(rng, list(FREQUENCE), freq_w)
    connaissance = pick(
        rng,
        list(CONNAISSANCE),
        [
            0.38,
            0.22 if enfants else 0.05,
            0.22 if qpv else 0.12,
            0.16 if age == "15_24" else 0.08,
            0.1,
        ],
    )

    # Age × activities (multiple answers): the core association of the survey.
    p_act = {
        "accueil": 0.45,
        "demarches": 0.12 + 0.18 * qpv + 0.12 * (situation == "chomage"),
        "numerique": {"15_24": 0.10, "25_39": 0.12, "40_59": 0.2, "60_74": 0.34, "75_plus": 0.3}[
            age
        ],
        "scolarite": 0.45 if enfants and age in {"25_39", "40_59"} else 0.03,
        "sport": {"15_24": 0.58, "25_39": 0.36, "40_59": 0.3, "60_74": 0.2, "75_plus": 0.08}[age],
        "cuisine": 0.22 + 0.06 * (sexe == "femme"),
        "sorties": 0.42 if enfants else 0.1,
        "seniors": {"60_74": 0.42, "75_plus": 0.66}.get(age, 0.0),
        "francais": 0.05 + 0.17 * qpv,
    }
    activites = [a for a, p in p_act.items() if rng.random() < p]
    if not activites:
        activites = ["accueil"]

    besoins_p = {
        "garde": 0.35 if enfants else 0.04,
        "emploi": 0.5 if situation == "chomage" else (0.2 if situation == "etudes" else 0.05),
        "numerique": 0.2 + 0.15 * (age in {"60_74", "75_plus"}),
        "sante": 0.12 + 0.15 * (age in {"60_74", "75_plus"}),
        "logement": 0.08 + 0.15 * qpv,
        "loisirs": 0.28 if age == "15_24" else 0.15,
        "isolement": 0.3 if foyer == "seul" else 0.06,
    }
    besoins = [b for b, p in besoins_p.items() if rng.random() < p]
    if len(besoins) > 3:
        besoins = list(rng.choice(besoins, size=3, replace=False))
        besoins = [b for b in BESOINS if b in besoins]
    repond_besoins = rng.random() < 0.88

    # Satisfaction: a latent score that depends on frequency (regular users are happier),
    # NOT on sexe; opening hours are the weak point of people in employment.
    latent = rng.normal(0.55, 0.75)
    latent += {"plusieurs_semaine": 0.45, "semaine": 0.25, "mois": 0.0, "rarement": -0.35}[
        frequence
    ]
    item_shift = {
        "sat_accueil": 0.55,
        "sat_horaires": -0.1 - (0.95 if situation == "emploi" else 0.0),
        "sat_locaux": -0.35,
        "sat_activites": 0.25,
        "sat_tarifs": 0.05 - (0.25 if qpv else 0.0),
        "sat_information": -0.3,
        "sat_ecoute": 0.45,
    }
    sats = {}
    for item, shift in item_shift.items():
        if rng.random() < 0.035:
            sats[item] = "nsp"
            continue
        value = latent + shift + rng.normal(0, 0.65)
        level = int(np.clip(np.round(3.3 + value * 1.0), 1, 5))
        sats[item] = str(level)
    reco_score = latent + rng.normal(0, 0.5)
    recommandation = (
        "certainement"
        if reco_score > 0.9
        else "probablement"
        if reco_score > -0.1
        else "probablement_pas"
        if reco_score > -0.9
        else "certainement_pas"
    )
    benevolat = pick(rng, ["oui", "non"], [0.3 + 0.1 * (age in {"60_74"}), 0.7])
    if rng.random() < 0.08:
        benevolat = ""

    # Open answers, in the respondent's own terms.
    themes_pf = [a for a in activites if a in POINTS_FORTS and a != "accueil"]
    rng.shuffle(themes_pf)
    themes_pf = themes_pf[:2] or ["accueil"]
    if rng.random() < 0.35:
        themes_pf.append("general")
    if rng.random() < 0.3:
        themes_pf.insert(0, "accueil")
    wording = np.random.default_rng([SEED, i])  # own stream: the rest stays unchanged
    point_fort = sentence(rng, wording, POINTS_FORTS, themes_pf) if rng.random() < 0.78 else ""
    themes_am: list[str] = []
    if sats["sat_horaires"] in {"1", "2"}:
        themes_am.append("horaires")
    if sats["sat_locaux"] in {"1", "2"}:
        themes_am.append("locaux")
    if sats["sat_information"] in {"1", "2"}:
        themes_am.append("information")
    if sats["sat_tarifs"] in {"1", "2"} and enfants:
        themes_am.append("tarifs")
    if age == "15_24" and rng.random() < 0.6:
        themes_am.append("jeunes")
    if age in {"60_74", "75_plus"} and rng.random() < 0.4:
        themes_am.append("seniors")
    if ("scolarite" in activites or "francais" in activites) and rng.random() < 0.4:
        themes_am.append("places")
    rng.shuffle(themes_am)
    themes_am = themes_am[:2] or ["rien"]
    amelioration = sentence(rng, wording, AMELIORATIONS, themes_am) if rng.random() < 0.66 else ""

    day = 2 + int(rng.integers(0, 26))
    hour, minute, second = 9 + int(rng.integers(0, 9)), int(rng.integers(60)), int(rng.integers(60))
    duration = 6 + int(rng.integers(0, 12))
    end_min = minute + duration
    start = f"2026-03-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.000+01:00"
    end = f"2026-03-{day:02d}T{hour + end_min // 60:02d}:{end_min % 60:02d}:{second:02d}.000+01:00"
    sub = f"2026-03-{day:02d}T{hour - 1 + end_min // 60:02d}:{end_min % 60:02d}:{(second + 7) % 60:02d}"
    uuid = "".join(f"{int(b):02x}" for b in rng.integers(0, 256, 16))
    uuid = f"{uuid[:8]}-{uuid[8:12]}-4{uuid[13:16]}-a{uuid[17:20]}-{uuid[20:32]}"

    r.update(
        {
            "start": start,
            "end": end,
            "profil/sexe": sexe,
            "profil/tranche_age": age,
            "profil/quartier": quartier,
            "profil/situation": situation,
            "profil/foyer": foyer,
            "profil/nb_enfants": "" if nb_enfants is None else str(nb_enfants),
            "frequentation/anciennete": anciennete,
            "frequentation/frequence": frequence,
            "frequentation/connaissance": connaissance if rng.random() > 0.04 else "",
            "frequentation/activites": " ".join(a for a in ACTIVITES if a in activites),
        }
    )
    for a in ACTIVITES:
        r[f"frequentation/activites/{a}"] = "1" if a in activites else "0"
    r["besoins"] = " ".join(besoins) if repond_besoins else ""
    for b in BESOINS:
        r[f"besoins/{b}"] = ("1" if b in besoins else "0") if repond_besoins else ""
    for item in ITEMS:
        r[f"satisfaction/{item}"] = sats[item]
    r.update(
        {
            "recommandation": recommandation,
            "benevolat": benevolat,
            "point_fort": point_fort,
            "amelioration": amelioration,
            "_id": str(301_000 + i * 7),
            "_uuid": uuid,
            "_submission_time": sub,
            "_validation_status": "",
            "_notes": "",
            "_status": "submitted_via_web",
            "_submitted_by": "",
            "__version__": "vQx7bN3dWkE9sLp2",
            "_tags": "",
            "_index": str(i + 1),
        }
    )
    return r


def margins(rng: np.random.Generator) -> list[dict[str, str]]:
    """Registered users of the centre (fichier des adhérents, 2 000 people)."""
    rows = []
    for variable, counts in [
        ("sexe", {"Femme": 1180, "Homme": 790, "Autre ou ne se prononce pas": 30}),
        (
            "tranche_age",
            {
                "15 à 24 ans": 420,
                "25 à 39 ans": 560,
                "40 à 59 ans": 480,
                "60 à 74 ans": 330,
                "75 ans et plus": 210,
            },
        ),
        (
            "quartier",
            {
                "Centre-ville": 380,
                "La Gare": 300,
                "Les Coteaux": 370,
                "Les Blés d'Or (QPV)": 760,
                "Hameaux et écarts": 190,
            },
        ),
    ]:
        for level, n in counts.items():
            rows.append({"variable": variable, "modalite": level, "effectif": str(n)})
    return rows


def main() -> None:
    rng = np.random.default_rng(SEED)
    form = build_form()
    form.to_xlsform(HERE / "formulaire.xlsx")
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
        for row in margins(rng):
            writer.writerow([row["variable"], row["modalite"], row["effectif"]])


if __name__ == "__main__":
    main()
