"""Calls for projects (*appels à projets*): the call's rules, read from a TOML file.

A call for projects is described in a small **TOML** file a teacher or a director writes in any
text editor (each call states its own rules; none is written in the code): two
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

The check of a budget against these rules is in :mod:`~movsc_toolkit.finance.application`,
the funding watch in :mod:`~movsc_toolkit.finance.funding_watch`, the export of the application
in :mod:`~movsc_toolkit.finance.dossier`.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import DataError, FileError, closest
from .._format import format_date, format_euro, format_percent
from .._parse import fold, parse_date
from .._report import titled_html
from ._amounts import to_amount
from .cerfa import code_of

__all__ = ["CallForProjects", "make_call", "read_call"]


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
#: How the base of the flat-rate indirect costs is said in a sentence.
INDIRECT_BASE_LABELS = {
    "couts directs": "des coûts directs éligibles",
    "personnel": "des frais de personnel directs éligibles",
}


@dataclass(frozen=True)
class CallForProjects:
    """A call for projects: who funds, which budget line, the dates and the rules.

    Amounts are in euros, rates in percent (``taux_max = 80.0`` for 80 %), dates are
    ``pandas.Timestamp``; ``None`` means the call sets no such rule. Build it with
    :func:`read_call` (TOML file) or :func:`make_call` (a dictionary of the same shape).

    A call is a value record: two calls with the same rules are equal (``==``), whatever the
    file they were read from.

    Attributes
    ----------
    name, funder, url
        The call's name, its funder and the address of its page.
    line, precision
        The CERFA 12156 line (``"74 Département"``) and the *Précision* text of the budget
        that receive the requested subsidy.
    opening, deadline, start, end
        Opening and deadline of the call; start and end of the project it funds.
    min_amount, ceiling
        Smallest and largest subsidy the call grants (€).
    max_rate, max_public, min_self
        Largest co-financing rate (% of the eligible cost), largest share of public aid and
        smallest self-financing (% of the total cost).
    indirect_max, indirect_base
        Flat rate of indirect costs (%) and its base (``"couts directs"`` or ``"personnel"``).
    volunteering
        Whether the valuation of volunteering (86/87) may be shown.
    eligible, excluded
        Charge accounts or CERFA lines eligible or excluded (``("60", "64")``).
    path
        The TOML file read (not compared).

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> appel = finance.read_call(datasets.path("appel_a_projets", "appel_jeunesse.toml"))
    >>> appel.funder, appel.line, appel.max_rate, appel.ceiling
    ('Département des Coteaux', '74 Département', 70.0, 15000.0)
    >>> appel.deadline.date().isoformat()
    '2026-11-30'
    >>> appel == finance.make_call({"appel": {"nom": "Jeunesse et citoyenneté 2027"}})
    False
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
        """The call's rules as a French table, one row per rule the call states.

        Returns
        -------
        pandas.DataFrame
            Index ``Règle``, column ``Valeur`` (the rule written in French).

        Examples
        --------
        >>> from movsc_toolkit import finance
        >>> appel = finance.make_call({"appel": {"nom": "Fonds jeunesse"},
        ...                            "regles": {"plafond": 20000, "taux_max": 80}})
        >>> appel.to_frame().index.tolist()
        ['Appel', 'Financeur', 'Plafond de la subvention', 'Taux maximal de cofinancement']
        """
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
                    format_percent(self.indirect_max)
                    + " "
                    + INDIRECT_BASE_LABELS[self.indirect_base],
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

    Every rule is optional: only the rules the call states are checked later by
    :func:`~movsc_toolkit.finance.check_application`.

    Parameters
    ----------
    path
        The ``.toml`` file (UTF-8): a table ``[appel]`` (who, which budget line, the dates)
        and a table ``[regles]`` (the figures).

    Returns
    -------
    CallForProjects
        The call, its rules in euros, percent and dates.

    Raises
    ------
    FileError
        The file is missing or is not valid TOML (the line and column of the mistake).
    DataError
        An unknown table or key (the closest valid one is suggested), a value of the wrong
        kind (a rate given as ``0.8``, a date that is not a date, an unknown CERFA line…),
        with its line in the file.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> appel = finance.read_call(datasets.path("appel_a_projets", "appel_jeunesse.toml"))
    >>> print(str(appel).splitlines()[0])
    Appel à projets « Jeunesse et citoyenneté 2027 » (Département des Coteaux) :
    >>> appel.indirect_max, appel.indirect_base, appel.excluded
    (7.0, 'couts directs', ('66', '67', '68'))

    References
    ----------
    The rules are those the funders' calls state, read from each call; the flat rates of indirect
    costs follow Regulation (EU) 2021/1060, art. 54. ``tests/finance/test_calls.py::test_read_call``
    and ``test_read_call_errors_name_line_and_fix`` check the reading and the messages.
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

    Parameters
    ----------
    rules
        ``{"appel": {...}, "regles": {...}}`` with the keys of the TOML file (see the module's
        documentation); the values are checked as :func:`read_call` checks them.

    Returns
    -------
    CallForProjects
        The call.

    Examples
    --------
    >>> from movsc_toolkit.finance import make_call
    >>> appel = make_call({"appel": {"nom": "Fonds jeunesse", "ligne": "74 Département"},
    ...                    "regles": {"plafond": 20000, "taux_max": 80}})
    >>> appel.max_rate, appel.ceiling, appel.line
    (80.0, 20000.0, '74 Département')
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
        code = code_of(value) if isinstance(value, str | int) else None
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
