"""Generate the fictitious calls for projects, project budgets, funding watch and objectives.

Run: ``/work/venv/bin/python datasets/appel_a_projets/generate.py`` (deterministic, seed 2026).
Writes, next to this script:

- ``appel_jeunesse.toml``: the rules of a departmental call « Jeunesse et citoyenneté 2027 »;
- ``budget_chantiers_jeunes.xlsx``: the budget of the « Chantiers jeunes » project of the
  Maison de quartier des Coquelicots (``maison_quartier_analytique``), which breaks four of
  the call's rules (used by notebook 11);
- ``appel_numerique.toml`` and ``budget_ateliers_numeriques.xlsx``: a foundation's call
  « Inclusion numérique 2026 » and the budget of the centre social Les Tilleuls'
  (``centre_social_budget``) digital workshops, breaking three rules (used by exercise 11);
- ``veille_financements.xlsx``: a funding watch table of 14 calls (deadlines, amounts, status);
- ``objectifs_2027.csv``: the objectives and CA envelopes of the Coquelicots' projects for the
  dialogue de gestion 2027.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from movsc_toolkit._write import write_csv, write_excel, write_text
from movsc_toolkit.finance import make_budget

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _reproducible import stamp_workbook  # helper shared by the generators

HERE = Path(__file__).resolve().parent
RNG = np.random.default_rng(2026)
STAMP = dt.datetime(2026, 9, 1, 9, 0, 0)

APPEL_JEUNESSE = """\
# Appel à projets FICTIF (jeu de données de movsc-toolkit) : les règles d'un appel
# départemental, telles qu'un enseignant ou une directrice les recopie de l'avis d'appel.
# Montants en euros, taux en pourcentage (70 pour 70 %), dates AAAA-MM-JJ.

[appel]
nom = "Jeunesse et citoyenneté 2027"
financeur = "Département des Coteaux"
ligne = "74 Département"
precision = "Jeunesse et citoyenneté"
ouverture = 2026-09-15
date_limite = 2026-11-30
debut_projet = 2027-01-01
fin_projet = 2027-12-31
url = "https://www.exemple.org/appels/jeunesse-citoyennete-2027"

[regles]
montant_min = 3000
plafond = 15000
taux_max = 70                      # % du coût éligible
aides_publiques_max = 85           # % du coût total du projet
autofinancement_min = 15           # % du coût total (ressources propres et privées)
frais_indirects_max = 7            # forfait : 7 % ...
frais_indirects_base = "couts directs"   # ... des coûts directs éligibles
benevolat = true                   # la valorisation du bénévolat est admise
depenses_eligibles = ["60", "61", "62", "63", "64"]
depenses_exclues = ["66", "67", "68"]
"""

APPEL_NUMERIQUE = """\
# Appel à projets FICTIF (jeu de données de movsc-toolkit) : une fondation finance
# l'inclusion numérique. Montants en euros, taux en pourcentage, dates AAAA-MM-JJ.

[appel]
nom = "Inclusion numérique 2026"
financeur = "Fondation Solidarités Numériques"
ligne = "74 Aides privées"
ouverture = 2026-01-05
date_limite = 2026-03-31
debut_projet = 2026-01-01
fin_projet = 2026-12-31

