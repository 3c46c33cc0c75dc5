"""REFI-QDA exchange: ``.qdpx`` projects and ``.qdc`` codebooks (QDA-XML 1.0).

Reference: ``qualitative.md`` §1 (container, element order, GUIDs, offsets and line endings).
Written files validate against the official schemas vendored in ``schema/`` (tests). Offsets
are half-open code-point positions (``text[start:end]``), as QualCoder writes and reads them.
On import: the ``.qde`` is found whatever its name, ``sources/`` whatever its case, GUIDs are
compared case-insensitively without braces, a leading BOM is removed and CRLF line endings are
turned into LF, the offsets being shifted when the exporting tool counted ``\\r\\n`` as two
characters (decided with the selected text stored in each selection's ``name`` when present,
otherwise by the tool: NVivo counts two, ATLAS.ti, MAXQDA and QualCoder one).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zipfile
from os import PathLike
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from .. import __version__
from .._errors import FileError, FormatError
from .._write import output_path, write_bytes
from ..lexico.corpus import Corpus
from ._codebook import _DESCRIPTION_FIELDS, Codebook
from ._codings import Codings, document_names
from ._common import problems_frame, text_of

__all__ = ["read_qdc", "read_qdpx", "write_qdc", "write_qdpx"]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: Namespace of the toolkit's deterministic GUIDs (uuid5): re-exports are identical.
GUID_NAMESPACE = uuid.UUID("6f1c1d9e-3b4a-5c2d-9e8f-0a1b2c3d4e5f")
_CONTEXT = ("élément",)


def _guid(kind: str, *key: object) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, kind + "\x1f" + "\x1f".join(map(str, key))))


def _norm_guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def _utc(date: dt.datetime | str | None) -> str:
    if isinstance(date, str):
        return date
    date = date or dt.datetime.now(dt.UTC)
    if date.tzinfo is not None:
        date = date.astimezone(dt.UTC).replace(tzinfo=None)
    return date.replace(microsecond=0).isoformat() + "Z"


# --------------------------------------------------------------------------------------------
# writing


def _code_elements(parent: ET.Element, codebook: Codebook, tag, with_description=True) -> None:
    table = codebook.table
    children: dict[str, list[int]] = {}
    for i, p in enumerate(table["Parent"]):
        children.setdefault(p, []).append(i)

    def add(node: ET.Element, parent_name: str) -> None:
        for i in children.get(parent_name, []):
            row = table.iloc[i]
            attrs = {
                "guid": _guid("code", row["Code"]),
                "name": row["Code"],
                "isCodable": "true" if row["Codable"] else "false",
            }
            if row["Couleur"]:
                attrs["color"] = row["Couleur"]
            element = ET.SubElement(node, tag("Code"), attrs)
            description = codebook.description(row["Code"])
            if description and with_description:
                ET.SubElement(element, tag("Description")).text = description
            add(element, row["Code"])

    add(parent, "")


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


def write_qdc(codebook: Codebook, path: str | PathLike[str]) -> Path:
    """Write a codebook as a REFI-QDA ``.qdc`` file (valid against ``Codebook.xsd``).

    Definition, inclusion, exclusion and example go into each code's ``Description`` as
    labelled lines; themes are nested codes.
    """
    ET.register_namespace("", CODEBOOK_NS)

    def tag(name: str) -> str:
        return f"{{{CODEBOOK_NS}}}{name}"

    root = ET.Element(tag("CodeBook"), {"origin": f"movsc-toolkit {__version__}"})
    codes = ET.SubElement(root, tag("Codes"))
    _code_elements(codes, codebook, tag)
    if not len(codes):
        raise FormatError("la grille de codage est vide : rien à exporter.")
    target = output_path(path, (".qdc",), "la grille de codage REFI-QDA")
    _write_bytes(target, _xml_bytes(root), "la grille de codage REFI-QDA")
    return target


def _write_bytes(target: Path, data: bytes, what: str) -> None:
    write_bytes(target, data, suffixes=(target.suffix.lower() or ".qdpx",), what=what)


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

    Examples
    --------
    >>> codage.to_qdpx("mon_projet.qdpx")  # doctest: +SKIP
    """
    target = output_path(path, (".qdpx",), "le projet REFI-QDA")
    stamp = _utc(date)
    ET.register_namespace("", PROJECT_NS)

    def tag(n: str) -> str:
        return f"{{{PROJECT_NS}}}{n}"

    ex = codings.excerpts
    coders = codings.coders or ["codeur 1"]
    user_guid = {c: _guid("user", c) for c in coders}
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
        _code_elements(ET.SubElement(book, tag("Codes")), codings.codebook, tag)
    meta = codings.corpus.metadata.reset_index(drop=True)
    variables = [str(c) for c in meta.columns]
    if variables:
        var_el = ET.SubElement(root, tag("Variables"))
        for v in variables:
            ET.SubElement(
                var_el,
                tag("Variable"),
                {"guid": _guid("var", v), "name": v, "typeOfVariable": "Text"},
            )
    cases = ET.SubElement(root, tag("Cases"))
    for i, doc in enumerate(codings.documents):
        case = ET.SubElement(cases, tag("Case"), {"guid": _guid("case", doc), "name": doc})
        for v in variables:
            value = text_of(meta.iloc[i][v])
            if not value:
                continue
            vv = ET.SubElement(case, tag("VariableValue"))
            ET.SubElement(vv, tag("VariableRef"), {"targetGUID": _guid("var", v)})
            ET.SubElement(vv, tag("TextValue")).text = value
        ET.SubElement(case, tag("SourceRef"), {"targetGUID": _guid("source", doc)})
    sources = ET.SubElement(root, tag("Sources"))
    texts = codings.corpus.texts
    files: list[tuple[str, bytes]] = []
    by_text = {t: g for t, g in ex.groupby("texte", sort=True)}
    for i, doc in enumerate(codings.documents):
        file_guid = _guid("file", doc)
        files.append((f"sources/{file_guid}.txt", texts[i].encode("utf-8")))
        src = ET.SubElement(
            sources,
            tag("TextSource"),
            {
                "guid": _guid("source", doc),
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
                    "guid": _guid("selection", doc, *key, seen[key]),
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
                    "guid": _guid("coding", doc, *key, seen[key]),
                    "creatingUser": user_guid[row.codeur],
                    "creationDateTime": stamp,
                },
            )
            ET.SubElement(coding, tag("CodeRef"), {"targetGUID": _guid("code", row.code)})
    if not len(sources):
        root.remove(sources)
    if not len(cases):
        root.remove(cases)
    members = [("project.qde", _xml_bytes(root)), *files]
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members:
            info = zipfile.ZipInfo(member, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    _write_bytes(target, buffer.getvalue(), "le projet REFI-QDA")
    return target


# --------------------------------------------------------------------------------------------
# reading


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if _local(c.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _parse_xml(data: bytes, path: Path, member: str) -> ET.Element:
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


_FIELD_RE = re.compile(r"^(Définition|Inclusion|Exclusion|Exemple)\s*:\s?(.*)$")


def _codes_from(codes_el: ET.Element, problems: list[dict]) -> tuple[pd.DataFrame, dict[str, str]]:
    rows: list[dict[str, Any]] = []
    by_guid: dict[str, str] = {}
    names: set[str] = set()

    def walk(node: ET.Element, parent: str) -> None:
        for code in _children(node, "Code"):
            name = (code.get("name") or "").strip() or "(sans nom)"
            if name in names:
                new = f"{name} ({parent or 'racine'})"
                k = 2
                while new in names:
                    new = f"{name} ({k})"
                    k += 1
                problems.append(
                    _problem(
                        name, "Code", name, "alerte", f"nom de code en double, renommé « {new} »"
                    )
                )
                name = new
            names.add(name)
            by_guid[_norm_guid(code.get("guid"))] = name
            row: dict[str, Any] = {
                "Code": name,
                "Parent": parent,
                "Couleur": code.get("color") or "",
                "Codable": (code.get("isCodable") or "true").strip().lower() in ("true", "1"),
            }
            desc = _child(code, "Description")
            row.update(_split_description(desc.text if desc is not None else ""))
            rows.append(row)
            walk(code, name)

    walk(codes_el, "")
    return pd.DataFrame(rows), by_guid


def _split_description(text: str | None) -> dict[str, str]:
    text = (text or "").strip()
    if not text:
        return {}
    fields: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        match = _FIELD_RE.match(line)
        if match:
            current = match.group(1)
            fields[current] = [match.group(2)]
        elif current is not None:
            fields[current].append(line)
        else:
            return {"Définition": text}
    return {k: "\n".join(v).strip() for k, v in fields.items() if k in _DESCRIPTION_FIELDS}


def _problem(element: str, column: str, value: Any, gravity: str, message: str) -> dict:
    return {
        "élément": element,
        "ligne": pd.NA,
        "colonne": column,
        "valeur": text_of(value),
        "gravité": gravity,
        "message": message,
    }


def read_qdc(path: str | PathLike[str]) -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) exported by NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette."""
    p = Path(path)
    if not p.is_file():
        raise FileError("fichier introuvable.", path=p, hint="vérifiez le nom et le dossier.")
    root = _parse_xml(p.read_bytes(), p, p.name)
    if _local(root.tag) != "CodeBook":
        raise FormatError(
            f"ce fichier n'est pas une grille de codage REFI-QDA (élément racine « {_local(root.tag)} »).",
            path=p,
            hint="exportez la grille (« codebook ») au format .qdc depuis votre logiciel.",
        )
    codes = _child(root, "Codes")
    if codes is None or not _children(codes, "Code"):
        raise FormatError("la grille de codage ne contient aucun code.", path=p)
    table, _ = _codes_from(codes, [])
    return Codebook(table)


def _decode(raw: bytes) -> tuple[str, bool]:
    bom = raw.startswith(b"\xef\xbb\xbf")
    if bom:
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), bom
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), bom


def _docx_text(data: bytes) -> str:
    """Paragraphs of a Word document, one per line (as the REFI-QDA plain text)."""
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


def _shift_positions(text: str, positions: np.ndarray) -> np.ndarray:
    """Positions counted with CRLF as two characters → positions in the LF text."""
    crlf = np.array([m.start() for m in re.finditer("\r\n", text)], dtype=np.int64)
    # a position p in the CRLF text loses one for each "\r" before it
    return positions - np.searchsorted(crlf, positions, side="left")


def read_qdpx(path: str | PathLike[str], *, line_endings: str = "auto") -> Codings:
    """Read a REFI-QDA project (``.qdpx``) exported by QualCoder, NVivo, ATLAS.ti, MAXQDA…

    Text sources become the corpus (metadata: the case variables, plus ``document``, the
    source's name), users become coders, codings become excerpts. What cannot be used here
    (PDF, picture, audio or video sources, memos, links, sets, graphs, sources whose text is
    outside the project) is listed in ``codings.problems``, never silently dropped.

    Parameters
    ----------
    line_endings
        How the exporting tool counted a Windows line break (CRLF) in its offsets: ``"auto"``
        (checked against the selected texts, else by tool), ``"one"`` or ``"two"``.

    Examples
    --------
    >>> codage = read_qdpx("projet_qualcoder.qdpx")  # doctest: +SKIP
    >>> codage.problems  # doctest: +SKIP
    """
    p = Path(path)
    if not p.is_file():
        raise FileError("fichier introuvable.", path=p, hint="vérifiez le nom et le dossier.")
    try:
        zf = zipfile.ZipFile(p)
    except zipfile.BadZipFile:
        raise FormatError(
            "ce fichier n'est pas un projet REFI-QDA (.qdpx est une archive ZIP).",
            path=p,
            hint="exportez le projet au format REFI-QDA (.qdpx) depuis votre logiciel.",
        ) from None
    with zf:
        members = {info.filename: info for info in zf.infolist() if not info.is_dir()}
        qde = [m for m in members if m.lower().endswith(".qde") and "/" not in m.strip("/")]
        qde = qde or [m for m in members if m.lower().endswith(".qde")]
        if len(qde) != 1:
            raise FormatError(
                "le projet ne contient pas un (et un seul) fichier .qde"
                + (f" : {', '.join(qde)}" if qde else "")
                + ".",
                path=p,
                hint="exportez de nouveau le projet au format REFI-QDA.",
            )
        root = _parse_xml(zf.read(qde[0]), p, qde[0])
        lower_members = {m.lower(): m for m in members}

        def read_internal(ref: str) -> bytes | None:
            name = ref.split("://", 1)[1].strip("/")
            for candidate in (f"sources/{name}".lower(), name.lower()):
                if candidate in lower_members:
                    return zf.read(lower_members[candidate])
            base = name.lower().rsplit("/", 1)[-1]
            hits = [m for m in lower_members if m.rsplit("/", 1)[-1] == base]
            return zf.read(lower_members[hits[0]]) if len(hits) == 1 else None

        return _project(root, p, read_internal, line_endings)


def _project(root: ET.Element, p: Path, read_internal, line_endings: str) -> Codings:
    if _local(root.tag) != "Project":
        raise FormatError(
            f"le fichier .qde n'est pas un projet REFI-QDA (élément racine « {_local(root.tag)} »).",
            path=p,
        )
    origin = root.get("origin") or ""
    problems: list[dict[str, Any]] = []
    users = {
        _norm_guid(u.get("guid")): (u.get("name") or u.get("id") or u.get("guid") or "").strip()
        for u in _children(_child(root, "Users") or ET.Element("x"), "User")
    }
    book = _child(root, "CodeBook")
    codes_el = _child(book, "Codes") if book is not None else None
    if codes_el is not None:
        table, code_names = _codes_from(codes_el, problems)
    else:
        table, code_names = pd.DataFrame(columns=["Code"]), {}
    variables = {
        _norm_guid(v.get("guid")): (v.get("name") or "").strip()
        for v in _children(_child(root, "Variables") or ET.Element("x"), "Variable")
    }
    source_vars: dict[str, dict[str, str]] = {}

    def values_of(element: ET.Element) -> dict[str, str]:
        out = {}
        for vv in _children(element, "VariableValue"):
            ref = _child(vv, "VariableRef")
            if ref is None:
                continue
            name = variables.get(_norm_guid(ref.get("targetGUID")), "")
            value_el = next((c for c in vv if _local(c.tag).endswith("Value")), None)
            if name and value_el is not None:
                out[name] = (value_el.text or "").strip()
        return out

    for case in _children(_child(root, "Cases") or ET.Element("x"), "Case"):
        attrs = values_of(case)
        case_name = (case.get("name") or "").strip()
        if case_name:
            attrs = {"cas": case_name, **attrs}
        for ref in _children(case, "SourceRef"):
            source_vars.setdefault(_norm_guid(ref.get("targetGUID")), {}).update(attrs)
    texts: list[str] = []
    metas: list[dict[str, str]] = []
    names: list[str] = []
    rows: list[dict[str, Any]] = []
    sources = _child(root, "Sources")
    for src in list(sources) if sources is not None else []:
        kind = _local(src.tag)
        name = (src.get("name") or src.get("guid") or "").strip()
        if kind != "TextSource":
            problems.append(
                _problem(
                    name, kind, src.get("path") or "", "alerte", "source non textuelle ignorée"
                )
            )
            continue
        content = _child(src, "PlainTextContent")
        bom = False
        if content is not None and content.text is not None:
            text = content.text
        else:
            ref = src.get("plainTextPath") or ""
            raw = read_internal(ref) if ref.startswith("internal://") else None
            rich = src.get("richTextPath") or ""
            if (raw is None or not raw.strip()) and rich.lower().endswith(".docx"):
                # NVivo for Mac writes an empty .txt next to the .docx: take the Word text
                docx_bytes = read_internal(rich) if rich.startswith("internal://") else None
                if docx_bytes is not None:
                    raw = _docx_text(docx_bytes).encode("utf-8")
                    problems.append(
                        _problem(
                            name,
                            "richTextPath",
                            rich,
                            "alerte",
                            "texte brut absent : texte repris du document Word (vérifiez que "
                            "les extraits tombent au bon endroit)",
                        )
                    )
            if raw is None:
                problems.append(
                    _problem(
                        name,
                        "plainTextPath",
                        ref,
                        "erreur",
                        "texte de la source absent du projet : source ignorée (exportez le "
                        "projet avec les documents inclus)",
                    )
                )
                continue
            text, bom = _decode(raw)
        if bom or text.startswith("\ufeff"):
            text = text.lstrip("\ufeff")
            bom = True
        base_name = name
        k = 2
        while name in names:
            name = f"{base_name} ({k})"
            k += 1
        selections = []
        for sel in _children(src, "PlainTextSelection"):
            codings_el = _children(sel, "Coding")
            if not codings_el:
                problems.append(
                    _problem(
                        name,
                        "PlainTextSelection",
                        sel.get("name") or "",
                        "alerte",
                        "annotation (mémo) sans code ignorée",
                    )
                )
            try:
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            except (TypeError, ValueError):
                problems.append(
                    _problem(
                        name,
                        "startPosition",
                        sel.get("startPosition"),
                        "erreur",
                        "positions illisibles : sélection ignorée",
                    )
                )
                continue
            for coding in codings_el:
                ref = _child(coding, "CodeRef")
                code = code_names.get(_norm_guid(ref.get("targetGUID") if ref is not None else ""))
                if code is None:
                    problems.append(
                        _problem(
                            name,
                            "CodeRef",
                            ref.get("targetGUID") if ref is not None else "",
                            "erreur",
                            "codage vers un code absent de la grille : ignoré",
                        )
                    )
                    continue
                who = coding.get("creatingUser") or sel.get("creatingUser") or ""
                selections.append(
                    {
                        "code": code,
                        "codeur": users.get(_norm_guid(who), "") or "inconnu",
                        "début": start,
                        "fin": end,
                        "nom": sel.get("name"),
                    }
                )
        for coding in _children(src, "Coding"):
            ref = _child(coding, "CodeRef")
            code = code_names.get(_norm_guid(ref.get("targetGUID") if ref is not None else ""))
            if code is not None:
                who = coding.get("creatingUser") or ""
                selections.append(
                    {
                        "code": code,
                        "codeur": users.get(_norm_guid(who), "") or "inconnu",
                        "début": 0,
                        "fin": None,
                        "nom": None,
                    }
                )
                problems.append(
                    _problem(
                        name,
                        "Coding",
                        code,
                        "alerte",
                        "codage du document entier : l'extrait est le texte complet",
                    )
                )
        for other in ("NoteRef",):
            if _children(src, other):
                problems.append(_problem(name, other, "", "alerte", "mémos de la source ignorés"))
        text, selections = _fix_positions(text, selections, origin, line_endings, bom)
        for s in selections:
            s["fin"] = len(text) if s["fin"] is None else s["fin"]
            if not 0 <= s["début"] < s["fin"] <= len(text):
                problems.append(
                    _problem(
                        name,
                        "startPosition",
                        f"{s['début']}–{s['fin']}",
                        "erreur",
                        f"positions hors du texte ({len(text)} caractères) : sélection ignorée",
                    )
                )
                continue
            rows.append(
                {
                    "texte": len(texts),
                    "code": s["code"],
                    "codeur": s["codeur"],
                    "début": s["début"],
                    "fin": s["fin"],
                }
            )
        texts.append(text)
        names.append(name)
        metas.append(
            {"document": name, **source_vars.get(_norm_guid(src.get("guid")), {}), **values_of(src)}
        )
    for element in ("Notes", "Links", "Sets", "Graphs"):
        found = _child(root, element)
        if found is not None and len(found):
            problems.append(
                _problem(
                    element,
                    element,
                    len(found),
                    "alerte",
                    f"{len(found)} élément(s) « {element} » non repris (mémos, liens, ensembles ou graphes)",
                )
            )
    if not texts:
        raise FormatError(
            "le projet ne contient aucune source textuelle lisible.",
            path=p,
            hint="vérifiez que les documents ont été inclus dans l'export REFI-QDA.",
        )
    meta = pd.DataFrame(metas).fillna("")
    for col in [c for c in meta.columns if c in ("document", "cas")]:
        others = [c for c in meta.columns if c not in ("document", "cas")]
        if any(meta[o].tolist() == meta[col].tolist() for o in others) or (
            col == "cas" and meta["cas"].tolist() == meta["document"].tolist()
        ):
            meta = meta.drop(columns=col)
    doc_column = next(
        (c for c in meta.columns if meta[c].tolist() == names and len(set(names)) == len(names)),
        None,
    )
    if doc_column is None:
        meta.insert(0, "document", names)
        doc_column = "document"
    corpus = Corpus([[(None, t)] for t in texts], meta)
    if table.empty:
        table = pd.DataFrame({"Code": list(dict.fromkeys(r["code"] for r in rows))})
    frame = pd.DataFrame(rows, columns=["texte", "code", "codeur", "début", "fin"])
    return Codings(
        corpus,
        Codebook(table),
        frame,
        document_names(corpus, doc_column),
        problems_frame(problems, _CONTEXT),
    )


def _score(text: str, selections: list[dict]) -> int:
    hits = 0
    for s in selections:
        name = s.get("nom")
        if name and s["fin"] is not None:
            shown = " ".join(name.replace("…", "").split())
            got = " ".join(text[s["début"] : s["fin"]].split())
            hits += bool(shown) and got.startswith(shown[: max(len(shown) - 1, 1)])
    return hits


def _fix_positions(text: str, selections: list[dict], origin: str, policy: str, bom: bool):
    """Turn CRLF into LF (and drop a BOM) keeping the selections on the same characters."""
    if "\r\n" not in text and not bom:
        return text, selections
    lf_text = text.replace("\r\n", "\n")
    starts = np.array([s["début"] for s in selections], dtype=np.int64)
    ends = np.array([s["fin"] if s["fin"] is not None else 0 for s in selections], dtype=np.int64)
    candidates = {
        "one": (starts, ends),
        "two": (_shift_positions(text, starts), _shift_positions(text, ends)),
    }
    if bom:
        candidates["bom"] = (starts - 1, ends - 1)
    if policy in candidates:
        chosen = policy
    else:
        scored = {}
        for key, (s_arr, e_arr) in candidates.items():
            trial = [
                dict(s, début=int(a), fin=(None if s["fin"] is None else int(b)))
                for s, a, b in zip(selections, s_arr, e_arr, strict=True)
            ]
            scored[key] = _score(lf_text, trial)
        default = "two" if "nvivo" in origin.lower() else "one"
        best = max(scored.values(), default=0)
        chosen = default if scored.get(default, 0) == best else max(scored, key=scored.get)
    s_arr, e_arr = candidates[chosen]
    out = [
        dict(s, début=int(a), fin=(None if s["fin"] is None else int(b)))
        for s, a, b in zip(selections, s_arr, e_arr, strict=True)
    ]
    return lf_text, out
