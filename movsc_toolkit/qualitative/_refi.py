"""Writing a REFI-QDA project (``.qdpx``): the corpus, codebook, coders, cases and coded
excerpts, in a zip that QualCoder, NVivo, ATLAS.ti and MAXQDA import.

Reference: REFI-QDA standard 1.5 (container ``project.qde`` + ``sources/``, §8; text
positions, §10.2) and the element order of its ``Project.xsd`` (QDA-XML 1.0). Written files
validate against the official schemas vendored in ``schema/`` (tests). Offsets are half-open
code-point positions (``text[start:end]``), as QualCoder writes and reads them.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from .. import __version__
from .._write import output_path
from ._codebook import code_elements
from ._common import text_of
from ._qda_xml import PROJECT_NS, guid, utc_stamp, write_refi_bytes, xml_bytes

if TYPE_CHECKING:
    from ._codings import Codings

__all__ = ["write_qdpx"]


def write_qdpx(
    codings: Codings,
    path: str | PathLike[str],
    *,
    name: str | None = None,
    date: dt.datetime | str | None = None,
) -> Path:
    """Write the corpus, codebook, coders, metadata and excerpts as a REFI-QDA ``.qdpx`` project.

    The project opens in QualCoder, NVivo, ATLAS.ti, MAXQDA (import of a REFI-QDA project).
    Each interview is a text source (UTF-8, no BOM, offsets in code points) and a case
    carrying the metadata as text variables; each coder is a user; each excerpt is a selection
    with one coding. GUIDs are derived from the names (re-exporting gives the same file);
    ``date`` (default: now, UTC) stamps the elements.

    Parameters
    ----------
    codings
        The coded interviews (:class:`Codings`).
    path
        The ``.qdpx`` file to write.
    name
        The project's name (default: the file name).
    date
        The creation date written in the project (default: now, in UTC).

    Returns
    -------
    pathlib.Path
        The file written.

    References
    ----------
    REFI-QDA Standard 1.5 (2019), *Codebook Exchange* and *Project Exchange* (QDA-XML
    ``Codebook.xsd`` and ``Project.xsd``, vendored in ``qualitative/schema/``). Files written
    validate against them and read back identically
    (``tests/qualitative/test_qualitative.py::test_qdc_valid_and_round_trip``,
    ``test_qdpx_valid_and_round_trip_lossless``).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> codage = quali.read_qdpx(datasets.path("entretiens_centre_social") / "entretiens_codes.qdpx")
    >>> chemin = quali.write_qdpx(codage, Path(tempfile.mkdtemp()) / "copie.qdpx")
    >>> len(quali.read_qdpx(chemin).excerpts) == len(codage.excerpts)
    True
    """
    target = output_path(path, (".qdpx",), "le projet REFI-QDA")
    stamp = utc_stamp(date)
    ET.register_namespace("", PROJECT_NS)

    def tag(n: str) -> str:
        return f"{{{PROJECT_NS}}}{n}"

    ex = codings.excerpts
    coders = codings.coders or ["codeur 1"]
    user_guid = {c: guid("user", c) for c in coders}
    root = ET.Element(
        tag("Project"),
        {
            "name": name or target.stem,
            "origin": f"movsc-toolkit {__version__}",
            "creatingUserGUID": user_guid[coders[0]],
            "creationDateTime": stamp,
        },
    )
    users = ET.SubElement(root, tag("Users"))
    for c in coders:
        ET.SubElement(users, tag("User"), {"guid": user_guid[c], "name": c})
    if len(codings.codebook):
        book = ET.SubElement(root, tag("CodeBook"))
        code_elements(ET.SubElement(book, tag("Codes")), codings.codebook, tag)
    meta = codings.corpus.metadata.reset_index(drop=True)
    variables = [str(c) for c in meta.columns]
    if variables:
        var_el = ET.SubElement(root, tag("Variables"))
        for v in variables:
            ET.SubElement(
                var_el,
                tag("Variable"),
                {"guid": guid("var", v), "name": v, "typeOfVariable": "Text"},
            )
    cases = ET.SubElement(root, tag("Cases"))
    for i, doc in enumerate(codings.documents):
        case = ET.SubElement(cases, tag("Case"), {"guid": guid("case", doc), "name": doc})
        for v in variables:
            value = text_of(meta.iloc[i][v])
            if not value:
                continue
            vv = ET.SubElement(case, tag("VariableValue"))
            ET.SubElement(vv, tag("VariableRef"), {"targetGUID": guid("var", v)})
            ET.SubElement(vv, tag("TextValue")).text = value
        ET.SubElement(case, tag("SourceRef"), {"targetGUID": guid("source", doc)})
    sources = ET.SubElement(root, tag("Sources"))
    texts = codings.corpus.texts
    files: list[tuple[str, bytes]] = []
    by_text = {t: g for t, g in ex.groupby("texte", sort=True)}
    for i, doc in enumerate(codings.documents):
        file_guid = guid("file", doc)
        files.append((f"sources/{file_guid}.txt", texts[i].encode("utf-8")))
        src = ET.SubElement(
            sources,
            tag("TextSource"),
            {
                "guid": guid("source", doc),
                "name": doc,
                "plainTextPath": f"internal://{file_guid}.txt",
                "creatingUser": user_guid[coders[0]],
                "creationDateTime": stamp,
            },
        )
        group = by_text.get(i)
        if group is None:
            continue
        seen: dict[tuple, int] = {}
        for row in group.itertuples(index=False):
            key = (row.début, row.fin, row.code, row.codeur)
            seen[key] = seen.get(key, 0) + 1
            sel = ET.SubElement(
                src,
                tag("PlainTextSelection"),
                {
                    "guid": guid("selection", doc, *key, seen[key]),
                    "name": row.extrait,
                    "startPosition": str(row.début),
                    "endPosition": str(row.fin),
                    "creatingUser": user_guid[row.codeur],
                    "creationDateTime": stamp,
                },
            )
            coding = ET.SubElement(
                sel,
                tag("Coding"),
                {
                    "guid": guid("coding", doc, *key, seen[key]),
                    "creatingUser": user_guid[row.codeur],
                    "creationDateTime": stamp,
                },
            )
            ET.SubElement(coding, tag("CodeRef"), {"targetGUID": guid("code", row.code)})
    if not len(sources):
        root.remove(sources)
    if not len(cases):
        root.remove(cases)
    members = [("project.qde", xml_bytes(root)), *files]

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members:
            info = zipfile.ZipInfo(member, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    write_refi_bytes(target, buffer.getvalue(), "le projet REFI-QDA")
    return target
