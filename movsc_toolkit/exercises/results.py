"""What the self-checks answer: :class:`CheckResult` (``verifier``) and :class:`Hint` (``indice``)."""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["CheckResult", "Hint"]

# --------------------------------------------------------------------------- results

_ICON = {"juste": "✅", "faux": "❌", "vide": "✏️"}
_COLOUR = {"juste": "#1b7837", "faux": "#b2182b", "vide": "#6a6a6a"}


@dataclass(frozen=True)
class CheckResult:
    """What ``verifier`` answers: a status (``juste``, ``faux``, ``vide``), a diagnosis code,
    a French message, the hint that follows the diagnosis and details (notes, reasons)."""

    id: str
    status: str
    message: str
    hint: str | None = None
    diagnosis: str = ""
    details: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "juste"

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        text = f"{_ICON[self.status]} [{self.id}] {self.message}"
        for line in self.details:
            text += f"\n   • {line}"
        if self.hint:
            text += f"\n   Indice : {self.hint}"
        return text

    __repr__ = __str__

    def _repr_html_(self) -> str:
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
    """A hint shown by ``indice``."""

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
