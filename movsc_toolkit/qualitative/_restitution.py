"""Giving the results back: triangulation with the survey, restitution note for the
participants, problem / objectives tree and the project note for the board (.docx).

The problem and objectives trees are the analyses that precede the logframe (eval.fr, « Le
cadre logique »). Checked by ``tests/qualitative/test_qualitative.py``
(``test_triangulation_and_restitution``, ``test_plot_tree_and_project_note``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._errors import ValidationError
from .._format import format_number
from .._write import save_docx, xml_text
from ._common import find_column, line_numbers, text_of
from ._framework import verbatims
from ._office import add_paragraph, new_document, read_source

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_tree", "project_note", "restitution", "triangulation"]


def triangulation(
    hypotheses: str | PathLike[str] | pd.DataFrame,
    codings: Any,
    *,
    min_rate: float = 1 / 3,
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
    min_rate
        Share of interviews evoking the codes from which the interviews support the
        hypothesis (default one third).

    Returns
    -------
    pandas.DataFrame
        The columns given, plus ``Entretiens`` (interviews evoking the codes), ``% des
        entretiens``, ``Enquête`` and ``Entretiens : appui`` (« confirme » / « ne confirme
        pas »), ``Lecture`` (« converge » / « diverge »), and an example ``Verbatim``. The
        reading is a starting point: the student writes the interpretation.

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> import pandas as pd
    >>> hypotheses = pd.DataFrame({
    ...     "hypothèse": ["Le centre crée du lien"], "indicateur": ["usagers amis (%)"],
    ...     "valeur": [62.0], "seuil": [50], "codes": ["Lien social"]})
    >>> table = quali.triangulation(hypotheses, codage.coder("Nora"))
    >>> table[["Entretiens", "Enquête", "Entretiens : appui", "Lecture"]]
       Entretiens   Enquête Entretiens : appui   Lecture
    H
    1          20  confirme           confirme  converge
    """
    data, where = read_source(hypotheses)
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
        interviews_ok = share >= min_rate
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

    Parameters
    ----------
    path
        The ``.docx`` file to write.
    codings
        The coded interviews (:class:`Codings`).
    title
        The note's title.
    context
        The study's context, at the top of the note.
    findings
        The main findings, in the student's words.
    next_steps
        What happens next.
    contact
        Who to contact.
    n_themes
        Number of themes presented (the most evoked), each with a short verbatim.
    pseudonyms
        Pseudonyms applied to the verbatims (real name → pseudonym).

    Returns
    -------
    pathlib.Path
        The note written.

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> import tempfile
    >>> from pathlib import Path
    >>> chemin = Path(tempfile.mkdtemp()) / "restitution.docx"
    >>> quali.restitution(chemin, codage.coder("Nora"), context="Entretiens de 2026.").name
    'restitution.docx'
    """
    book = codings.codebook
    ex = codings.excerpts
    themes = (
        ex.assign(theme=ex["code"].map(book.theme_of))
        .groupby("theme")["texte"]
        .nunique()
        .sort_values(ascending=False, kind="stable")
    )
    doc = new_document(title)
    n_docs = len(codings.documents)
    add_paragraph(
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
        add_paragraph(doc, contact, bold_prefix="Contact : ")
    return save_docx(doc, path, what="la note de restitution")


def plot_tree(
    centre: str,
    causes: Mapping[str, Sequence[str]] | Sequence[str],
    effects: Sequence[str] = (),
    *,
    title: str = "Arbre à problèmes",
    ax: Axes | None = None,
) -> Axes:
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

    Examples
    --------
    >>> from movsc_toolkit import qualitative as quali
    >>> ax = quali.plot_tree(
    ...     "Isolement des habitants âgés",
    ...     {"Peu de lieux de rencontre": ["Fermeture du café"], "Fracture numérique": []},
    ...     ["Perte d'autonomie"])
    >>> ax.get_title()
    'Arbre à problèmes'
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

    Parameters
    ----------
    path
        The ``.docx`` file to write.
    project
        The project (:class:`movsc_toolkit.kpi.Project`): its logframe, indicators and
        milestones fill the note.
    title
        The note's title.
    diagnostic
        The findings of the diagnosis, one sentence each.
    objective
        The project's objective.
    decision
        The decision expected from the board.
    resources
        The resources asked for.

    Returns
    -------
    pathlib.Path
        The note written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> projet = datasets.load("projet_cap_avenir")
    >>> chemin = Path(tempfile.mkdtemp()) / "note.docx"
    >>> quali.project_note(chemin, projet, title="Cap Avenir",
    ...                    diagnostic=["Peu de jeunes suivis."],
    ...                    objective="Accompagner 200 jeunes").name
    'note.docx'
    """
    doc = new_document(title)
    doc.add_heading("Ce que montre le diagnostic", level=2)
    for item in diagnostic:
        doc.add_paragraph(xml_text(item), style="List Bullet")
    add_paragraph(doc, objective, bold_prefix="Objectif du projet : ")
    values = project.values
    ind = project.indicators.reset_index(drop=True)
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
    jalons = project.milestones
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
        add_paragraph(doc, text.strip(), bold_prefix="Moyens : ")
    if decision:
        add_paragraph(doc, decision, bold_prefix="Décision attendue du CA : ")
    return save_docx(doc, path, what="la note au conseil d'administration")
