"""Generate the fictitious coded interviews ``entretiens_epicerie_solidaire`` (deterministic).

Fourteen short semi-structured interviews about the épicerie solidaire « Le Panier du Val »
(beneficiaries, volunteers, employees, partners), assembled from paragraphs written for the
toolkit: each interview draws, with a seeded generator, the themes its speaker talks about and
one of the wordings of each paragraph. Everything (people, places, organisations) is invented.

Writes next to this file:

- ``transcriptions/entretien_NN.txt``: the transcripts (« Enquêtrice : » / « Interviewé·e : »);
- ``metadonnees.csv``: one row per interview (statut, sexe, âge, date…);
- ``grille_codage.csv``: the codebook (thème, code, définition, inclusion, exclusion, exemple,
  couleur);
- ``codage.csv``: a teaching example of thematic coding, generated, not the work of human
  coders: « Sarah » codes the 14 interviews (every interviewee sentence matching a code's cue
  words, consecutive sentences of a turn merged up to three) and « Léo » 5 of them (Sarah's
  excerpts with seeded, realistic disagreements: forgotten excerpts, wider or narrower
  boundaries, a confusable code, a few extra excerpts). Offsets are positions in the texts read
  by ``movsc_toolkit.lexico.read_corpus("transcriptions", metadata="metadonnees.csv")``.

Run: ``python datasets/entretiens_epicerie_solidaire/generate.py`` (a re-run writes the same
bytes).
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20260410
CODER_A, CODER_B = "Sarah", "Léo"
DOUBLE = ["02", "05", "07", "10", "13"]

# entretien, statut, sexe, âge, ancienneté, fonction, date, durée, prénom, themes
PEOPLE = [
    (
        "01",
        "beneficiaire",
        "F",
        "30-44",
        "moins1",
        "mère seule de deux enfants",
        "02/03/2026",
        38,
        "Samia",
        ["dignite", "budget", "alimentation", "duree"],
    ),
    (
        "02",
        "benevole",
        "H",
        "60plus",
        "3plus",
        "bénévole à la ramasse, trésorier",
        "03/03/2026",
        51,
        "Gérard",
        ["benevolat", "approvisionnement", "lien", "dignite"],
    ),
    (
        "03",
        "salarie",
        "F",
        "30-44",
        "3plus",
        "conseillère en économie sociale et familiale",
        "04/03/2026",
        56,
        "Claire",
        ["budget", "orientation", "duree", "dignite"],
    ),
    (
        "04",
        "beneficiaire",
        "H",
        "45-59",
        "1a3",
        "demandeur d'emploi et je vis seul",
        "05/03/2026",
        33,
        "Karim",
        ["lien", "dignite", "budget"],
    ),
    (
        "05",
        "partenaire",
        "F",
        "45-59",
        "3plus",
        "assistante sociale du Département",
        "09/03/2026",
        42,
        "Véronique",
        ["orientation", "duree", "budget"],
    ),
    (
        "06",
        "beneficiaire",
        "F",
        "60plus",
        "1a3",
        "retraitée, veuve",
        "10/03/2026",
        35,
        "Odette",
        ["lien", "alimentation", "dignite"],
    ),
    (
        "07",
        "benevole",
        "F",
        "18-29",
        "moins1",
        "étudiante, bénévole à l'accueil",
        "11/03/2026",
        40,
        "Maëva",
        ["benevolat", "lien", "dignite", "alimentation"],
    ),
    (
        "08",
        "beneficiaire",
        "F",
        "18-29",
        "moins1",
        "jeune mère, en formation",
        "12/03/2026",
        30,
        "Jessica",
        ["orientation", "alimentation", "budget", "duree"],
    ),
    (
        "09",
        "partenaire",
        "H",
        "45-59",
        "3plus",
        "responsable du CCAS",
        "16/03/2026",
        47,
        "Thierry",
        ["orientation", "approvisionnement", "duree"],
    ),
    (
        "10",
        "beneficiaire",
        "H",
        "30-44",
        "moins1",
        "salarié à temps partiel, père de trois enfants",
        "17/03/2026",
        36,
        "Mamadou",
        ["dignite", "budget", "duree", "lien"],
    ),
    (
        "11",
        "salarie",
        "H",
        "30-44",
        "1a3",
        "responsable de l'épicerie",
        "18/03/2026",
        58,
        "Julien",
        ["approvisionnement", "benevolat", "alimentation", "lien"],
    ),
    (
        "12",
        "benevole",
        "F",
        "60plus",
        "3plus",
        "bénévole à l'atelier cuisine",
        "19/03/2026",
        44,
        "Monique",
        ["alimentation", "benevolat", "lien"],
    ),
    (
        "13",
        "beneficiaire",
        "F",
        "45-59",
        "1a3",
        "mère seule, en arrêt maladie",
        "23/03/2026",
        41,
        "Nadia",
        ["budget", "dignite", "lien", "duree"],
    ),
    (
        "14",
        "partenaire",
        "F",
        "30-44",
        "1a3",
        "animatrice de la Banque alimentaire départementale",
        "24/03/2026",
        39,
        "Hélène",
        ["approvisionnement", "benevolat"],
    ),
]

QUESTIONS = {
    "dignite": "Comment avez-vous vécu le fait de venir à l'épicerie ?",
    "budget": "Qu'est-ce que l'épicerie change pour le budget du foyer ?",
    "alimentation": "Et pour ce qu'on mange, pour la cuisine ?",
    "duree": "L'accès à l'épicerie est limité dans le temps : qu'en pensez-vous ?",
    "lien": "Est-ce que l'épicerie, c'est aussi un lieu où l'on rencontre du monde ?",
    "benevolat": "Parlez-moi du bénévolat à l'épicerie.",
    "orientation": "Comment les personnes arrivent-elles jusqu'à l'épicerie ?",
    "approvisionnement": "D'où viennent les produits ?",
}

# theme -> group -> two wordings (each a list of sentences)
PARAGRAPHS = {
    "dignite": {
        "beneficiaire": [
            "La première fois, j'avais honte, je regardais si personne ne me voyait entrer. "
            "Ici on paie, même si c'est pas cher, alors ce n'est pas la charité. "
            "On choisit ses produits comme dans un magasin, ça change tout.",
            "J'ai mis longtemps avant de venir, par fierté, je ne voulais pas qu'on me voie "
            "comme quelqu'un qui demande. Ce qui a tout changé, c'est qu'on choisit et "
            "qu'on passe à la caisse comme tout le monde. Personne ne vous juge ici.",
        ],
        "benevole": [
            "Le plus important pour nous, c'est l'accueil : les gens arrivent souvent avec "
            "de la honte, il faut qu'ils se sentent des clients comme les autres. On ne pose "
            "pas de questions sur leur vie, on respecte leur dignité.",
            "Je fais attention à ne jamais avoir un regard de pitié. Les personnes ont le "
            "droit de choisir, de refuser un produit, comme dans n'importe quel magasin.",
        ],
        "pro": [
            "L'épicerie solidaire, ce n'est pas de l'aide alimentaire distribuée en colis : les "
            "personnes choisissent et paient une participation. Pour beaucoup, c'est une "
            "question de dignité, elles ne veulent pas de la charité.",
            "On voit des familles qui refusent le colis alimentaire par honte, mais qui "
            "acceptent de venir ici parce qu'on choisit et qu'on paie.",
        ],
    },
    "budget": {
        "beneficiaire": [
            "Avec ce que j'économise sur les courses, j'ai pu payer la facture d'électricité "
            "en retard. Le budget reste serré, je compte tout à l'euro près. "
            "Mais au moins je ne suis plus à découvert le quinze du mois.",
            "On a fait un point sur mes dettes avec la conseillère, j'ai un plan pour "
            "rembourser le loyer. Les économies sur les courses, ça me fait à peu près "
            "quatre-vingts euros par mois pour le reste.",
        ],
        "benevole": [
            "Les gens nous parlent souvent de leurs factures, du loyer qui a augmenté. On les "
            "oriente vers la conseillère pour le budget, ce n'est pas notre rôle de régler ça.",
            "On voit bien que les économies sur les courses servent à payer les dettes et les "
            "factures en retard.",
        ],
        "pro": [
            "L'accès à l'épicerie est lié à un projet : apurer une dette, payer une facture "
            "d'énergie, reconstituer un petit budget. Le reste à vivre est calculé à "
            "l'entrée et on fait le point avec la personne tous les deux mois.",
            "Ce qu'on vise, c'est que l'économie réalisée sur l'alimentation serve à un "
            "objectif : rembourser un loyer, éviter le surendettement, souffler un peu sur "
            "le budget.",
        ],
    },
    "alimentation": {
        "beneficiaire": [
            "Avant je prenais surtout des pâtes, c'est ce qui remplit. Ici il y a des fruits "
            "et des légumes frais, les enfants mangent mieux. À l'atelier cuisine j'ai appris "
            "des recettes avec les légumes de saison.",
            "Ce que je prends en premier, ce sont les produits frais, la viande, le fromage, "
            "parce que c'est ce qui coûte cher ailleurs. Je cuisine plus qu'avant.",
        ],
        "benevole": [
            "À l'atelier cuisine, on montre comment cuisiner les légumes que les gens ne "
            "connaissent pas, le potimarron, les blettes. On mange ensemble à la fin, c'est "
            "un bon moment.",
            "On essaie d'avoir toujours des fruits et des légumes frais, parce que manger "
            "équilibré, c'est la santé.",
        ],
        "pro": [
            "Les produits frais partent en premier, surtout les fruits et légumes et la "
            "viande. L'atelier cuisine aide à les utiliser et à manger plus équilibré.",
            "La santé passe par l'alimentation : on a travaillé avec une diététicienne pour "
            "que les rayons proposent des produits frais chaque semaine.",
        ],
    },
    "duree": {
        "beneficiaire": [
            "On a droit à six mois, renouvelable une fois. Je me demande ce que je vais "
            "faire après l'épicerie, quand mes droits seront finis.",
            "Six mois, c'est court quand on a des dettes. J'ai peur de la fin de l'accès, de "
            "retomber comme avant.",
        ],
        "benevole": [
            "Ce qui est dur, c'est quand une famille arrive en fin de droits et qu'on sait "
            "que rien n'a changé pour elle.",
            "La durée limitée, je la comprends, mais certains partent trop tôt.",
        ],
        "pro": [
            "La durée est limitée à six mois, renouvelable une fois, pour que l'épicerie "
            "reste un tremplin et non une aide permanente. La sortie se prépare dès l'entrée, "
            "sinon c'est brutal.",
            "La commission peut prolonger l'accès, mais la règle des six mois permet d'accueillir "
            "de nouvelles familles. Il faut travailler l'après-épicerie avec les personnes.",
        ],
    },
    "lien": {
        "beneficiaire": [
            "Avant, je restais chez moi, je ne voyais plus personne. Ici on discute en "
            "faisant la queue, on prend un café, j'ai même rencontré un voisin que je ne "
            "connaissais pas.",
            "Je viens aussi pour l'ambiance. On discute avec les bénévoles, avec les autres "
            "parents, ça fait sortir de l'isolement.",
        ],
        "benevole": [
            "Le coin café est aussi important que les rayons : on discute, des amitiés se "
            "créent, certaines personnes viennent surtout pour rompre l'isolement.",
            "Entre bénévoles et bénéficiaires, il y a des liens qui se créent, on se croise "
            "au marché, on prend des nouvelles.",
        ],
        "pro": [
            "L'épicerie, c'est aussi un lieu de rencontre : beaucoup de personnes seules "
            "y trouvent du lien, au coin café ou dans les ateliers.",
            "On a ouvert un espace café parce qu'on voyait que les gens restaient discuter "
            "après leurs courses. L'isolement est un vrai sujet.",
        ],
    },
    "benevolat": {
        "benevole": [
            "Je suis bénévole depuis quatre ans. Je fais la ramasse le mardi et l'accueil le "
            "jeudi. Donner de mon temps, ça me donne une place, je me sens utile.",
            "J'ai commencé il y a deux ans, en venant donner un coup de main à une amie, et "
            "je suis toujours là. L'équipe de bénévoles est très soudée, on se forme ensemble.",
        ],
        "pro": [
            "Sans les bénévoles, l'épicerie ne tient pas : ils sont une trentaine pour deux "
            "salariés. Mais on manque de bénévoles le matin pour la ramasse, et il faut "
            "former les nouveaux.",
            "Le bénévolat vieillit : beaucoup de nos bénévoles ont plus de soixante-dix ans. "
            "Il faudrait recruter des bénévoles plus jeunes.",
        ],
    },
    "orientation": {
        "beneficiaire": [
            "C'est l'assistante sociale qui m'a parlé de l'épicerie et qui a monté le "
            "dossier. La commission a dit oui en deux semaines.",
            "Je ne savais même pas que ça existait. C'est le CCAS qui a fait l'orientation, "
            "après ma demande d'aide pour la cantine.",
        ],
        "pro": [
            "Les personnes nous sont orientées par les travailleurs sociaux : assistantes "
            "sociales du Département, CCAS, mission locale. Le dossier passe en commission "
            "d'attribution tous les quinze jours.",
            "On oriente vers l'épicerie les familles qui ont un projet, une dette à apurer. "
            "Le partenariat avec l'association fonctionne bien, on se parle en commission.",
        ],
    },
    "approvisionnement": {
        "benevole": [
            "Le mardi on fait la ramasse dans les supermarchés, on récupère les invendus. "
            "Le reste vient de la Banque alimentaire, une fois par semaine.",
            "Les dons des magasins varient beaucoup : certaines semaines on n'a presque pas "
            "de frais.",
        ],
        "pro": [
            "Les produits viennent de la Banque alimentaire, de la ramasse des invendus dans "
            "les grandes surfaces et d'achats avec nos fonds propres. Les stocks de produits "
            "d'hygiène sont toujours trop bas.",
            "Avec la loi sur le gaspillage, les dons d'invendus ont augmenté, mais ce sont "
            "surtout des produits à date courte. On achète le reste, ce qui pèse sur le budget "
            "de l'association.",
        ],
    },
}

INTROS = {
    "beneficiaire": "Je m'appelle {name}, j'habite à Vernay, je suis {function}. Je viens "
    "à l'épicerie à peu près une fois par semaine.",
    "benevole": "Je m'appelle {name}, je suis {function} au Panier du Val, l'épicerie "
    "solidaire de Vernay.",
    "salarie": "Je m'appelle {name}, je travaille au Panier du Val, je suis {function}.",
    "partenaire": "Je m'appelle {name}, je suis {function}, je travaille avec le Panier du Val.",
}
CLOSING = [
    "Voilà, je crois que j'ai tout dit. Merci pour votre écoute.",
    "Je n'ai rien à ajouter. J'espère que ça servira au projet de l'association.",
    "Je pense que c'est l'essentiel. Vous pouvez me rappeler si vous voulez.",
]

# thème, code, définition, inclusion, exclusion, exemple, couleur, cue words (regex)
CODEBOOK = [
    (
        "Vécu de l'aide",
        "Dignité",
        "Le regard porté sur le recours à l'aide alimentaire, la honte ou la fierté.",
        "Honte, peur d'être vu, « pas la charité », choisir et payer comme un client.",
        "Le coût des produits pour le budget (→ Budget et dettes).",
        "« Ici on paie, même si c'est pas cher, alors ce n'est pas la charité. »",
        "#1F77B4",
        r"honte|charit|dignit|fiert|regard|juge|comme tout le monde|clients? comme|"
        r"comme dans (un|n'importe quel) magasin",
    ),
    (
        "Vécu de l'aide",
        "Budget et dettes",
        "L'usage de l'économie réalisée : factures, dettes, reste à vivre.",
        "Factures, loyer, dettes, découvert, économies, reste à vivre, surendettement.",
        "Le prix des produits vu comme une question de dignité (→ Dignité).",
        "« J'ai pu payer la facture d'électricité en retard. »",
        "#FF7F0E",
        r"factures?|dettes?|budget|découvert|économi|loyer|reste à vivre|surendett|rembours",
    ),
    (
        "Vécu de l'aide",
        "Alimentation et santé",
        "Ce que l'on mange, la cuisine, la santé.",
        "Produits frais, fruits et légumes, équilibre, atelier cuisine, recettes.",
        "L'approvisionnement de l'épicerie (→ Approvisionnement).",
        "« Ici il y a des fruits et des légumes frais, les enfants mangent mieux. »",
        "#2CA02C",
        r"produits frais|légumes|fruits|cuisin|recettes?|équilibr|santé|mang",
    ),
    (
        "Vécu de l'aide",
        "Lien social",
        "L'épicerie comme lieu de rencontre et de sortie de l'isolement.",
        "Discuter, café, rencontres, amitiés, isolement, personnes seules.",
        "Les relations de travail entre bénévoles (→ Bénévolat).",
        "« On discute en faisant la queue, on prend un café. »",
        "#D62728",
        r"isolement|personnes seules|discut|rencontr|café|amitiés?|liens?\b|voyais plus personne",
    ),
    (
        "Fonctionnement de l'épicerie",
        "Durée limitée",
        "La durée limitée de l'accès et la préparation de la sortie.",
        "Six mois, renouvellement, fin des droits, après l'épicerie, tremplin.",
        "L'entrée dans le dispositif (→ Orientation et partenariat).",
        "« Six mois, c'est court quand on a des dettes. »",
        "#9467BD",
        r"six mois|fin (des|de) droits|durée|après l'épicerie|après-épicerie|tremplin|"
        r"la sortie|fin de l'accès|partent trop tôt",
    ),
    (
        "Fonctionnement de l'épicerie",
        "Orientation et partenariat",
        "Comment les personnes arrivent à l'épicerie : travailleurs sociaux, commission.",
        "Assistante sociale, CCAS, mission locale, dossier, commission d'attribution.",
        "La fin de l'accès (→ Durée limitée).",
        "« C'est le CCAS qui a fait l'orientation. »",
        "#8C564B",
        r"assistantes? sociales?|\bCCAS\b|orient|commission|travailleurs sociaux|dossier|"
        r"mission locale|partenariat",
    ),
    (
        "Fonctionnement de l'épicerie",
        "Bénévolat",
        "L'engagement des bénévoles, leur nombre, leur recrutement, leur formation.",
        "Être bénévole, donner de son temps, équipe, recruter, former.",
        "Les rencontres avec les bénéficiaires (→ Lien social).",
        "« Donner de mon temps, ça me donne une place. »",
        "#E377C2",
        r"bénévol|donner de (mon|son) temps|me sens utile|recruter|former les",
    ),
    (
        "Fonctionnement de l'épicerie",
        "Approvisionnement",
        "D'où viennent les produits : Banque alimentaire, ramasse, dons, achats.",
        "Banque alimentaire, ramasse, invendus, dons des magasins, stocks, achats.",
        "Ce que les bénéficiaires choisissent de manger (→ Alimentation et santé).",
        "« Le mardi on fait la ramasse dans les supermarchés. »",
        "#7F7F7F",
        r"banque alimentaire|ramasse|invendus|dons? (des|d')|stocks?|gaspillage|on achète|achats",
    ),
]
#: Codes a second coder may take one for the other.
CONFUSABLE = {
    "Dignité": "Lien social",
    "Lien social": "Dignité",
    "Budget et dettes": "Durée limitée",
    "Durée limitée": "Orientation et partenariat",
    "Orientation et partenariat": "Durée limitée",
    "Bénévolat": "Lien social",
    "Alimentation et santé": "Approvisionnement",
    "Approvisionnement": "Alimentation et santé",
}
#: Codes with fuzzy boundaries, where a second coder disagrees more often.
FUZZY = {"Dignité", "Lien social", "Durée limitée"}
SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
LABEL = re.compile(r"^(Interviewée?|Enquêtrice)\s*:\s*")


def group(statut: str) -> str:
    return "pro" if statut in {"salarie", "partenaire"} else statut


def transcript(person: tuple, rng: random.Random) -> str:
    number, statut, sexe, _age, _anc, function, *_rest, name, themes = person
    who = "Interviewée" if sexe == "F" else "Interviewé"
    lines = [
        "Enquêtrice : Bonjour, merci d'avoir accepté cet entretien. Pouvez-vous vous présenter ?",
        f"{who} : " + INTROS[statut].format(name=name, function=function),
    ]
    for theme in themes:
        options = PARAGRAPHS[theme][group(statut)]
        lines.append(f"Enquêtrice : {QUESTIONS[theme]}")
        lines.append(f"{who} : " + options[rng.randrange(len(options))])
    lines.append("Enquêtrice : Voulez-vous ajouter quelque chose ?")
    lines.append(f"{who} : " + CLOSING[int(number) % len(CLOSING)])
    return "\n\n".join(lines) + "\n"


def sentences(text: str) -> list[tuple[int, int, int]]:
    """(turn number, start, end) of each sentence of the interviewee's turns."""
    out = []
    offset = 0
    turn = -1
    speaker = None
    for line in text.split("\n"):
        match = LABEL.match(line)
        if match:
            speaker = match.group(1)
            turn += 1
        if speaker and speaker != "Enquêtrice":
            body_start = match.end() if match else 0
            for m in SENTENCE.finditer(line, body_start):
                start, end = m.start(), m.end()
                while start < end and line[start].isspace():
                    start += 1
                while end > start and line[end - 1].isspace():
                    end -= 1
                if end - start > 15:
                    out.append((turn, offset + start, offset + end))
        offset += len(line) + 1
    return out


