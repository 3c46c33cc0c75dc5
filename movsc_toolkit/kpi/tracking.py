"""Following the indicators as of a date: realised values, rates, progression, status.

Every computation takes ``as_of``: realised values whose period ends after it are ignored
(targets and baselines are not: they describe where the project wants to go). The definitions
and the status rules are written in :func:`indicator_status`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._errors import DataError, column_error
from .._parse import parse_date
from ._cells import DateLike, key
from ._lookup import FOLLOW_UP_COLUMNS, Keys, equals, lookup, remarks, select
from .model import Project

__all__ = [
    "disaggregate",
    "indicator_status",
    "milestones",
    "resolve_as_of",
    "trajectory",
]

_DAY = pd.Timedelta(days=1)


def resolve_as_of(project: Project, as_of: DateLike | None) -> pd.Timestamp:
    """The date of the follow-up: ``as_of`` read with the shared date parser, or by default
    the end of the last realised period (else the last milestone date)."""
    if as_of is not None:
        return parse_date(as_of)
    real = project.values[project.values["type_valeur"] == "realise"]
    if len(real):
        return pd.Timestamp(real["periode_fin"].max())
    dates = pd.concat(
        [project.milestones["date_reelle"], project.milestones["date_prevue"]]
    ).dropna()
    if len(dates):
        return pd.Timestamp(dates.max())
    raise DataError(
        "le projet n'a encore aucune valeur réalisée : impossible de deviner la date du suivi.",
        hint="précisez la date, par exemple as_of='31/03/2026'.",
    )


def _check_code(project: Project, code: str | None) -> None:
    if code is not None and code not in project.indicators.index:
        raise column_error(code, project.indicators.index, what="indicateur")


def _targets(project: Project, as_of: pd.Timestamp, target: str) -> pd.DataFrame:
    """One target per indicator (total level): see :func:`indicator_status`."""
    v = project.values
    t = select(
        v,
        equals(v["type_valeur"], "cible") & v["dimension_nom"].isna() & v["valeur"].notna(),
        ["code", "periode_debut", "periode_fin", "valeur"],
    )
    if target == "finale":
        t = t.sort_values(["code", "periode_fin", "periode_debut"], ascending=[True, False, True])
    elif target == "courante":
        future = t["periode_fin"] >= as_of
        fin = t["periode_fin"].to_numpy().astype("int64")
        t = t.assign(_past=~future, _k=np.where(future, fin, -fin))
        t = t.sort_values(["code", "_past", "_k", "periode_debut"], kind="stable")
    else:
        raise DataError(
            f"target = « {target} » n'est pas prévu.",
            hint="choisissez target='courante' (la cible de la période en cours) ou "
            "target='finale' (la dernière cible).",
        )
    t = t.groupby("code", sort=False).head(1).set_index("code")
    return t.rename(
        columns={"periode_debut": "debut_cible", "periode_fin": "fin_cible", "valeur": "cible"}
    )[["cible", "debut_cible", "fin_cible"]]


def _references(project: Project) -> pd.Series:
    v = project.values
    r = select(
        v,
        equals(v["type_valeur"], "reference") & v["dimension_nom"].isna() & v["valeur"].notna(),
        ["code", "periode_fin", "ligne", "valeur"],
    )
    r = r.sort_values(["code", "periode_fin", "ligne"], kind="stable")
    return r.groupby("code")["valeur"].last()


def _realisedselect(
    project: Project, as_of: pd.Timestamp, targets: pd.DataFrame, dimension: bool = False
) -> pd.DataFrame:
    """Realised rows that count as of ``as_of`` for the chosen target's window."""
    v = project.values
    mask = equals(v["type_valeur"], "realise") & (v["periode_fin"] <= as_of) & v["valeur"].notna()
    mask &= v["dimension_nom"].notna() if dimension else v["dimension_nom"].isna()
    r = select(v, mask, FOLLOW_UP_COLUMNS)
    ind = project.indicators
    code = Keys(r["code"])
    agg = lookup(code, ind["agregation"])
    start = lookup(code, targets["debut_cible"])
    end = lookup(code, targets["fin_cible"])
    has_target = start.notna()
    window = ~has_target | (
        ((agg == "cumul") | (r["periode_debut"] >= start)) & (r["periode_fin"] <= end)
    )
    return r[window]


