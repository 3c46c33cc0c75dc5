"""Fieldwork documents (interview guide, sampling grid, RGPD notice and consent form),
triangulation table and restitution note, written as .docx / .xlsx.

Reference: ``qualitative.md`` §3.4 (sampling grid), §4 (RGPD art. 13, CNIL, consent).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError, ValidationError
from .._format import format_number
from .._io import read_table
from .._write import save_docx, write_excel, xml_text
from ._common import Report, find_column, line_numbers, text_of

__all__ = [
    "RGPD_FIELDS",
    "InterviewGuide",
    "consent_form",
    "information_notice",
    "interview_guide",
    "plot_tree",
    "project_note",
    "restitution",
    "sampling_grid",
    "triangulation",
]


def write_workbook(
    path: str | PathLike[str],
    sheets: Mapping[str, pd.DataFrame],
    *,
    wrap: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Write sheets to .xlsx with the shared writing layer; ``wrap`` columns get wrapped text."""
    wrap = wrap or {}

    def style(ws: Any, frame: pd.DataFrame, name: str) -> None:
        from openpyxl.styles import Alignment

        columns = list(wrap.get(name, ()))
        if not columns:
            return
        header = [c.value for c in ws[1]]
        for col_idx, title in enumerate(header, start=1):
            if title in columns:
                letter = ws.cell(row=1, column=col_idx).column_letter
                ws.column_dimensions[letter].width = 60
                for row in ws.iter_rows(min_row=2, min_col=col_idx, max_col=col_idx):
                    for cell in row:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")

    return write_excel(path, dict(sheets), what="la matrice", suffixes=(".xlsx",), style=style)


def _document(title: str) -> Any:
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    doc.core_properties.title = xml_text(title)
    doc.core_properties.language = "fr-FR"
    doc.add_heading(xml_text(title), level=1)
    return doc


def _para(doc: Any, text: str, *, bold_prefix: str | None = None, style: str | None = None):
    p = doc.add_paragraph(style=style)
    if bold_prefix:
        p.add_run(xml_text(bold_prefix)).bold = True
    p.add_run(xml_text(text))
    return p


def _read(source: str | PathLike[str] | pd.DataFrame, sheet=None) -> tuple[pd.DataFrame, Any]:
    if isinstance(source, pd.DataFrame):
        return source.copy(), None
    return read_table(source, sheet, convert_numbers=False, parse_dates=False), source


# --------------------------------------------------------------------------------------------
# interview guide


@dataclass(frozen=True, repr=False)
class InterviewGuide(Report):
    """An interview guide: themes → questions → relances (follow-up prompts).

    Attributes
    ----------
    table : DataFrame
        ``Thème``, ``Question``, ``Relances`` (one row per question, in order).
    title, introduction : str
    """

    table: pd.DataFrame
    title: str
    introduction: str

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_docx(self, path: str | PathLike[str]) -> Path:
        """Write the guide as a Word document (themes as headings, numbered questions)."""
        doc = _document(self.title)
        if self.introduction:
            _para(doc, self.introduction, bold_prefix="Introduction (à lire) : ")
        number = 0
        for theme, group in self.table.groupby("Thème", sort=False):
            doc.add_heading(xml_text(theme), level=2)
            for _, row in group.iterrows():
                number += 1
                _para(doc, row["Question"], bold_prefix=f"Q{number}. ")
                for relance in [r for r in row["Relances"].split("\n") if r.strip()]:
                    _para(doc, relance.strip(), bold_prefix="Relance : ", style="List Bullet")
        _para(
            doc,
            "Avez-vous quelque chose à ajouter que nous n'aurions pas abordé ? Merci pour "
            "votre temps.",
            bold_prefix="Clôture : ",
        )
        return save_docx(doc, path, what="le guide d'entretien")

    def _lines(self) -> list[str]:
        n_themes = self.table["Thème"].nunique()
        n_rel = sum(len([r for r in x.split("\n") if r.strip()]) for x in self.table["Relances"])
        return [f"{self.title} : {n_themes} thèmes, {len(self.table)} questions, {n_rel} relances."]

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Guide", self.table)]


