"""Calls for projects (*appels à projets*): the call's rules, the budget check, the funding watch.

A call for projects is described in a small **TOML** file a teacher or a director writes in any
text editor (``reference: finance_bc02.md`` §2.2, "always read from the call's own rules"): two
tables, ``[appel]`` (who, which CERFA line receives the subsidy, the dates) and ``[regles]``
(the figures). Every rule is optional: only the rules the call states are checked.

.. code-block:: toml

    [appel]
    nom = "Fonds d'initiatives jeunesse 2027"
    financeur = "Département de la Vallée"
    ligne = "74 Département"          # ligne du budget CERFA qui reçoit la subvention demandée
    precision = "Fonds jeunesse"      # facultatif : texte de la colonne « Précision »
    ouverture = 2026-09-01            # ou "01/09/2026"
    date_limite = 2026-11-15
    debut_projet = 2027-01-01
    fin_projet = 2027-12-31

    [regles]
    montant_min = 1500                # € : subvention demandée au moins égale
    plafond = 20000                   # € : subvention demandée au plus égale
    taux_max = 80                     # % du coût éligible
    aides_publiques_max = 90          # % du coût total (toutes aides publiques réunies)
    autofinancement_min = 10          # % du coût total
    frais_indirects_max = 7           # % de la base ci-dessous (forfait)
    frais_indirects_base = "couts directs"   # ou "personnel"
    benevolat = false                 # valorisation du bénévolat admise ?
    depenses_eligibles = ["60", "61", "62", "64"]   # groupes de comptes ou lignes CERFA
    depenses_exclues = ["66", "67", "68"]

Definitions used by :func:`check_application` (on the cash budget, **without** the
contributions volontaires 86/87, ``finance_bc02.md`` §2.4):

* **indirect costs**: the charge lines whose *Précision* says ``charges indirectes`` or
  ``quote-part`` (the CERFA 12156 "Charges indirectes" block; ``finance/costs.py`` allocates
  them with the clés de répartition); all other charges are **direct**;
* **ineligible costs**: direct lines outside ``depenses_eligibles`` or inside
  ``depenses_exclues`` (a group ``"66"`` matches the lines ``66…``);
* **eligible cost** = eligible direct costs + indirect costs up to the flat-rate cap
  (``frais_indirects_max`` × base; base = eligible direct costs, or eligible direct staff
  costs 64 + 631 with ``"personnel"``: EU CPR art. 54(a) and 54(b));
* **public aid** = the 74 lines except ``74 Aides privées``, plus 73; **self-financing**
  (*autofinancement*) = total produits − public aid (participations, cotisations, dons,
  fondations…).

The funding watch (:func:`read_funding_watch`) is a table of funders and calls with their
deadlines and status; :meth:`FundingWatch.due` lists what is due in the next weeks from a
given day. :func:`export_dossier` writes the parts of the application the toolkit can fill.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError, FileError, closest
from .._format import format_date, format_euro, format_percent
from .._parse import fold, parse_date
from .._problems import ProblemLog, ProblemTable
from .._report import Report, titled_html
from .._tablelike import TableLike
from .._write import write_excel
from ._amounts import to_amount
from .budget import (
    CHARGES,
    EMPLOIS_CVN,
    PRODUITS,
    RESSOURCES_CVN,
    Budget,
    _code_of,
    _norm,
)

__all__ = [
    "WATCH_STATUSES",
    "ApplicationCheck",
    "CallForProjects",
    "FundingWatch",
    "check_application",
    "export_dossier",
    "make_call",
    "read_call",
    "read_funding_watch",
]

# --------------------------------------------------------------------------- the call

_KEYS: dict[str, dict[str, str]] = {
    "appel": {
        "nom": "text",
        "financeur": "text",
        "ligne": "line",
        "precision": "text",
        "ouverture": "date",
        "date_limite": "date",
        "debut_projet": "date",
        "fin_projet": "date",
        "url": "text",
    },
    "regles": {
        "montant_min": "amount",
        "plafond": "amount",
        "taux_max": "percent",
        "aides_publiques_max": "percent",
        "autofinancement_min": "percent",
        "frais_indirects_max": "percent",
        "frais_indirects_base": "base",
        "benevolat": "bool",
        "depenses_eligibles": "groups",
        "depenses_exclues": "groups",
    },
}
_BASES = {"couts directs": "couts directs", "personnel": "personnel"}
_BASE_LABELS = {
    "couts directs": "des coûts directs éligibles",
    "personnel": "des frais de personnel directs éligibles",
}


@dataclass(frozen=True)
class CallForProjects:
    """A call for projects: who funds, which budget line, the dates and the rules.

    Amounts are in euros, rates in percent (``taux_max = 80.0`` for 80 %), dates are
    ``pandas.Timestamp``; ``None`` means the call sets no such rule. Build it with
    :func:`read_call` (TOML file) or :func:`make_call` (a dictionary of the same shape).
    """

    name: str
    funder: str = ""
    line: str | None = None
    precision: str | None = None
    opening: pd.Timestamp | None = None
    deadline: pd.Timestamp | None = None
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    url: str = ""
    min_amount: float | None = None
    ceiling: float | None = None
    max_rate: float | None = None
    max_public: float | None = None
    min_self: float | None = None
    indirect_max: float | None = None
    indirect_base: str = "couts directs"
    volunteering: bool | None = None
    eligible: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    path: str | None = field(default=None, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """The call's rules as a French table (``Règle``, ``Valeur``)."""
        rows = [("Appel", self.name), ("Financeur", self.funder or "—")]
        if self.line:
            rows.append(
                ("Ligne du budget", self.line + (f" ({self.precision})" if self.precision else ""))
            )
        for label, value in (
            ("Ouverture", self.opening),
            ("Date limite de dépôt", self.deadline),
            ("Début du projet", self.start),
            ("Fin du projet", self.end),
        ):
            if value is not None:
                rows.append((label, format_date(value)))
        if self.min_amount is not None:
            rows.append(("Montant minimal demandé", format_euro(self.min_amount, 2)))
        if self.ceiling is not None:
            rows.append(("Plafond de la subvention", format_euro(self.ceiling, 2)))
        if self.max_rate is not None:
            rows.append(
                (
                    "Taux maximal de cofinancement",
                    format_percent(self.max_rate) + " du coût éligible",
                )
            )
        if self.max_public is not None:
            rows.append(
                ("Aides publiques au plus", format_percent(self.max_public) + " du coût total")
            )
        if self.min_self is not None:
            rows.append(
                ("Autofinancement au moins", format_percent(self.min_self) + " du coût total")
            )
        if self.indirect_max is not None:
            rows.append(
                (
                    "Frais indirects au plus",
                    format_percent(self.indirect_max) + " " + _BASE_LABELS[self.indirect_base],
                )
            )
        if self.volunteering is not None:
            rows.append(
                ("Valorisation du bénévolat", "admise" if self.volunteering else "non admise")
            )
        if self.eligible:
            rows.append(("Dépenses éligibles", ", ".join(self.eligible)))
        if self.excluded:
            rows.append(("Dépenses exclues", ", ".join(self.excluded)))
        return pd.DataFrame(rows, columns=["Règle", "Valeur"]).set_index("Règle")

    def __str__(self) -> str:
        text = f"Appel à projets « {self.name} »" + (f" ({self.funder})" if self.funder else "")
        lines = [text + " :"]
        lines += [f"  – {k} : {v}" for k, v in self.to_frame()["Valeur"].items() if k != "Appel"]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        title = f"Appel à projets « {self.name} »" + (f" ({self.funder})" if self.funder else "")
        return titled_html(self.to_frame(), title, decimals=None)