def _aggregate(rows: pd.DataFrame, keys: list[str], ind: pd.DataFrame) -> pd.DataFrame:
    """Realised value by each indicator's aggregation, grouped by ``keys`` (code first)."""
    rows = rows.sort_values(["periode_fin", "ligne"], kind="stable")
    index = None
    if len(keys) == 1:
        # one key: grouped on integer ids numbered as groupby(sort=False) does (order of
        # first appearance), the text key hashed once as Python objects
        ids, uniques = pd.factorize(rows[keys[0]].to_numpy())
        kept = ids >= 0
        values = rows[["valeur", "numerateur_valeur", "denominateur_valeur", "periode_fin"]]
        g = values[kept].groupby(ids[kept], sort=False)
        index = pd.Index(uniques, name=keys[0])
    else:
        g = rows.groupby(keys, sort=False)
    # one call per statistic: a named ``agg`` costs several times more (same kernels)
    sums = g[["valeur", "numerateur_valeur", "denominateur_valeur"]].sum()
    out = pd.DataFrame(
        {
            "_sum": sums["valeur"],
            "_mean": g["valeur"].mean(),
            "_last": g["valeur"].last(),
            "_num": sums["numerateur_valeur"],
            "_den": sums["denominateur_valeur"],
            "_n": g.size(),
            "_fin": g["periode_fin"].max(),
        }
    )
    if index is not None:
        out.index = index
    code = out.index.get_level_values(0) if isinstance(out.index, pd.MultiIndex) else out.index
    code = pd.Series(code.to_numpy(dtype=object), index=range(len(code)))
    agg = lookup(code, ind["agregation"]).to_numpy()
    fac = lookup(code, ind["facteur"]).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(out["_den"] > 0, out["_num"] / out["_den"] * fac, np.nan)
    out["realise"] = np.select(
        [agg == "moyenne", agg == "dernier", agg == "ratio"],
        [out["_mean"], out["_last"], ratio],
        out["_sum"],
    )
    return out


def _trend_at_end(rows: pd.DataFrame, targets: pd.DataFrame) -> pd.Series:
    """Least-squares line through each indicator's period values, evaluated at the end."""
    if rows.empty:
        return pd.Series(dtype=float)
    end = lookup(rows["code"], targets["fin_cible"])
    x = (rows["periode_fin"] - rows["periode_fin"].min()).dt.days.astype(float)
    x_end = (end - rows["periode_fin"].min()).dt.days.astype(float)
    y = rows["valeur"].astype(float)
    tmp = pd.DataFrame({"x": x, "y": y, "xx": x * x, "xy": x * y, "xe": x_end})
    # grouped on integer ids numbered in the codes' sorted order, as groupby("code") does
    # (the sums then add in the very same order)
    ids, codes = pd.factorize(rows["code"].to_numpy(), sort=True)
    g = tmp.groupby(ids)
    # one call per statistic: a named ``agg`` costs several times more (same kernels)
    sums = g[["x", "y", "xx", "xy"]].sum()
    s = pd.DataFrame(
        {
            "n": g.size(),
            "sx": sums["x"],
            "sy": sums["y"],
            "sxx": sums["xx"],
            "sxy": sums["xy"],
            "xe": g["xe"].first(),
        }
    )
    s.index = pd.Index(codes[s.index.to_numpy()], name="code")
    denom = s["n"] * s["sxx"] - s["sx"] ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (s["n"] * s["sxy"] - s["sx"] * s["sy"]) / denom
        intercept = (s["sy"] - slope * s["sx"]) / s["n"]
    trend = intercept + slope * s["xe"]
    return trend.where((s["n"] >= 2) & (denom > 0))