def interview_guide(
    source: str | PathLike[str] | pd.DataFrame,
    *,
    title: str = "Guide d'entretien",
    introduction: str = "",
    sheet: str | int | None = None,
) -> InterviewGuide:
    """Build an interview guide from a small table: ``thème``, ``question``, ``relances``.

    One row per question; the theme may be written only on its first question (cells below
    left empty); several relances go in one cell separated by ``;`` or line breaks, or on
    following rows with an empty question.

    Examples
    --------
    >>> guide = interview_guide("guide.xlsx", title="Guide — usagers")  # doctest: +SKIP
    >>> guide.to_docx("guide_entretien.docx")  # doctest: +SKIP
    """
    data, where = _read(source, sheet)
    theme_col = find_column(
        data,
        ["thème", "theme", "partie"],
        required=True,
        path=where,
        what="le thème de chaque question",
    )
    q_col = find_column(
        data, ["question", "questions"], required=True, path=where, what="la question"
    )
    r_col = find_column(data, ["relances", "relance", "sous-questions", "relances possibles"])
    rows: list[dict[str, str]] = []
    theme = ""
    for line, (_, rec) in zip(line_numbers(data), data.iterrows(), strict=True):
        theme = text_of(rec[theme_col]) or theme
        question = text_of(rec[q_col])
        relances = text_of(rec[r_col]) if r_col else ""
        relances = "\n".join(r.strip() for r in re.split(r"[;\n]", relances) if r.strip())
        if not question and not relances:
            continue
        if not theme:
            raise ValidationError(
                "question sans thème.",
                path=where,
                line=line,
                column=theme_col,
                hint="indiquez le thème sur la première question de chaque partie.",
            )
        if not question:
            if not rows:
                raise ValidationError(
                    "relance sans question.",
                    path=where,
                    line=line,
                    column=q_col,
                    hint="écrivez la question avant ses relances.",
                )
            rows[-1]["Relances"] = "\n".join(x for x in (rows[-1]["Relances"], relances) if x)
            continue
        rows.append({"Thème": theme, "Question": question, "Relances": relances})
    if not rows:
        raise DataError("le guide d'entretien ne contient aucune question.", path=where)
    return InterviewGuide(pd.DataFrame(rows), title, introduction)


# --------------------------------------------------------------------------------------------
# sampling grid


