"""A French evaluation summary for the comité de pilotage: achieved, lagging, actions."""

from __future__ import annotations

import pandas as pd

from .._format import MISSING, format_date, format_number, format_percent
from .._report import Report, result
from ._cells import DateLike
from ._markdown import markdown_html
from .dashboard import dashboard
from .model import Project
from .tracking import milestones, resolve_as_of

__all__ = ["EvaluationSummary", "evaluation_summary"]


@result
class EvaluationSummary(Report):
    """The evaluation summary of a project as of a date.

    Attributes
    ----------
    markdown
        The French text, in Markdown (titles, bullets, bold), printed by ``print(summary)``
        and shown as HTML in a notebook.
    counts
        The number of indicators per status (keys: :data:`~movsc_toolkit.kpi.STATUTS`).
    as_of
        The date of the follow-up.

    Examples
    --------
    >>> from movsc_toolkit import datasets, kpi
    >>> synthese = kpi.evaluation_summary(datasets.load("projet_cap_avenir"), "31/12/2025")
    >>> print(synthese.markdown.splitlines()[0])
    ## Évaluation du projet « Cap Avenir » au 31/12/2025
    >>> synthese.counts["en retard"]
    2
    """

    markdown: str
    counts: dict[str, int]
    as_of: pd.Timestamp

    def _lines(self) -> list[str]:
        return self.markdown.splitlines()

    def _repr_markdown_(self) -> str:
        return self.markdown

    def _repr_html_(self) -> str:
        # the text is Markdown: its titles, bullets and bold are rendered, not escaped
        return markdown_html(self.markdown)

    def to_frame(self) -> pd.DataFrame:
        """The number of indicators per status (column ``Indicateurs``, index ``Statut``)."""
        return pd.DataFrame({"Indicateurs": pd.Series(self.counts)}).rename_axis("Statut")


def _num(x: float) -> str:
    if pd.isna(x):
        return MISSING
    return format_number(x, 0 if abs(x) >= 100 or float(x).is_integer() else 1)


def _unit(row: pd.Series) -> str:
    unit = row["Unité"]
    return (
        f" {unit}" if isinstance(unit, str) and unit not in {"%"} else (" %" if unit == "%" else "")
    )


def _levels(project: Project, code: str) -> tuple[str | None, list[str]]:
    """The logframe level an indicator informs and the activities under it."""
    niveau = project.indicators.at[code, "niveau_id"]
    lf = project.logframe
    if not isinstance(niveau, str) or niveau not in set(lf["niveau_id"]):
        return None, []
    row = lf[lf["niveau_id"] == niveau].iloc[0]
    label = f"{niveau} « {row['libelle']} »" if isinstance(row["libelle"], str) else niveau
    children = lf[(lf["parent_id"] == niveau) & (lf["niveau"] == "activite")]
    if row["niveau"] == "activite":
        children = lf[lf["niveau_id"] == niveau]
    return label, [
        f"{a} ({b})" for a, b in zip(children["niveau_id"], children["libelle"], strict=True)
    ]