def indicator_status(
    project: Project, as_of: DateLike | None = None, *, target: str = "courante"
) -> pd.DataFrame:
    """Every measure of every indicator as of a date (the engine behind ``dashboard``).

    Parameters
    ----------
    project
        A project read by :func:`read_project`.
    as_of
        Date of the follow-up (``"31/03/2026"``). Realised values whose period ends after it
        are ignored. Default: the end of the latest realised period.
    target
        ``"courante"`` (default): the target of the period in progress, i.e. among the
        indicator's targets (total level) the one ending first on or after ``as_of`` (the
        longest one on a tie); when all have ended, the last one. ``"finale"``: always the
        target ending last.

    Returns
    -------
    pandas.DataFrame
        Indexed by indicator code, with raw (unrounded) numbers: ``reference``, ``cible``,
        ``realise``, ``taux``, ``progression``, ``ecoule``, ``projection``, ``statut``,
        ``remarque``…

    Notes
    -----
    **Realised value** (``agregation``), over the realised values (``type_valeur = realise``,
    no disaggregation) ending on or before ``as_of`` and inside the target's period:

    - ``somme``: sum of the values;
    - ``moyenne``: mean of the values;
    - ``dernier``: the value of the latest period;
    - ``cumul``: sum of all values since the beginning of the project (not only the
      target's period) up to the end of the target's period;
    - ``ratio``: Σ numerators / Σ denominators × ``facteur`` (a participation rate is
      Σ participants / Σ invited × 100, never a mean of monthly rates).

    **Reference**: the baseline (``reference``, total level) with the latest period.

    **Taux de réalisation** = réalisé / cible × 100; for ``sens = baisse``, cible / réalisé ×
    100 (undefined when the denominator is zero).

    **Progression vers la cible** = (réalisé − référence) / (cible − référence) × 100: 0 at the
    baseline, 100 at the target, whatever the direction; undefined (NaN, with a remark) when
    cible = référence or when there is no baseline.

    **Share of the period elapsed** ``ecoule`` = days from the start of the target's period to
    the end of the latest realised value counted, divided by the days of the whole period
    (both bounds included), between 0 and 1. It is measured up to the latest data rather than
    up to ``as_of``, so that an indicator entered each quarter does not look late between two
    entries (the column ``derniere_mesure`` shows how recent the data are).

    **Status** (``statut``), with P = the progression (or, when it is undefined, the taux de
    réalisation), E = ``ecoule`` × 100 (where a straight line from the baseline to the target
    would be today) and the indicator's ``seuils`` s1; s2 (default 10; 25 percentage points):

    1. ``sans cible``: realised values but no target to compare them with (quantitative
       indicator); ``non mesuré``: qualitative indicator, no realised value yet, or P
       undefined;
    2. ``atteint``: the target is reached (réalisé ≥ cible, or ≤ for ``sens = baisse``);
    3. ``en bonne voie``: P ≥ E − s1 (at most s1 points behind the linear trajectory);
    4. ``à surveiller``: E − s2 ≤ P < E − s1;
    5. ``en retard``: P < E − s2.

    **Projection** to the end of the target's period, if the observed pace continues:
    ``somme`` and ``cumul``: réalisé / ``ecoule``; ``moyenne``, ``dernier`` and ``ratio``: the
    least-squares line through the values of each period, evaluated at the end of the period
    (at least two periods). After the end of the period, the projection is the realised
    value.

    References
    ----------
    DHIS2 documentation, *Indicators* (value = factor × numerator / denominator, aggregation
    over periods); IATI Standard 2.03, ``result/indicator`` (baseline, target, actual). The
    formulas and status rules stated above are the toolkit's own, checked against
    hand-computed values in ``tests/kpi/test_tracking.py``.

    Examples
    --------
    >>> from movsc_toolkit import datasets, kpi
    >>> projet = datasets.load("projet_cap_avenir")
    >>> st = kpi.indicator_status(projet, "31/12/2025")
    >>> st.loc[["SEAN", "DELAI"], ["cible", "realise", "taux", "statut"]]
           cible  realise       taux         statut
    code
    SEAN   300.0    111.0  37.000000   à surveiller
    DELAI   10.0     15.1  66.225166  en bonne voie
    """
    as_of = resolve_as_of(project, as_of)
    ind = project.indicators
    targets = _targets(project, as_of, target)
    rows = _realisedselect(project, as_of, targets)
    agg = _aggregate(rows, ["code"], ind)
    out = pd.DataFrame(index=ind.index)
    out["libelle"] = ind["libelle"]
    out["reference"] = _references(project).reindex(ind.index)
    out = out.join(targets)
    out["realise"] = agg["realise"].reindex(ind.index)
    out["n_valeurs"] = agg["_n"].reindex(ind.index).fillna(0).astype(int)
    out["derniere_mesure"] = agg["_fin"].reindex(ind.index)
    sens = ind["sens"]
    R, C, B = out["realise"], out["cible"], out["reference"]
    with np.errstate(divide="ignore", invalid="ignore"):
        taux = np.where(sens == "baisse", C / R * 100, R / C * 100)
        prog = (R - B) / (C - B) * 100
    out["taux"] = pd.Series(taux, index=out.index).replace([np.inf, -np.inf], np.nan)
    out["progression"] = prog.where(C != B).replace([np.inf, -np.inf], np.nan)
    span = (out["fin_cible"] - out["debut_cible"] + _DAY).dt.days.astype(float)
    done = (out["derniere_mesure"] - out["debut_cible"] + _DAY).dt.days.astype(float)
    out["ecoule"] = (done / span).clip(0, 1)
    # projection
    level = ind["agregation"].isin(["moyenne", "dernier", "ratio"])
    trend = _trend_at_end(rows[lookup(rows["code"], level).fillna(False).astype(bool)], targets)
    with np.errstate(divide="ignore", invalid="ignore"):
        pace = R / out["ecoule"]
    proj = pd.Series(np.where(level, trend.reindex(ind.index), pace), index=ind.index)
    finished = out["ecoule"] >= 1
    out["projection"] = proj.where(~finished, R).replace([np.inf, -np.inf], np.nan)
    # status
    qual = ind["mesure"] == "qualitatif"
    measured = R.notna() & C.notna() & ~qual
    reached = np.where(sens == "baisse", R <= C, R >= C)
    P = out["progression"].fillna(out["taux"])
    gap = P - out["ecoule"] * 100
    out["statut"] = np.select(
        [
            R.notna() & C.isna() & ~qual,
            ~measured,
            reached,
            P.isna(),
            gap >= -ind["seuil_surveiller"],
            gap >= -ind["seuil_retard"],
        ],
        ["sans cible", "non mesuré", "atteint", "non mesuré", "en bonne voie", "à surveiller"],
        "en retard",
    )
    # latest comment (qualitative indicators above all)
    v = project.values
    com = select(
        v,
        equals(v["type_valeur"], "realise")
        & (v["periode_fin"] <= as_of)
        & v["dimension_nom"].isna()
        & v["commentaire"].notna(),
        ["code", "periode_fin", "ligne", "commentaire"],
    )
    com = com.sort_values(["periode_fin", "ligne"], kind="stable")
    out["commentaire"] = com.groupby("code")["commentaire"].last().reindex(ind.index)
    out["remarque"] = remarks(out, ind, as_of)
    out.attrs["as_of"] = as_of
    return out


