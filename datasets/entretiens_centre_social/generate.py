"""Build the IRaMuTeQ corpus and the qualitative coding of the `entretiens_centre_social` dataset.

The 24 transcripts in `transcriptions/` were written for the toolkit: fictitious interviews
with fictitious people, places and organisations. This script assembles them, with the
metadata of `metadonnees.csv`, into `corpus_iramuteq.txt`, keeping only what the interviewee
says (the interviewer's questions and the speaker labels are left out, as is usual before a
Reinert classification).

It also writes a teaching example of thematic coding (generated, not the work of human
coders): the codebook `grille_codage.csv`; `codage.csv`, the excerpts coded by « Nora » in
the 24 interviews (every interviewee sentence matching a code's cue words, consecutive
sentences of a turn merged up to three) and by « Maëlle » in 8 of them (Nora's excerpts with
seeded, realistic disagreements: forgotten excerpts, wider or narrower boundaries, a
confusable code, a few extra excerpts); and `entretiens_codes.qdpx`, the whole project in
REFI-QDA format (QualCoder, NVivo, ATLAS.ti, MAXQDA). Offsets are positions in the texts read
by `movsc_toolkit.lexico.read_corpus("transcriptions", metadata="metadonnees.csv")`.

It is deterministic: run it again and the files are identical (seeded random generator, GUIDs
derived from names, fixed dates).

Run: python datasets/entretiens_centre_social/generate.py
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SPEAKER = re.compile(r"^(?P<who>Enquêteur|Interviewée?)\s*:\s*(?P<text>.*)$")
VARIABLES = ["statut", "sexe", "age", "anciennete"]


def interviewee_turns(text: str) -> list[str]:
    """Return the interviewee's turns of a transcript, without speaker labels."""
    turns: list[str] = []
    current: str | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = SPEAKER.match(line)
        if match:
            current = match["who"]
            line = match["text"]
        if current and current != "Enquêteur" and line:
            turns.append(line)
    return turns


def star_line(row: dict[str, str]) -> str:
    """The `****` line of a text: `**** *entretien_01 *statut_usager …`."""
    tokens = [f"*entretien_{row['entretien']}"]
    tokens += [f"*{name}_{row[name].lower()}" for name in VARIABLES]
    return "**** " + " ".join(tokens)