def evaluation_summary(
    project: Project, as_of: DateLike | None = None, *, target: str = "courante"
) -> EvaluationSummary:
    """Write the evaluation summary of a project as of a date, in French (Markdown).

    It says what is achieved, what is on track, what lags (with the projection at the end
    of the period), what is not measured, which milestones are late, and proposes actions
    to adjust: for each lagging indicator, the level of the logframe it informs and the
    activities under it; for each unmeasured indicator, the collection to organise; for each
    late milestone, a new planning. The statuses follow the rules of
    :func:`indicator_status`.

    Parameters
    ----------
    project
        The project (:class:`Project`).
    as_of
        Date of the follow-up (default: the end of the latest realised period).
    target
        ``"courante"`` or ``"finale"`` (see :func:`indicator_status`).

    Returns
    -------
    EvaluationSummary
        The text (``.markdown``) and the number of indicators per status (``.to_frame()``).

    Examples
    --------
    >>> from movsc_toolkit import datasets, kpi
    >>> synthese = kpi.evaluation_summary(datasets.load("projet_cap_avenir"), "31/12/2025")
    >>> synthese.to_frame()
                   Indicateurs
    Statut
    atteint                  0
    en bonne voie            3
    à surveiller             3
    en retard                2
    sans cible               0
    non mesuré               0
    """
    as_of = resolve_as_of(project, as_of)
    board = dashboard(project, as_of, target=target)
    table = board.to_frame()
    miles = milestones(project, as_of)
    counts = board.counts
    lines = [f"## Évaluation du projet « {project.name} » au {format_date(as_of)}", ""]
    plural = {"atteint": "atteints", "non mesuré": "non mesurés"}
    parts = [f"{n} {plural.get(s, s) if n > 1 else s}" for s, n in counts.items() if n]
    if parts:
        lines.append(f"Sur {len(table)} indicateurs : " + ", ".join(parts) + ".")
    else:
        lines.append("Le projet n'a encore aucun indicateur.")
    if len(miles):
        late = miles[miles["État"] == "en retard"]
        passed = miles[miles["État"].isin(["franchi", "franchi en retard"])]
        lines.append(f"Jalons : {len(passed)} franchi(s) sur {len(miles)}, {len(late)} en retard.")
    lines.append("")

    def describe(code: str, row: pd.Series) -> str:
        u = _unit(row)
        text = f"**{code}** {row['Indicateur']} : {_num(row['Réalisé'])}{u} pour une cible de "
        text += f"{_num(row['Cible'])}{u}"
        if pd.notna(row["Taux de réalisation (%)"]):
            text += f" (taux de réalisation {format_percent(row['Taux de réalisation (%)'])})"
        return text

    sections = [
        ("atteint", "Ce qui est atteint"),
        ("en bonne voie", "Ce qui est en bonne voie"),
    ]
    for status, title in sections:
        sub = table[table["Statut"] == status]
        if len(sub):
            lines.append(f"### {title}")
            lines += [f"- {describe(c, r)}." for c, r in sub.iterrows()]
            lines.append("")
    lagging = table[table["Statut"].isin(["à surveiller", "en retard"])]
    if len(lagging):
        lines.append("### Ce qui prend du retard")
        for code, r in lagging.iterrows():
            text = f"- {describe(code, r)}, **{r['Statut']}**"
            if pd.notna(r["Progression vers la cible (%)"]):
                text += (
                    f" : progression de {format_percent(r['Progression vers la cible (%)'])}"
                    f" vers la cible pour {format_percent(r['Période écoulée (%)'])} de la "
                    "période écoulée"
                )
            if pd.notna(r["Projection fin de période"]) and pd.notna(r["Cible"]):
                projected = r["Projection fin de période"]
                if project.indicators.at[code, "mesure"] == "nombre":
                    projected = round(projected)
                text += f" ; au rythme actuel, {_num(projected)}{_unit(r)} en fin de période"
            lines.append(text + ".")
        lines.append("")
    no_target = table[table["Statut"] == "sans cible"]
    if len(no_target):
        lines.append("### Ce qui est mesuré sans cible")
        for code, r in no_target.iterrows():
            lines.append(
                f"- **{code}** {r['Indicateur']} : {_num(r['Réalisé'])}{_unit(r)} réalisé(s), "
                "mais aucune cible n'est fixée : impossible de dire si c'est assez."
            )
        lines.append("")
    unmeasured = table[table["Statut"] == "non mesuré"]
    if len(unmeasured):
        lines.append("### Ce qui n'est pas mesuré")
        for code, r in unmeasured.iterrows():
            text = f"- **{code}** {r['Indicateur']}"
            if isinstance(r["Commentaire"], str):
                text += f" : « {r['Commentaire'].rstrip('. ')} »"
            elif isinstance(r["Remarque"], str):
                text += f" : {r['Remarque']}"
            lines.append(text + ".")
        lines.append("")
    late = miles[miles["État"] == "en retard"]
    if len(late):
        lines.append("### Jalons en retard")
        for code, r in late.iterrows():
            who = f", responsable : {r['Responsable']}" if isinstance(r["Responsable"], str) else ""
            lines.append(
                f"- **{code}** {r['Jalon']} : prévu le {format_date(r['Date prévue'])}, "
                f"{r['Retard (jours)']} jours de retard{who}."
            )
        lines.append("")
    actions = []
    for code, r in table[table["Statut"] == "en retard"].iterrows():
        level, activities = _levels(project, code)
        text = f"**{code}** : renforcer"
        text += f" les activités {', '.join(activities)}" if activities else " les activités"
        text += f" qui servent {level}" if level else ""
        text += ", ou renégocier la cible avec les financeurs si elle n'est plus réaliste"
        if isinstance(r["Responsable"], str):
            text += f" (responsable : {r['Responsable']})"
        actions.append(text + ".")
    for code in table.index[table["Statut"] == "à surveiller"]:
        actions.append(
            f"**{code}** : analyser l'écart avec l'équipe et décider au prochain comité s'il "
            "faut ajuster les activités."
        )
    for code, r in unmeasured.iterrows():
        if project.indicators.at[code, "mesure"] == "qualitatif":
            continue
        src = project.indicators.at[code, "source_verification"]
        text = f"**{code}** : organiser la collecte"
        text += f" ({src})" if isinstance(src, str) else ""
        if isinstance(r["Responsable"], str):
            text += f", responsable : {r['Responsable']}"
        actions.append(text + ".")
    for code, r in late.iterrows():
        actions.append(
            f"**{code}** : replanifier le jalon « {r['Jalon']} » et ses suites dans le plan "
            "d'actions."
        )
    n_err = int((project.problems["gravité"] == "erreur").sum())
    if n_err:
        what = "l'erreur" if n_err == 1 else f"les {n_err} erreurs"
        actions.append(
            f"Corriger {what} du classeur (lignes ignorées, voir projet.problems) avant le comité."
        )
    if actions:
        lines.append("### Actions à ajuster")
        lines += [f"- {a}" for a in actions]
    else:
        lines.append("Aucun ajustement du plan d'actions ne s'impose à cette date.")
    text = "\n".join(lines).rstrip() + "\n"
    return EvaluationSummary(markdown=text, counts=counts, as_of=as_of)