[regles]
montant_min = 2000
plafond = 10000
taux_max = 50                      # % du coût éligible
autofinancement_min = 20           # % du coût total
frais_indirects_max = 15           # forfait : 15 % ...
frais_indirects_base = "personnel" # ... des frais de personnel directs éligibles
benevolat = false                  # pas de valorisation du bénévolat dans ce budget
depenses_exclues = ["66", "67", "68"]
"""


def budget_chantiers() -> pd.DataFrame:
    """Chantiers jeunes 2027: 36 000 € of charges, four rules of the call broken.

    Plafond (18 000 > 15 000), indirect costs (5 900 > 7 % × 29 100 = 2 037), public aid
    (32 000 > 85 % × 36 000 = 30 600) and self-financing (4 000 < 15 % × 36 000 = 5 400);
    the 1 000 € of depreciation (68) is not eligible.
    """
    rows = [
        ("604", "Encadrement technique des chantiers", 4500),
        ("606", "Matériaux et petit outillage", 3800),
        ("625", "Transport des jeunes vers les chantiers", 1200),
        ("641", "Animateur (0,5 ETP)", 14000),
        ("645", "", 5600),
        ("68", "Amortissement de la remorque", 1000),
        ("613", "Charges indirectes : quote-part des locaux (clé m²)", 2400),
        ("628", "Charges indirectes : quote-part de l'administration (clé ETP)", 3500),
        ("70", "Participation des familles", 1200),
        ("74 Département", "Jeunesse et citoyenneté", 18000),
        ("74 Commune", "Ville de Val-Fleuri", 9000),
        ("74 Organismes sociaux", "CAF", 5000),
        ("74 Aides privées", "Fondation du Bâtiment solidaire", 2000),
        ("756", "", 800),
        ("864", "200 heures × 13,50 €", 2700),
        ("87 Bénévolat", "200 heures × 13,50 €", 2700),
    ]
    return pd.DataFrame(rows, columns=["Code", "Précision", "chantiers_jeunes"])


def budget_numerique() -> pd.DataFrame:
    """Ateliers numériques seniors 2026: 30 500 € of charges, three rules broken.

    Plafond (12 350 > 10 000), indirect costs (4 400 > 15 % × 19 600 = 2 940), volunteering
    not allowed (2 000 in 86/87); 1 500 € of depreciation (68) excluded.
    """
    rows = [
        ("604", "Intervenants (association de médiation numérique)", 3000),
        ("606", "Petit matériel, consommables", 1200),
        ("625", "Déplacements dans les résidences seniors", 800),
        ("641", "Animatrice numérique (0,5 ETP)", 14000),
        ("645", "", 5600),
        ("68", "Amortissement des tablettes", 1500),
        ("613", "Charges indirectes : quote-part des locaux", 2100),
        ("628", "Charges indirectes : quote-part de l'administration", 2300),
        ("70", "Participation des usagers", 1500),
        ("74 Aides privées", "Fondation Solidarités Numériques", 12350),
        ("74 Commune", "Commune de Saint-Aubin-les-Prés", 6000),
        ("74 Région", "Région", 7650),
        ("74 Organismes sociaux", "Conférence des financeurs", 3000),
        ("864", "Bénévoles accompagnants", 2000),
        ("87 Bénévolat", "Bénévoles accompagnants", 2000),
    ]
    return pd.DataFrame(rows, columns=["Code", "Précision", "ateliers_numeriques"])


def watch() -> pd.DataFrame:
    calls = [
        (
            "Département des Coteaux",
            "Jeunesse et citoyenneté 2027",
            "2026-09-15",
            "2026-11-30",
            3000,
            15000,
            70,
            "en préparation",
            "chantiers_jeunes",
        ),
        (
            "CAF des Coteaux",
            "Fonds publics et territoires 2027",
            "2026-09-01",
            "2026-10-31",
            1500,
            None,
            80,
            "en préparation",
            "accueil_jeunes",
        ),
        (
            "Préfecture (politique de la ville)",
            "Contrat de ville 2027",
            "2026-10-01",
            "2026-12-12",
            None,
            None,
            None,
            "à étudier",
            "accompagnement_scolaire",
        ),
        (
            "Service départemental (SDJES)",
            "FDVA 2 fonctionnement-innovation 2027",
            "2027-01-10",
            "2027-02-28",
            1000,
            15000,
            None,
            "à étudier",
            "",
        ),
        (
            "Région",
            "Jeunes en action 2027",
            "2026-09-01",
            "2026-10-15",
            5000,
            30000,
            50,
            "abandonné",
            "",
        ),
        (
            "Ville de Val-Fleuri",
            "Fonds d'initiatives locales",
            "2026-06-01",
            "2026-09-30",
            None,
            3000,
            None,
            "déposé",
            "fete_quartier",
        ),
        (
            "Fondation des Familles",
            "Parentalité et lien social",
            "2026-08-20",
            "2026-11-06",
            2000,
            10000,
            60,
            "à étudier",
            "ateliers_parents",
        ),
        (
            "Conférence des financeurs",
            "Prévention de la perte d'autonomie 2027",
            "2026-10-05",
            "2026-11-20",
            None,
            20000,
            None,
            "à étudier",
            "",
        ),
        (
            "DRAJES",
            "FONJEP jeunesse (poste)",
            "2026-09-01",
            "2026-10-02",
            None,
            7164,
            None,
            "refusé",
            "",
        ),
        (
            "CAF des Coteaux",
            "Vacances familles (aide au départ)",
            "2026-11-15",
            "2027-01-31",
            None,
            8000,
            None,
            "à étudier",
            "sejours_ete",
        ),
        (
            "Fondation du Bâtiment solidaire",
            "Chantiers éducatifs",
            "2026-09-01",
            "2026-12-18",
            2000,
            6000,
            None,
            "en préparation",
            "chantiers_jeunes",
        ),
        (
            "Département des Coteaux",
            "Soutien aux associations de quartier",
            "2026-03-01",
            "2026-04-30",
            None,
            10000,
            None,
            "accordé",
            "",
        ),
        (
            "Agence nationale du sport",
            "Projets sportifs fédéraux",
            "2027-02-01",
            "2027-04-15",
            1500,
            None,
            None,
            "à étudier",
            "",
        ),
        (
            "Ville de Val-Fleuri",
            "Budget participatif 2027",
            "2026-10-01",
            "2026-11-13",
            None,
            None,
            None,
            "à étudier",
            "fete_quartier",
        ),
    ]
    frame = pd.DataFrame(
        calls,
        columns=[
            "Financeur",
            "Appel",
            "Ouverture",
            "Date limite",
            "Montant min",
            "Montant max",
            "Taux max (%)",
            "Statut",
            "Projet",
        ],
    )
    for column in ("Ouverture", "Date limite"):
        frame[column] = pd.to_datetime(frame[column])
    # amounts hoped for by the association (seeded): what it plans to ask
    hoped = RNG.integers(4, 16, size=len(frame)) * 500
    frame["Montant envisagé"] = hoped.astype(float)
    frame["Notes"] = [
        "budget à réparer : plafond, forfait de frais indirects",
        "dossier sur la démarche numérique de la CAF",
        "demande sur Dauphin ; public des QPV au moins 60 %",
        "axe 2 : projets innovants",
        "trop lourd pour nous cette année",
        "réponse attendue en novembre",
        "",
        "public de plus de 60 ans",
        "",
        "",
        "co-financement du chantier",
        "",
        "",
        "vote des habitants en janvier",
    ]
    return frame


def objectives() -> pd.DataFrame:
    rows = [
        ("accueil_jeunes", "jeunes de 11 à 17 ans inscrits", 120, "jeunes", 90000),
        ("accompagnement_scolaire", "élèves accompagnés toute l'année", 45, "élèves", 40000),
        ("ateliers_parents", "familles participantes", 60, "familles", 38000),
        ("sejours_ete", "journées-enfants de séjour", 540, "journées", 52000),
        ("fete_quartier", "visiteurs de la fête", 1500, "visiteurs", 25000),
    ]
    return pd.DataFrame(rows, columns=["Projet", "Objectif", "Cible", "Unité", "Enveloppe (€)"])


def main() -> None:
    write_text(HERE / "appel_jeunesse.toml", APPEL_JEUNESSE, suffixes=(".toml",))
    write_text(HERE / "appel_numerique.toml", APPEL_NUMERIQUE, suffixes=(".toml",))
    for frame, name, year, association in (
        (
            budget_chantiers(),
            "budget_chantiers_jeunes.xlsx",
            2027,
            "Maison de quartier des Coquelicots",
        ),
        (
            budget_numerique(),
            "budget_ateliers_numeriques.xlsx",
            2026,
            "Centre social et culturel Les Tilleuls",
        ),
    ):
        budget = make_budget(frame, name=association, year=year)
        assert budget.is_balanced, budget.problems
        budget.to_excel(HERE / name)
        stamp_workbook(HERE / name, STAMP)
    write_excel(HERE / "veille_financements.xlsx", {"Veille": watch()}, index=False)
    stamp_workbook(HERE / "veille_financements.xlsx", STAMP)
    write_csv(objectives(), HERE / "objectifs_2027.csv")


if __name__ == "__main__":
    main()