def _key_lines(text: str) -> dict[tuple[str, str], int]:
    """Line (1-based) of each ``key =`` of the TOML text, by (table, key)."""
    out: dict[tuple[str, str], int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
        if header:
            table = header.group(1).strip().strip('"')
            out.setdefault((table, ""), number)
            continue
        key = re.match(r'^"?([^"=\s]+)"?\s*=', stripped)
        if key:
            out.setdefault((table, key.group(1)), number)
    return out


def read_call(path: str | PathLike[str]) -> CallForProjects:
    """Read a call for projects from its TOML file (see the module's documentation).

    Raises
    ------
    FileError
        The file is missing or is not valid TOML (the line and column of the mistake).
    DataError
        An unknown table or key (the closest valid one is suggested), a value of the wrong
        kind (a rate given as ``0.8``, a date that is not a date, an unknown CERFA line…),
        with its line in the file.
    """
    p = Path(path)
    if p.suffix.lower() != ".toml":
        raise FileError(
            "un appel à projets se décrit dans un fichier texte .toml.",
            path=p,
            hint="copiez le modèle du jeu de données « appel_a_projets » (appel.toml) et "
            "adaptez-le.",
        )
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FileError(
            "fichier introuvable.", path=p, hint="vérifiez le nom et le dossier."
        ) from None
    except UnicodeDecodeError:
        raise FileError(
            "le fichier n'est pas en UTF-8.",
            path=p,
            hint="enregistrez-le en UTF-8 (dans le Bloc-notes : Enregistrer sous > Codage UTF-8).",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+), column (\d+)", str(exc))
        raise FileError(
            f"le fichier n'est pas un TOML valide ({str(exc).split(' (at')[0]}).",
            path=p,
            line=int(found.group(1)) if found else None,
            column=int(found.group(2)) if found else None,
            hint="chaque règle s'écrit « nom = valeur » ; un texte entre guillemets droits "
            '("…"), une date 2026-11-15, un nombre sans unité (1500, 80), une liste entre '
            'crochets (["60", "61"]).',
        ) from None
    return _build(data, path=p, lines=_key_lines(text))


def make_call(rules: Mapping[str, Any]) -> CallForProjects:
    """Build a call from a dictionary shaped like the TOML file.

    Examples
    --------
    >>> appel = make_call({"appel": {"nom": "Fonds jeunesse", "ligne": "74 Département"},
    ...                    "regles": {"plafond": 20000, "taux_max": 80}})
    >>> appel.max_rate
    80.0
    """
    return _build(rules, path=None, lines={})


def _build(data: Mapping[str, Any], *, path: Path | None, lines: dict) -> CallForProjects:
    def fail(message: str, table: str, key: str, hint: str) -> DataError:
        return DataError(
            message,
            path=path,
            line=lines.get((table, key)) or lines.get((table, "")),
            column=key or None,
            hint=hint,
        )

    values: dict[str, Any] = {}
    for table, content in data.items():
        if table not in _KEYS:
            near = closest(table, list(_KEYS))
            raise fail(
                f"la table [{table}] n'est pas prévue.",
                table,
                "",
                f"vouliez-vous dire [{near[0]}] ?"
                if near
                else "les tables sont [appel] et [regles].",
            )
        if not isinstance(content, Mapping):
            raise fail(
                f"« {table} » doit être une table [{table}].",
                table,
                "",
                "écrivez [appel] puis les lignes « clé = valeur ».",
            )
        for key, value in content.items():
            kind = _KEYS[table].get(key)
            if kind is None:
                near = closest(key, list(_KEYS[table]))
                raise fail(
                    f"la clé « {key} » n'est pas prévue dans [{table}].",
                    table,
                    key,
                    f"vouliez-vous dire « {near[0]} » ?"
                    if near
                    else "clés possibles : " + ", ".join(_KEYS[table]) + ".",
                )
            values[key] = _value(kind, value, lambda m, h, t=table, k=key: fail(m, t, k, h), key)
    if not values.get("nom"):
        raise fail(
            "l'appel n'a pas de nom.",
            "appel",
            "",
            'ajoutez dans [appel] une ligne nom = "Nom de l\'appel".',
        )
    start, end = values.get("debut_projet"), values.get("fin_projet")
    if start is not None and end is not None and end < start:
        raise fail(
            "la fin du projet est avant son début.",
            "appel",
            "fin_projet",
            "vérifiez debut_projet et fin_projet.",
        )
    opening, deadline = values.get("ouverture"), values.get("date_limite")
    if opening is not None and deadline is not None and deadline < opening:
        raise fail(
            "la date limite est avant l'ouverture de l'appel.",
            "appel",
            "date_limite",
            "vérifiez ouverture et date_limite.",
        )
    return CallForProjects(
        name=str(values["nom"]),
        funder=str(values.get("financeur", "")),
        line=values.get("ligne"),
        precision=values.get("precision"),
        opening=opening,
        deadline=deadline,
        start=start,
        end=end,
        url=str(values.get("url", "")),
        min_amount=values.get("montant_min"),
        ceiling=values.get("plafond"),
        max_rate=values.get("taux_max"),
        max_public=values.get("aides_publiques_max"),
        min_self=values.get("autofinancement_min"),
        indirect_max=values.get("frais_indirects_max"),
        indirect_base=values.get("frais_indirects_base", "couts directs"),
        volunteering=values.get("benevolat"),
        eligible=tuple(values.get("depenses_eligibles", ())),
        excluded=tuple(values.get("depenses_exclues", ())),
        path=None if path is None else str(path),
    )


def _value(kind: str, value: Any, fail: Any, key: str) -> Any:
    if kind == "text":
        if not isinstance(value, str):
            raise fail(f"« {key} » doit être un texte.", f'écrivez {key} = "…" (entre guillemets).')
        return value.strip()
    if kind == "line":
        code = _code_of(value) if isinstance(value, str | int) else None
        if code is None or not (code.startswith("74") or code in {"73", "75", "756", "754"}):
            raise fail(
                f"« {value} » n'est pas une ligne de produits du budget CERFA qui reçoit une "
                "subvention.",
                'écrivez par exemple ligne = "74 Département", "74 Commune", "74 Organismes '
                'sociaux", "74 État" ou "74 Aides privées".',
            )
        return code
    if kind == "date":
        if isinstance(value, dt.datetime | dt.date):
            return pd.Timestamp(value).normalize()
        try:
            return parse_date(value, key)
        except DataError:
            raise fail(
                f"« {value} » n'est pas une date.",
                f'écrivez {key} = 2026-11-15 (ou "15/11/2026").',
            ) from None
    if kind == "amount":
        amount = None if isinstance(value, bool) else to_amount(value)
        if amount is None or amount < 0:
            raise fail(
                f"« {value} » n'est pas un montant en euros positif.",
                f"écrivez {key} = 1500 (un nombre, sans le signe €).",
            )
        return float(amount)
    if kind == "percent":
        number = value
        if isinstance(value, str):
            text = value.replace("%", "").strip()
            number = to_amount(text)
        if isinstance(number, bool) or not isinstance(number, int | float) or number is None:
            raise fail(
                f"« {value} » n'est pas un pourcentage.",
                f"écrivez {key} = 80 pour 80 %.",
            )
        number = float(number)
        if not 0 <= number <= 100:
            raise fail(
                f"le taux « {value} » n'est pas entre 0 et 100 %.",
                f"écrivez {key} = 80 pour 80 %.",
            )
        if 0 < number < 1:
            raise fail(
                f"le taux « {value} » est compris comme {format_percent(number, 2)}, sans doute "
                "par erreur.",
                f"les taux s'écrivent en pourcentage : {key} = {_toml_number(number * 100)} "
                f"pour {format_percent(number * 100, 0)}.",
            )
        return number
    if kind == "base":
        folded = " ".join(fold(value).replace("_", " ").split()) if isinstance(value, str) else ""
        folded = {
            "couts directs eligibles": "couts directs",
            "frais de personnel": "personnel",
        }.get(folded, folded)
        if folded not in _BASES:
            raise fail(
                f"base des frais indirects « {value} » inconnue.",
                'écrivez frais_indirects_base = "couts directs" (forfait de 7 % des coûts '
                'directs) ou "personnel" (forfait de 15 % des frais de personnel directs).',
            )
        return _BASES[folded]
    if kind == "bool":
        if isinstance(value, bool):
            return value
        folded = fold(value) if isinstance(value, str) else ""
        if folded in {"oui", "vrai", "true"}:
            return True
        if folded in {"non", "faux", "false"}:
            return False
        raise fail(f"« {value} » n'est ni oui ni non.", f"écrivez {key} = true (admise) ou false.")
    if kind == "groups":
        items = [value] if isinstance(value, str | int) else value
        if not isinstance(items, list) or not items:
            raise fail(
                f"« {key} » doit être une liste de comptes.",
                f'écrivez {key} = ["60", "61", "62", "64"].',
            )
        out = []
        for item in items:
            text = str(item).strip()
            if not re.fullmatch(r"6\d{0,5}", text):
                raise fail(
                    f"« {item} » n'est pas un compte ou une ligne de charges (6…).",
                    f'écrivez {key} = ["60", "61", "62", "64"] (comptes de charges).',
                )
            out.append(text)
        return out
    raise AssertionError(kind)  # pragma: no cover


def _toml_number(value: float) -> str:
    """``80.0`` → ``"80"``, ``7.5`` → ``"7.5"`` (a TOML number to type)."""
    return f"{value:g}"


# --------------------------------------------------------------------------- the check


def _cents_up(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_CEILING))