def sampling_grid(
    targets: str | PathLike[str] | pd.DataFrame,
    done: Any = None,
    *,
    target_column: str | None = None,
) -> pd.DataFrame:
    """Qualitative sampling grid: planned interviews per profile, done, still missing.

    Parameters
    ----------
    targets
        One row per profile (cell of the grid): the profile columns (``statut``,
        ``ancienneté``…) and the number of interviews planned (column ``cible``, ``prévu`` or
        ``target_column``).
    done
        The interviews done: a :class:`~movsc_toolkit.lexico.Corpus`, a :class:`Codings` or a
        table of interviews with the same profile columns (``None``: none yet).

    Returns
    -------
    pandas.DataFrame
        The profile columns, ``Prévus``, ``Réalisés``, ``Manquants`` (never negative),
        ``État`` (« complet », « à compléter », « dépassé »), and a ``Total`` row.
    """
    data, where = _read(targets)
    target = target_column or find_column(
        data,
        ["cible", "prévu", "prévus", "objectif", "nombre"],
        required=True,
        path=where,
        what="le nombre d'entretiens prévus",
    )
    profile = [c for c in data.columns if c != target]
    try:
        planned = pd.to_numeric(data[target], errors="raise").astype(np.int64)
    except (ValueError, TypeError):
        raise ValidationError(
            "les nombres d'entretiens prévus doivent être des entiers.",
            path=where,
            column=target,
            hint="écrivez 2, 3… dans cette colonne.",
        ) from None
    if done is None:
        table = pd.DataFrame(columns=profile)
    elif isinstance(done, pd.DataFrame):
        table = done
    elif hasattr(done, "cases"):
        table = done.cases.reset_index(drop=True)
    else:
        table = done.metadata
    missing = [c for c in profile if c not in table.columns]
    if missing and done is not None:
        from .._errors import column_error

        raise column_error(missing[0], table.columns, what="variable")

    def key(frame: pd.DataFrame) -> pd.Series:
        if not len(frame):
            return pd.Series([], dtype=object)
        columns = [frame[c].map(text_of).str.casefold() for c in profile]
        return pd.Series(list(zip(*columns, strict=True)), dtype=object)

    made = key(table).value_counts() if done is not None and len(table) else pd.Series(dtype=int)
    out = data[profile].copy()
    out["Prévus"] = planned.to_numpy()
    out["Réalisés"] = [int(made.get(k, 0)) for k in key(data)]
    out["Manquants"] = np.maximum(out["Prévus"] - out["Réalisés"], 0)
    out["État"] = np.where(
        out["Réalisés"] > out["Prévus"],
        "dépassé",
        np.where(out["Manquants"] == 0, "complet", "à compléter"),
    )
    outside = int(len(table) - out["Réalisés"].sum()) if done is not None else 0
    total = {c: "" for c in profile}
    total[profile[0]] = "Total"
    total.update(
        {
            "Prévus": int(out["Prévus"].sum()),
            "Réalisés": int(out["Réalisés"].sum()),
            "Manquants": int(out["Manquants"].sum()),
            "État": "",
        }
    )
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out.attrs["hors_grille"] = outside
    return out


# --------------------------------------------------------------------------------------------
# RGPD


#: Fields of the information notice and consent form (``*`` = mandatory), with an example.
RGPD_FIELDS = {
    "responsable*": "Université X, 1 rue de l'Université, 75000 Paris (responsable de traitement)",
    "dpo*": "dpo@univ-x.fr (délégué·e à la protection des données)",
    "finalite*": "comprendre ce que le centre social apporte aux habitants (mémoire de master)",
    "base_legale*": "consentement | mission d'intérêt public | intérêt légitime",
    "duree_conservation*": "enregistrements effacés après transcription ; transcriptions "
    "pseudonymisées conservées jusqu'à la soutenance + 1 an",
    "enqueteur*": "Camille Martin, étudiante en master",
    "contact*": "camille.martin@etu.univ-x.fr",
    "titre": "titre de l'étude",
    "encadrant": "nom de la directrice ou du directeur de mémoire",
    "donnees": "données collectées",
    "destinataires": "qui a accès aux données",
    "transferts": "transferts hors Union européenne (« aucun » par défaut)",
    "date_retrait": "date limite pour retirer sa participation",
}

_BASES = {
    "consentement": "votre consentement (article 6.1.a du RGPD), que vous pouvez retirer à tout "
    "moment",
    "mission d'interet public": "l'exécution d'une mission d'intérêt public de recherche "
    "(article 6.1.e du RGPD)",
    "interet legitime": "l'intérêt légitime du responsable de traitement à mener des "
    "recherches (article 6.1.f du RGPD)",
}


