"""A project budget checked against the rules of a call for projects (*appel à projets*).

Definitions used by :func:`check_application` (on the cash budget, **without** the
contributions volontaires 86/87, listed below the balanced totals of the CERFA n° 12156 budget):

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
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError, column_error
from .._format import format_date, format_euro, format_percent
from .._parse import parse_date
from .._report import Report, result, titled_html
from .._tablelike import TableLike
from .budget import Budget
from .calls import INDIRECT_BASE_LABELS, CallForProjects
from .cerfa import CHARGES, EMPLOIS_CVN, PRODUITS, RESSOURCES_CVN, fold_label

__all__ = ["ApplicationCheck", "check_application"]


def _cents_up(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_CEILING))


def _cents_down(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))


def _in_groups(code: str, groups: Sequence[str]) -> bool:
    return any(code.startswith(g) for g in groups)


_INDIRECT = re.compile(r"\b(charges? indirectes?|frais indirects?|quote part|quotes parts)\b")
_STAFF = ("64", "631")


@result
class ApplicationCheck(Report, TableLike):
    """The rules of a call checked on a project budget.

    Attributes
    ----------
    table
        One row per rule the call states: ``Règle``, ``Exigence``, ``Budget``, ``Statut``
        (``respectée``, ``non respectée``, ``à vérifier``), ``Montant à corriger (€)`` (the
        change that makes the rule hold, rounded up to the cent; empty when none) and
        ``Correction`` (what to change, in French).
    amounts
        The amounts the rules use (total cost, eligible cost, requested subsidy…), in €.
    max_request
        The largest subsidy the call's rules allow for this budget (€, rounded down to the
        cent), other things equal; ``None`` when the call sets no limit on it.
    call, project
        The call and the budget's project checked.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> appel = finance.read_call(datasets.path("appel_a_projets", "appel_jeunesse.toml"))
    >>> budget = finance.read_budget(
    ...     datasets.path("appel_a_projets", "budget_chantiers_jeunes.xlsx"))
    >>> controle = finance.check_application(budget, appel, as_of="01/10/2026")
    >>> controle.ok, controle.max_request
    (False, 15000.0)
    >>> controle.breaches.index.tolist()
    ['Plafond de la subvention', 'Frais indirects', 'Aides publiques', 'Autofinancement']
    """

    table: pd.DataFrame
    amounts: pd.Series
    call: CallForProjects
    project: str
    max_request: float | None

    @property
    def breaches(self) -> pd.DataFrame:
        """The rules the budget breaks: the rows of :attr:`table` whose status is
        ``non respectée`` (a copy-free view).

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> appel = finance.read_call(datasets.path("appel_a_projets", "appel_jeunesse.toml"))
        >>> budget = finance.read_budget(
        ...     datasets.path("appel_a_projets", "budget_chantiers_jeunes.xlsx"))
        >>> controle = finance.check_application(budget, appel, as_of="01/10/2026")
        >>> controle.breaches["Montant à corriger (€)"].tolist()
        [3000.0, 3863.0, 1400.0, 1400.0]
        """
        return self.table[self.table["Statut"] == "non respectée"]

    @property
    def ok(self) -> bool:
        """Whether the budget breaks no rule of the call (rules « à vérifier » do not count).

        Examples
        --------
        >>> from movsc_toolkit import finance
        >>> budget = finance.make_budget({"641": 20000, "74 Département": 18000, "70": 2000})
        >>> appel = finance.make_call({"appel": {"nom": "FIJ", "ligne": "74 Département"},
        ...                            "regles": {"taux_max": 90}})
        >>> finance.check_application(budget, appel).ok
        True
        """
        return self.breaches.empty

    def to_frame(self) -> pd.DataFrame:
        """The rules and their status (a copy of :attr:`table`, exact amounts).

        Returns
        -------
        pandas.DataFrame
            Index ``Règle``; columns ``Exigence``, ``Budget``, ``Statut``, ``Montant à corriger
            (€)``, ``Correction``.

        Examples
        --------
        >>> from movsc_toolkit import finance
        >>> budget = finance.make_budget({"641": 20000, "74 Département": 18000, "70": 2000})
        >>> appel = finance.make_call({"appel": {"nom": "FIJ", "ligne": "74 Département"},
        ...                            "regles": {"taux_max": 80}})
        >>> table = finance.check_application(budget, appel).to_frame()
        >>> table.at["Taux de cofinancement", "Statut"]
        'non respectée'
        >>> float(table.at["Taux de cofinancement", "Montant à corriger (€)"])
        2000.0
        """
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
        asked = self.amounts.get("Subvention demandée (€)")
        if asked is not None and self.max_request is not None:
            lines.append(
                f"Subvention demandée : {format_euro(asked, 2)} ; montant maximal que les "
                f"règles permettent pour ce budget : {format_euro(self.max_request, 2)}."
            )
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.table, "Règles de l'appel", decimals=2) + titled_html(
            self.amounts.to_frame("Montant (€)"), "Montants utilisés", decimals=2
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
    lines = budget.lines[["Section", "Code", "Ligne", "Précision"]].copy()
    if name not in (*budget.projects, "Total"):
        raise column_error(name, budget.projects, what="projet")
    amounts = budget.lines[list(budget.projects) if name == "Total" else [name]].sum(axis=1)
    lines["Montant"] = amounts.astype(float).to_numpy()
    label = name if name != "Budget" or not budget.name else budget.name
    return lines, label


def check_application(
    budget: Budget,
    call: CallForProjects,
    *,
    project: str | None = None,
    requested: float | None = None,
    as_of: Any = None,
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
    as_of
        Day of the check for the deadline rule (``"15/10/2026"``); by default the machine's
        date. Give it explicitly for a reproducible result.

    Returns
    -------
    ApplicationCheck
        Every rule with its status and the amount to change.

    Examples
    --------
    The departmental call of the bundled data set, on the budget of its youth work camps:

    >>> from movsc_toolkit import datasets, finance
    >>> appel = finance.read_call(datasets.path("appel_a_projets", "appel_jeunesse.toml"))
    >>> budget = finance.read_budget(
    ...     datasets.path("appel_a_projets", "budget_chantiers_jeunes.xlsx"))
    >>> controle = finance.check_application(budget, appel, as_of="01/10/2026")
    >>> controle.table["Statut"].value_counts().to_dict()
    {'respectée': 6, 'non respectée': 4, 'à vérifier': 1}
    >>> float(controle.amounts["Coût éligible (€)"]), controle.max_request
    (31137.0, 15000.0)

    A flat rate of 80 % of the eligible cost, on a budget that asks 90 %:

    >>> budget = finance.make_budget({"641": 20000, "74 Département": 18000, "70": 2000})
    >>> appel = finance.make_call({"appel": {"nom": "FIJ", "ligne": "74 Département"},
    ...                            "regles": {"taux_max": 80}})
    >>> r = finance.check_application(budget, appel)
    >>> r.max_request, float(r.table.at["Taux de cofinancement", "Montant à corriger (€)"])
    (16000.0, 2000.0)

    References
    ----------
    Budget of the project on the CERFA n° 12156 form (*demande de subvention*, budget prévisionnel
    de l'action); flat rates of indirect costs of Regulation (EU) 2021/1060, art. 54 (a) 7 % of
    eligible direct costs and (b) 15 % of eligible direct staff costs; the CVN (86/87) are left out,
    as they sit below the balanced totals of the form. The figures are checked by hand in
    ``tests/finance/test_calls.py`` (``test_amounts_used_by_the_rules``, ``test_indirect_cost_cap``,
    ``test_staff_base_for_the_flat_rate``, ``test_amount_to_change_is_rounded_up_to_the_cent``).
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
        lambda t: bool(_INDIRECT.search(fold_label(t)))
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
                lines["Précision"]
                .fillna("")
                .map(lambda t: fold_label(call.precision) in fold_label(t))
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
            f"au plus {format_percent(call.indirect_max)} {INDIRECT_BASE_LABELS[call.indirect_base]} "
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
        day = parse_date(dt.date.today() if as_of is None else as_of, "as_of")
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
    amounts = pd.Series(
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
    return ApplicationCheck(table, amounts, call, label, max_request)