def main() -> None:
    with (HERE / "metadonnees.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    parts = []
    for row in rows:
        text = (HERE / "transcriptions" / row["fichier"]).read_text(encoding="utf-8")
        parts.append(star_line(row) + "\n" + "\n".join(interviewee_turns(text)) + "\n")
    (HERE / "corpus_iramuteq.txt").write_text("\n".join(parts), encoding="utf-8")
    write_coding()


# ------------------------------------------------------------------------------ coding

CODER_A, CODER_B = "Nora", "Maëlle"
#: Interviews coded by both coders (one third, spread over the profiles).
DOUBLE = ["01", "03", "05", "08", "11", "14", "18", "22"]
SEED = 2026

# theme, code, definition, inclusion, exclusion, example, colour, cue words (regex)
CODEBOOK = [
    (
        "Apports du centre social",
        "Lien social",
        "Le centre comme lieu de rencontres et de sortie de l'isolement.",
        "Rencontres, amitiés, entraide entre habitants, fin de la solitude.",
        "Les relations avec les professionnels (→ Confiance et pouvoir d'agir).",
        "« Maintenant quand je vais au marché, je croise des mamans de l'atelier. »",
        "#1F77B4",
        r"isol|\bseule?s?\b|connais(sais)? (personne|beaucoup)|rencontr|lien social|on discute|"
        r"copines?|amiti|entraide",
    ),
    (
        "Apports du centre social",
        "Accès aux droits",
        "Aide aux démarches administratives et à l'accès aux droits.",
        "Papiers, CAF, impôts, dossiers, permanences d'accès aux droits.",
        "Les démarches en ligne vues sous l'angle de l'outil (→ Inclusion numérique).",
        "« Il nous aide à faire les démarches, il fait pas à notre place. »",
        "#FF7F0E",
        r"papiers|démarches?|dossiers?\b|impôts|administrati|déclaration|sécurité sociale|"
        r"accès aux droits|écrivain public",
    ),
    (
        "Apports du centre social",
        "Inclusion numérique",
        "Usage des outils numériques et accompagnement à ces usages.",
        "Ordinateur, internet, téléphone, sites, conseiller numérique.",
        "Le projet de tiers-lieu (→ Attentes envers le tiers-lieu).",
        "« Un ordinateur on en a pas. »",
        "#2CA02C",
        r"numérique|ordinateur|internet|en ligne|mot de passe|\bsites?\b|tablette|smartphone|"
        r"informatique",
    ),
    (
        "Apports du centre social",
        "Familles et parentalité",
        "Activités et soutien pour les enfants et les parents.",
        "Accueil de loisirs, aide aux devoirs, sorties familles, parentalité.",
        "Les adolescents (→ Secteur jeunes).",
        "« Le mercredi, l'accueil de loisirs, c'était pas cher. »",
        "#D62728",
        r"parentalit|mes enfants|les enfants|accueil de loisirs|aide aux devoirs|"
        r"accompagnement scolaire|familles?\b",
    ),
    (
        "Apports du centre social",
        "Confiance et pouvoir d'agir",
        "Gain de confiance, d'autonomie et de capacité à agir.",
        "Apprendre, oser, se débrouiller seul, prendre des responsabilités.",
        "Le plaisir d'être ensemble (→ Lien social).",
        "« Ça m'a donné confiance. »",
        "#9467BD",
        r"confiance|autonom|apprendre|appris|pouvoir d'agir|\bfière?\b|débrouille|\boser\b",
    ),
    (
        "Fragilités du projet",
        "Financements par projet",
        "Dépendance aux subventions ponctuelles et aux appels à projets.",
        "Subventions, appels à projets, budget, trésorerie, conventions.",
        "Les relations institutionnelles sans enjeu financier (→ Partenariats).",
        "« On passe notre temps à répondre à des appels à projets. »",
        "#8C564B",
        r"appels? à projets?|subvention|financ|budget|trésorerie|fonds propres|\bprojet par projet",
    ),
    (
        "Fragilités du projet",
        "Secteur jeunes",
        "Place des adolescents et des jeunes adultes au centre.",
        "Ados, animateur jeunesse, jeunes du quartier.",
        "Les enfants jusqu'à 11 ans (→ Familles et parentalité).",
        "« Les jeunes ils ont besoin de quelqu'un qu'ils connaissent, qui reste. »",
        "#E377C2",
        r"\bjeunes?\b|\bados?\b|adolescent|animateur jeunesse",
    ),
    (
        "Fragilités du projet",
        "Épuisement et turn-over",
        "Fatigue, départs et instabilité des équipes salariées et bénévoles.",
        "Fatigue, épuisement, départs, remplacements, postes non pourvus.",
        "Le manque de places pour le public (→ Manque de moyens).",
        "« Il est parti, et depuis il y a plus personne. »",
        "#7F7F7F",
        r"fatigu|épuis|turn-?over|burn|remplaçant|arrêt maladie|surcharg|démission|\bil est parti",
    ),
    (
        "Fragilités du projet",
        "Manque de moyens",
        "Capacités insuffisantes face aux besoins.",
        "Places, listes d'attente, locaux trop petits, manque de personnel.",
        "Les départs de salariés (→ Épuisement et turn-over).",
        "« Si vous arrivez trop tard c'est complet. »",
        "#BCBD22",
        r"\bplaces?\b|liste d'attente|complet|la queue|manque de|pas assez|trop petit",
    ),
    (
        "Gouvernance et engagement",
        "Bénévolat",
        "Engagement bénévole : motivations, rôles, difficultés.",
        "Bénévoles, engagement, temps donné.",
        "Le rôle statutaire des administrateurs (→ Vie associative).",
        "« Il y a des bénévoles, un monsieur retraité. »",
        "#17BECF",
        r"bénévol",
    ),
    (
        "Gouvernance et engagement",
        "Vie associative",
        "Fonctionnement démocratique de l'association.",
        "Conseil d'administration, assemblée générale, adhérents, projet "
        "social, place des habitants dans les décisions.",
        "Le bénévolat d'activité (→ Bénévolat).",
        "« À l'assemblée générale on était quarante. »",
        "#AEC7E8",
        r"conseil d'administration|\bCA\b|assemblée générale|\bbureau\b|président|adhérent|"
        r"gouvernance|projet social",
    ),
    (
        "Gouvernance et engagement",
        "Partenariats",
        "Relations avec les institutions et les autres acteurs du territoire.",
        "Mairie, CAF, bailleur, école, prévention spécialisée.",
        "Le seul enjeu financier (→ Financements par projet).",
        "« On travaille beaucoup avec l'école. »",
        "#FFBB78",
        r"mairie|bailleur|partenai|\bCAF\b|l'école|la ville|prévention spécialisée|département",
    ),
    (
        "Tiers-lieu numérique et solidaire",
        "Attentes envers le tiers-lieu",
        "Ce que les personnes attendent du futur tiers-lieu.",
        "Usages souhaités, publics, horaires, gouvernance du lieu.",
        "Les usages numériques actuels (→ Inclusion numérique).",
        "« Un tiers-lieu, ça peut être bien si c'est ouvert à tout le monde. »",
        "#98DF8A",
        r"tiers-lieu|fab ?lab|nouveau lieu|futur lieu|espace de coworking",
    ),
]
#: Codes a second coder may take one for the other.
CONFUSABLE = {
    "Lien social": "Confiance et pouvoir d'agir",
    "Confiance et pouvoir d'agir": "Lien social",
    "Accès aux droits": "Inclusion numérique",
    "Inclusion numérique": "Accès aux droits",
    "Financements par projet": "Partenariats",
    "Partenariats": "Financements par projet",
    "Épuisement et turn-over": "Manque de moyens",
    "Manque de moyens": "Épuisement et turn-over",
    "Bénévolat": "Vie associative",
    "Vie associative": "Bénévolat",
    "Secteur jeunes": "Familles et parentalité",
    "Familles et parentalité": "Secteur jeunes",
}
#: Codes with fuzzy boundaries, where a second coder disagrees more often.
FUZZY = {"Lien social", "Confiance et pouvoir d'agir", "Partenariats", "Vie associative"}
SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
LABEL = re.compile(r"^(Interviewée?|Enquêteur)\s*:\s*")


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
        if speaker and speaker != "Enquêteur":
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
        fuzzy = code in FUZZY  # codes whose definitions overlap: more disagreement
        if draw < (0.22 if fuzzy else 0.12):
            continue  # forgotten
        if draw < (0.45 if fuzzy else 0.30):
            k = starts.index(start) if start in starts else -1
            if 0 <= k < len(units) - 1 and units[k + 1][0] == units[k][0]:
                end = max(end, units[k + 1][2])  # one more sentence
            else:
                end = start + max((end - start) // 2, 1)  # narrower
                while end < len(text) and text[end - 1].isalnum():
                    end += 1
                while end > start + 1 and not text[end - 1].isalnum():
                    end -= 1
        elif draw < (0.60 if fuzzy else 0.36):
            code = CONFUSABLE.get(code, code)
        out.append((code, start, end))
    coded = {(s, e) for _, s, e in excerpts}
    codes = [row[1] for row in CODEBOOK]
    for _, start, end in units:
        if (start, end) not in coded and rng.random() < 0.04:
            out.append((rng.choice(codes), start, end))
    merged: dict[tuple[str, int], int] = {}
    result = []
    for code, start, end in sorted(set(out), key=lambda e: (e[1], e[2], e[0])):
        key = (code, start)
        if any(c == code and s < end and start < e for c, s, e in result):
            continue  # never two overlapping excerpts of one code by one coder
        merged[key] = end
        result.append((code, start, end))
    return result


def write_coding() -> None:
    """Write grille_codage.csv, codage.csv and entretiens_codes.qdpx."""
    sys.path.insert(0, str(ROOT))
    import pandas as pd

    from movsc_toolkit.lexico import read_corpus
    from movsc_toolkit.qualitative import Codings, read_codebook

    with (HERE / "grille_codage.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\n")
        writer.writerow(
            ["thème", "code", "définition", "inclusion", "exclusion", "exemple", "couleur"]
        )
        writer.writerows(row[:7] for row in CODEBOOK)
    corpus = read_corpus(HERE / "transcriptions", metadata=HERE / "metadonnees.csv")
    meta = corpus.metadata
    rng = random.Random(SEED)
    rows = []
    for i, text in enumerate(corpus.texts):
        number = meta["entretien"].iloc[i]
        first = coder_a(text)
        coders = [(CODER_A, first)]
        if number in DOUBLE:
            coders.append((CODER_B, coder_b(text, first, rng)))
        for coder, excerpts in coders:
            for code, start, end in excerpts:
                rows.append(
                    {
                        "fichier": meta["fichier"].iloc[i],
                        "code": code,
                        "codeur": coder,
                        "début": start,
                        "fin": end,
                        "extrait": " ".join(text[start:end].split()),
                    }
                )
    table = pd.DataFrame(rows)
    table.to_csv(HERE / "codage.csv", sep=";", index=False, encoding="utf-8", lineterminator="\n")
    book = read_codebook(HERE / "grille_codage.csv")
    excerpts = table.rename(columns={"fichier": "document"}).drop(columns="extrait")
    codings = Codings(corpus, book, excerpts, tuple(meta["fichier"]))
    codings.to_qdpx(
        HERE / "entretiens_codes.qdpx",
        name="Entretiens au centre social des Tilleuls",
        date="2026-04-30T12:00:00Z",
    )


if __name__ == "__main__":
    main()
