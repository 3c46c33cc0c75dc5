"""Readers of corpora: IRaMuTeQ text files, folders of transcripts (.txt, .docx, .odt) with a
metadata table, single documents.

Every reader returns a :class:`~movsc_toolkit.lexico.Corpus`; what it noticed without stopping
(a repeated variable, a metadata row without its file…) is in ``corpus.problems``.

Reference: the IRaMuTeQ text format (IRaMuTeQ 0.8 documentation, Ratinaud; ``corpus.py``
``BuildFromAlceste.read_corpus``).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import DataError, EncodingError, FileError, FormatError, MovscWarning
from .._io import read_table, read_text
from .._limits import check_xml, check_zip
from .._problems import ProblemLog
from ._text import (
    INTERVIEWER_LABELS,
    RESPONDENT_LABELS,
    SpeakerMode,
    apply_speakers,
    check_speakers,
    norm_label,
)
from .corpus import Corpus, CorpusOptions

__all__ = ["read_corpus"]

#: Largest size of a .docx/.odt once expanded, in MB (python-docx keeps all of it in memory).
DEFAULT_MAX_MB = 200.0
_STARRED = re.compile(r"^\*([^\s_*]+)_(\S+)$")


def read_corpus(
    path: str | PathLike[str],
    *,
    metadata: str | PathLike[str] | pd.DataFrame | None = None,
    speakers: SpeakerMode = "keep",
    encoding: str | None = None,
    lowercase: bool = True,
    segment_size: int = 40,
    interviewer_labels: Iterable[str] | None = None,
    respondent_labels: Iterable[str] | None = None,
    max_mb: float = DEFAULT_MAX_MB,
) -> Corpus:
    """Read a corpus: an IRaMuTeQ text file, or a folder of transcripts plus a metadata table.

    Parameters
    ----------
    path
        - a ``.txt`` file in IRaMuTeQ format: each text starts with a line
          ``**** *variable_modalite *variable_modalite …``; a line ``-*theme`` starts a thematic
          paragraph;
        - a folder of transcripts (``.txt``, ``.docx``, ``.odt``), with a metadata table (CSV,
          XLSX or ODS, one row per file, one column giving the file names, the other columns
          being the variables) — found in the folder or given by ``metadata``;
        - a single ``.docx`` or ``.odt`` transcript.
    metadata
        The metadata table (path or DataFrame) for a folder.
    speakers
        Speaker turns (lines starting with ``Enquêteur :``, ``E :``, ``Interviewé·e :``,
        ``I :``…): ``"keep"`` keeps everything as is; ``"drop"`` removes the interviewer's turns
        and the labels; ``"strip"`` keeps every turn but removes the labels; ``"interviewer"``
        keeps only the interviewer's turns. A turn goes on until the next label.
    encoding
        Text encoding; detected when ``None`` (UTF-8, UTF-8 with BOM, Windows-1252…).
    lowercase
        Lower-case the forms and lemmas (IRaMuTeQ's default).
    segment_size
        Target size of text segments in tokens (IRaMuTeQ: 40).
    interviewer_labels, respondent_labels
        Extra speaker labels (e.g. the interviewer's first name).
    max_mb
        Largest size of a ``.docx``/``.odt`` once expanded, in MB (200 by default): a document
        declaring more, or whose text is compressed abnormally (more than 200 times: a "zip
        bomb"), is refused at once, before anything is expanded (checks of
        :mod:`movsc_toolkit._limits`). A damaged document (broken archive or XML, missing text
        part) is refused too, never read in part.

    Returns
    -------
    Corpus

    References
    ----------
    The IRaMuTeQ text format (Ratinaud, IRaMuTeQ 0.8 documentation; ``corpus.py``
    ``BuildFromAlceste.read_corpus``); checked by ``tests/lexico/test_corpus.py``.

    Examples
    --------
    >>> from movsc_toolkit import datasets
    >>> corpus = read_corpus(datasets.path("entretiens_centre_social", "corpus_iramuteq.txt"))
    >>> len(corpus), corpus.metadata.columns.tolist()
    (24, ['entretien', 'statut', 'sexe', 'age', 'anciennete'])
    >>> corpus.metadata["statut"].value_counts().sort_index()
    statut
    administrateur    3
    benevole          4
    partenaire        5
    salarie           6
    usager            6
    Name: count, dtype: int64
    """
    check_speakers(speakers)
    interviewer = INTERVIEWER_LABELS | {norm_label(x) for x in interviewer_labels or ()}
    respondent = RESPONDENT_LABELS | {norm_label(x) for x in respondent_labels or ()}
    p = Path(path)
    if not p.exists():
        # reuse read_text's French "file not found" message
        read_text(p)
    options = CorpusOptions(lowercase=lowercase, segment_size=segment_size)
    log = ProblemLog()
    if p.is_dir():
        paragraphs, meta = _read_folder(
            p, metadata, speakers, encoding, interviewer, respondent, log, max_mb
        )
        return _with_problems(paragraphs, meta, options, log, p)
    suffix = p.suffix.lower()
    if suffix in (".docx", ".odt"):
        lines = _read_document(p, max_mb)
        kept = apply_speakers(lines, speakers, interviewer, respondent)
        body = "\n".join(ln.rstrip() for ln in kept if ln is not None and ln.strip())
        if not re.search(r"\w", body):
            raise DataError("le document ne contient aucun texte.", path=p)
        return Corpus([[(None, body)]], options=options)
    text, _ = _read_text_strict(p, encoding)
    paragraphs, meta = _parse_iramuteq(text, p, speakers, interviewer, respondent, log)
    return _with_problems(paragraphs, meta, options, log, p)


def _with_problems(
    paragraphs: list[list[tuple[str | None, str]]],
    meta: pd.DataFrame,
    options: CorpusOptions,
    log: ProblemLog,
    path: Path,
) -> Corpus:
    """The corpus with its reading problems, said once (a warning) when there are some."""
    if not log:
        return Corpus(paragraphs, meta, options=options)
    table = log.frame()
    corpus = Corpus(paragraphs, meta, options=options, problems=table)
    n_errors, n_alerts = table.n_errors, table.n_alerts
    counts = " et ".join(
        f"{n} {word}{'s' if n > 1 else ''}"
        for n, word in ((n_errors, "erreur"), (n_alerts, "alerte"))
        if n
    )
    warnings.warn(
        f"Lecture du corpus « {path.name} » — Problèmes relevés : {counts}.\nQue faire : lisez "
        "corpus.problems, corrigez le fichier si besoin puis relancez la lecture.",
        MovscWarning,
        stacklevel=3,
    )
    return corpus


def _read_text_strict(path: Path, encoding: str | None) -> tuple[str, str]:
    """read_text, but refusing a UTF-8 file spoiled by a few bytes of another encoding."""
    text, chosen = read_text(path, encoding)
    if encoding is None and chosen in ("cp1252", "iso-8859-15"):
        raw = path.read_bytes()
        if re.search(rb"[\xc3][\x80-\xbf]", raw):  # UTF-8 accented letters are present
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = raw.count(b"\n", 0, exc.start) + 1
                raise EncodingError(
                    f"le fichier est en UTF-8 mais contient des octets illisibles "
                    f"({raw[exc.start : exc.start + 1]!r}), sans doute un passage copié "
                    "depuis un autre encodage.",
                    path=path,
                    line=line,
                    hint="ouvrez le fichier dans un éditeur de texte, corrigez les caractères "
                    "de cette ligne et réenregistrez-le en UTF-8.",
                ) from None
    return text, chosen


def _parse_iramuteq(
    text: str,
    path: Path | None,
    speakers: str,
    interviewer: frozenset[str],
    respondent: frozenset[str],
    log: ProblemLog | None = None,
) -> tuple[list[list[tuple[str | None, str]]], pd.DataFrame]:
    texts: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.rstrip()
        stripped = line.strip()
        if stripped.startswith("****"):
            current = {
                "line": number,
                "meta": _parse_stars(stripped, path, number, log),
                "blocks": [[None, []]],
            }
            texts.append(current)
        elif stripped.startswith("-*"):
            if current is None:
                raise FormatError(
                    "une ligne thématique « -* » apparaît avant le premier texte.",
                    path=path,
                    line=number,
                    hint="placez les lignes « -*theme » à l'intérieur d'un texte, après sa "
                    "ligne « **** ».",
                )
            parts = stripped.split()
            if len(parts) > 1 or len(parts[0]) <= 2:
                raise FormatError(
                    f"la ligne thématique « {stripped} » doit contenir seulement un marqueur "
                    "sans espace (par exemple « -*theme_gouvernance »).",
                    path=path,
                    line=number,
                    hint="mettez le texte du paragraphe sur la ligne suivante.",
                )
            current["blocks"].append([parts[0][2:], []])
        elif stripped:
            if current is None:
                raise FormatError(
                    "du texte apparaît avant la première ligne « **** » : IRaMuTeQ exige que "
                    "chaque texte commence par une ligne « **** *variable_modalite ».",
                    path=path,
                    line=number,
                    hint="ajoutez une ligne « **** *entretien_01 » au-dessus, ou, pour un "
                    "dossier de transcriptions avec un tableau de métadonnées, donnez le chemin "
                    "du dossier.",
                )
            current["blocks"][-1][1].append((number, line))
    if not texts:
        raise FormatError(
            "le fichier ne contient aucun texte.",
            path=path,
            hint="chaque texte commence par une ligne « **** *variable_modalite ».",
        )
    paragraphs: list[list[tuple[str | None, str]]] = []
    for entry in texts:
        # speaker turns run through thematic lines: filter the text's lines as a whole
        all_lines = [ln for _, lines in entry["blocks"] for _, ln in lines]
        kept = iter(apply_speakers(all_lines, speakers, interviewer, respondent))
        paras = []
        for theme, lines in entry["blocks"]:
            body = [k for k in (next(kept) for _ in lines) if k is not None and k.strip()]
            if body:
                paras.append((theme, "\n".join(b.rstrip() for b in body)))
        if not any(re.search(r"\w", p) for _, p in paras):
            raise FormatError(
                "ce texte est vide : aucune ligne de texte après sa ligne « **** »"
                + (
                    f" (une fois filtrés les tours de parole, speakers=« {speakers} »)."
                    if all_lines
                    else "."
                ),
                path=path,
                line=entry["line"],
                hint="supprimez cette ligne « **** » ou ajoutez le texte de l'entretien dessous.",
            )
        paragraphs.append(paras)
    variables = list(dict.fromkeys(k for entry in texts for k in entry["meta"]))
    meta = pd.DataFrame(
        {v: [entry["meta"].get(v) for entry in texts] for v in variables},
        index=pd.RangeIndex(len(texts)),
        dtype=object,
    )
    return paragraphs, meta


def _parse_stars(
    line: str, path: Path | None, number: int, log: ProblemLog | None = None
) -> dict[str, str]:
    tokens = line.split()
    first = tokens[0]
    rest = tokens[1:]
    if len(first) > 4 and not first.strip("*"):  # "*****": one star too many
        raise FormatError(
            f"la ligne commence par {len(first)} étoiles : une ligne de texte commence par "
            "exactement quatre étoiles « **** », suivies d'un espace.",
            path=path,
            line=number,
            hint="écrivez par exemple « **** *entretien_01 *statut_benevole ».",
        )
    if first != "****":  # "****" glued to the first variable: "*****statut_x"
        rest = [first[4:], *rest]
    meta: dict[str, str] = {}
    repeated: dict[str, list[str]] = {}
    for token in rest:
        if not token.startswith("*"):
            raise FormatError(
                f"« {token} » n'est pas une variable étoilée : chaque mot de la ligne « **** » "
                "doit être de la forme « *variable_modalite », sans espace.",
                path=path,
                line=number,
                hint="remplacez les espaces dans les modalités par des tirets (« *statut_"
                "benevole-actif ») et mettez une étoile devant chaque variable.",
            )
        match = _STARRED.match(token)
        if not match:
            raise FormatError(
                f"la variable étoilée « {token} » n'est pas au format « *variable_modalite » : "
                "la variable et la modalité doivent être séparées par un tiret bas « _ ».",
                path=path,
                line=number,
                hint="écrivez par exemple « *statut_benevole » (et non « *statut-benevole »).",
            )
        variable, modality = match.groups()
        if variable in meta:  # IRaMuTeQ accepts it and keeps the first modality
            repeated.setdefault(variable, []).append(modality)
            continue
        meta[variable] = modality
    for variable, others in repeated.items():
        shown = ", ".join(f"« {o} »" for o in others)
        if log is not None:
            log.add(
                "alerte",
                f"la variable « {variable} » est répétée sur la ligne « **** » : la première "
                f"modalité (« {meta[variable]} ») est gardée, comme dans IRaMuTeQ ; "
                f"ignorée(s) : {shown}. Gardez une seule modalité par variable.",
                ligne=number,
                colonne=variable,
                valeur=" ".join(f"*{variable}_{o}" for o in others),
            )
    return meta


def _read_document(path: Path, max_mb: float = DEFAULT_MAX_MB) -> list[str]:
    suffix = path.suffix.lower()
    if suffix in _DOCUMENT_PARTS:
        # zip bomb and damaged archive or XML refused before python-docx / odfpy open it
        # (odfpy prints XML errors and returns an empty document)
        check_zip(path, "le document", max_uncompressed=int(max_mb * 1024 * 1024))
        for member in _DOCUMENT_PARTS[suffix]:
            check_xml(path, member, "le document")
    try:
        if suffix == ".docx":
            import docx

            document = docx.Document(str(path))
            return [p.text for p in document.paragraphs]
        if suffix == ".odt":
            from odf.opendocument import load

            return _odt_in_order(load(str(path)))
    except Exception:  # corrupt zip, not a document…
        raise FileError(
            f"le document n'a pas pu être lu : ce n'est pas un fichier {suffix} valide "
            "(fichier abîmé, ou d'un autre format renommé).",
            path=path,
            hint="ouvrez-le dans Word ou Writer et réenregistrez-le (.docx ou .odt), ou "
            "enregistrez-le en texte brut (.txt, UTF-8).",
        ) from None
    text, _ = _read_text_strict(path, None)
    return text.split("\n")


_DOCUMENT_PARTS = {".docx": ("word/document.xml",), ".odt": ("content.xml",)}


def _odt_in_order(document: Any) -> list[str]:
    """Paragraphs and headings of an .odt body in document order."""
    from odf import teletype
    from odf.namespaces import TEXTNS

    wanted = {(TEXTNS, "p"), (TEXTNS, "h")}
    lines: list[str] = []

    def walk(node: Any) -> None:
        for child in node.childNodes:
            if getattr(child, "qname", None) in wanted:
                lines.append(teletype.extractText(child))
            elif getattr(child, "childNodes", None):
                walk(child)

    walk(document.text)
    return lines


def _read_folder(
    folder: Path,
    metadata: str | PathLike[str] | pd.DataFrame | None,
    speakers: str,
    encoding: str | None,
    interviewer: frozenset[str],
    respondent: frozenset[str],
    log: ProblemLog | None = None,
    max_mb: float = DEFAULT_MAX_MB,
) -> tuple[list[list[tuple[str | None, str]]], pd.DataFrame]:
    if log is None:
        log = ProblemLog()
    files = sorted(
        f for f in folder.iterdir() if f.is_file() and f.suffix.lower() in (".txt", ".docx", ".odt")
    )
    if not files:
        raise FileError(
            "le dossier ne contient aucune transcription (.txt, .docx ou .odt).",
            path=folder,
            hint="placez les transcriptions directement dans ce dossier.",
        )
    meta_path: Path | None = None
    if metadata is None:
        tables = sorted(
            f
            for f in folder.iterdir()
            if f.is_file()
            and f.suffix.lower() in (".csv", ".tsv", ".xlsx", ".ods")
            and not f.name.startswith(("~$", ".~lock"))
        )
        if len(tables) > 1:
            raise FileError(
                "le dossier contient plusieurs tableaux de métadonnées : "
                + ", ".join(f"« {t.name} »" for t in tables)
                + ".",
                path=folder,
                hint='indiquez lequel utiliser avec metadata="…".',
            )
        meta_path = tables[0] if tables else None
        meta = (
            read_table(meta_path, convert_numbers=False, parse_dates=False) if meta_path else None
        )
    elif isinstance(metadata, pd.DataFrame):
        meta = metadata.copy()
    else:
        meta_path = Path(metadata)
        meta = read_table(meta_path, convert_numbers=False, parse_dates=False)
    if meta is None:
        meta = pd.DataFrame({"fichier": [f.name for f in files]})
    lines_of = meta.attrs.get("lines")
    names = {f.name: f for f in files}
    stems = {f.stem: f for f in files}
    file_col = _find_file_column(meta, names, stems, meta_path or folder)
    meta_name = meta_path.name if meta_path is not None else None
    from_file = lines_of is not None

    def where(row: int) -> dict[str, Any]:
        if from_file:
            return {"ligne": lines_of[row], "fichier": meta_name}
        return {"élément": f"ligne {meta.index[row]} du tableau de métadonnées"}

    def read_one(found: Path) -> str:
        raw_lines = (
            _read_document(found, max_mb)
            if found.suffix.lower() != ".txt"
            else _read_text_strict(found, encoding)[0].split("\n")
        )
        kept = apply_speakers(raw_lines, speakers, interviewer, respondent)
        body = "\n".join(ln.rstrip() for ln in kept if ln is not None and ln.strip())
        if not re.search(r"\w", body):
            raise DataError(
                "cette transcription est vide"
                + (
                    f" une fois filtrés les tours de parole (speakers=« {speakers} »)."
                    if raw_lines
                    else "."
                ),
                path=found,
                hint="vérifiez le fichier ou retirez-le du dossier et des métadonnées.",
            )
        return body

    paragraphs: list[list[tuple[str | None, str]]] = []
    rows: list[int] = []
    used: dict[Path, int] = {}
    for row, value in enumerate(meta[file_col]):
        key = "" if value is None or pd.isna(value) else str(value).strip()
        line = lines_of[row] if lines_of is not None else None
        if not key:
            log.add(
                "erreur",
                f"ligne de métadonnées sans nom de fichier (colonne « {file_col} » vide) : "
                "elle ne correspond à aucune transcription et n'est pas utilisée. Indiquez le "
                "nom du fichier ou supprimez la ligne.",
                colonne=file_col,
                valeur="",
                **where(row),
            )
            continue
        found = names.get(key) or stems.get(key) or stems.get(Path(key).stem)
        if found is None:
            log.add(
                "erreur",
                f"la transcription « {key} » indiquée dans les métadonnées est introuvable "
                f"dans le dossier « {folder.name} » : cette ligne n'est pas utilisée. Vérifiez "
                "le nom du fichier (extension comprise) ou ajoutez le fichier au dossier.",
                colonne=file_col,
                valeur=key,
                **where(row),
            )
            continue
        if found in used:
            raise FormatError(
                f"la transcription « {key} » a plusieurs lignes de métadonnées.",
                path=meta_path,
                line=line,
                column=file_col,
                hint="gardez une seule ligne par fichier.",
            )
        used[found] = row
        rows.append(row)
        paragraphs.append([(None, read_one(found))])
    orphans = [f for f in files if f not in used]
    for found in orphans:
        log.add(
            "alerte",
            "cette transcription n'a pas de ligne dans les métadonnées : elle est lue, avec "
            "des variables vides. Ajoutez une ligne pour ce fichier "
            f"(colonne « {file_col} ») si vous voulez comparer les textes par variable.",
            fichier=found.name,
            colonne=file_col,
            valeur=found.name,
        )
        paragraphs.append([(None, read_one(found))])
    if not paragraphs:
        raise FormatError(
            "aucune transcription du dossier ne correspond aux lignes des métadonnées.",
            path=meta_path or folder,
            hint=f"vérifiez les noms de fichiers de la colonne « {file_col} ».",
        )
    kept_meta = meta.iloc[rows].reset_index(drop=True)
    if orphans:
        extra = pd.DataFrame({file_col: [f.name for f in orphans]}, dtype=object)
        kept_meta = pd.concat([kept_meta, extra], ignore_index=True)
    kept_meta.attrs = {}
    return paragraphs, kept_meta


def _find_file_column(
    meta: pd.DataFrame, names: dict[str, Path], stems: dict[str, Path], where: Path | str
) -> str:
    def matches(col: str) -> int:
        values = ["" if pd.isna(v) else str(v).strip() for v in meta[col]]
        return int(
            sum(bool(v) and (v in names or v in stems or Path(v).stem in stems) for v in values)
        )

    preferred = [c for c in meta.columns if str(c).casefold() in ("fichier", "file", "nom_fichier")]
    candidates = preferred + [c for c in meta.columns if c not in preferred]
    scores = {c: matches(c) for c in candidates}
    best = max(candidates, key=lambda c: scores[c], default=None)
    if best is None or scores[best] == 0:
        raise FormatError(
            "aucune colonne du tableau de métadonnées ne contient les noms des fichiers de "
            "transcription.",
            path=where,
            hint="ajoutez une colonne « fichier » avec le nom de chaque fichier (par exemple "
            "« entretien_01.txt »).",
        )
    return best