def coder_a(text: str) -> list[tuple[str, int, int]]:
    """Code every sentence matching a code's cue words; merge runs of up to 3 sentences."""
    units = sentences(text)
    excerpts = []
    for _, code, *_rest, cues in CODEBOOK:
        pattern = re.compile(cues, re.IGNORECASE)
        run: list[tuple[int, int, int]] = []
        for unit in [*units, (-1, -1, -1)]:
            hit = unit[0] >= 0 and pattern.search(text[unit[1] : unit[2]])
            if hit and run and run[-1][0] == unit[0] and len(run) < 3:
                run.append(unit)
                continue
            if run:
                excerpts.append((code, run[0][1], run[-1][2]))
            run = [unit] if hit else []
    return sorted(excerpts, key=lambda e: (e[1], e[2], e[0]))


def coder_b(text: str, excerpts, rng: random.Random) -> list[tuple[str, int, int]]:
    """The second coder: the same reading, with the usual disagreements."""
    units = sentences(text)
    starts = [u[1] for u in units]
    out = []
    for code, start, end in excerpts:
        draw = rng.random()
        fuzzy = code in FUZZY
        if draw < (0.22 if fuzzy else 0.10):
            continue  # forgotten
        if draw < (0.45 if fuzzy else 0.28):
            k = starts.index(start) if start in starts else -1
            if 0 <= k < len(units) - 1 and units[k + 1][0] == units[k][0]:
                end = max(end, units[k + 1][2])  # one more sentence
            else:
                end = start + max((end - start) // 2, 1)  # narrower
                while end < len(text) and text[end - 1].isalnum():
                    end += 1
                while end > start + 1 and not text[end - 1].isalnum():
                    end -= 1
        elif draw < (0.60 if fuzzy else 0.34):
            code = CONFUSABLE.get(code, code)
        out.append((code, start, end))
    coded = {(s, e) for _, s, e in excerpts}
    codes = [row[1] for row in CODEBOOK]
    for _, start, end in units:
        if (start, end) not in coded and rng.random() < 0.05:
            out.append((rng.choice(codes), start, end))
    result: list[tuple[str, int, int]] = []
    for code, start, end in sorted(set(out), key=lambda e: (e[1], e[2], e[0])):
        if any(c == code and s < end and start < e for c, s, e in result):
            continue  # never two overlapping excerpts of one code by one coder
        result.append((code, start, end))
    return result


def main() -> None:
    rng = random.Random(SEED)
    folder = HERE / "transcriptions"
    folder.mkdir(exist_ok=True)
    meta = []
    for person in PEOPLE:
        number, statut, sexe, age, anc, function, date, duration, *_ = person
        name = f"entretien_{number}.txt"
        (folder / name).write_text(transcript(person, rng), encoding="utf-8")
        meta.append([name, number, statut, sexe, age, anc, function, date, duration])
    with (HERE / "metadonnees.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\n")
        writer.writerow(
            [
                *("fichier", "entretien", "statut", "sexe", "age", "anciennete"),
                *("fonction", "date_entretien", "duree_min"),
            ]
        )
        writer.writerows(meta)
    with (HERE / "grille_codage.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\n")
        writer.writerow(
            ["thème", "code", "définition", "inclusion", "exclusion", "exemple", "couleur"]
        )
        writer.writerows(row[:7] for row in CODEBOOK)

    from movsc_toolkit.lexico import read_corpus

    corpus = read_corpus(folder, metadata=HERE / "metadonnees.csv")
    files = corpus.metadata["fichier"]
    numbers = corpus.metadata["entretien"]
    coding_rng = random.Random(SEED + 1)
    with (HERE / "codage.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\n")
        writer.writerow(["fichier", "code", "codeur", "début", "fin", "extrait"])
        for i, text in enumerate(corpus.texts):
            first = coder_a(text)
            coders = [(CODER_A, first)]
            if str(numbers.iloc[i]).zfill(2) in DOUBLE:
                coders.append((CODER_B, coder_b(text, first, coding_rng)))
            for coder, excerpts in coders:
                for code, start, end in excerpts:
                    excerpt = " ".join(text[start:end].split())
                    writer.writerow([files.iloc[i], code, coder, start, end, excerpt])


if __name__ == "__main__":
    main()
