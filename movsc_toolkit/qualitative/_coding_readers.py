"""Reading coded excerpts: from a spreadsheet (one row per excerpt, :func:`read_codings`) or
from tags written in the transcripts (``[#code]…[/#code]``, :func:`codings_from_tags`).

Both formats are the toolkit's own; ``tests/qualitative/test_qualitative.py`` checks them
(``test_read_codings_*``, ``test_inline_tags``, ``test_inline_tag_errors``).
"""

from __future__ import annotations

import re
from os import PathLike
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._errors import ValidationError, closest
from .._io import read_table
from ..lexico.corpus import Corpus
from ._codebook import Codebook
from ._codings import (
    DOC_ALIASES,
    Codings,
    doc_key,
    document_index,
    document_names,
    locate,
    same_code_overlaps,
    short_text,
)
from ._common import find_column, is_missing, line_numbers, problems_frame, text_of
from ._qda_xml import CONTEXT

__all__ = ["codings_from_tags", "read_codings"]


_ALIASES = {
    "document": DOC_ALIASES,
    "code": ["code", "sous-thème", "thème", "catégorie"],
    "codeur": ["codeur", "codeuse", "codeur·se", "codeur·euse", "coder", "auteur"],
    "extrait": ["extrait", "verbatim", "citation", "passage", "segment", "texte", "text"],
    "début": ["début", "debut", "start", "position début", "startposition"],
    "fin": ["fin", "end", "position fin", "endposition"],
    "occurrence": ["occurrence", "n° occurrence", "occurence"],
}