def _cents_down(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))


def _in_groups(code: str, groups: Sequence[str]) -> bool:
    return any(code.startswith(g) for g in groups)


_INDIRECT = re.compile(r"\b(charges? indirectes?|frais indirects?|quote part|quotes parts)\b")
_STAFF = ("64", "631")


@dataclass(frozen=True, eq=False, repr=False)
class ApplicationCheck(Report, TableLike):
    """The rules of a call checked on a project budget.

    Attributes
    ----------
    table
        One row per rule the call states: ``Règle``, ``Exigence``, ``Budget``, ``Statut``
        (``respectée``, ``non respectée``, ``à vérifier``), ``Montant à corriger (€)`` (the
        change that makes the rule hold, rounded up to the cent; empty when none) and
        ``Correction`` (what to change, in French).
    figures
        The amounts the rules use (total cost, eligible cost, requested subsidy…), in €.
    max_request
        The largest subsidy the call's rules allow for this budget (€, rounded down to the
        cent), other things equal; ``None`` when the call sets no limit on it.
    """

    table: pd.DataFrame
    figures: pd.Series
    call: CallForProjects
    project: str
    max_request: float | None

    @property
    def breaches(self) -> pd.DataFrame:
        """The rules the budget breaks."""
        return self.table[self.table["Statut"] == "non respectée"]

    @property
    def ok(self) -> bool:
        """Whether the budget breaks no rule of the call."""
        return self.breaches.empty

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _lines(self) -> list[str]:
        n = len(self.breaches)
        head = (
            f"Budget « {self.project} » au regard de l'appel « {self.call.name} »"
            + (f" ({self.call.funder})" if self.call.funder else "")
            + " : "
        )
        to_check = int((self.table["Statut"] == "à vérifier").sum())
        if n == 0:
            head += f"aucune règle enfreinte ({len(self.table) - to_check} respectée(s)"
            head += f", {to_check} à vérifier)." if to_check else ")."
        else:
            head += f"{n} règle(s) non respectée(s) sur {len(self.table)} vérifiées."
        lines = [head]
        for rule, row in self.breaches.iterrows():
            lines.append(f"  – {rule} : {row['Correction']}")
        for rule, row in self.table[self.table["Statut"] == "à vérifier"].iterrows():
            lines.append(f"  – {rule} (à vérifier) : {row['Correction']}")
        asked = self.figures.get("Subvention demandée (€)")
        if asked is not None and self.max_request is not None:
            lines.append(
                f"Subvention demandée : {format_euro(asked, 2)} ; montant maximal que les "
                f"règles permettent pour ce budget : {format_euro(self.max_request, 2)}."
            )
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.table, "Règles de l'appel", decimals=2) + titled_html(
            self.figures.to_frame("Montant (€)"), "Montants utilisés", decimals=2
        )


