"""Walking a notebook: its title, the cells and outputs that go into the annex, captions of the
figures, images embedded, cells in error.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .sanitize import scrub_paths

# --------------------------------------------------------------------------- notebook walk

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_AXES_TITLE = re.compile(r"title=\{'center': '((?:[^'\\]|\\.)+)'")
_SUPTITLE = re.compile(r"<Figure size[^>]*>")


def _clean_heading(text: str) -> str:
    return re.sub(r"[*_`]", "", text).strip()


def _caption_heading(text: str) -> str:
    """A heading as a caption: without its section number (« 2. Le tri à plat »)."""
    return re.sub(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+", "", text)


_SOURCE_TITLE = re.compile(r"""(?:set_title|plt\.title|suptitle)\(\s*[rf]?(["'])(.+?)\1""")


def notebook_title(nb: object, path: Path) -> str:
    """The notebook's title: its first Markdown heading, else its file name."""
    for cell in getattr(nb, "cells", []):
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = _HEADING.match(line)
            if match:
                return _clean_heading(match.group(2))
    return path.stem


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


@dataclass
class Block:
    """One piece of the annex, in reading order."""

    kind: str  # "markdown", "code", "text", "html", "image", "error"
    content: str = ""
    mime: str = ""
    caption: str = ""
    number: int = 0
    cell: int = 0


@dataclass
class Annex:
    title: str
    blocks: list[Block] = field(default_factory=list)


def error_cells(nb: Any) -> list[tuple[int, str]]:
    found = []
    code_number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        code_number += 1
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                message = _ANSI.sub("", f"{output.get('ename', '')}: {output.get('evalue', '')}")
                found.append((code_number, scrub_paths(message.strip(": "))))
    return found


def _caption_from_outputs(outputs: list) -> list[str]:
    titles = []
    for output in outputs:
        plain = _text(output.get("data", {}).get("text/plain", "")) if "data" in output else ""
        titles += [t.replace("\\'", "'") for t in _AXES_TITLE.findall(plain)]
    return titles


_IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
}
_MD_IMAGE = re.compile(r"(!\[[^\]]*\]\(\s*<?)([^)\s>]+)(>?(?:\s+\"[^\"]*\")?\s*\))")
_HTML_IMAGE = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*["'])([^"']+)(["'])""", re.I)


def _embed_images(text: str, attachments: dict, folder: Path | None) -> str:
    """Pictures of a Markdown cell as ``data:`` URIs: cell attachments (pasted into
    JupyterLab) and image files next to the notebook. Anything else is left for the sanitiser
    to drop (nothing is fetched from the network)."""

    def uri(target: str) -> str | None:
        if target.startswith("attachment:"):
            bundle = attachments.get(target.split(":", 1)[1], {})
            for mime in ("image/png", "image/jpeg", "image/gif"):
                if mime in bundle:
                    return f"data:{mime};base64,{_text(bundle[mime]).strip()}"
            return None
        if folder is None or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            return None
        path = (folder / target).resolve()
        image_type = _IMAGE_TYPES.get(path.suffix.lower())
        if image_type and path.is_file() and path.stat().st_size <= 20_000_000:
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            return f"data:{image_type};base64,{data}"
        return None

    def replace(match: re.Match) -> str:
        found = uri(match.group(2))
        return match.group(0) if found is None else match.group(1) + found + match.group(3)

    return _HTML_IMAGE.sub(replace, _MD_IMAGE.sub(replace, text))


def collect(nb: Any, title: str, *, code: bool, folder: Path | None = None) -> Annex:
    annex = Annex(title)
    heading = ""
    figures = 0
    code_number = 0
    for cell in nb.cells:
        source = _text(cell.source)
        if cell.cell_type == "markdown":
            for line in source.splitlines():
                match = _HEADING.match(line)
                if match:
                    heading = _clean_heading(match.group(2))
            attachments = cell.get("attachments") or {}
            annex.blocks.append(Block("markdown", _embed_images(source, attachments, folder)))
            continue
        if cell.cell_type != "code":
            continue
        code_number += 1
        if code and source.strip():
            annex.blocks.append(Block("code", scrub_paths(source), cell=code_number))
        outputs = cell.get("outputs", [])
        titles = _caption_from_outputs(outputs) or [
            m.group(2) for m in _SOURCE_TITLE.finditer(source) if "{" not in m.group(2)
        ]
        for output in outputs:
            kind = output.get("output_type")
            if kind == "stream":
                text = scrub_paths(_ANSI.sub("", _text(output.get("text"))))
                if text.strip():
                    annex.blocks.append(Block("text", text, mime=output.get("name", "stdout")))
            elif kind == "error":
                message = _ANSI.sub("", f"{output.get('ename', '')}: {output.get('evalue', '')}")
                annex.blocks.append(
                    Block("error", scrub_paths(message.strip(": ")), cell=code_number)
                )
            elif kind in {"display_data", "execute_result"}:
                data = output.get("data", {})
                image = next((m for m in ("image/png", "image/jpeg") if m in data), None)
                if image:
                    figures += 1
                    caption = titles.pop(0) if titles else _caption_heading(heading)
                    annex.blocks.append(
                        Block(
                            "image",
                            _text(data[image]).replace("\n", ""),
                            mime=image,
                            caption=caption,
                            number=figures,
                        )
                    )
                elif "text/html" in data:
                    annex.blocks.append(Block("html", scrub_paths(_text(data["text/html"]))))
                elif "text/markdown" in data:
                    annex.blocks.append(Block("markdown", _text(data["text/markdown"])))
                elif "image/svg+xml" in data:
                    figures += 1
                    svg = _text(data["image/svg+xml"]).encode("utf-8")
                    annex.blocks.append(
                        Block(
                            "image",
                            base64.b64encode(svg).decode("ascii"),
                            mime="image/svg+xml",
                            caption=titles.pop(0) if titles else _caption_heading(heading),
                            number=figures,
                        )
                    )
                elif "text/plain" in data:
                    plain = _text(data["text/plain"])
                    if _SUPTITLE.fullmatch(plain.strip()) or _AXES_TITLE.search(plain):
                        continue  # the repr of a figure whose picture is shown
                    if re.fullmatch(r"<(Axes|Figure|matplotlib)[^>]*>", plain.strip()):
                        continue
                    annex.blocks.append(Block("text", scrub_paths(plain), mime="plain"))
    return annex


def refusal(errors: list[tuple[int, str]]) -> str:
    listed = " ; ".join(f"cellule n° {n} ({message})" for n, message in errors[:5])
    more = f" ; et {len(errors) - 5} autre(s)" if len(errors) > 5 else ""
    return (
        f"ce carnet contient {len(errors)} cellule(s) en erreur : {listed}{more}. Une annexe "
        "avec des erreurs ne peut pas être remise telle quelle."
    )