def read_codings(
    source: str | PathLike[str] | pd.DataFrame,
    corpus: Corpus,
    codebook: Codebook | None = None,
    *,
    sheet: str | int | None = None,
    document: str | None = None,
    coder: str = "codeur 1",
    on_error: Literal["raise", "skip"] = "raise",
) -> Codings:
    """Read coded excerpts from a spreadsheet: one row per excerpt.

    Columns (case and accents ignored): ``document`` (or ``fichier``, ``entretien``: the
    interview, matched with the corpus metadata, with or without ``.txt``), ``code``,
    ``codeur`` (optional; ``coder`` otherwise), and either ``extrait`` (the excerpt, copied
    from the transcript: it is located in the text, ignoring case, quotes and spaces) or
    ``début`` / ``fin`` (half-open character offsets), or both (checked against each other).
    When an excerpt occurs twice in the interview, an ``occurrence`` column (1, 2…) tells which.

    Parameters
    ----------
    source
        The spreadsheet (CSV, XLSX, ODS) or a DataFrame.
    corpus
        The transcripts (:func:`movsc_toolkit.lexico.read_corpus`), with the same texts.
    codebook
        The codes allowed; an unknown code is an error with the closest name. ``None``: the
        codes found make a flat codebook.
    document
        The metadata variable naming the interviews (found automatically otherwise).
    on_error
        ``"raise"`` (default): the first problem raises an error naming the file, the line, the
        excerpt and the fix; ``"skip"``: rows with a problem are left out and listed in
        ``codings.problems``.

    Returns
    -------
    Codings
        The excerpts located in the corpus; ``problems`` lists what could not be used.

    Examples
    --------
    >>> from movsc_toolkit import datasets, read_table, qualitative as quali
    >>> from movsc_toolkit.lexico import read_corpus
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> entretiens = read_corpus(dossier / "transcriptions", metadata=dossier / "metadonnees.csv")
    >>> grille = quali.read_codebook(dossier / "grille_codage.csv")
    >>> lignes = read_table(dossier / "codage.csv").head(30)
    >>> print(quali.read_codings(lignes, entretiens, grille))
    30 extraits codés dans 1 entretiens sur 24, 1 codeur·se (Nora), 10 codes utilisés sur 13.
    """
    where = None if isinstance(source, pd.DataFrame) else source
    data = (
        source.copy()
        if isinstance(source, pd.DataFrame)
        else read_table(source, sheet, convert_numbers=False, parse_dates=False)
    )
    documents = document_names(corpus, document)
    index = document_index(documents)
    col = {k: find_column(data, v) for k, v in _ALIASES.items()}
    if col["extrait"] == col["document"]:
        col["extrait"] = None
    for needed, what in (("document", "le nom de l'entretien"), ("code", "le code")):
        if col[needed] is None:
            find_column(data, _ALIASES[needed], required=True, what=what, path=where)
    if col["extrait"] is None and (col["début"] is None or col["fin"] is None):
        find_column(data, ["extrait"], required=True, what="le passage codé", path=where)
    texts = corpus.texts
    rows: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    codes_seen: list[str] = []

    def problem(line, column, value, message, hint, doc=""):
        problems.append(
            {
                "élément": doc,
                "ligne": line,
                "colonne": column,
                "valeur": short_text(text_of(value), 80),
                "gravité": "erreur",
                "message": f"{message} ; {hint}",
            }
        )
        if on_error == "raise":
            raise ValidationError(message, path=where, line=line, column=column, hint=hint)

    for line, (_, rec) in zip(line_numbers(data), data.iterrows(), strict=True):
        doc_value = rec[col["document"]]
        code = text_of(rec[col["code"]])
        excerpt = text_of(rec[col["extrait"]]) if col["extrait"] else ""
        if is_missing(doc_value) and not code and not excerpt:
            continue
        key = doc_key(doc_value)
        if key not in index:
            near = closest(text_of(doc_value), documents)
            problem(
                line,
                col["document"],
                doc_value,
                f"l'entretien « {text_of(doc_value)} » n'est pas dans le corpus",
                (f"vouliez-vous dire « {near[0]} » ?" if near else "")
                + " écrivez le nom tel qu'il figure dans les métadonnées du corpus.",
            )
            continue
        text_id = index[key]
        doc = documents[text_id]
        if not code:
            problem(line, col["code"], "", "code manquant", "indiquez le code de l'extrait.", doc)
            continue
        if codebook is not None and code not in codebook:
            near = closest(code, codebook.codes)
            problem(
                line,
                col["code"],
                code,
                f"code inconnu « {code} »",
                (f"vouliez-vous dire « {near[0]} » ? " if near else "")
                + "corrigez le nom ou ajoutez ce code à la grille de codage.",
                doc,
            )
            continue
        who = text_of(rec[col["codeur"]]) if col["codeur"] else ""
        text = texts[text_id]
        start_v = rec[col["début"]] if col["début"] else None
        end_v = rec[col["fin"]] if col["fin"] else None
        if not is_missing(start_v) or not is_missing(end_v):
            try:
                start, end = int(text_of(start_v)), int(text_of(end_v))
            except ValueError:
                problem(
                    line,
                    col["début"],
                    f"{text_of(start_v)}–{text_of(end_v)}",
                    "positions illisibles",
                    "écrivez deux nombres entiers (début et fin, en caractères).",
                    doc,
                )
                continue
            if not 0 <= start < end <= len(text):
                problem(
                    line,
                    col["début"],
                    f"{start}–{end}",
                    f"positions invalides (le texte « {doc} » compte {len(text)} caractères)",
                    "le début doit être positif et inférieur à la fin, la fin au plus la "
                    "longueur du texte.",
                    doc,
                )
                continue
            piece = text[start:end]
            if excerpt and not any(
                not piece[:a].strip() and not piece[b:].strip() for a, b in locate(piece, excerpt)
            ):
                problem(
                    line,
                    col["début"],
                    f"{start}–{end}",
                    f"les positions ne correspondent pas à l'extrait « {short_text(excerpt)} » "
                    f"(le texte à ces positions est « {short_text(text[start:end])} »)",
                    "corrigez les positions ou videz-les pour que l'extrait soit cherché dans "
                    "le texte.",
                    doc,
                )
                continue
        elif excerpt:
            places = locate(text, excerpt)
            occ = text_of(rec[col["occurrence"]]) if col["occurrence"] else ""
            if not places:
                problem(
                    line,
                    col["extrait"],
                    excerpt,
                    f"extrait introuvable dans « {doc} »",
                    "recopiez-le tel qu'il est écrit dans la transcription (un mot modifié, "
                    "une coupure ou une faute suffit à le perdre) ou donnez ses positions.",
                    doc,
                )
                continue
            if occ:
                if not occ.isdigit() or not 1 <= int(occ) <= len(places):
                    problem(
                        line,
                        col["occurrence"],
                        occ,
                        f"occurrence « {occ} » impossible : l'extrait figure {len(places)} fois",
                        f"indiquez un nombre entre 1 et {len(places)}.",
                        doc,
                    )
                    continue
                start, end = places[int(occ) - 1]
            elif len(places) > 1:
                problem(
                    line,
                    col["extrait"],
                    excerpt,
                    f"extrait ambigu : il figure {len(places)} fois dans « {doc} »",
                    "allongez l'extrait pour qu'il soit unique, ou ajoutez une colonne "
                    "« occurrence » (1 pour la première, 2 pour la deuxième…).",
                    doc,
                )
                continue
            else:
                start, end = places[0]
        else:
            problem(
                line,
                col["extrait"] or col["début"],
                "",
                "extrait manquant",
                "recopiez le passage codé ou donnez ses positions.",
                doc,
            )
            continue
        codes_seen.append(code)
        rows.append(
            {
                "texte": text_id,
                "code": code,
                "codeur": who or coder,
                "début": start,
                "fin": end,
                "_ligne": line,
            }
        )
    frame = pd.DataFrame(rows, columns=["texte", "code", "codeur", "début", "fin", "_ligne"])
    for a, b in same_code_overlaps(frame):
        ra, rb = frame.loc[a], frame.loc[b]
        problem(
            int(rb["_ligne"]),
            col["extrait"] or col["début"],
            f"{rb['début']}–{rb['fin']}",
            f"cet extrait chevauche celui de la ligne {int(ra['_ligne'])} (même code "
            f"« {rb['code']} », même codeur, même entretien) : il serait compté deux fois",
            "fusionnez les deux lignes en un seul extrait ou corrigez les positions.",
            documents[int(rb["texte"])],
        )
        frame = frame.drop(index=b)
    if codebook is None:
        codebook = Codebook.from_codes(codes_seen)
    return Codings(
        corpus,
        codebook,
        frame.drop(columns="_ligne"),
        documents,
        problems_frame(problems, CONTEXT),
    )


