"""Reading a REFI-QDA project (``.qdpx``) exported by QualCoder, NVivo, ATLAS.ti, MAXQDA…

Reference: REFI-QDA standard 1.5 (container, §8; text positions, §10.2); the vendors'
deviations as QualCoder's importer handles them (``src/qualcoder/refi.py``; QualCoder issues
#37, NVivo line endings, and #1369, ATLAS.ti's ``.qde`` name). On import: the ``.qde`` is
found whatever its name, ``sources/`` whatever its case, GUIDs are compared case-insensitively
without braces, a leading BOM is removed and CRLF line endings are turned into LF, the offsets
being shifted when the exporting tool counted ``\\r\\n`` as two characters (decided with the
selected text stored in each selection's ``name`` when present, otherwise by the tool: NVivo
counts two, ATLAS.ti, MAXQDA and QualCoder one).
"""

from __future__ import annotations

import re
import zipfile
from os import PathLike
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from .._errors import FileError, FormatError
from ..lexico.corpus import Corpus
from ._codebook import Codebook, codes_from_xml
from ._codings import Codings, document_names
from ._common import problems_frame
from ._qda_xml import CONTEXT, child, children, local_name, norm_guid, parse_xml, problem_row

__all__ = ["read_qdpx"]


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

    Returns
    -------
    Codings
        The corpus, codebook, coders and excerpts of the project; ``problems`` lists what was
        repaired or left out.

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
        root = parse_xml(zf.read(qde[0]), p, qde[0])
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
    if local_name(root.tag) != "Project":
        raise FormatError(
            f"le fichier .qde n'est pas un projet REFI-QDA (élément racine « {local_name(root.tag)} »).",
            path=p,
        )
    origin = root.get("origin") or ""
    problems: list[dict[str, Any]] = []
    users = {
        norm_guid(u.get("guid")): (u.get("name") or u.get("id") or u.get("guid") or "").strip()
        for u in children(child(root, "Users") or ET.Element("x"), "User")
    }
    book = child(root, "CodeBook")
    codes_el = child(book, "Codes") if book is not None else None
    if codes_el is not None:
        table, code_names = codes_from_xml(codes_el, problems)
    else:
        table, code_names = pd.DataFrame(columns=["Code"]), {}
    variables = {
        norm_guid(v.get("guid")): (v.get("name") or "").strip()
        for v in children(child(root, "Variables") or ET.Element("x"), "Variable")
    }
    source_vars: dict[str, dict[str, str]] = {}

    def values_of(element: ET.Element) -> dict[str, str]:
        out = {}
        for vv in children(element, "VariableValue"):
            ref = child(vv, "VariableRef")
            if ref is None:
                continue
            name = variables.get(norm_guid(ref.get("targetGUID")), "")
            value_el = next((c for c in vv if local_name(c.tag).endswith("Value")), None)
            if name and value_el is not None:
                out[name] = (value_el.text or "").strip()
        return out

    for case in children(child(root, "Cases") or ET.Element("x"), "Case"):
        attrs = values_of(case)
        case_name = (case.get("name") or "").strip()
        if case_name:
            attrs = {"cas": case_name, **attrs}
        for ref in children(case, "SourceRef"):
            source_vars.setdefault(norm_guid(ref.get("targetGUID")), {}).update(attrs)
    texts: list[str] = []
    metas: list[dict[str, str]] = []
    names: list[str] = []
    rows: list[dict[str, Any]] = []
    sources = child(root, "Sources")
    for src in list(sources) if sources is not None else []:
        kind = local_name(src.tag)
        name = (src.get("name") or src.get("guid") or "").strip()
        if kind != "TextSource":
            problems.append(
                problem_row(
                    name, kind, src.get("path") or "", "alerte", "source non textuelle ignorée"
                )
            )
            continue
        content = child(src, "PlainTextContent")
        bom = False
        if content is not None and content.text is not None:
            text = content.text
        else:
            text_ref = src.get("plainTextPath") or ""
            raw = read_internal(text_ref) if text_ref.startswith("internal://") else None
            rich = src.get("richTextPath") or ""
            if (raw is None or not raw.strip()) and rich.lower().endswith(".docx"):
                # NVivo for Mac writes an empty .txt next to the .docx: take the Word text
                docx_bytes = read_internal(rich) if rich.startswith("internal://") else None
                if docx_bytes is not None:
                    raw = _docx_text(docx_bytes).encode("utf-8")
                    problems.append(
                        problem_row(
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
                    problem_row(
                        name,
                        "plainTextPath",
                        text_ref,
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
        for sel in children(src, "PlainTextSelection"):
            codings_el = children(sel, "Coding")
            if not codings_el:
                problems.append(
                    problem_row(
                        name,
                        "PlainTextSelection",
                        sel.get("name") or "",
                        "alerte",
                        "annotation (mémo) sans code ignorée",
                    )
                )
            try:
                start = int(sel.get("startPosition") or "")
                end = int(sel.get("endPosition") or "")
            except (TypeError, ValueError):
                problems.append(
                    problem_row(
                        name,
                        "startPosition",
                        sel.get("startPosition"),
                        "erreur",
                        "positions illisibles : sélection ignorée",
                    )
                )
                continue
            for coding in codings_el:
                code_ref = child(coding, "CodeRef")
                code = code_names.get(
                    norm_guid(code_ref.get("targetGUID") if code_ref is not None else "")
                )
                if code is None:
                    problems.append(
                        problem_row(
                            name,
                            "CodeRef",
                            code_ref.get("targetGUID") if code_ref is not None else "",
                            "erreur",
                            "codage vers un code absent de la grille : ignoré",
                        )
                    )
                    continue
                who = coding.get("creatingUser") or sel.get("creatingUser") or ""
                selections.append(
                    {
                        "code": code,
                        "codeur": users.get(norm_guid(who), "") or "inconnu",
                        "début": start,
                        "fin": end,
                        "nom": sel.get("name"),
                    }
                )
        for coding in children(src, "Coding"):
            code_ref = child(coding, "CodeRef")
            code = code_names.get(
                norm_guid(code_ref.get("targetGUID") if code_ref is not None else "")
            )
            if code is not None:
                who = coding.get("creatingUser") or ""
                selections.append(
                    {
                        "code": code,
                        "codeur": users.get(norm_guid(who), "") or "inconnu",
                        "début": 0,
                        "fin": None,
                        "nom": None,
                    }
                )
                problems.append(
                    problem_row(
                        name,
                        "Coding",
                        code,
                        "alerte",
                        "codage du document entier : l'extrait est le texte complet",
                    )
                )
        for other in ("NoteRef",):
            if children(src, other):
                problems.append(
                    problem_row(name, other, "", "alerte", "mémos de la source ignorés")
                )
        text, selections = _fix_positions(text, selections, origin, line_endings, bom)
        for s in selections:
            s["fin"] = len(text) if s["fin"] is None else s["fin"]
            if not 0 <= s["début"] < s["fin"] <= len(text):
                problems.append(
                    problem_row(
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
            {"document": name, **source_vars.get(norm_guid(src.get("guid")), {}), **values_of(src)}
        )
    for element in ("Notes", "Links", "Sets", "Graphs"):
        found = child(root, element)
        if found is not None and len(found):
            problems.append(
                problem_row(
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
        problems_frame(problems, CONTEXT),
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
        chosen = default if scored.get(default, 0) == best else max(scored, key=lambda k: scored[k])
    s_arr, e_arr = candidates[chosen]
    out = [
        dict(s, début=int(a), fin=(None if s["fin"] is None else int(b)))
        for s, a, b in zip(selections, s_arr, e_arr, strict=True)
    ]
    return lf_text, out
