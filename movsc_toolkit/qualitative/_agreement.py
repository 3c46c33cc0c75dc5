"""Inter-coder agreement: Cohen's κ per code, on characters or on segments.

Reference: Cohen (1960); Landis & Koch (1977); NVivo help, *Run a Coding Comparison query*
(κ per code and source, on characters).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_number
from .._report import Report, result
from ._codings import Codings
from ._common import tables_html
from ._frequencies import code_order, code_positions

__all__ = ["AgreementResult", "agreement", "kappa_label"]


_BANDS = [
    (0.0, "inférieur au hasard"),
    (0.2, "très faible"),
    (0.4, "faible"),
    (0.6, "modéré"),
    (0.8, "substantiel"),
    (1.0, "quasi parfait"),
]


def kappa_label(kappa: float) -> str:
    """Landis & Koch (1977) band of a κ value, in French (« modéré », « substantiel »…).

    Parameters
    ----------
    kappa
        A Cohen's κ.

    Returns
    -------
    str
        Its band after Landis & Koch (1977): « faible » … « quasi parfait ».

    References
    ----------
    Landis, J. R. & Koch, G. G. (1977). The measurement of observer agreement for categorical
    data. *Biometrics*, 33(1), 159-174 (bands, arbitrary by their own account).
    ``tests/qualitative/test_qualitative.py::test_kappa_label_bands``.

    Examples
    --------
    >>> from movsc_toolkit import qualitative as quali
    >>> quali.kappa_label(0.65)
    'substantiel'
    """
    if kappa is None or not np.isfinite(kappa):
        return "non défini"
    if kappa < 0:
        return _BANDS[0][1]
    for upper, label in _BANDS[1:]:
        if kappa <= upper + 1e-12:
            return label
    return _BANDS[-1][1]


def _kappa_labels(kappa: np.ndarray) -> list[str]:
    """:func:`kappa_label` of each value, vectorised (same bands, same order of tests)."""
    k = np.asarray(kappa, dtype=float)
    with np.errstate(invalid="ignore"):
        conditions = [~np.isfinite(k), k < 0] + [k <= upper + 1e-12 for upper, _ in _BANDS[1:]]
    labels = ["non défini", _BANDS[0][1]] + [label for _, label in _BANDS[1:]]
    return np.select(conditions, labels, _BANDS[-1][1]).tolist()


def _kappa(n_ab, n_a, n_b, n) -> tuple[np.ndarray, np.ndarray]:
    """(% agreement, κ) from the 2 × 2 counts: both, A, B, total (arrays)."""
    n_ab, n_a, n_b, n = (np.asarray(x, dtype=float) for x in (n_ab, n_a, n_b, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        neither = n - n_a - n_b + n_ab
        po = np.where(n > 0, (n_ab + neither) / n, np.nan)
        pe = np.where(n > 0, (n_a * n_b + (n - n_a) * (n - n_b)) / (n * n), np.nan)
        kappa = np.where(pe < 1, (po - pe) / (1 - pe), np.nan)
    return 100 * po, kappa


def _merged(frame: pd.DataFrame) -> pd.DataFrame:
    """Union of the intervals of each cell ``k`` (code × interview): disjoint ``s``, ``e``
    (vectorised)."""
    if frame.empty:
        empty = np.zeros(0, dtype=np.int64)
        return pd.DataFrame({"k": empty, "s": empty, "e": empty})
    f = frame.sort_values(["k", "début"], kind="stable")
    group = f["k"].to_numpy()
    s, e = f["début"].to_numpy(), f["fin"].to_numpy()
    running = pd.Series(e).groupby(group).cummax().to_numpy()
    first = np.r_[True, group[1:] != group[:-1]]
    previous = np.r_[0, running[:-1]]
    new = first | (s > previous)
    run = np.cumsum(new) - 1
    return pd.DataFrame(
        {"k": group[new], "s": s[new], "e": pd.Series(e).groupby(run).max().to_numpy()}
    )


def _character_counts(
    ex_a: pd.DataFrame, ex_b: pd.DataFrame, size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Characters coded by A, by B and by both, per cell ``k`` (code × interview)."""
    ma, mb = _merged(ex_a), _merged(ex_b)
    pairs = ma.merge(mb, on="k", suffixes=("_a", "_b"))
    overlap = (
        np.minimum(pairs["e_a"], pairs["e_b"]) - np.maximum(pairs["s_a"], pairs["s_b"])
    ).clip(lower=0)

    def total(keys: pd.Series, lengths: pd.Series) -> np.ndarray:
        # whole numbers of characters: added exactly as floats, then back to integers
        counts = np.bincount(keys.to_numpy(np.int64), lengths.to_numpy(float), minlength=size)
        return counts.astype(np.int64)

    return (
        total(ma["k"], ma["e"] - ma["s"]),
        total(mb["k"], mb["e"] - mb["s"]),
        total(pairs["k"], overlap),
    )


