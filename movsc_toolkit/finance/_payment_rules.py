"""Payment rules of the plan de trésorerie: how a line's annual amount is paid month by month.

The internal API of :func:`movsc_toolkit.finance.cash_plan` (the plan de trésorerie of France
Active / CNAR Financement's fiche « Trésorerie : quelles solutions pour quels besoins ? »; the
rules themselves are the toolkit's own). Checked in
``tests/finance/test_cashflow.py::test_plan_hand_computed``, ``::test_delay_and_seasonality`` and
``::test_bad_rules``.

Rules
-----
A rule says how a line's annual amount is spread over the calendar months:

``"mensuel"``
    one twelfth every month;
``"mois+N"`` (``"M+1"``)
    one twelfth every month, paid N months later (the months before the plan's start are
    assumed identical to the same months of the budgeted year: stable activity);
``"trimestriel"``
    one quarter at the end of each quarter (March, June, September, December);
``"annuel:M"``
    everything in calendar month M (``"annuel:9"``: September);
``"aucun"``
    no cash (amortisations, provisions, fonds dédiés, contributions volontaires);
a ``{month: share}`` dict
    shares by calendar month (``{4: 0.5, 7: 0.5}``), summing to 1;
a list of 12 weights
    a seasonality (January … December), normalised to 1.

A rule can be combined with a delay as a tuple ``(rule, N)``. Rules are looked up by the longest
key the line's code starts with (``"64"`` applies to 641, 645 and 647 unless ``"645"`` is given).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ValidationError
from .cerfa import fold_label

__all__ = ["DEFAULT_RULES", "rule_for", "rule_weights", "spread"]

#: Default payment rules (a convention to adapt: see the module docstring).
DEFAULT_RULES: dict[str, Any] = {
    "60": "mensuel",
    "61": "mensuel",
    "616": "annuel:1",
    "62": "mensuel",
    "63": "mois+1",
    "64": "mensuel",
    "645": "mois+1",
    "65": "mensuel",
    "66": "mensuel",
    "67": "mensuel",
    "68": "aucun",
    "689": "aucun",
    "69": "annuel:5",
    "86": "aucun",
    "70": "mensuel",
    "73": "mensuel",
    "74": {4: 0.5, 7: 0.5},
    "75": "mensuel",
    "756": "annuel:9",
    "76": "annuel:12",
    "77": "mensuel",
    "78": "aucun",
    "789": "aucun",
    "79": "mensuel",
    "87": "aucun",
}


def rule_weights(rule: Any, code: str) -> tuple[np.ndarray, int] | None:
    """Turn a rule into (12 calendar-month weights summing to 1, delay in months)."""
    delay = 0
    if isinstance(rule, tuple) and len(rule) == 2 and isinstance(rule[1], int):
        rule, delay = rule
    if isinstance(rule, str):
        text = fold_label(rule).replace(" ", "")
        if text in {"aucun", "aucune", "non", "nondecaisse"}:
            return None
        if text == "mensuel":
            return np.full(12, 1 / 12), delay
        match = re.fullmatch(r"(?:mois|m)\+(\d+)", text)
        if match:
            return np.full(12, 1 / 12), delay + int(match.group(1))
        if text == "trimestriel":
            w = np.zeros(12)
            w[[2, 5, 8, 11]] = 0.25
            return w, delay
        match = re.fullmatch(r"annuel(\d{1,2})", text)
        if match and 1 <= int(match.group(1)) <= 12:
            w = np.zeros(12)
            w[int(match.group(1)) - 1] = 1.0
            return w, delay
        raise ValidationError(
            f"la règle de paiement « {rule} » de la ligne {code} n'est pas reconnue.",
            hint="règles possibles : 'mensuel', 'mois+1', 'trimestriel', 'annuel:9', 'aucun', "
            "un dictionnaire {mois: part} ou une liste de 12 poids.",
        )
    if isinstance(rule, Mapping):
        w = np.zeros(12)
        for month, share in rule.items():
            if not 1 <= int(month) <= 12:
                raise ValidationError(
                    f"la règle de la ligne {code} cite le mois {month} (les mois vont de 1 à 12)."
                )
            w[int(month) - 1] += float(share)
        if abs(w.sum() - 1) > 1e-6:
            raise ValidationError(
                f"les parts de la règle de la ligne {code} font {w.sum():.0%} au lieu de 100 %.",
                hint="par exemple {4: 0.5, 7: 0.5} pour deux versements de 50 %.",
            )
        return w, delay
    values = np.asarray(rule, dtype=float)
    if values.shape != (12,) or (values < 0).any() or values.sum() <= 0:
        raise ValidationError(
            f"la saisonnalité de la ligne {code} doit compter 12 poids positifs (janvier à "
            "décembre).",
        )
    return values / values.sum(), delay


def rule_for(code: str, rules: Mapping[str, Any]) -> Any:
    for key in sorted(rules, key=len, reverse=True):
        if code.startswith(key):
            return rules[key]
    return "mensuel"


def spread(amount: float, weights: np.ndarray, delay: int, months: list[pd.Period]) -> np.ndarray:
    """Payments falling in each plan month (accrual of calendar month m paid at m + delay)."""
    return np.array([amount * weights[(p.month - 1 - delay) % 12] for p in months])