def _project_lines(budget: Budget, project: str | None) -> tuple[pd.DataFrame, str]:
    if not isinstance(budget, Budget):
        raise DataError(
            "un budget (Budget) est attendu en premier argument.",
            hint="construisez-le avec finance.make_budget(...) ou lisez-le avec "
            "finance.read_budget('budget.xlsx').",
        )
    if project is None and len(budget.projects) > 1:
        raise DataError(
            f"le budget a {len(budget.projects)} projets : précisez lequel est présenté à l'appel.",
            hint="ajoutez project=, parmi : " + ", ".join(budget.projects) + ".",
        )
    name = project if project is not None else budget.projects[0]
    column = budget._column(name)
    lines = budget.lines[["Section", "Code", "Ligne", "Précision"]].copy()
    lines["Montant"] = budget._values(column).astype(float).to_numpy()
    label = name if name != "Budget" or not budget.name else budget.name
    return lines, label


def check_application(
    budget: Budget,
    call: CallForProjects,
    *,
    project: str | None = None,
    requested: float | None = None,
    today: Any = None,
) -> ApplicationCheck:
    """Check a project budget against every rule a call for projects states.

    Parameters
    ----------
    budget
        The project's budget (CERFA 12156 lines). Indirect costs are the charge lines whose
        *Précision* says ``charges indirectes`` or ``quote-part``.
    call
        The call (:func:`read_call`, :func:`make_call`).
    project
        The budget's project column presented (needed when the budget has several).
    requested
        The subsidy asked from this call; by default the budget's amount on the call's
        ``ligne`` (and ``precision``).
    today
        Day of the check for the deadline rule (``"15/10/2026"``); by default the machine's
        date. Give it explicitly for a reproducible result.

    Returns
    -------
    ApplicationCheck
        Every rule with its status and the amount to change.

    Examples
    --------
    >>> b = make_budget({"641": 20000, "74 Département": 18000, "70": 2000})  # doctest: +SKIP
    >>> check_application(b, make_call({"appel": {"nom": "FIJ", "ligne": "74 Département"},
    ...                                 "regles": {"taux_max": 80}}))        # doctest: +SKIP
    """
    if not isinstance(call, CallForProjects):
        raise DataError(
            "un appel à projets (lu par finance.read_call) est attendu en second argument.",
            hint="appel = finance.read_call('appel.toml').",
        )
    lines, label = _project_lines(budget, project)
    amount = lines["Montant"]
    section = lines["Section"]
    codes = lines["Code"].astype(str)
    charges_mask = section == CHARGES
    indirect_mask = charges_mask & lines["Précision"].fillna("").map(
        lambda t: bool(_INDIRECT.search(_norm(t)))
    )
    direct_mask = charges_mask & ~indirect_mask
    eligible_line = codes.map(
        lambda c: (
            (not call.eligible or _in_groups(c, call.eligible)) and not _in_groups(c, call.excluded)
        )
    )
    total_cost = float(amount[charges_mask].sum())
    produits = float(amount[section == PRODUITS].sum())
    indirect = float(amount[indirect_mask].sum())
    direct = float(amount[direct_mask].sum())
    inel_mask = direct_mask & ~eligible_line
    ineligible = float(amount[inel_mask].sum())
    eligible_direct = direct - ineligible
    staff = float(
        amount[direct_mask & eligible_line & codes.map(lambda c: _in_groups(c, _STAFF))].sum()
    )
    public_mask = (section == PRODUITS) & (
        (codes.str.startswith("74") & (codes != "74 Aides privées")) | (codes == "73")
    )
    public = float(amount[public_mask].sum())
    self_financing = produits - public
    cvn = float(amount[section == EMPLOIS_CVN].sum())
    cvn_in = float(amount[section == RESSOURCES_CVN].sum())

    if requested is None:
        if call.line is None:
            raise DataError(
                f"l'appel « {call.name} » ne dit pas sur quelle ligne du budget figure la "
                "subvention demandée.",
                path=call.path,
                hint='ajoutez dans [appel] : ligne = "74 Département" (par exemple), ou donnez '
                "requested= (le montant demandé).",
            )
        on_line = codes == call.line
        if call.precision:
            on_line &= (
                lines["Précision"].fillna("").map(lambda t: _norm(call.precision) in _norm(t))
            )
        requested = float(amount[on_line].sum())
        if requested == 0:
            where = call.line + (f" (précision « {call.precision} »)" if call.precision else "")
            raise DataError(
                f"le budget ne demande rien sur la ligne « {where} » de l'appel « {call.name} ».",
                hint="inscrivez la subvention demandée sur cette ligne du budget, ou donnez "
                "requested=.",
            )
    requested = float(requested)

    rows: list[dict[str, Any]] = []
    limits: list[float] = []

    def add(
        rule: str, need: str, value: str, ok: bool | None, fix: float | None, text: str
    ) -> None:
        status = "à vérifier" if ok is None else ("respectée" if ok else "non respectée")
        rows.append(
            {
                "Règle": rule,
                "Exigence": need,
                "Budget": value,
                "Statut": status,
                "Montant à corriger (€)": np.nan if fix is None or ok else fix,
                "Correction": "" if ok else text,
            }
        )

    gap = produits - total_cost
    if abs(gap) >= 0.005:
        what = (
            f"réduire les produits (ou augmenter les charges) de {format_euro(gap, 2)}"
            if gap > 0
            else f"trouver {format_euro(-gap, 2)} de ressources supplémentaires ou réduire les "
            "charges d'autant"
        )
        add(
            "Budget équilibré",
            "charges = produits",
            f"charges {format_euro(total_cost, 2)}, produits {format_euro(produits, 2)}",
            False,
            _cents_up(abs(gap)),
            what + ".",
        )
    else:
        add(
            "Budget équilibré",
            "charges = produits",
            f"{format_euro(total_cost, 2)} de chaque côté",
            True,
            None,
            "",
        )

    if call.min_amount is not None:
        ok = requested >= call.min_amount - 0.005
        fix = _cents_up(call.min_amount - requested)
        add(
            "Montant minimal",
            f"au moins {format_euro(call.min_amount, 2)}",
            format_euro(requested, 2),
            ok,
            fix,
            f"augmenter la subvention demandée de {format_euro(fix, 2)} (ou renoncer à cet "
            "appel, réservé aux projets plus importants).",
        )
    if call.ceiling is not None:
        limits.append(call.ceiling)
        ok = requested <= call.ceiling + 0.005
        fix = _cents_up(requested - call.ceiling)
        add(
            "Plafond de la subvention",
            f"au plus {format_euro(call.ceiling, 2)}",
            format_euro(requested, 2),
            ok,
            fix,
            f"réduire la subvention demandée de {format_euro(fix, 2)} et trouver d'autres "
            "ressources (ou réduire les charges) d'autant.",
        )
    cap_indirect = None
    if call.indirect_max is not None:
        base = eligible_direct if call.indirect_base == "couts directs" else staff
        cap_indirect = call.indirect_max / 100 * base
        ok = indirect <= cap_indirect + 0.005
        fix = _cents_up(indirect - cap_indirect)
        add(
            "Frais indirects",
            f"au plus {format_percent(call.indirect_max)} {_BASE_LABELS[call.indirect_base]} "
            f"({format_euro(base, 2)}), soit {format_euro(cap_indirect, 2)}",
            format_euro(indirect, 2),
            ok,
            fix,
            f"réduire les charges indirectes imputées au projet de {format_euro(fix, 2)} (le "
            "forfait de l'appel remplace la clé de répartition pour ce financeur).",
        )
    eligible_cost = eligible_direct + (
        indirect if cap_indirect is None else min(indirect, cap_indirect)
    )
    if call.eligible or call.excluded:
        detail = ", ".join(
            f"ligne {c} : {format_euro(v, 2)}"
            for c, v in amount[inel_mask].groupby(codes[inel_mask], sort=False).sum().items()
            if v
        )
        add(
            "Dépenses éligibles",
            "comptes "
            + (", ".join(call.eligible) if call.eligible else "de charges")
            + (" hors " + ", ".join(call.excluded) if call.excluded else ""),
            f"{format_euro(ineligible, 2)} de dépenses non éligibles"
            + (f" : {detail}" if detail else ""),
            True if ineligible < 0.005 else None,
            ineligible,
            f"{format_euro(ineligible, 2)} de dépenses non éligibles ({detail}) ne comptent "
            "pas dans le coût éligible : financez-les par d'autres ressources que cet appel.",
        )
    if call.max_rate is not None:
        cap = call.max_rate / 100 * eligible_cost
        limits.append(cap)
        ok = requested <= cap + 0.005
        fix = _cents_up(requested - cap)
        rate = 100 * requested / eligible_cost if eligible_cost else math.inf
        add(
            "Taux de cofinancement",
            f"au plus {format_percent(call.max_rate)} du coût éligible "
            f"({format_euro(eligible_cost, 2)}), soit {format_euro(cap, 2)}",
            f"{format_euro(requested, 2)} ({format_percent(rate)})",
            ok,
            fix,
            f"réduire la subvention demandée de {format_euro(fix, 2)} et trouver d'autres "
            "ressources (ou réduire les charges) d'autant.",
        )
    if call.max_public is not None:
        cap = call.max_public / 100 * total_cost
        limits.append(requested - max(0.0, public - cap))
        ok = public <= cap + 0.005
        fix = _cents_up(public - cap)
        share = 100 * public / total_cost if total_cost else math.nan
        add(
            "Aides publiques",
            f"au plus {format_percent(call.max_public)} du coût total "
            f"({format_euro(total_cost, 2)}), soit {format_euro(cap, 2)}",
            f"{format_euro(public, 2)} ({format_percent(share)})",
            ok,
            fix,
            f"réduire les subventions publiques de {format_euro(fix, 2)} et les remplacer par "
            "des ressources propres ou privées (participations, cotisations, mécénat).",
        )
    if call.min_self is not None:
        need = call.min_self / 100 * total_cost
        limits.append(requested - max(0.0, need - self_financing))
        ok = self_financing >= need - 0.005
        fix = _cents_up(need - self_financing)
        share = 100 * self_financing / total_cost if total_cost else math.nan
        add(
            "Autofinancement",
            f"au moins {format_percent(call.min_self)} du coût total, soit {format_euro(need, 2)}",
            f"{format_euro(self_financing, 2)} ({format_percent(share)})",
            ok,
            fix,
            f"augmenter les ressources propres de {format_euro(fix, 2)} (participations, "
            "cotisations, dons, fondations) en réduisant d'autant les subventions publiques.",
        )
    if call.volunteering is not None:
        if call.volunteering:
            add("Valorisation du bénévolat", "admise", format_euro(cvn_in, 2), True, None, "")
        else:
            ok = cvn < 0.005 and cvn_in < 0.005
            fix = max(cvn, cvn_in)
            add(
                "Valorisation du bénévolat",
                "non admise",
                f"{format_euro(cvn_in, 2)} de contributions volontaires (86/87)",
                ok,
                fix,
                f"retirer les contributions volontaires ({format_euro(fix, 2)} en 86 et en 87) "
                "du budget présenté à ce financeur ; montrez le bénévolat dans le bilan "
                "qualitatif.",
            )
    if call.deadline is not None:
        day = parse_date(dt.date.today() if today is None else today, "today")
        days = int((call.deadline - day).days)
        add(
            "Date limite de dépôt",
            f"au plus tard le {format_date(call.deadline)}",
            f"contrôle du {format_date(day)}",
            days >= 0,
            None,
            f"la date limite est passée depuis {-days} jour(s) : attendez la prochaine "
            "session de l'appel.",
        )
    if (call.start is not None or call.end is not None) and budget.year is not None:
        first = call.start.year if call.start is not None else budget.year
        last = call.end.year if call.end is not None else budget.year
        ok = first <= budget.year <= last
        add(
            "Période du projet",
            f"du {format_date(call.start) if call.start is not None else '—'} au "
            f"{format_date(call.end) if call.end is not None else '—'}",
            f"budget de l'exercice {budget.year}",
            ok,
            None,
            f"le budget porte sur {budget.year}, hors de la période du projet fixée par "
            "l'appel : présentez le budget de la période demandée.",
        )
    table = pd.DataFrame(
        rows,
        columns=["Règle", "Exigence", "Budget", "Statut", "Montant à corriger (€)", "Correction"],
    ).set_index("Règle")
    figures = pd.Series(
        {
            "Coût total (€)": total_cost,
            "Coûts directs (€)": direct,
            "dont non éligibles (€)": ineligible,
            "dont personnel éligible (€)": staff,
            "Frais indirects (€)": indirect,
            "Coût éligible (€)": eligible_cost,
            "Subvention demandée (€)": requested,
            "Aides publiques (€)": public,
            "Autofinancement (€)": self_financing,
            "Total des produits (€)": produits,
            "Contributions volontaires (€)": cvn_in,
        },
        name="Montant (€)",
    )
    max_request = _cents_down(max(0.0, min(limits))) if limits else None
    return ApplicationCheck(table, figures, call, label, max_request)