def _fields(fields: Mapping[str, Any], document: str) -> dict[str, str]:
    from ._common import fold

    clean = {fold(k).replace(" ", "_"): text_of(v) for k, v in fields.items()}
    known = {k.rstrip("*") for k in RGPD_FIELDS}
    unknown = [k for k in clean if k not in known]
    if unknown:
        from .._errors import closest

        near = closest(unknown[0], sorted(known))
        raise ValidationError(
            f"champ inconnu « {unknown[0]} » pour {document}.",
            hint=(f"vouliez-vous dire « {near[0]} » ? " if near else "")
            + "champs possibles : "
            + ", ".join(sorted(known))
            + ".",
        )
    missing = [
        k.rstrip("*") for k in RGPD_FIELDS if k.endswith("*") and not clean.get(k.rstrip("*"))
    ]
    if missing:
        raise ValidationError(
            f"mentions obligatoires manquantes pour {document} : "
            + ", ".join(f"« {m} »" for m in missing)
            + ".",
            hint="ces mentions sont exigées par l'article 13 du RGPD (voir RGPD_FIELDS pour un "
            "exemple de chacune).",
        )
    base = fold(clean["base_legale"])
    matched = next((v for k, v in _BASES.items() if fold(k) in base), None)
    if matched is None:
        raise ValidationError(
            f"base légale « {clean['base_legale']} » non reconnue.",
            hint="choisissez « consentement », « mission d'intérêt public » (université "
            "publique) ou « intérêt légitime ».",
        )
    clean["base_texte"] = matched
    clean["consent_based"] = "1" if fold("consentement") in base else ""
    clean.setdefault("titre", "")
    clean["titre"] = clean["titre"] or "Étude par entretiens"
    clean["transferts"] = clean.get("transferts") or "aucun transfert hors de l'Union européenne"
    clean["donnees"] = clean.get("donnees") or (
        "l'enregistrement audio de l'entretien, sa transcription et quelques informations "
        "générales vous concernant (tranche d'âge, statut), sans nom ni adresse"
    )
    clean["destinataires"] = clean.get("destinataires") or (
        clean["enqueteur"]
        + (f" et {clean['encadrant']}" if clean.get("encadrant") else "")
        + " ; le jury ne lit que des extraits pseudonymisés"
    )
    return clean


def information_notice(path: str | PathLike[str], **fields: Any) -> Path:
    """Write the RGPD information notice (article 13) for interviewees, in French (.docx).

    Mandatory fields (see :data:`RGPD_FIELDS`): ``responsable``, ``dpo``, ``finalite``,
    ``base_legale``, ``duree_conservation``, ``enqueteur``, ``contact``. The notice states the
    controller, the DPO, the purpose, the legal basis, the data, the recipients, transfers,
    retention, the rights and how to use them, the right to complain to the CNIL, and that
    taking part is voluntary.

    Examples
    --------
    >>> information_notice("notice.docx", responsable="Université X…", dpo="dpo@univ-x.fr",
    ...     finalite="…", base_legale="consentement", duree_conservation="…",
    ...     enqueteur="Camille Martin", contact="camille@etu.univ-x.fr")  # doctest: +SKIP
    """
    f = _fields(fields, "la notice d'information")
    doc = _document(f"Notice d'information — {f['titre']}")
    items = [
        (
            "Qui réalise l'étude ? ",
            f"{f['enqueteur']}"
            + (f", sous la direction de {f['encadrant']}" if f.get("encadrant") else "")
            + f". Contact : {f['contact']}.",
        ),
        ("Responsable du traitement : ", f"{f['responsable']}."),
        ("Délégué·e à la protection des données (DPO) : ", f"{f['dpo']}."),
        (
            "Pourquoi ? (finalité) ",
            f"{f['finalite']}. Aucune décision vous concernant ne sera "
            "prise à partir de l'entretien.",
        ),
        ("Sur quelle base légale ? ", f"{f['base_texte']}."),
        (
            "Quelles données ? ",
            f"{f['donnees']}. Les noms de personnes et de lieux sont remplacés "
            "par des pseudonymes dans les transcriptions (données pseudonymisées, qui restent des "
            "données personnelles).",
        ),
        ("Qui y a accès ? ", f"{f['destinataires']}."),
        ("Transferts hors de l'Union européenne : ", f"{f['transferts']}."),
        ("Combien de temps ? (durée de conservation) ", f"{f['duree_conservation']}."),
        (
            "Vos droits : ",
            "vous pouvez accéder à vos données, les faire rectifier ou effacer, "
            "demander la limitation du traitement ou vous y opposer"
            + (", et retirer votre consentement à tout moment" if f["consent_based"] else "")
            + f". Pour exercer ces droits, écrivez à {f['contact']} ou au DPO ({f['dpo']}) ; une "
            "réponse vous sera donnée dans un délai d'un mois.",
        ),
        (
            "Réclamation : ",
            "si vous estimez que vos droits ne sont pas respectés, vous pouvez "
            "adresser une réclamation à la CNIL (www.cnil.fr, formulaire de plainte en ligne, ou "
            "CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07).",
        ),
        (
            "Participation : ",
            "votre participation est volontaire ; la refuser ou l'arrêter "
            "n'a aucune conséquence pour vous."
            + (
                f" Vous pouvez retirer votre participation jusqu'au {f['date_retrait']}."
                if f.get("date_retrait")
                else ""
            ),
        ),
    ]
    for prefix, text in items:
        _para(doc, text, bold_prefix=prefix)
    _para(doc, "Un exemplaire de cette notice vous est remis.")
    return save_docx(doc, path, what="la notice d'information")


