"""The project workbook's schema: its sheets and columns, and the values they accept.

A project is described by four tidy tables, after DHIS2's indicator model (DHIS2
documentation, *Manage indicators*), the IATI results standard (IATI Guidance, *Results*) and
the French *cadre logique* (eval.fr, « Le cadre logique »):

``cadre_logique``
    one row per level of the intervention logic (objectif global → activités);
``indicateurs``
    one row per indicator (definition, aggregation, direction, factor…);
``valeurs``
    long format, one row per indicator × kind (référence, cible, réalisé) × period ×
    disaggregation;
``jalons``
    the milestones of the action plan;

plus an optional ``budget`` sheet. The sheet and column names are French: they are what the
user types in the workbook. :data:`ENUMS` is the one table of the values an enumerated column
accepts (read by the validation and by the template's drop-down lists).
"""

from __future__ import annotations

__all__ = [
    "AGREGATIONS",
    "ALIASES",
    "DEFAULTS",
    "DEFAULT_SEUILS",
    "ENUMS",
    "MESURES",
    "NIVEAUX",
    "PERIODICITES",
    "PROBLEM_COLUMNS",
    "SCHEMA",
    "SENS",
    "SHEET_ORDER",
    "STATUTS",
    "TYPES_RESULTAT",
    "TYPES_VALEUR",
]

NIVEAUX = ("objectif_global", "objectif_specifique", "resultat", "activite")
TYPES_RESULTAT = ("realisation", "resultat", "impact")
MESURES = ("nombre", "pourcentage", "ratio", "qualitatif")
SENS = ("hausse", "baisse")
AGREGATIONS = ("somme", "moyenne", "dernier", "cumul", "ratio")
PERIODICITES = ("mensuelle", "trimestrielle", "semestrielle", "annuelle", "ponctuelle")
TYPES_VALEUR = ("reference", "cible", "realise")
STATUTS = ("atteint", "en bonne voie", "à surveiller", "en retard", "sans cible", "non mesuré")
#: Default status thresholds, in percentage points behind the linear trajectory.
DEFAULT_SEUILS = (10.0, 25.0)

PROBLEM_COLUMNS = ["feuille", "élément", "ligne", "colonne", "valeur", "gravité", "message"]