_TAG = re.compile(r"\[(/?)#([^\[\]\n]*)\]")


def codings_from_tags(
    corpus: Corpus,
    codebook: Codebook | None = None,
    *,
    coder: str = "codeur 1",
    document: str | None = None,
) -> Codings:
    """Codings typed in the transcripts with tags: ``[#code] passage [/#code]``.

    Syntax: ``[#Défiance]`` opens the code « Défiance », ``[/#Défiance]`` closes it (``[/#]``
    closes the last code opened). Codes may nest or overlap; a tag stays on one line but a
    coded passage may run over several lines. The tags are removed from the texts: the
    returned ``codings.corpus`` holds the clean transcripts (use it for the other analyses).

    Parameters
    ----------
    corpus
        The transcripts, with tags ``[#code]…[/#code]`` around the coded passages.
    codebook
        The codebook the codes must belong to (default: the codes found).
    coder
        The coder's name.
    document
        The metadata variable naming each interview (default: found by name).

    Returns
    -------
    Codings
        The excerpts, on a corpus whose texts no longer contain the tags.

    Examples
    --------
    >>> from movsc_toolkit import qualitative as quali
    >>> from movsc_toolkit.lexico import Corpus
    >>> corpus = Corpus.from_texts(
    ...     ["Le centre [#Lien social]on se retrouve[/#Lien social] le mardi."],
    ...     {"fichier": ["e1.txt"]})
    >>> quali.codings_from_tags(corpus).excerpts[["document", "code", "extrait"]]
      document         code         extrait
    0   e1.txt  Lien social  on se retrouve
    """
    documents = document_names(corpus, document)
    rows: list[dict[str, Any]] = []
    new_paragraphs = []
    codes_seen: list[str] = []
    for text_id, paragraphs in enumerate(corpus.paragraphs):
        doc = documents[text_id]
        cleaned_paras = []
        base = 0
        open_tags: list[tuple[str, int, int]] = []
        line_no = 0
        for theme, para in paragraphs:
            pieces = []
            last = 0
            clean_len = 0
            line_offsets = [m.start() for m in re.finditer("\n", para)]
            for match in _TAG.finditer(para):
                pieces.append(para[last : match.start()])
                clean_len += match.start() - last
                last = match.end()
                position = base + clean_len
                line = line_no + 1 + int(np.searchsorted(line_offsets, match.start()))
                name = match.group(2).strip().lstrip("#").strip()
                if not match.group(1):
                    if not name:
                        raise ValidationError(
                            f"balise « {match.group()} » sans nom de code dans « {doc} », "
                            f"ligne {line}.",
                            hint="écrivez le code après le dièse : [#Défiance].",
                        )
                    if codebook is not None:
                        codebook.check(name, where=f" dans « {doc} », ligne {line}")
                    open_tags.append((name, position, line))
                    continue
                if not open_tags:
                    raise ValidationError(
                        f"balise fermante « {match.group()} » sans balise ouvrante dans "
                        f"« {doc} », ligne {line}.",
                        hint="ajoutez la balise ouvrante [#code] au début du passage ou "
                        "retirez celle-ci.",
                    )
                if name:
                    matching = [k for k, t in enumerate(open_tags) if t[0] == name]
                    if not matching:
                        near = closest(name, [t[0] for t in open_tags])
                        raise ValidationError(
                            f"balise fermante « {match.group()} » dans « {doc} », ligne "
                            f"{line} : aucun passage « {name} » n'est ouvert.",
                            hint=(f"vouliez-vous fermer « {near[0]} » ? " if near else "")
                            + "vérifiez l'orthographe du code dans les deux balises.",
                        )
                    k = matching[-1]
                else:
                    k = len(open_tags) - 1
                code, start, _ = open_tags.pop(k)
                if position > start:
                    codes_seen.append(code)
                    rows.append(
                        {
                            "texte": text_id,
                            "code": code,
                            "codeur": coder,
                            "début": start,
                            "fin": position,
                        }
                    )
            pieces.append(para[last:])
            clean = "".join(pieces)
            cleaned_paras.append((theme, clean))
            base += len(clean) + 1
            line_no += para.count("\n") + 1
        if open_tags:
            code, start, line = open_tags[0]
            raise ValidationError(
                f"le passage « {code} » ouvert ligne {line} de « {doc} » n'est jamais fermé.",
                hint=f"ajoutez [/#{code}] à la fin du passage.",
            )
        new_paragraphs.append(cleaned_paras)
    new_corpus = corpus.with_paragraphs(new_paragraphs)
    frame = pd.DataFrame(rows, columns=["texte", "code", "codeur", "début", "fin"])
    problems = []
    for _a, b in same_code_overlaps(frame):
        rb = frame.loc[b]
        problems.append(
            {
                "élément": documents[int(rb["texte"])],
                "ligne": pd.NA,
                "colonne": "",
                "valeur": rb["code"],
                "gravité": "alerte",
                "message": "deux passages du même code se chevauchent : ils sont comptés "
                "séparément",
            }
        )
    if codebook is None:
        codebook = Codebook.from_codes(codes_seen)
    return Codings(new_corpus, codebook, frame, documents, problems_frame(problems, CONTEXT))
