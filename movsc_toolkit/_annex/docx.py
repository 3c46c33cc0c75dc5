"""The annex as a Word document (python-docx), built from the sanitised HTML."""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser
from typing import Any

# --------------------------------------------------------------------------- Word


class _DocxBuilder(HTMLParser):
    """Turns the sanitised annex body into python-docx paragraphs, tables and pictures."""

    BLOCKS = frozenset(
        {"p", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption"}
    )

    def __init__(self, document: Any) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = document
        self.stack: list[str] = []
        self.text: list[str] = []
        self.runs: list[tuple[str, bool, bool]] = []
        self.bold = 0
        self.italic = 0
        self.table: list[list[str]] | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.header_rows = 0
        self.tables = 0
        self.skip = 0
        self.box = False
        self._span = 1
        self.table_caption: list[str] = []

    # -- helpers
    def _flush(self, tag: str) -> None:
        if not self.runs or not "".join(r[0] for r in self.runs).strip():
            self.runs = []
            return
        style = None
        if tag.startswith("h") and len(tag) == 2:
            level = min(int(tag[1]), 4)
            paragraph = self.doc.add_heading(level=level)
        elif tag == "li":
            paragraph = self.doc.add_paragraph(style="List Bullet")
        elif tag in {"caption", "figcaption"}:
            style = "Caption"
            paragraph = self.doc.add_paragraph(style=style)
        else:
            paragraph = self.doc.add_paragraph()
        for text, bold, italic in self.runs:
            run = paragraph.add_run(text)
            run.bold = bold or None
            run.italic = italic or None
            if tag == "pre":
                from docx.shared import Pt

                run.font.name = "Courier New"
                run.font.size = Pt(8)
            if self.box:
                from docx.shared import RGBColor

                run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
        self.runs = []

    def _current_block(self) -> str:
        for tag in reversed(self.stack):
            if tag in self.BLOCKS:
                return tag
        return "p"

    # -- parser events
    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "style":
            self.skip += 1
            return
        if tag in {"br"}:
            self._data("\n")
            return
        if tag == "img":
            self._picture(attributes.get("src", ""))
            return
        if tag == "div" and "erreur" in (attributes.get("class") or ""):
            self.box = True
        if tag == "table":
            self._flush(self._current_block())
            self.table, self.header_rows, self.table_caption = [], 0, []
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in {"td", "th"} and self.row is not None:
            self.cell = []
            span = str(attributes.get("colspan") or "1")
            self._span = int(span) if span.isdigit() else 1
        elif (tag in self.BLOCKS or tag in {"ul", "ol", "div", "figure"}) and self.table is None:
            self._flush(self._current_block())
        if tag in {"b", "strong", "th"}:
            self.bold += 1
        if tag in {"i", "em"}:
            self.italic += 1
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.skip = max(0, self.skip - 1)
            return
        if tag in {"b", "strong", "th"}:
            self.bold = max(0, self.bold - 1)
        if tag in {"i", "em"}:
            self.italic = max(0, self.italic - 1)
        if tag in {"td", "th"} and self.cell is not None and self.row is not None:
            text = " ".join("".join(self.cell).split())
            self.row += [text] + [""] * (getattr(self, "_span", 1) - 1)
            self.cell = None
        elif tag == "tr" and self.row is not None and self.table is not None:
            if self.row:
                self.table.append(self.row)
                if "thead" in self.stack:
                    self.header_rows += 1
            self.row = None
        elif tag == "table" and self.table is not None:
            self._add_table()
            self.table = None
        elif tag in self.BLOCKS and self.table is None:
            self._flush(tag)
        elif tag == "div" and self.box:
            self._flush("p")
            self.box = False
        if tag in self.stack:
            index = len(self.stack) - 1 - self.stack[::-1].index(tag)
            del self.stack[index:]

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self._data(data)

    def _data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif self.table is not None and "caption" in self.stack:
            self.table_caption.append(data)
        elif self.table is None:
            keep = data if "pre" in self.stack else re.sub(r"\s+", " ", data)
            self.runs.append((keep, self.bold > 0, self.italic > 0))

    def _add_table(self) -> None:
        rows = [r for r in self.table or [] if any(c.strip() for c in r)]
        if not rows:
            return
        width = max(len(r) for r in rows)
        caption = " ".join("".join(self.table_caption).split())
        if caption:
            self.doc.add_paragraph(caption, style="Caption")
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        from docx.shared import Pt

        size = Pt(9 if width <= 6 else 7 if width <= 10 else 6)
        bold_rows = max(self.header_rows, 1)
        for i, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
            for j, cell in enumerate(row.cells):
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(values[j] if j < len(values) else "")
                run.font.size = size
                if i < bold_rows:
                    run.bold = True
        self.tables += 1
        self.doc.add_paragraph()

    def _picture(self, src: str) -> None:
        match = re.match(r"data:image/(png|jpeg);base64,(.+)", src, re.S)
        self._flush(self._current_block())
        if not match:
            self.doc.add_paragraph("[figure au format SVG : voir l'annexe HTML]")
            return
        from docx.shared import Cm

        self.doc.add_picture(io.BytesIO(base64.b64decode(match.group(2))), width=Cm(15))


def docx_bytes(page: str, title: str) -> tuple[bytes, int]:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.language = "fr-FR"
    body = page.split("<body>", 1)[-1].rsplit("</body>", 1)[0]
    builder = _DocxBuilder(document)
    builder.feed(body)
    builder.close()
    builder._flush("p")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), builder.tables