# --------------------------------------------------------------------------- funding watch

#: The statuses of a line of the funding watch, in the order of the work.
WATCH_STATUSES: tuple[str, ...] = (
    "à étudier",
    "en préparation",
    "déposé",
    "accordé",
    "refusé",
    "abandonné",
)
_OPEN_STATUSES = ("à étudier", "en préparation")
_WATCH_COLUMNS: dict[str, tuple[str, ...]] = {
    "Financeur": ("financeur", "funder"),
    "Appel": ("appel", "appel a projets", "dispositif", "intitule"),
    "Ouverture": ("ouverture", "date d ouverture"),
    "Date limite": ("date limite", "echeance", "date limite de depot", "limite"),
    "Montant min (€)": ("montant min", "montant minimum", "min"),
    "Montant max (€)": ("montant max", "montant maximum", "plafond", "max"),
    "Taux max (%)": ("taux max", "taux maximum", "taux"),
    "Statut": ("statut", "etat"),
    "Projet": ("projet",),
    "Lien": ("lien", "url", "site"),
    "Notes": ("notes", "remarques", "commentaire", "commentaires"),
}


@dataclass(frozen=True, eq=False, repr=False)
class FundingWatch(Report, TableLike):
    """A funding watch (*veille*): funders, calls, deadlines, amounts, status.

    Attributes
    ----------
    table
        One row per call: ``Financeur``, ``Appel``, ``Ouverture``, ``Date limite``,
        ``Montant min (€)``, ``Montant max (€)``, ``Taux max (%)``, ``Statut`` (one of
        :data:`WATCH_STATUSES`), ``Projet``, ``Lien``, ``Notes``, then the file's other
        columns as they are; ``ligne`` is the line in the file.
    problems
        The shared problems table (unknown status, missing deadline…).
    """

    table: pd.DataFrame
    problems: ProblemTable
    source: str | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def due(self, weeks: int = 8, today: Any = None) -> pd.DataFrame:
        """The open calls (``à étudier``, ``en préparation``) whose deadline falls within
        ``weeks`` weeks from ``today`` (included), soonest first, with the days left.

        ``today`` defaults to the machine's date; give it (``"01/10/2026"``) for a
        reproducible list.
        """
        day = parse_date(dt.date.today() if today is None else today, "today")
        limit = day + pd.Timedelta(weeks=weeks)
        t = self.table
        mask = (
            t["Statut"].isin(_OPEN_STATUSES)
            & (t["Date limite"] >= day)
            & (t["Date limite"] <= limit)
        )
        out = t[mask].copy()
        out.insert(4, "Jours restants", (out["Date limite"] - day).dt.days.astype(int))
        out = out.sort_values(["Date limite", "Financeur"], kind="stable")
        out.attrs["aujourd'hui"] = day
        return out

    def overdue(self, today: Any = None) -> pd.DataFrame:
        """Open calls (``à étudier``, ``en préparation``) whose deadline has passed."""
        day = parse_date(dt.date.today() if today is None else today, "today")
        t = self.table
        return t[t["Statut"].isin(_OPEN_STATUSES) & (t["Date limite"] < day)].copy()

    def _lines(self) -> list[str]:
        counts = self.table["Statut"].value_counts()
        parts = ", ".join(f"{counts[s]} {s}" for s in WATCH_STATUSES if s in counts)
        text = f"Veille des financements : {len(self.table)} appel(s)" + (
            f" ({parts})." if parts else "."
        )
        lines = [text]
        if len(self.problems):
            lines.append(f"{len(self.problems)} problème(s) de lecture : voir .problems.")
        lines.append('Pour la liste des échéances : veille.due(weeks=8, today="JJ/MM/AAAA").')
        return lines

    def _html_tables(self) -> str:
        return titled_html(
            self.table.drop(columns=["ligne"]), "Veille des financements", decimals=0
        )