def consent_form(path: str | PathLike[str], **fields: Any) -> Path:
    """Write the consent form for a recorded interview, in French (.docx).

    Same fields as :func:`information_notice`. Separate unticked boxes (CNIL): taking part,
    audio recording, quoting pseudonymised excerpts, archiving for other research (optional);
    the right to stop and withdraw; storage and destruction of the recording; signatures.
    """
    f = _fields(fields, "le formulaire de consentement")
    doc = _document(f"Formulaire de consentement — {f['titre']}")
    _para(
        doc,
        f"Étude menée par {f['enqueteur']} ({f['contact']}) ; responsable du traitement : "
        f"{f['responsable']} ; DPO : {f['dpo']}.",
    )
    _para(
        doc,
        "J'ai lu la notice d'information qui m'a été remise et j'ai pu poser mes "
        "questions. Je coche les cases qui correspondent à mon choix :",
    )
    boxes = [
        "J'accepte de participer à l'entretien.",
        "J'accepte que l'entretien soit enregistré (audio).",
        "J'accepte que des extraits pseudonymisés de mes propos soient cités dans le mémoire "
        "et ses présentations.",
        "(Facultatif) J'accepte que la transcription pseudonymisée soit conservée pour "
        "d'autres recherches.",
    ]
    if f["consent_based"]:
        boxes.insert(
            1,
            "J'accepte le traitement de mes données personnelles décrit dans la "
            "notice (base légale : consentement).",
        )
    for text in boxes:
        _para(doc, "☐ Oui   ☐ Non   " + text)
    _para(
        doc,
        "Je peux interrompre l'entretien ou l'enregistrement à tout moment, sans avoir à "
        "me justifier, et retirer ma participation ensuite"
        + (f" jusqu'au {f['date_retrait']}" if f.get("date_retrait") else "")
        + f" en écrivant à {f['contact']}.",
    )
    _para(
        doc,
        f"L'enregistrement est conservé sur un espace de stockage sécurisé de "
        f"l'établissement, écouté seulement par {f['enqueteur']}"
        + (f" et {f['encadrant']}" if f.get("encadrant") else "")
        + f" ; durée de conservation : {f['duree_conservation']}.",
    )
    _para(doc, "Fait en deux exemplaires, un pour chaque signataire.")
    table = doc.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    labels = [
        ("Participant·e", "Enquêteur·rice"),
        ("Nom :", f"Nom : {f['enqueteur']}"),
        ("Date :", "Date :"),
        ("Signature :", "Signature :"),
    ]
    for r, (left, right) in enumerate(labels):
        table.cell(r, 0).text = xml_text(left)
        table.cell(r, 1).text = xml_text(right)
    return save_docx(doc, path, what="le formulaire de consentement")


# --------------------------------------------------------------------------------------------
# triangulation and restitution


