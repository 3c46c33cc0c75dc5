"""Funders' conventions: the table of agreements and their payment schedules.

A conventions table (a minimal data model inspired by OpenDataFrance's SCDL « Subventions » schema,
version 2.1.1 on schema.data.gouv.fr, which implements décret n° 2017-779 of 5 May 2017 and the
arrêté of 17 November 2017) holds one row per agreement: funder, CERFA funder category, object,
analytic project, amount granted, period, payment schedule, conditions, due date of the compte rendu
financier.
:func:`read_conventions` reads it from Excel (sheets ``Conventions`` and ``Versements``) or CSV
(the schedule written in an ``Échéancier`` column: ``"15/03/2025 : 50 % ; 30/06/2026 : solde"``).

The status of the conventions at a date is :mod:`movsc_toolkit.finance.convention_status`; the
fonds dédiés are :mod:`movsc_toolkit.finance.dedicated_funds`.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import pandas as pd

from .._errors import ColumnError, DataError
from .._format import format_euro
from .._problems import ProblemLog, ProblemTable
from .._report import Report, result, titled_html
from ._cells import (
    amount_column,
    date_column,
    problem_lines,
    rename_columns,
    uncached_formulas,
)
from ._convention_schedule import (
    CONVENTION_ID_ALIASES,
    Formulas,
    check_schedule,
    payment_schedule,
)
from .cerfa import FUNDER_CATEGORIES, fold_label, funder_category

__all__ = [
    "Conventions",
    "read_conventions",
]

# canonical column -> accepted spellings (normalised: lower case, no accents)
_CONVENTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "Convention": CONVENTION_ID_ALIASES,
    "Financeur": ("financeur", "organisme", "attribuant", "nom attribuant", "bailleur"),
    "Catégorie": ("categorie", "categorie cerfa", "type de financeur", "categorie financeur"),
    "Objet": ("objet", "action", "intitule"),
    "Projet": ("projet", "code analytique", "analytique"),
    "Montant accordé": ("montant accorde", "montant", "montant attribue", "montant vote"),
    "Date de signature": ("date de signature", "signature", "date convention", "date"),
    "Début": ("debut", "date de debut", "periode debut", "du"),
    "Fin": ("fin", "date de fin", "periode fin", "au"),
    "Échéancier": ("echeancier", "echeancier de versements", "conditions de versement"),
    "Conditions": ("conditions", "conditions particulieres"),
    "Fonds dédiés": ("fonds dedies", "dediee", "subvention dediee", "affectee"),
    "Compte rendu dû le": (
        "compte rendu du le",
        "compte rendu du",
        "date compte rendu",
        "date limite compte rendu",
        "cr du le",
    ),
    "Compte rendu déposé le": (
        "compte rendu depose le",
        "compte rendu depose",
        "cr depose le",
        "date de depot du compte rendu",
    ),
    "Libellé comptable": ("libelle comptable", "mot cle", "libelle dans les comptes", "alias"),
    "Compte": ("compte", "compte tiers", "compte auxiliaire", "compauxnum"),
}
_REQUIRED = ("Financeur", "Montant accordé")
_DATE_COLUMNS = (
    "Date de signature",
    "Début",
    "Fin",
    "Compte rendu dû le",
    "Compte rendu déposé le",
)


@result
class Conventions(Report):
    """The funders' conventions of an association.

    Attributes
    ----------
    table
        One row per convention: ``Convention``, ``Financeur``, ``Catégorie`` (CERFA funder
        category), ``Objet``, ``Projet``, ``Montant accordé``, ``Date de signature``, ``Début``,
        ``Fin``, ``Conditions``, ``Fonds dédiés`` (bool), ``Compte rendu dû le``,
        ``Compte rendu déposé le``, ``Libellé comptable``, ``Compte``.
    payments
        The schedule: one row per planned payment (``Convention``, ``Financeur``,
        ``Catégorie``, ``Date prévue``, ``Montant prévu``, ``Date reçue``, ``Montant reçu``).
    problems
        The shared problems table (``élément`` = the convention, ``ligne``, ``colonne``,
        ``valeur``, ``gravité``, ``message``): a schedule adding up to more than 100 % or more
        than the amount granted, or more received than granted (erreur); a schedule short of
        the amount granted, an unknown funder category (alerte).

    Examples
    --------
    >>> from movsc_toolkit import datasets
    >>> conventions = read_conventions(datasets.path("roue_libre_budget") / "conventions.xlsx")
    >>> print(conventions)
    6 convention(s), 2 financeur(s), 569 200 € accordés au total.
    >>> len(conventions), len(conventions.payments), conventions.problems.empty
    (6, 9, True)
    """

    table: pd.DataFrame
    payments: pd.DataFrame
    problems: ProblemTable

    def __len__(self) -> int:
        return len(self.table)

    def to_frame(self) -> pd.DataFrame:
        """The conventions table (:attr:`table`), exact values.

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`table`, one row per convention.

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> conventions = read_conventions(datasets.path("roue_libre_budget") / "conventions.xlsx")
        >>> conventions.to_frame()[["Convention", "Montant accordé"]].head(2)
          Convention  Montant accordé
        0  DEPT-2023         175000.0
        1  DEPT-2024         180000.0
        """
        return self.table.copy()

    def by_category(self) -> pd.DataFrame:
        """Amounts granted by CERFA funder category (art. 431-9 annex style), with a Total.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``Catégorie`` in the form's order, then ``Total``: ``Conventions``
            (count), ``Montant accordé (€)``.

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> conventions = read_conventions(datasets.path("roue_libre_budget") / "conventions.xlsx")
        >>> conventions.by_category()
                     Conventions  Montant accordé (€)
        Catégorie
        Département            3             530900.0
        Commune                3              38300.0
        Total                  6             569200.0

        References
        ----------
        ANC regulation 2018-06, art. 431-9 (annex: public subsidies by funder); CERFA n° 12156*06
        funder categories. Tested in ``tests/finance/test_grants.py`` (``test_read_schedule_text``).
        """
        out = self.table.groupby("Catégorie", sort=False)["Montant accordé"].agg(["count", "sum"])
        out = out.reindex([c for c in FUNDER_CATEGORIES if c in out.index])
        out.columns = ["Conventions", "Montant accordé (€)"]
        out.loc["Total"] = out.sum()
        out["Conventions"] = out["Conventions"].astype(int)
        return out

    def _lines(self) -> list[str]:
        parts = [
            f"{len(self.table)} convention(s), {self.table['Financeur'].nunique()} financeur(s), "
            f"{format_euro(self.table['Montant accordé'].sum())} accordés au total."
        ]
        title = f"{len(self.problems)} incohérence(s) à vérifier :"
        return parts + problem_lines(self.problems, title)

    def _html_tables(self) -> str:
        shown = self.table[
            ["Convention", "Financeur", "Catégorie", "Objet", "Montant accordé", "Début", "Fin"]
        ].copy()
        for col in ("Début", "Fin"):
            shown[col] = shown[col].dt.strftime("%d/%m/%Y")
        return titled_html(shown.set_index("Convention"), "Conventions", decimals=0)


def read_conventions(
    path: str | PathLike[str] | pd.DataFrame,
    payments: str | PathLike[str] | pd.DataFrame | None = None,
) -> Conventions:
    """Read a conventions table from Excel/ODS (sheets ``Conventions`` and ``Versements``) or CSV.

    Parameters
    ----------
    path
        The conventions file (or a DataFrame). One row per convention; columns (French names,
        accents and case ignored): ``Convention`` (identifier; ``C1``, ``C2``… if absent),
        ``Financeur`` and ``Montant accordé`` (required), ``Catégorie`` (the CERFA category;
        recognised from the funder's name when absent), ``Objet``, ``Projet`` (analytic code),
        ``Date de signature``, ``Début``, ``Fin``, ``Échéancier``, ``Conditions``,
        ``Fonds dédiés`` (oui/non), ``Compte rendu dû le`` (default: ``Fin`` + 6 months),
        ``Compte rendu déposé le``, ``Libellé comptable`` (a word identifying the funder in the
        accounting labels, e.g. ``CAF``) and ``Compte`` (its account or auxiliary account).
    payments
        The schedule (``Convention``, ``Date prévue``, ``Montant prévu``, optionally
        ``Date reçue``, ``Montant reçu``). By default the workbook's ``Versements`` sheet, or
        the ``Échéancier`` column (``"15/03/2025 : 50 % ; 30/06/2026 : solde"``).

    Returns
    -------
    Conventions
        The conventions, their payment schedule and the inconsistencies found (``problems``).

    Raises
    ------
    ColumnError
        When ``Financeur`` or ``Montant accordé`` is missing (or a column of the schedule).
    DataError
        With the line and column of an unreadable amount or date, a duplicated identifier or
        a schedule citing an unknown convention.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({
    ...     "Financeur": ["CAF de la Gironde", "Ville de Bordeaux"],
    ...     "Montant accordé": ["12 000", "8 000,50"],
    ...     "Fin": ["31/12/2025", "31/12/2025"],
    ...     "Échéancier": ["15/03/2025 : 50 % ; 30/06/2026 : solde", ""],
    ... })
    >>> conventions = read_conventions(table)
    >>> conventions.table[["Convention", "Catégorie", "Montant accordé", "Compte rendu dû le"]]
      Convention           Catégorie  Montant accordé Compte rendu dû le
    0         C1  Organismes sociaux          12000.0         2026-06-30
    1         C2             Commune           8000.5         2026-06-30
    >>> conventions.payments[["Convention", "Date prévue", "Montant prévu"]]
      Convention Date prévue  Montant prévu
    0         C1  2025-03-15         6000.0
    1         C1  2026-06-30         6000.0
    2         C2         NaT         8000.5

    References
    ----------
    The compte rendu financier is due within six months after the end of the subsidised
    period (loi n° 2000-321 of 12 April 2000, art. 10; décret 2001-495): the default
    ``Compte rendu dû le`` is ``Fin`` + 6 months. Tested in ``tests/finance/test_grants.py``
    (``test_read_schedule_text``, ``test_schedule_over_the_amount_granted_or_short_of_it``,
    ``test_read_excel_with_payment_sheet``).
    """
    data, lines, source, sheet_payments, formulas, pay_formulas = _load(path, payments)
    log = ProblemLog(fichier=None)
    table, conv_lines = _convention_table(data, lines, source, formulas, log)
    schedule = payment_schedule(table, payments, sheet_payments, pay_formulas, conv_lines, log)
    check_schedule(table, schedule, conv_lines, log)
    table = table.drop(columns="Échéancier").reset_index(drop=True)
    problems = log.frame(sort=False)
    if "élément" not in problems.columns:
        problems.insert(0, "élément", pd.Series(dtype=object))
    return Conventions(table=table, payments=schedule, problems=problems)


def _load(
    path: str | PathLike[str] | pd.DataFrame,
    payments: str | PathLike[str] | pd.DataFrame | None,
) -> tuple[pd.DataFrame, list[int], Path | None, pd.DataFrame | None, Formulas, Formulas]:
    """Read the conventions sheet (and the workbook's ``Versements`` sheet), with the file
    line of each row and the formula cells saved without their value."""
    from .._io import read_table, sheet_names

    source: Path | None = None
    sheet_payments = None
    formulas: dict[tuple[int, str], tuple[str, float | None]] = {}
    pay_formulas: dict[tuple[int, str], tuple[str, float | None]] = {}
    if isinstance(path, pd.DataFrame):
        data = path.copy()
        lines = data.attrs.get("lines") or [i + 2 for i in range(len(data))]
    else:
        source = Path(path)
        if source.suffix.lower() in {".xlsx", ".xlsm", ".ods", ".xls"}:
            sheets = sheet_names(source)  # or the toolkit's error: missing, damaged…
            conv_sheet = "Conventions" if "Conventions" in sheets else 0
            data = read_table(source, conv_sheet)
            if source.suffix.lower() in {".xlsx", ".xlsm"}:
                formulas = uncached_formulas(
                    source, conv_sheet, frozenset({"financeur", "convention", "montant accorde"})
                )
            if payments is None and "Versements" in sheets:
                sheet_payments = read_table(source, "Versements")
                if source.suffix.lower() in {".xlsx", ".xlsm"}:
                    pay_formulas = uncached_formulas(
                        source, "Versements", frozenset({"convention", "date prevue"})
                    )
        else:
            data = read_table(source)
        lines = data.attrs.get("lines") or [i + 2 for i in range(len(data))]
    return data, lines, source, sheet_payments, formulas, pay_formulas


def _convention_table(
    data: pd.DataFrame, lines: list[int], source: Path | None, formulas: Formulas, log: ProblemLog
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The conventions with canonical columns, categories, amounts and dates (parsed and
    checked), and the file line of each convention."""
    raw_columns = list(data.columns)
    data = rename_columns(data, _CONVENTION_COLUMNS)
    raw_name = dict(zip(data.columns, raw_columns, strict=True))
    for column in _REQUIRED:
        if column not in data.columns:
            raise ColumnError(
                f"la colonne « {column} » manque dans le tableau des conventions.",
                path=source,
                hint="colonnes attendues : Convention, Financeur, Catégorie, Objet, Projet, "
                "Montant accordé, Début, Fin, Échéancier, Compte rendu dû le…",
            )
    table = pd.DataFrame(index=data.index)
    table["Convention"] = (
        data["Convention"].astype(str).str.strip()
        if "Convention" in data.columns
        else [f"C{i + 1}" for i in range(len(data))]
    )
    table["Financeur"] = data["Financeur"].astype(str).str.strip()
    conv_lines = dict(zip(table["Convention"], lines, strict=False))
    categories = []
    for conv, funder, given in zip(
        table["Convention"],
        table["Financeur"],
        data["Catégorie"] if "Catégorie" in data.columns else [None] * len(data),
        strict=True,
    ):
        category = None
        if given is not None and not pd.isna(given) and str(given).strip():
            text = fold_label(given)
            category = next((c for c in FUNDER_CATEGORIES if fold_label(c) == text), None)
            category = category or funder_category(str(given))
        category = category or funder_category(funder)
        if category is None:
            log.add(
                "alerte",
                f"catégorie de financeur inconnue pour « {funder} » (à choisir parmi : "
                + ", ".join(FUNDER_CATEGORIES)
                + ").",
                élément=conv,
                ligne=conv_lines.get(conv),
                colonne="Catégorie",
                valeur=None if given is None or pd.isna(given) else given,
            )
        categories.append(category)
    table["Catégorie"] = categories
    for column in ("Objet", "Projet", "Conditions", "Libellé comptable", "Compte", "Échéancier"):
        values = data[column] if column in data.columns else pd.Series("", index=data.index)
        table[column] = values.map(lambda v: "" if v is None or pd.isna(v) else str(v).strip())
    table["Montant accordé"] = amount_column(
        data["Montant accordé"], "Montant accordé", source, lines
    )
    for i, line in enumerate(lines[: len(table)]):
        key = (int(line), str(raw_name["Montant accordé"]).strip())
        if key not in formulas:
            continue
        formula, computed = formulas[key]
        conv = table["Convention"].iloc[i]
        if computed is None:
            log.add(
                "erreur",
                f"le montant accordé est la formule {formula}, sans valeur calculée enregistrée "
                "avec le classeur : montant non lu, compté 0 €. Ouvrez le classeur dans Excel "
                "ou LibreOffice, enregistrez-le, puis relisez-le.",
                élément=conv,
                ligne=key[0],
                colonne="Montant accordé",
                valeur=formula,
            )
        else:
            table.iloc[i, table.columns.get_loc("Montant accordé")] = computed
            log.add(
                "alerte",
                f"la formule {formula} n'avait pas de valeur enregistrée : recalculée ici "
                f"({format_euro(computed, 2)}).",
                élément=conv,
                ligne=key[0],
                colonne="Montant accordé",
                valeur=formula,
            )
    for column in _DATE_COLUMNS:
        values = data[column] if column in data.columns else pd.Series(None, index=data.index)
        table[column] = date_column(values, column, source, lines)
    default_due = table["Fin"] + pd.DateOffset(months=6)
    table["Compte rendu dû le"] = table["Compte rendu dû le"].fillna(default_due)
    dedicated = data["Fonds dédiés"] if "Fonds dédiés" in data.columns else None
    table["Fonds dédiés"] = (
        dedicated.map(lambda v: fold_label(v) in {"oui", "o", "yes", "true", "1", "vrai", "x"})
        if dedicated is not None
        else False
    )
    duplicated = table["Convention"][table["Convention"].duplicated()]
    if len(duplicated):
        raise DataError(
            f"l'identifiant de convention « {duplicated.iloc[0]} » apparaît deux fois.",
            path=source,
            column="Convention",
            hint="donnez un identifiant unique à chaque convention (C1, C2…).",
        )

    return table, conv_lines