def read_funding_watch(path: str | PathLike[str] | pd.DataFrame) -> FundingWatch:
    """Read a funding watch table (Excel, Calc or CSV; one row per call).

    Columns (French names, accents and case ignored): ``Financeur``, ``Appel`` and
    ``Date limite`` (required), ``Ouverture``, ``Montant min``, ``Montant max``, ``Taux max``
    (in %), ``Statut`` (``à étudier`` by default), ``Projet``, ``Lien``, ``Notes``.
    An unknown status is kept as typed and reported in ``.problems``; a row without a
    deadline is kept (``Date limite`` empty) and reported.
    """
    from .._io import read_table
    from .grants import _amounts, _dates, _rename

    source = None
    if isinstance(path, pd.DataFrame):
        data = path.copy()
    else:
        source = Path(path)
        data = read_table(source)
    lines = data.attrs.get("lines") or [i + 2 for i in range(len(data))]
    data = _rename(data, _WATCH_COLUMNS)
    for required in ("Financeur", "Appel", "Date limite"):
        if required not in data.columns:
            from .._errors import column_error

            raise column_error(required, list(data.columns), path=source)
    log = ProblemLog()
    out = pd.DataFrame({"ligne": lines}, index=range(len(data)))
    data = data.reset_index(drop=True)
    for column in _WATCH_COLUMNS:
        if column not in data.columns:
            out[column] = (
                np.nan if column in ("Montant min (€)", "Montant max (€)", "Taux max (%)") else ""
            )
            continue
        values = data[column]
        if column in ("Ouverture", "Date limite"):
            out[column] = _dates(values, column, source, lines).to_numpy()
        elif column in ("Montant min (€)", "Montant max (€)"):
            blank = values.isna() | values.astype(str).str.strip().eq("")
            out[column] = _amounts(values, column, source, lines).mask(blank.to_numpy()).to_numpy()
        elif column == "Taux max (%)":
            texts = values.astype(object).map(
                lambda v: v.replace("%", "") if isinstance(v, str) else v
            )
            blank = values.isna() | values.astype(str).str.strip().eq("")
            out[column] = _amounts(texts, column, source, lines).mask(blank.to_numpy()).to_numpy()
        else:
            out[column] = values.map(
                lambda v: "" if v is None or pd.isna(v) else str(v).strip()
            ).to_numpy()
    if "Ouverture" not in data.columns:
        out["Ouverture"] = pd.NaT
    for column in data.columns:  # the user's other columns are kept, as they are
        if column not in _WATCH_COLUMNS and column not in out.columns:
            out[column] = data[column].to_numpy()
    known = {fold(s): s for s in WATCH_STATUSES}
    statuses = []
    for i, value in enumerate(out["Statut"]):
        if not value:
            statuses.append("à étudier")
            continue
        key = fold(value)
        if key in known:
            statuses.append(known[key])
        else:
            near = closest(value, WATCH_STATUSES)
            log.add(
                "alerte",
                f"statut « {value} » inconnu, gardé tel quel (ni compté parmi les appels à "
                "préparer) ; statuts prévus : "
                + ", ".join(WATCH_STATUSES)
                + (f" ; vouliez-vous dire « {near[0]} » ?" if near else "."),
                ligne=int(lines[i]),
                colonne="Statut",
                valeur=value,
            )
            statuses.append(value)
    out["Statut"] = statuses
    for i in np.flatnonzero(out["Date limite"].isna().to_numpy()):
        log.add(
            "alerte",
            "appel sans date limite : il n'apparaîtra pas dans les échéances (due).",
            ligne=int(lines[i]),
            colonne="Date limite",
        )
    return FundingWatch(out, log.frame(sort=False), None if source is None else str(source))