def _segment_counts(
    ex_a: pd.DataFrame,
    ex_b: pd.DataFrame,
    seg_text: np.ndarray,
    seg_s: np.ndarray,
    seg_e: np.ndarray,
    common: np.ndarray,
    size: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Segments touched by A, by B and by both, per cell (code × interview of ``common``)."""
    big = np.int64(1) << 40
    start_key = seg_text.astype(np.int64) * big + seg_s
    end_key = seg_text.astype(np.int64) * big + seg_e
    n_seg = len(seg_text)

    def touched(frame: pd.DataFrame) -> np.ndarray:
        """The distinct (code, segment) pairs, as code × number of segments + segment."""
        t = frame["texte"].to_numpy(np.int64)
        lo = np.searchsorted(end_key, t * big + frame["début"].to_numpy(), side="right")
        hi = np.searchsorted(start_key, t * big + frame["fin"].to_numpy(), side="left")
        n = np.maximum(hi - lo, 0)
        seg = np.repeat(lo, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
        return np.unique(np.repeat(frame["code"].to_numpy(np.int64), n) * n_seg + seg)

    def count(pairs: np.ndarray) -> np.ndarray:
        # a segment lies in one interview: its cell is code × interviews + that interview
        cell = (pairs // n_seg) * len(common) + np.searchsorted(common, seg_text[pairs % n_seg])
        return np.bincount(cell, minlength=size).astype(np.int64)

    ta, tb = touched(ex_a), touched(ex_b)
    return count(ta), count(tb), count(np.intersect1d(ta, tb, assume_unique=True))


@result
class AgreementResult(Report):
    """Inter-coder agreement per code (NVivo's coding comparison query).

    Attributes
    ----------
    table : DataFrame
        One row per code: units (characters or segments) coded by both, by neither, by A
        only, by B only, ``% d'accord``, ``κ`` and its Landis & Koch band; counts summed over
        the interviews (so each interview weighs by its length), then κ computed once.
    details : DataFrame
        The same per code × interview.
    coders : tuple of str
    analysis_unit : str

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> accord = quali.agreement(codage, "Nora", "Maëlle")
    >>> accord.to_frame().columns.tolist()
    ['Unités', 'A et B', 'Ni A ni B', 'A seul', 'B seul', "% d'accord", 'κ', 'Interprétation']
    """

    table: pd.DataFrame
    details: pd.DataFrame
    coders: tuple[str, str]
    analysis_unit: str

    def to_frame(self) -> pd.DataFrame:
        """The table per code (a copy)."""
        return self.table.copy()

    @property
    def mean_kappa(self) -> float:
        """Mean κ over the codes where it is defined."""
        return float(np.nanmean(self.table["κ"])) if self.table["κ"].notna().any() else np.nan

    def _lines(self) -> list[str]:
        a, b = self.coders
        unit = "caractère" if self.analysis_unit == "caractère" else "segment de texte"
        t = self.table
        lines = [
            f"Accord entre « {a} » et « {b} », unité : le {unit} ; κ de Cohen par code "
            f"(moyenne {format_number(self.mean_kappa, 2)}).",
        ]
        weak = t[t["κ"] < 0.4]
        if len(weak):
            lines.append(
                "Codes à discuter (κ < 0,40) : "
                + ", ".join(f"« {c} » ({format_number(k, 2)})" for c, k in weak["κ"].items())
                + " — relisez ensemble leurs définitions et critères d'inclusion/exclusion."
            )
        lines.append(
            "Repères (Landis et Koch, 1977, arbitraires) : 0,41–0,60 modéré, 0,61–0,80 "
            "substantiel, > 0,80 quasi parfait. Un code rare peut avoir un κ faible malgré un "
            "fort % d'accord."
        )
        return lines

    def _html_tables(self) -> str:
        return tables_html(self._tables())

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Accord par code", self.table)]


def _segment_units(codings: Codings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    frame, starts, ends = codings.corpus.segment_spans()
    return frame["texte"].to_numpy(), starts, ends


def agreement(
    codings: Codings,
    coder_a: str | None = None,
    coder_b: str | None = None,
    *,
    analysis_unit: Literal["caractère", "segment"] = "caractère",
    codes: Sequence[str] | None = None,
) -> AgreementResult:
    """Cohen's κ per code between two coders who coded the same interviews.

    Parameters
    ----------
    coder_a, coder_b
        The two coders (default: the first two found).
    analysis_unit
        ``"caractère"`` (default, as NVivo): each character of each interview is coded or not
        by each coder; ``"segment"``: each text segment of the corpus (≈ 40 words, cut as in
        IRaMuTeQ) counts as coded when an excerpt of the code overlaps it.
    codes
        The codes to compare (default: every code used by either coder).

    Returns
    -------
    AgreementResult
        One row per code (``.to_frame()``): units, coded by both, by neither, by one only,
        % of agreement, κ and its band.

    Notes
    -----
    Only interviews coded by both coders are compared. For each code, the counts (coded by
    both, by neither, by one only) are summed over these interviews and κ = (p_o − p_e) /
    (1 − p_e), p_e = p_A·p_B + (1 − p_A)(1 − p_B) (Cohen 1960, two categories). QualCoder's κ
    uses another formula and gives other values.

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
    Psychological Measurement*, 20(1), 37-46. The per-code κ is unweighted Cohen's κ on the
    presence / absence of the code per unit, the statistic of R's ``irr::kappa2`` (default
    ``weight="unweighted"``); it is checked equal to
    ``statsmodels.stats.inter_rater.cohens_kappa`` on every code
    (``tests/qualitative/test_qualitative.py::test_kappa_matches_statsmodels_per_code``) and
    to NVivo's worked example, computed by hand (``test_kappa_golden_values_nvivo_example``).
    Krippendorff's α is not computed.

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> accord = quali.agreement(codage, "Nora", "Maëlle")
    >>> round(accord.mean_kappa, 3)
    0.695
    >>> accord.to_frame().loc["Inclusion numérique", ["κ", "Interprétation"]]
    κ                      0.850892
    Interprétation    quasi parfait
    Name: Inclusion numérique, dtype: object
    """
    coders = codings.coders
    a = coder_a or (coders[0] if coders else None)
    b = coder_b or (next((c for c in coders if c != a), None))
    if a is None or b is None or a == b:
        raise DataError(
            "il faut deux codeurs pour mesurer l'accord"
            + (f" ; codeurs trouvés : {', '.join(coders)}" if coders else "")
            + ".",
            hint="codez les mêmes entretiens à deux, chacun avec son nom dans la colonne "
            "« codeur ».",
        )
    for c in (a, b):
        if c not in coders:
            codings.coder(c)  # raises the French error with suggestions
    ex = codings.excerpts
    # only the columns used, before filtering (the texts of the excerpts are not needed)
    used = ex[["texte", "code", "début", "fin"]]
    ex_a, ex_b = used[ex["codeur"] == a], used[ex["codeur"] == b]
    common = sorted(set(ex_a["texte"].tolist()) & set(ex_b["texte"].tolist()))
    if not common:
        raise DataError(
            f"« {a} » et « {b} » n'ont codé aucun entretien en commun.",
            hint="l'accord se mesure sur les mêmes entretiens codés par les deux.",
        )
    wanted = list(codes) if codes is not None else code_order(codings, used_only=True)
    texts = codings.corpus.texts
    if analysis_unit == "segment":
        seg_text, seg_s, seg_e = _segment_units(codings)
    elif analysis_unit != "caractère":
        raise DataError(
            f"analysis_unit=« {analysis_unit} » n'est pas reconnu.",
            hint="choisissez « caractère » ou « segment ».",
        )
    ex_a = ex_a[ex_a["texte"].isin(common) & ex_a["code"].isin(wanted)]
    ex_b = ex_b[ex_b["texte"].isin(common) & ex_b["code"].isin(wanted)]
    # counted on integers: each excerpt's cell k = code id (its position in ``wanted``) ×
    # number of interviews + position of its interview in ``common``
    in_common = np.asarray(common, dtype=np.int64)
    size = len(wanted) * len(common)

    def cells(frame: pd.DataFrame) -> pd.DataFrame:
        code = code_positions(frame["code"], wanted)
        place = np.searchsorted(in_common, frame["texte"].to_numpy())
        return frame.assign(code=code, k=code * len(common) + place)

    ex_a, ex_b = cells(ex_a), cells(ex_b)
    wanted_ids = code_positions(pd.Series(wanted, dtype=object), wanted)
    if analysis_unit == "caractère":
        sizes = np.array([len(texts[t]) for t in common], dtype=np.int64)
        n_a, n_b, n_ab = _character_counts(ex_a, ex_b, size)
    else:
        sizes = np.array([(seg_text == t).sum() for t in common], dtype=np.int64)
        n_a, n_b, n_ab = _segment_counts(ex_a, ex_b, seg_text, seg_s, seg_e, in_common, size)
    # the rows of the details: every code × every common interview, code by code
    cell = (wanted_ids[:, None] * len(common) + np.arange(len(common))).ravel()
    details = pd.DataFrame(
        {
            "Code": np.repeat(np.asarray(wanted, dtype=object), len(common)),
            "Entretien": [codings.documents[t] for t in common] * len(wanted),
            "Unités": np.tile(sizes, len(wanted)),
            "A et B": n_ab[cell],
            "A": n_a[cell],
            "B": n_b[cell],
        }
    )
    # summed by code id (the rows of ``details`` go code by code, as the grid)
    summed = (
        details[["Unités", "A et B", "A", "B"]]
        .groupby(np.repeat(wanted_ids, len(common)), sort=False)
        .sum()
        .reindex(wanted_ids)
    )
    summed.index = pd.Index(wanted, name="Code")

    def finish(frame: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=frame.index)
        n, n_ab = frame["Unités"].to_numpy(float), frame["A et B"].to_numpy(float)
        n_a, n_b = frame["A"].to_numpy(float), frame["B"].to_numpy(float)
        out["Unités"] = frame["Unités"].astype(np.int64)
        out["A et B"] = frame["A et B"].astype(np.int64)
        out["Ni A ni B"] = (n - n_a - n_b + n_ab).astype(np.int64)
        out["A seul"] = (n_a - n_ab).astype(np.int64)
        out["B seul"] = (n_b - n_ab).astype(np.int64)
        po, kappa = _kappa(n_ab, n_a, n_b, n)
        out["% d'accord"] = po
        out["κ"] = kappa
        out["Interprétation"] = _kappa_labels(kappa)
        return out

    table = finish(summed)
    table.index.name = "Code"
    det = finish(details.set_index(["Code", "Entretien"]))
    return AgreementResult(table, det, (a, b), analysis_unit)