def _follow_up(
    project: Project,
    as_of: DateLike | None,
    code: str | None,
    target: str,
    *,
    dimension: bool = False,
) -> tuple[pd.Timestamp, pd.DataFrame, pd.DataFrame]:
    """The date of the follow-up, the targets, and the realised rows (of ``code`` if given)."""
    _check_code(project, code)
    day = resolve_as_of(project, as_of)
    targets = _targets(project, day, target)
    rows = _realisedselect(project, day, targets, dimension=dimension)
    if code is not None:
        rows = rows[rows["code"] == code]
    return day, targets, rows


def trajectory(
    project: Project,
    as_of: DateLike | None = None,
    code: str | None = None,
    *,
    target: str = "courante",
) -> pd.DataFrame:
    """The realised value period after period, next to the target and the linear trajectory.

    Parameters
    ----------
    project
        The project (:class:`Project`).
    as_of
        Date of the follow-up; realised values whose period ends after it are ignored
        (default: the end of the latest realised period).
    code
        One indicator's code (default: all).
    target
        ``"courante"`` or ``"finale"`` (see :func:`indicator_status`).

    Returns
    -------
    pandas.DataFrame
        One row per realised period (total level) counted as of ``as_of``, columns ``code``,
        ``Début``, ``Fin``, ``Valeur de la période``, ``Réalisé`` (the indicator's
        aggregation of the values up to that period: running sum, mean, ratio…), ``Cible``
        and ``Trajectoire`` (where a straight line from the baseline, or from 0, to the target
        would be at the end of the period).

    Examples
    --------
    >>> from movsc_toolkit import datasets, kpi
    >>> projet = datasets.load("projet_cap_avenir")
    >>> kpi.trajectory(projet, "31/12/2025", code="SEAN")[["Réalisé", "Trajectoire"]].head(2)
       Réalisé  Trajectoire
    0      0.0    12.739726
    1      0.0    24.246575
    """
    _, targets, rows = _follow_up(project, as_of, code, target)
    ind = project.indicators
    rows = rows.sort_values(["code", "periode_fin", "ligne"], kind="stable").reset_index(drop=True)
    g = rows.groupby("code", sort=False)
    by_code = Keys(rows["code"])
    agg = lookup(by_code, ind["agregation"])
    fac = lookup(by_code, ind["facteur"]).astype(float)
    csum = g["valeur"].cumsum()
    count = g.cumcount() + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = g["numerateur_valeur"].cumsum() / g["denominateur_valeur"].cumsum() * fac
    running = np.select(
        [agg == "moyenne", agg == "dernier", agg == "ratio"],
        [csum / count, rows["valeur"], ratio],
        csum,
    )
    cible = lookup(by_code, targets["cible"])
    start = lookup(by_code, targets["debut_cible"])
    end = lookup(by_code, targets["fin_cible"])
    ref = lookup(by_code, _references(project))
    ref = ref.where(ref.notna() | ~agg.isin(["somme", "cumul"]), 0.0)
    share = ((rows["periode_fin"] - start + _DAY) / (end - start + _DAY)).clip(0, 1)
    return pd.DataFrame(
        {
            "code": rows["code"],
            "Début": rows["periode_debut"],
            "Fin": rows["periode_fin"],
            "Valeur de la période": rows["valeur"],
            "Réalisé": running,
            "Cible": cible,
            "Trajectoire": ref + (cible - ref) * share,
        }
    )