def triangulation(
    hypotheses: str | PathLike[str] | pd.DataFrame,
    codings: Any,
    *,
    interview_threshold: float = 1 / 3,
) -> pd.DataFrame:
    """Triangulation table: hypothesis → survey indicator → interview themes → converges?

    Parameters
    ----------
    hypotheses
        One row per hypothesis with columns ``hypothèse``, ``indicateur`` (the survey
        indicator, in words), ``valeur`` (its value from the survey, e.g. a % computed with
        :func:`movsc_toolkit.survey.freq` or :func:`movsc_toolkit.kpi.indicator_from_survey`),
        ``seuil`` (the value from which the survey supports the hypothesis) and ``codes``
        (codes or themes of the interviews that bear on it, separated by ``;``). Optional
        ``sens``: ``≥`` (default: the survey supports when valeur ≥ seuil) or ``≤``.
    codings
        The coded interviews (:class:`Codings`).
    interview_threshold
        Share of interviews evoking the codes from which the interviews support the
        hypothesis (default one third).

    Returns
    -------
    pandas.DataFrame
        The columns given, plus ``Entretiens`` (interviews evoking the codes), ``% des
        entretiens``, ``Enquête`` and ``Entretiens : appui`` (« confirme » / « ne confirme
        pas »), ``Lecture`` (« converge » / « diverge »), and an example ``Verbatim``. The
        reading is a starting point: the student writes the interpretation.
    """
    data, where = _read(hypotheses)
    h_col = find_column(
        data,
        ["hypothèse", "hypothese", "hypothèses"],
        required=True,
        path=where,
        what="l'hypothèse",
    )
    i_col = find_column(
        data,
        ["indicateur", "indicateur enquête"],
        required=True,
        path=where,
        what="l'indicateur d'enquête",
    )
    v_col = find_column(
        data,
        ["valeur", "valeur enquête", "résultat"],
        required=True,
        path=where,
        what="la valeur de l'indicateur dans l'enquête",
    )
    s_col = find_column(
        data,
        ["seuil", "seuil enquête"],
        required=True,
        path=where,
        what="le seuil à partir duquel l'enquête appuie l'hypothèse",
    )
    c_col = find_column(
        data,
        ["codes", "thèmes", "code", "thème"],
        required=True,
        path=where,
        what="les codes des entretiens",
    )
    d_col = find_column(data, ["sens"])
    ex = codings.excerpts
    book = codings.codebook
    n_docs = len(codings.documents)
    rows = []
    for line, (_, rec) in zip(line_numbers(data), data.iterrows(), strict=True):
        names = [c.strip() for c in re.split(r"[;,]", text_of(rec[c_col])) if c.strip()]
        for name in names:
            book.check(
                name, where=" (colonne des codes de la triangulation)", path=where, line=line
            )
        wanted = {c for c in book.codes if c in names or book.theme_of(c) in names}
        sub = ex[ex["code"].isin(wanted)]
        n = sub["texte"].nunique()
        try:
            value = float(str(rec[v_col]).replace(",", ".").replace("%", "").strip())
            threshold = float(str(rec[s_col]).replace(",", ".").replace("%", "").strip())
        except ValueError:
            raise ValidationError(
                "valeur ou seuil illisible.",
                path=where,
                line=line,
                column=v_col,
                hint="écrivez des nombres (par exemple 62,5 pour 62,5 %).",
            ) from None
        direction = text_of(rec[d_col]) if d_col else "≥"
        survey_ok = value <= threshold if direction in ("≤", "<=", "<") else value >= threshold
        share = n / max(n_docs, 1)
        interviews_ok = share >= interview_threshold
        verbatim = ""
        if len(sub):
            lengths = sub["extrait"].str.len()
            pick = sub[(lengths >= 40) & (lengths <= 300)]
            pick = pick if len(pick) else sub
            verbatim = " ".join(pick["extrait"].iloc[0].split())
        rows.append(
            {
                "Hypothèse": text_of(rec[h_col]),
                "Indicateur (enquête)": text_of(rec[i_col]),
                "Valeur": value,
                "Seuil": threshold,
                "Codes (entretiens)": ", ".join(names),
                "Entretiens": n,
                "% des entretiens": 100 * share,
                "Enquête": "confirme" if survey_ok else "ne confirme pas",
                "Entretiens : appui": "confirme" if interviews_ok else "ne confirme pas",
                "Lecture": "converge" if survey_ok == interviews_ok else "diverge",
                "Verbatim": verbatim,
            }
        )
    out = pd.DataFrame(rows)
    out.index = pd.RangeIndex(1, len(out) + 1, name="H")
    return out


