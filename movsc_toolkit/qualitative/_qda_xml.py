"""QDA-XML (REFI-QDA 1.0) building blocks shared by the ``.qdc`` and ``.qdpx`` readers and
writers: namespaces, deterministic GUIDs, dates, XML parsing and the problems rows.

Reference: REFI-QDA standard 1.5 (25 September 2019) and its QDA-XML 1.0 schemas
(``Project.xsd``, ``Codebook.xsd``, vendored in ``schema/``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pandas as pd

from .._errors import FormatError
from .._write import write_bytes
from ._common import text_of

__all__ = [
    "CODEBOOK_NS",
    "CONTEXT",
    "GUID_NAMESPACE",
    "PROJECT_NS",
    "child",
    "children",
    "guid",
    "local_name",
    "norm_guid",
    "parse_xml",
    "problem_row",
    "utc_stamp",
    "write_refi_bytes",
    "xml_bytes",
]


PROJECT_NS = "urn:QDA-XML:project:1.0"


CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


#: Namespace of the toolkit's deterministic GUIDs (uuid5): re-exports are identical.
GUID_NAMESPACE = uuid.UUID("6f1c1d9e-3b4a-5c2d-9e8f-0a1b2c3d4e5f")


CONTEXT = ("élément",)


def guid(kind: str, *key: object) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, kind + "\x1f" + "\x1f".join(map(str, key))))


def norm_guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def utc_stamp(date: dt.datetime | str | None) -> str:
    if isinstance(date, str):
        return date
    date = date or dt.datetime.now(dt.UTC)
    if date.tzinfo is not None:
        date = date.astimezone(dt.UTC).replace(tzinfo=None)
    return date.replace(microsecond=0).isoformat() + "Z"


def xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


def write_refi_bytes(target: Path, data: bytes, what: str) -> None:
    write_bytes(target, data, suffixes=(target.suffix.lower() or ".qdpx",), what=what)


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def children(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if local_name(c.tag) == name]


def child(element: ET.Element, name: str) -> ET.Element | None:
    found = children(element, name)
    return found[0] if found else None


def parse_xml(data: bytes, path: Path, member: str) -> ET.Element:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise FormatError(
            f"le fichier XML « {member} » est illisible ({exc}).",
            path=path,
            line=line,
            hint="le fichier est peut-être abîmé : exportez-le de nouveau depuis le logiciel.",
        ) from None


def problem_row(element: str, column: str, value: Any, gravity: str, message: str) -> dict:
    return {
        "élément": element,
        "ligne": pd.NA,
        "colonne": column,
        "valeur": text_of(value),
        "gravité": gravity,
        "message": message,
    }