def disaggregate(
    project: Project,
    as_of: DateLike | None = None,
    code: str | None = None,
    dimension: str | None = None,
    *,
    target: str = "courante",
) -> pd.DataFrame:
    """Realised value by disaggregation (sexe, tranche d'âge, quartier…).

    The values counted and the aggregation are those of :func:`indicator_status`, applied to
    each modality's rows. Modalities keep the workbook's order.

    Parameters
    ----------
    project
        The project (:class:`Project`).
    as_of
        Date of the follow-up; realised values whose period ends after it are ignored
        (default: the end of the latest realised period).
    code
        One indicator's code (default: all).
    dimension
        One dimension of disaggregation, e.g. ``"sexe"`` (default: all).
    target
        ``"courante"`` or ``"finale"`` (see :func:`indicator_status`).

    Returns
    -------
    pandas.DataFrame
        Indexed by (``Code``, ``Dimension``, ``Modalité``), columns ``Réalisé``,
        ``Part du total (%)`` (share of the sum for ``somme``/``cumul``, of the numerators
        for ``ratio``; empty otherwise), ``Cible`` (when a target is given for the modality)
        and ``Taux de réalisation (%)``.

    Examples
    --------
    >>> from movsc_toolkit import datasets, kpi
    >>> projet = datasets.load("projet_cap_avenir")
    >>> kpi.disaggregate(projet, "31/12/2025", code="JEUN", dimension="sexe")["Réalisé"]
    Code  Dimension  Modalité
    JEUN  sexe       Femme       45.0
                     Homme       46.0
    Name: Réalisé, dtype: float64
    """
    _, targets, rows = _follow_up(project, as_of, code, target, dimension=True)
    ind = project.indicators
    if dimension is not None:
        wanted = key(dimension)
        if wanted not in set(rows["dimension_nom"]):
            raise column_error(dimension, sorted(set(rows["dimension_nom"])), what="dimension")
        rows = rows[rows["dimension_nom"] == wanted]
    keys = ["code", "dimension_nom", "dimension_valeur"]
    names = ["Code", "Dimension", "Modalité"]
    if rows.empty:
        index = pd.MultiIndex.from_arrays([[], [], []], names=names)
        return pd.DataFrame(
            columns=["Réalisé", "Part du total (%)", "Cible", "Taux de réalisation (%)"],
            index=index,
            dtype=float,
        )
    rows = rows.sort_values("ligne", kind="stable")
    agg = _aggregate(rows, keys, ind)
    kind = ind["agregation"].reindex(agg.index.get_level_values(0)).to_numpy()
    share_base = np.where(kind == "ratio", agg["_num"], agg["_sum"])
    base = pd.Series(share_base, index=agg.index)
    totals = base.groupby(level=[0, 1], sort=False).transform("sum")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(np.isin(kind, ["somme", "cumul", "ratio"]), base / totals * 100, np.nan)
    # targets by modality, for the same period as the total's target
    v = project.values
    t = select(
        v,
        equals(v["type_valeur"], "cible") & v["dimension_nom"].notna(),
        [*keys, "periode_debut", "periode_fin", "valeur"],
    )
    t = t[
        (t["periode_debut"] == lookup(by_code := Keys(t["code"]), targets["debut_cible"]))
        & (t["periode_fin"] == lookup(by_code, targets["fin_cible"]))
    ]
    cible = (
        t.groupby(keys)["valeur"].last().reindex(agg.index)
        if len(t)
        else pd.Series(np.nan, index=agg.index)
    )
    sens = ind["sens"].reindex(agg.index.get_level_values(0)).to_numpy()
    R = agg["realise"]
    with np.errstate(divide="ignore", invalid="ignore"):
        taux = np.where(sens == "baisse", cible / R * 100, R / cible * 100)
    out = pd.DataFrame(
        {
            "Réalisé": R.to_numpy(),
            "Part du total (%)": share,
            "Cible": cible.to_numpy(),
            "Taux de réalisation (%)": taux,
        },
        index=agg.index.set_names(names),
    ).replace([np.inf, -np.inf], np.nan)
    order = {c: i for i, c in enumerate(ind.index)}
    position = pd.Series(out.index.get_level_values(0)).map(order).to_numpy()
    return out.iloc[np.argsort(position, kind="stable")]