def restitution(
    path: str | PathLike[str],
    codings: Any,
    *,
    title: str = "Ce que vous nous avez dit",
    context: str = "",
    findings: Sequence[str] = (),
    next_steps: Sequence[str] = (),
    contact: str = "",
    n_themes: int = 4,
    pseudonyms: Any = None,
) -> Path:
    """One-page restitution note (.docx) for the participants and the board (CA).

    It gives the context (how many interviews, with whom), the themes most often evoked with
    their share of interviews and one short pseudonymised verbatim each, the findings and next
    steps written by the student, and a contact.
    """
    from ._analysis import verbatims

    book = codings.codebook
    ex = codings.excerpts
    themes = (
        ex.assign(theme=ex["code"].map(book.theme_of))
        .groupby("theme")["texte"]
        .nunique()
        .sort_values(ascending=False, kind="stable")
    )
    doc = _document(title)
    n_docs = len(codings.documents)
    _para(
        doc,
        (context + " " if context else "")
        + f"{n_docs} personnes ont été interrogées. Les noms ont été remplacés ; aucune "
        "réponse ne permet de reconnaître quelqu'un.",
        bold_prefix="Contexte : ",
    )
    doc.add_heading("Les thèmes les plus souvent abordés", level=2)
    for theme, n in themes.head(n_themes).items():
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(xml_text(f"{theme}")).bold = True
        p.add_run(
            xml_text(
                f" — évoqué dans {n} entretiens sur {n_docs} "
                f"({format_number(100 * n / max(n_docs, 1), 0)} %)."
            )
        )
        quotes = verbatims(codings, theme, profile=[], pseudonyms=pseudonyms)
        quotes = quotes[quotes["Verbatim"].str.len().between(40, 220)]
        if len(quotes):
            p.add_run(xml_text(f" « {quotes['Verbatim'].iloc[0]} »")).italic = True
    if findings:
        doc.add_heading("Ce que nous en retenons", level=2)
        for item in findings:
            doc.add_paragraph(xml_text(item), style="List Bullet")
    if next_steps:
        doc.add_heading("Et maintenant ?", level=2)
        for item in next_steps:
            doc.add_paragraph(xml_text(item), style="List Bullet")
    if contact:
        _para(doc, contact, bold_prefix="Contact : ")
    return save_docx(doc, path, what="la note de restitution")


# --------------------------------------------------------------------------------------------
# problem / objectives tree and the note for the board


def plot_tree(
    centre: str,
    causes: Mapping[str, Sequence[str]] | Sequence[str],
    effects: Sequence[str] = (),
    *,
    title: str = "Arbre à problèmes",
    ax: Any = None,
) -> Any:
    """Draw a problem tree (or an objectives tree): effects above, the centre, causes below.

    Parameters
    ----------
    centre
        The central problem (or, for an objectives tree, the specific objective).
    causes
        The causes (means), each with its sub-causes: ``{"cause": ["sous-cause", …]}``, or a
        plain list.
    effects
        The consequences (ends), drawn above the centre.

    Returns
    -------
    matplotlib Axes
    """
    import textwrap

    import matplotlib.pyplot as plt

    causes = dict(causes) if isinstance(causes, Mapping) else {c: [] for c in causes}
    width = max(len(causes), len(effects), 1)
    if ax is None:
        _, ax = plt.subplots(figsize=(min(3.2 * width + 1, 16), 6.5))

    def box(x: float, y: float, text: str, colour: str) -> None:
        ax.text(
            x,
            y,
            textwrap.fill(text, 22),
            ha="center",
            va="center",
            fontsize=8.5,
            zorder=3,
            bbox={"boxstyle": "round,pad=0.4", "facecolor": colour, "edgecolor": "#555555"},
        )

    def arrow(x0: float, y0: float, x1: float, y1: float) -> None:
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops={"arrowstyle": "->", "color": "#555555"},
            zorder=1,
        )

    def xs(n: int) -> list[float]:
        return [(i + 0.5) * width / n for i in range(n)]

    mid = width / 2
    box(mid, 0, centre, "#fdd0a2")
    for x, effect in zip(xs(len(effects)), effects, strict=True):
        box(x, 1.3, effect, "#c6dbef")
        arrow(mid, 0.25, x, 1.05)
    for x, (cause, subs) in zip(xs(len(causes)), causes.items(), strict=True):
        box(x, -1.3, cause, "#fee6ce")
        arrow(x, -1.05, mid, -0.25)
        for k, sub in enumerate(subs):
            box(x, -2.3 - 0.9 * k, sub, "#f0f0f0")
            arrow(x, -2.05 - 0.9 * k, x, -1.55 - 0.9 * k)
    depth = max([len(s) for s in causes.values()] + [0])
    ax.set_xlim(0, width)
    ax.set_ylim(-2.8 - 0.9 * max(depth - 1, 0), 1.9 if effects else 0.6)
    ax.set_axis_off()
    ax.set_title(title)
    return ax


