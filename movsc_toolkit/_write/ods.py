"""ODS (LibreOffice Calc) workbooks written directly as OpenDocument XML."""

from __future__ import annotations

import datetime as _dt
import functools
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr as xml_quoteattr

import numpy as np
import pandas as pd

from .files import atomic_write
from .guard import Notes, cell_value
from .layout import FormatRule, column_formats, column_width, frozen_pane

# --------------------------------------------------------------------------- ods


_OFFICE_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'office:version="1.2"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _ods_settings(panes: Mapping[str, str | None]) -> str:
    """settings.xml with LibreOffice's frozen panes (``"B2"``: first row and column)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    def item(name: str, kind: str, value: object) -> str:
        return f'<config:config-item config:name="{name}" config:type="{kind}">{value}</config:config-item>'

    entries = []
    for sheet, pane in panes.items():
        if not pane:
            continue
        letters, row = coordinate_from_string(pane)
        cols, rows = column_index_from_string(letters) - 1, row - 1
        entries.append(
            f"<config:config-item-map-entry config:name={xml_quoteattr(sheet)}>"
            + item("HorizontalSplitMode", "short", 2 if cols else 0)
            + item("VerticalSplitMode", "short", 2 if rows else 0)
            + item("HorizontalSplitPosition", "int", cols)
            + item("VerticalSplitPosition", "int", rows)
            + item("ActiveSplitRange", "short", (2 if rows else 0) + (1 if cols else 0))
            + item("PositionLeft", "int", 0)
            + item("PositionRight", "int", cols)
            + item("PositionTop", "int", 0)
            + item("PositionBottom", "int", rows)
            + "</config:config-item-map-entry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-settings '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" office:version="1.2">'
        '<office:settings><config:config-item-set config:name="ooo:view-settings">'
        '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
        + item("ViewId", "string", "view1")
        + '<config:config-item-map-named config:name="Tables">'
        + "".join(entries)
        + "</config:config-item-map-named></config:config-item-map-entry>"
        "</config:config-item-map-indexed></config:config-item-set></office:settings>"
        "</office:document-settings>"
    )


_ODS_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_OFFICE_NS}>'
    "<office:styles/></office:document-styles>"
)
_SPACES = re.compile(r" {2,}|^ | $|\t")


def _ods_spaces(match: re.Match[str]) -> str:
    run = match.group(0)
    if run == "\t":
        return "<text:tab/>"
    start, end = match.start() == 0, match.end() == len(match.string)
    if start or end or len(run) == 1:
        return f'<text:s text:c="{len(run)}"/>'
    return f' <text:s text:c="{len(run) - 1}"/>'


def _ods_text(text: str) -> str:
    """Text as ``<text:p>`` paragraphs: one per line, spaces and tabs kept (ODF rules)."""
    out = []
    for line in text.replace("\r\n", "\n").split("\n"):
        escaped = _SPACES.sub(_ods_spaces, xml_escape(line)).replace("\r", "&#13;")
        out.append(f"<text:p>{escaped}</text:p>")  # a lone \r kept as LibreOffice does
    return "".join(out)


def _ods_data_style(fmt: str, name: str) -> str:
    """The ODS data style for one of the Excel formats used by the toolkit."""
    if fmt.upper().startswith("DD/MM"):
        return (
            f'<number:date-style style:name="{name}"><number:day number:style="long"/>'
            '<number:text>/</number:text><number:month number:style="long"/>'
            '<number:text>/</number:text><number:year number:style="long"/>'
            "</number:date-style>"
        )
    first = fmt.split(";")[0]
    digits = first.split(".")[1] if "." in first else ""
    decimals = len(digits) - len(digits.lstrip("0#"))
    grouping = "true" if "," in first.split(".")[0] else "false"
    suffix = re.search(r'"([^"]*)"', first)
    text = f"<number:text> {xml_escape(suffix.group(1).strip())}</number:text>" if suffix else ""
    return (
        f'<number:number-style style:name="{name}"><number:number '
        f'number:decimal-places="{decimals}" number:min-integer-digits="1" '
        f'number:grouping="{grouping}"/>{text}</number:number-style>'
    )


class _OdsStyles:
    """Cell styles (data format × bold × header) created as they are needed."""

    def __init__(self, header_fill: str | None) -> None:
        self.xml: list[str] = []
        self.names: dict[tuple[str | None, bool, bool], str] = {}
        self.header_fill = header_fill
        self.columns: dict[float, str] = {}

    def cell(self, fmt: str | None, bold: bool = False, header: bool = False) -> str | None:
        key = (fmt, bold, header)
        if key == (None, False, False):
            return None
        if key not in self.names:
            name = f"ce{len(self.names) + 1}"
            data = ""
            if fmt:
                self.xml.append(_ods_data_style(fmt, f"{name}d"))
                data = f' style:data-style-name="{name}d"'
            props = ""
            if header:
                fill = f' fo:background-color="#{self.header_fill}"' if self.header_fill else ""
                props = f'<style:table-cell-properties fo:wrap-option="wrap"{fill}/>'
            text = '<style:text-properties fo:font-weight="bold"/>' if bold or header else ""
            self.xml.append(
                f'<style:style style:name="{name}" style:family="table-cell"{data}>'
                f"{props}{text}</style:style>"
            )
            self.names[key] = name
        return self.names[key]

    def column(self, width: float) -> str:
        width = round(width, 1)
        if width not in self.columns:
            name = f"co{len(self.columns) + 1}"
            self.xml.append(
                f'<style:style style:name="{name}" style:family="table-column">'
                f'<style:table-column-properties style:column-width="{width * 0.21:.2f}cm"/>'
                "</style:style>"
            )
            self.columns[width] = name
        return self.columns[width]


def _ods_cell(value: Any, style: str | None, notes: Notes, where: Callable[[], str]) -> str:
    value = cell_value(value)
    attr = f' table:style-name="{style}"' if style else ""
    if value is None or value == "":
        return f"<table:table-cell{attr}/>"
    if isinstance(value, str):
        text = notes.text(value, where, None)
        return f'<table:table-cell office:value-type="string"{attr}>{_ods_text(text)}</table:table-cell>'
    if isinstance(value, bool):
        flag = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}"{attr}>'
            f"<text:p>{'VRAI' if value else 'FAUX'}</text:p></table:table-cell>"
        )
    if isinstance(value, _dt.datetime | _dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"'
            f"{attr}><text:p>{value.strftime('%d/%m/%Y')}</text:p></table:table-cell>"
        )
    if isinstance(value, _dt.time):
        return (
            f'<table:table-cell office:value-type="string"{attr}>'
            f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
        )
    number = repr(float(value))
    return (
        f'<table:table-cell office:value-type="float" office:value="{number}"{attr}>'
        f"<text:p>{str(value).replace('.', ',')}</text:p></table:table-cell>"
    )


def write_ods(
    target: Path,
    frames: list[tuple[str, pd.DataFrame, int]],
    *,
    what: str,
    number_formats: FormatRule | None,
    widths: Mapping[str, float] | None,
    header_fill: str | None,
    bold_rows: Sequence[str],
    freeze: str | Mapping[str, str | None] | None = None,
) -> None:
    """Write the sheets as an OpenDocument spreadsheet, XML generated directly.

    Every text is a ``office:value-type="string"`` cell (never ``table:formula``); odfpy's
    element tree is avoided because it is several times slower on large tables.
    """
    notes = Notes(what[0].upper() + what[1:], target)
    styles = _OdsStyles(header_fill)
    tables: list[str] = []
    for name, frame, _ in frames:
        columns = list(frame.columns)
        parts = [f"<table:table table:name={xml_quoteattr(name)}>"]
        for col in columns:
            width = float((widths or {}).get(col) or column_width(col, frame[col]))
            parts.append(f'<table:table-column table:style-name="{styles.column(width)}"/>')
        head = styles.cell(None, header=True)
        parts.append("<table:table-row>")
        for j, col in enumerate(columns):
            parts.append(
                _ods_cell(
                    col,
                    head,
                    notes,
                    functools.partial("feuille « {} », en-tête {}".format, name, j + 1),
                )
            )
        parts.append("</table:table-row>")
        formats = column_formats(frame, number_formats)
        bold_mask = np.zeros(len(frame), dtype=bool)
        if bold_rows and columns and not pd.api.types.is_numeric_dtype(frame[columns[0]]):
            bold_mask = frame[columns[0]].astype(str).str.strip().isin(bold_rows).to_numpy()
        plain = [styles.cell(formats[col]) for col in columns]
        data = frame.to_numpy(dtype=object)
        for i in range(data.shape[0]):
            row_styles = (
                [styles.cell(formats[c], bold=True) for c in columns] if bold_mask[i] else plain
            )
            parts.append("<table:table-row>")
            for j, col in enumerate(columns):
                parts.append(
                    _ods_cell(
                        data[i, j],
                        row_styles[j],
                        notes,
                        functools.partial(
                            "feuille « {} », ligne {}, colonne « {} »".format, name, i + 2, col
                        ),
                    )
                )
            parts.append("</table:table-row>")
        parts.append("</table:table>")
        tables.append("".join(parts))
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_OFFICE_NS}>'
        f"<office:automatic-styles>{''.join(styles.xml)}</office:automatic-styles>"
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    notes.report()
    with atomic_write(target, what) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )  # first and stored, as the format requires
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", _ODS_STYLES, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content.encode("utf-8"), zipfile.ZIP_DEFLATED)
        panes = {name: frozen_pane(freeze, name, n_index) for name, _, n_index in frames}
        archive.writestr("settings.xml", _ods_settings(panes), zipfile.ZIP_DEFLATED)