def milestones(project: Project, as_of: DateLike | None = None) -> pd.DataFrame:
    """The milestones and their delay as of a date.

    ``Retard (jours)`` = date réelle − date prévue for a milestone passed on or before
    ``as_of`` (negative = ahead of time); ``as_of`` − date prévue for a milestone not passed
    whose planned date is over; 0 for a milestone still to come. ``État`` is ``franchi``,
    ``franchi en retard``, ``en retard`` or ``à venir``. A real date after ``as_of`` is not
    known yet on that date: the milestone counts as not passed.

    Parameters
    ----------
    project
        The project (:class:`Project`).
    as_of
        Date of the follow-up; realised values whose period ends after it are ignored
        (default: the end of the latest realised period).

    Returns
    -------
    pandas.DataFrame
        Indexed by milestone code, columns ``Jalon``, ``Responsable``, ``Début``,
        ``Date prévue``, ``Date réelle``, ``État``, ``Retard (jours)``.

    Examples
    --------
    >>> from movsc_toolkit import datasets, kpi
    >>> projet = datasets.load("projet_cap_avenir")
    >>> kpi.milestones(projet, "31/12/2025")["État"].head(3).tolist()
    ['franchi', 'franchi en retard', 'franchi en retard']
    """
    as_of = resolve_as_of(project, as_of)
    j = project.milestones
    planned, real = j["date_prevue"], j["date_reelle"]
    done = real.notna() & (real <= as_of)
    late = ~done & (planned < as_of)
    delay = np.select(
        [done, late], [(real - planned).dt.days, (as_of - planned).dt.days], 0
    ).astype(int)
    state = np.select(
        [done & (delay > 0), done, late], ["franchi en retard", "franchi", "en retard"], "à venir"
    )
    out = pd.DataFrame(
        {
            "Jalon": j["libelle"].to_numpy(),
            "Responsable": j["responsable"].to_numpy(),
            "Début": j["date_debut"].to_numpy(),
            "Date prévue": planned.to_numpy(),
            "Date réelle": real.where(done).to_numpy(),
            "État": state,
            "Retard (jours)": delay,
        },
        index=pd.Index(j["code"], name="code"),
    )
    out.attrs["as_of"] = as_of
    return out