# --------------------------------------------------------------------------- dossier


def export_dossier(
    path: str | PathLike[str],
    budget: Budget,
    *,
    project: str | None = None,
    call: CallForProjects | None = None,
    check: ApplicationCheck | None = None,
    structure: pd.DataFrame | None = None,
    project_indicators: pd.DataFrame | None = None,
    title: str | None = None,
) -> Path:
    """Write the parts of an application the toolkit can fill, to ``.docx`` or ``.xlsx``.

    Parameters
    ----------
    path
        Destination: ``.docx`` (a Word document to complete) or ``.xlsx`` (one sheet per
        part).
    budget, project
        The project budget (CERFA 12156 layout: ``Budget.cerfa``).
    call, check
        The call (its rules are recalled) and the result of :func:`check_application`.
    structure
        The structure's key figures: the table of ``finance.indicators(ledger, year)``.
    project_indicators
        The project's indicators: a ``kpi`` project (``kpi.read_project``; its dashboard
        ``kpi.dashboard(projet)`` is written) or any table.
    title
        Title of the document (default: « Dossier de demande de subvention »).
    """
    from .report import Section, SynthesisNote

    target = Path(path)
    name = project if project is not None else budget.projects[0]
    if project is not None or len(budget.projects) > 1:
        budget._column(name)
    cerfa = budget.cerfa(name if len(budget.projects) > 1 or project else None)
    cerfa = cerfa.drop(columns=["Type"]).set_index("Code")
    cerfa.index.name = "Code"
    parts: dict[str, pd.DataFrame] = {"Budget du projet (CERFA)": cerfa}
    if call is not None:
        parts["Règles de l'appel"] = call.to_frame()
    if check is not None:
        parts["Contrôle des règles"] = check.to_frame()
    if structure is not None:
        keep = [c for c in ("Indicateur", "Valeur", "Unité", "Lecture") if c in structure.columns]
        parts["Chiffres clés de la structure"] = structure[keep]
    if project_indicators is not None:
        if hasattr(project_indicators, "indicateurs") and hasattr(project_indicators, "valeurs"):
            from ..kpi import dashboard

            project_indicators = dashboard(project_indicators)
        parts["Indicateurs du projet"] = pd.DataFrame(project_indicators)
    heading = title or "Dossier de demande de subvention"
    if call is not None:
        heading += f" – {call.name}"
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        return write_excel(target, parts, what="le dossier", suffixes=(".xlsx",))
    if suffix != ".docx":
        raise FileError(
            f"l'extension « {target.suffix or '(aucune)'} » n'est pas prévue pour le dossier.",
            path=target,
            hint="terminez le nom par .docx (document Word) ou .xlsx (classeur).",
        )
    sections = [
        Section(
            "Budget prévisionnel du projet (CERFA n° 12156)",
            (
                f"Projet « {name} »"
                + (f", exercice {budget.year}" if budget.year else "")
                + ". Total des charges : "
                + format_euro(
                    float(cerfa.loc[cerfa["Rubrique"] == "TOTAL DES CHARGES"].iloc[0, -1]), 2
                )
                + ".",
            ),
            table=cerfa.set_index("Rubrique").drop(columns=[], errors="ignore"),
        )
    ]
    if call is not None:
        sections.append(
            Section("Règles de l'appel", (str(call).splitlines()[0],), table=call.to_frame())
        )
    if check is not None:
        sections.append(
            Section(
                "Contrôle du budget au regard de l'appel",
                tuple(check._lines()),
                table=check.to_frame()[["Exigence", "Budget", "Statut"]],
            )
        )
    if structure is not None:
        sections.append(
            Section(
                "Chiffres clés de la structure",
                ("Indicateurs calculés à partir des comptes (FEC) de l'association.",),
                table=parts["Chiffres clés de la structure"].set_index("Indicateur")
                if "Indicateur" in structure.columns
                else structure,
            )
        )
    if project_indicators is not None:
        sections.append(Section("Indicateurs du projet", (), table=parts["Indicateurs du projet"]))
    sections.append(
        Section(
            "À compléter",
            (
                "Présentation de l'association, description du projet (objectifs, public, "
                "territoire, calendrier), moyens humains, méthode d'évaluation : ces parties "
                "du dossier ne se calculent pas, elles s'écrivent.",
            ),
        )
    )
    note = SynthesisNote(heading, budget.year or 0, tuple(sections), {}, ())
    return note.to_docx(target)