#: Every sheet and column of the workbook, with its French documentation (used by the
#: template's ``lisez-moi`` sheet). ``True`` marks what a computation cannot do without.
SCHEMA: dict[str, list[tuple[str, bool, str]]] = {
    "cadre_logique": [
        ("niveau_id", True, "Identifiant du niveau (ex. OG, OS1, R1, A1.1), unique."),
        ("parent_id", False, "Niveau parent (vide pour l'objectif global)."),
        ("niveau", False, "objectif_global, objectif_specifique, resultat ou activite."),
        ("libelle", False, "Énoncé de l'objectif, du résultat ou de l'activité."),
        ("hypotheses", False, "Hypothèses et risques dont dépend ce niveau."),
    ],
    "indicateurs": [
        ("code", True, "Code unique de l'indicateur (ex. FREQ), repris dans « valeurs »."),
        ("libelle", True, "Intitulé de l'indicateur."),
        ("libelle_court", False, "Intitulé court (25 caractères au plus) pour les graphiques."),
        ("definition", False, "Ce qui est mesuré et comment."),
        ("niveau_id", False, "Niveau du cadre logique que l'indicateur renseigne."),
        ("type_resultat", False, "realisation, resultat ou impact."),
        ("mesure", False, "nombre, pourcentage, ratio ou qualitatif (défaut : nombre)."),
        ("sens", False, "hausse (plus c'est haut, mieux c'est) ou baisse (défaut : hausse)."),
        (
            "agregation",
            False,
            "Comment cumuler les valeurs réalisées : somme (sur la période de la cible), "
            "moyenne, dernier (dernière valeur connue), cumul (total depuis le début du "
            "projet) ou ratio (Σ numérateurs / Σ dénominateurs × facteur). Défaut : somme.",
        ),
        ("periodicite", False, "mensuelle, trimestrielle, semestrielle, annuelle ou ponctuelle."),
        ("unite", False, "Unité (personnes, ateliers, %, €, jours…)."),
        ("numerateur", False, "Définition du numérateur (indicateurs ratio ou pourcentage)."),
        ("denominateur", False, "Définition du dénominateur (vide pour un comptage)."),
        ("facteur", False, "100 pour un pourcentage, 1000 pour un ‰, 1 sinon (défaut : 1)."),
        ("desagregations", False, "Dimensions de désagrégation, séparées par « ; » (ex. sexe)."),
        ("source_verification", False, "Document, base ou enquête où la valeur se vérifie."),
        ("responsable", False, "Fonction (pas le nom d'une personne) chargée de la collecte."),
        (
            "seuils",
            False,
            "Seuils du statut en points de retard sur la trajectoire : « 10;25 » par défaut.",
        ),
    ],
    "valeurs": [
        ("code", True, "Code de l'indicateur (présent dans « indicateurs »)."),
        ("type_valeur", True, "reference, cible ou realise."),
        ("periode_debut", True, "Premier jour de la période (JJ/MM/AAAA)."),
        ("periode_fin", True, "Dernier jour de la période (JJ/MM/AAAA)."),
        ("dimension_nom", False, "Dimension de désagrégation (ex. sexe) ; vide = total."),
        ("dimension_valeur", False, "Modalité (ex. femme) ; vide = total."),
        ("numerateur_valeur", False, "Numérateur collecté (indicateurs ratio ou pourcentage)."),
        ("denominateur_valeur", False, "Dénominateur collecté (strictement positif)."),
        (
            "valeur",
            False,
            "Valeur saisie (comptages), ou calculée = facteur × numérateur / dénominateur.",
        ),
        ("commentaire", False, "Obligatoire pour un indicateur qualitatif."),
        ("source", False, "D'où vient la valeur."),
        ("date_saisie", False, "Date de saisie."),
    ],
    "jalons": [
        ("code", True, "Code du jalon (ex. J1)."),
        ("libelle", True, "Intitulé du jalon."),
        ("date_debut", False, "Début des travaux menant au jalon (pour le diagramme de Gantt)."),
        ("date_prevue", True, "Date prévue (JJ/MM/AAAA)."),
        ("date_reelle", False, "Date réelle, vide tant que le jalon n'est pas franchi."),
        ("responsable", False, "Fonction responsable du jalon."),
    ],
    "budget": [
        ("poste", True, "Ligne budgétaire."),
        ("niveau_id", False, "Activité ou résultat du cadre logique financé."),
        ("financeur", False, "Financeur principal de la ligne."),
        ("montant_prevu", False, "Montant prévu (€)."),
        ("montant_realise", False, "Montant dépensé à la date de mise à jour (€)."),
    ],
}

#: The values each enumerated column accepts: (sheet, column) -> allowed values.
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("cadre_logique", "niveau"): NIVEAUX,
    ("indicateurs", "type_resultat"): TYPES_RESULTAT,
    ("indicateurs", "mesure"): MESURES,
    ("indicateurs", "sens"): SENS,
    ("indicateurs", "agregation"): AGREGATIONS,
    ("indicateurs", "periodicite"): PERIODICITES,
    ("valeurs", "type_valeur"): TYPES_VALEUR,
}
#: Default of an empty enumerated cell of the ``indicateurs`` sheet.
DEFAULTS = {"mesure": "nombre", "sens": "hausse", "agregation": "somme"}
#: Other spellings accepted in enumerated cells (folded) -> canonical value.
ALIASES = {
    "realisee": "realise",
    "realises": "realise",
    "valeur_cible": "cible",
    "baseline": "reference",
    "objectif": "cible",
    "resultats": "resultat",
    "activites": "activite",
    "total": "somme",
    "moyen": "moyenne",
    "derniere": "dernier",
    "cumule": "cumul",
    "cumulee": "cumul",
    "taux": "pourcentage",
    "qualitative": "qualitatif",
    "nb": "nombre",
}


#: Order of the sheets in the problems table.
SHEET_ORDER = {"indicateurs": 0, "cadre_logique": 1, "valeurs": 2, "jalons": 3, "budget": 4}
