"""The French sentences of a board presentation, written from the figures.

Internal to :mod:`~movsc_toolkit.finance.presentation`: one sentence per total, one on the
result, one per variation to comment (the sign, the amount, the percentage, and the gap to the
actual N−1 when it is known).
"""

from __future__ import annotations

from typing import Any

from .._format import format_euro
from ._board_documents import signed_percent
from .cerfa import CHARGES

__all__ = ["label_lower", "result_sentence", "total_sentence", "variation_sentence"]


def label_lower(label: str) -> str:
    """``"64 – Charges de personnel"`` → ``"les charges de personnel (64)"``."""
    if " – " in label:
        code, name = label.split(" – ", 1)
        return f"« {name} » ({code})"
    return f"« {label} »"


def variation_sentence(
    label: str, section: str, new: float, old: float, real: float | None, years: tuple
) -> str:
    """The sentence explaining one variation of a rubrique, with the actual N−1 if known."""
    n1, n, n_1 = (str(y) if y else w for y, w in zip(years, ("N+1", "N", "N−1"), strict=True))
    what = label_lower(label)
    if abs(old) < 0.005:
        kind = "nouvelle charge" if section == CHARGES else "nouvelle ressource"
        text = f"{what} : {kind} de {format_euro(new)} au budget {n1} (rien au budget {n})."
    elif abs(new) < 0.005:
        text = f"{what} : {format_euro(old)} au budget {n}, plus rien au budget {n1}."
    else:
        delta = new - old
        word = "une hausse" if delta > 0 else "une baisse"
        text = (
            f"{what} passe de {format_euro(old)} au budget {n} à {format_euro(new)} au budget "
            f"{n1} : {word} de {format_euro(abs(delta))} ({signed_percent(100 * delta / abs(old))})."
        )
    if real is not None:
        text += f" Réalisé {n_1} : {format_euro(real)}."
        if abs(new) >= 0.005 and abs(real) >= 0.005:
            gap = new - real
            if abs(gap) >= 0.005:
                rel = "au-dessus" if gap > 0 else "en dessous"
                text += (
                    f" Le budget {n1} est {format_euro(abs(gap))} {rel} du réalisé {n_1} "
                    f"({signed_percent(100 * gap / abs(real))})."
                )
    return text


def total_sentence(label: str, new: float, old: float, years: tuple) -> str:
    """The sentence on a total (charges or produits) from budget N to budget N+1."""
    n1, n = (str(y) if y else w for y, w in zip(years[:2], ("N+1", "N"), strict=True))
    delta = new - old
    if abs(delta) < 0.005:
        return f"Le {label} est stable : {format_euro(new)} aux budgets {n} et {n1}."
    word = "hausse" if delta > 0 else "baisse"
    pct = f" ({signed_percent(100 * delta / abs(old))})" if abs(old) >= 0.005 else ""
    return (
        f"Le {label} passe de {format_euro(old)} au budget {n} à {format_euro(new)} au budget "
        f"{n1}, en {word} de {format_euro(abs(delta))}{pct}."
    )


def result_sentence(result: float, year: Any) -> str:
    """The sentence on the result of the budget N+1 (balanced, surplus or deficit)."""
    y = year or "N+1"
    if abs(result) < 0.5:
        return f"Le budget {y} est présenté à l'équilibre."
    if result > 0:
        return f"Le budget {y} est présenté en excédent de {format_euro(result)}."
    return (
        f"Le budget {y} est présenté en déficit de {format_euro(-result)} : dites au conseil "
        "comment il sera financé (réserves, économies, nouvelles ressources)."
    )
