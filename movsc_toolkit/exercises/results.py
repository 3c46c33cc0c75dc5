"""What the self-checks answer: :class:`CheckResult` (``verifier``) and :class:`Hint` (``indice``)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from .._report import Report, result

__all__ = ["CheckResult", "Hint"]

# --------------------------------------------------------------------------- results

_ICON = {"juste": "✅", "faux": "❌", "vide": "✏️"}
_COLOUR = {"juste": "#1b7837", "faux": "#b2182b", "vide": "#6a6a6a"}


@result
class CheckResult(Report):
    """What ``verifier`` answers: a status (``juste``, ``faux``, ``vide``), a diagnosis code,
    a French message, the hint that follows the diagnosis and details (notes, reasons).

    ``bool(result)`` is ``True`` when the answer is right. In a notebook the verdict is shown
    as a coloured box (green, red or grey), the one display a student sees after each check.

    Examples
    --------
    >>> from movsc_toolkit.exercises import CheckResult
    >>> result = CheckResult("exemple", "faux", "Pas encore : le signe est inversé.", "relisez")
    >>> print(result)
    ❌ [exemple] Pas encore : le signe est inversé.
       Indice : relisez
    >>> bool(result)
    False
    >>> result.to_frame()
            statut                             message  indice diagnostic
    question
    exemple   faux  Pas encore : le signe est inversé.  relisez
    """

    id: str
    status: str
    message: str
    hint: str | None = None
    diagnosis: str = ""
    details: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """``True`` when the answer is right."""
        return self.status == "juste"

    def __bool__(self) -> bool:
        return self.ok

    def _lines(self) -> list[str]:
        lines = [f"{_ICON[self.status]} [{self.id}] {self.message}"]
        lines += [f"   • {line}" for line in self.details]
        if self.hint:
            lines.append(f"   Indice : {self.hint}")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """The verdict as a one-row table (``statut``, ``message``, ``indice``, ``diagnostic``)."""
        frame = pd.DataFrame(
            {
                "statut": [self.status],
                "message": [self.message],
                "indice": [self.hint or ""],
                "diagnostic": [self.diagnosis],
            },
            index=pd.Index([self.id], name="question"),
        )
        return frame

    def _repr_html_(self) -> str:
        # the student's feedback box (coloured by the verdict), not the tables of a report
        body = f"<strong>{_ICON[self.status]} {html.escape(self.message)}</strong>"
        if self.details:
            items = "".join(f"<li>{html.escape(line)}</li>" for line in self.details)
            body += f'<ul style="margin:2px 0">{items}</ul>'
        if self.hint:
            body += f"<br><em>Indice :</em> {html.escape(self.hint)}"
        return (
            f'<div style="border-left:4px solid {_COLOUR[self.status]};padding:4px 8px">'
            f"<small>{html.escape(self.id)}</small><br>{body}</div>"
        )


@dataclass(frozen=True)
class Hint:
    """A hint shown by ``indice``: its text, its level and how many hints the exercise has.

    Examples
    --------
    >>> from movsc_toolkit.exercises import Hint
    >>> print(Hint("exemple", 1, 3, "Relisez l'énoncé."))
    💡 Indice 1/3 [exemple] : Relisez l'énoncé.
    """

    id: str
    level: int
    total: int
    text: str

    def __str__(self) -> str:
        return f"💡 Indice {self.level}/{self.total} [{self.id}] : {self.text}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return (
            '<div style="border-left:4px solid #E69F00;padding:4px 8px">'
            f"💡 <strong>Indice {self.level}/{self.total}</strong> "
            f"<small>({html.escape(self.id)})</small><br>{html.escape(self.text)}</div>"
        )