def project_note(
    path: str | PathLike[str],
    project: Any,
    *,
    title: str,
    diagnostic: Sequence[str],
    objective: str,
    decision: str = "",
    resources: str = "",
) -> Path:
    """One-page note for the board (CA): diagnosis, objective, indicators, milestones, means.

    ``project`` is a :class:`movsc_toolkit.kpi.Project`: its indicators with their reference
    and target values, its milestones and its budget are tabulated.
    """
    doc = _document(title)
    doc.add_heading("Ce que montre le diagnostic", level=2)
    for item in diagnostic:
        doc.add_paragraph(xml_text(item), style="List Bullet")
    _para(doc, objective, bold_prefix="Objectif du projet : ")
    values = project.valeurs
    ind = project.indicateurs.reset_index(drop=True)
    rows = []
    for _, r in ind.iterrows():
        own = values[(values["code"] == r["code"]) & values["dimension_nom"].fillna("").eq("")]
        ref = own.loc[own["type_valeur"] == "reference", "valeur"]
        tgt = own.loc[own["type_valeur"] == "cible", "valeur"]
        unit = text_of(r.get("unite", ""))
        rows.append(
            (
                text_of(r["libelle"]),
                (format_number(ref.iloc[-1], 1) + f" {unit}") if len(ref) else "—",
                (format_number(tgt.iloc[-1], 1) + f" {unit}") if len(tgt) else "—",
            )
        )
    doc.add_heading("Indicateurs (référence issue de l'enquête → cible)", level=2)
    table = doc.add_table(rows=len(rows) + 1, cols=3)
    table.style = "Table Grid"
    for c, head in enumerate(("Indicateur", "Référence", "Cible")):
        table.cell(0, c).text = head
    for i, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            table.cell(i, c).text = xml_text(value)
    jalons = project.jalons
    if jalons is not None and len(jalons):
        doc.add_heading("Jalons", level=2)
        for _, j in jalons.iterrows():
            date = pd.Timestamp(j["date_prevue"]).strftime("%d/%m/%Y")
            who = text_of(j.get("responsable", ""))
            doc.add_paragraph(
                xml_text(f"{date} — {j['libelle']}" + (f" ({who})" if who else "")),
                style="List Bullet",
            )
    budget = project.budget
    if resources or (budget is not None and len(budget)):
        total = (
            float(pd.to_numeric(budget["montant_prevu"], errors="coerce").sum())
            if budget is not None and len(budget)
            else None
        )
        text = resources + (
            f" Budget prévu : {format_number(total, 0)} €." if total is not None else ""
        )
        _para(doc, text.strip(), bold_prefix="Moyens : ")
    if decision:
        _para(doc, decision, bold_prefix="Décision attendue du CA : ")
    return save_docx(doc, path, what="la note au conseil d'administration")
