"""Tests of the Reinert CHD (movsc_toolkit.lexico.reinert) against naive re-implementations
of every step of IRaMuTeQ's CHD.R as described in shared/reference/lexicometry.md §5."""

from __future__ import annotations

import importlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import re

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy import stats

from movsc_toolkit._errors import ComputationError, DataError
from movsc_toolkit.lexico.reinert import reinert, reinert_double

# the algorithm core and the tables around it (private modules with public names)
rmod = importlib.import_module("movsc_toolkit.lexico._chd")
tables = importlib.import_module("movsc_toolkit.lexico._chd_tables")


def topic_matrix(n_seg=240, n_terms=60, n_topics=4, per_seg=6, seed=0):
    """Binary segments × terms matrix with a latent topic structure."""
    rng = np.random.default_rng(seed)
    topic_words = rng.integers(0, n_topics, n_terms)
    topic_of_seg = rng.integers(0, n_topics, n_seg)
    dense = np.zeros((n_seg, n_terms))
    for i in range(n_seg):
        w = np.where(topic_words == topic_of_seg[i], 8.0, 1.0)
        w /= w.sum()
        k = rng.poisson(per_seg) + 1
        dense[i, rng.choice(n_terms, size=k, p=w)] = 1
    return dense


# --------------------------------------------------------------------- naive reference steps


def naive_axis(t):
    """σ₂ u₂ √(N/r) from numpy's SVD of the uncentred Z, sign: largest |x| positive."""
    r, c, n = t.sum(1), t.sum(0), t.sum()
    z = t / np.sqrt(r)[:, None] / np.sqrt(c)[None, :]
    u, s, _ = np.linalg.svd(z, full_matrices=False)
    x = s[1] * u[:, 1] * np.sqrt(n / r)
    return -x if x[np.argmax(np.abs(x))] < 0 else x


def naive_chi2(t, in_a):
    """Pearson χ² of the 2 × p table of column sums (E = R_g c_j / N)."""
    obs = np.vstack([t[in_a].sum(0), t[~in_a].sum(0)])
    exp = obs.sum(1, keepdims=True) * t.sum(0, keepdims=True) / t.sum()
    return ((obs - exp) ** 2 / exp).sum()


def naive_cut(t, x):
    order = np.argsort(x, kind="stable")
    best, best_k = -1.0, None
    for k in range(1, len(x)):
        in_a = np.zeros(len(x), bool)
        in_a[order[:k]] = True
        value = naive_chi2(t, in_a)
        if value > best * (1 + 1e-12):
            best, best_k = value, k
    return x <= x[order[best_k - 1]], best


def naive_realloc(t, in_a):
    """The §5.6 C pseudo-code, recomputing the full χ² for every tentative move."""
    g = in_a.copy()
    n_total = t.sum()
    s1, s2 = g.sum(), (~g).sum()
    moves, prev, it = None, None, 0
    while moves != 0 and s1 >= 5 and s2 >= 5:
        it += 1
        s1, s2 = g.sum(), (~g).sum()
        cur = naive_chi2(t, g) / n_total
        moved = []
        for r in range(len(g)):
            if (g[r] and g.sum() == 1) or (not g[r] and (~g).sum() == 1):
                continue
            g[r] = not g[r]
            new = naive_chi2(t, g) / n_total
            if new > cur * (1 + 1e-12):
                cur = new
                moved.append(r)
            else:
                g[r] = not g[r]
        moves = len(moved)
        if it > 1 and moved and prev and moved == prev:
            moves = 0
        prev = moved
    return g


def naive_elim(t, in_a):
    n_a, n_b = in_a.sum(), (~in_a).sum()
    seuil = round(1.9 * (max(n_a, n_b) / min(n_a, n_b)) + 1.9, 6)
    out_a, out_b = [], []
    for j in range(t.shape[1]):
        a, b = t[in_a, j].sum(), t[~in_a, j].sum()
        obs = np.array([[a, b], [n_a - a, n_b - b]], float)
        exp = obs.sum(1, keepdims=True) * obs.sum(0, keepdims=True) / obs.sum()
        if (a == 0 or b == 0) and n_a - a > 0 and n_b - b > 0:
            chi = seuil + 1
        elif (n_a - a == 0 or n_b - b == 0) and a > 0 and b > 0:
            chi = seuil - 1
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                if (obs < 10).any():
                    chi = ((np.abs(obs - exp) - 0.5) ** 2 / exp).sum()
                else:
                    chi = ((obs - exp) ** 2 / exp).sum()
            if np.isnan(chi):
                chi = 0
        if chi > seuil:
            if a < exp[0, 0]:
                out_a.append(j)
            elif b < exp[0, 1]:
                out_b.append(j)
    return np.array(out_a, int), np.array(out_b, int)


def naive_chd(x, nbt):
    """Whole CHD with the naive steps on a dense array (membership matrix)."""
    n0, p0 = x.shape
    labels = np.where(x.sum(1) > 0, 1, 0)
    rows = np.flatnonzero(labels)
    cols = np.flatnonzero(x.sum(0) > 0)
    mothers, elim, out = {}, {}, np.zeros((n0, nbt), int)
    current = 1
    for i in range(1, nbt + 1):
        t = x[np.ix_(rows, cols)]
        in_a, _ = naive_cut(t, naive_axis(t))
        in_a = naive_realloc(t, in_a)
        ea, eb = naive_elim(t, in_a)
        elim[2 * i], elim[2 * i + 1] = cols[ea], cols[eb]
        mothers[2 * i] = mothers[2 * i + 1] = current
        labels[rows[in_a]] = 2 * i
        labels[rows[~in_a]] = 2 * i + 1
        out[:, i - 1] = labels
        if i == nbt:
            break
        vals, counts = np.unique(labels[labels > 0], return_counts=True)
        current = min((int(v) for v in vals[counts == counts.max()]), key=str)
        rows = np.flatnonzero(labels == current)
        removed, node = set(), current
        while node in mothers:
            removed |= set(elim[node].tolist())
            node = mothers[node]
        cols = np.array([j for j in range(p0) if j not in removed])
        cols = cols[x[np.ix_(rows, cols)].sum(0) > 3]
        keep = x[np.ix_(rows, cols)].sum(1) > 0
        labels = labels.copy()
        labels[rows[~keep]] = 0
        rows = rows[keep]
    return out


# --------------------------------------------------------------------------------- step tests


def test_first_axis_matches_numpy_svd():
    t = topic_matrix(80, 30, seed=1)
    t = t[t.sum(1) > 0][:, t.sum(0) > 0]
    x = rmod.first_axis(sp.csr_matrix(t))
    np.testing.assert_allclose(x, naive_axis(t), rtol=1e-9, atol=1e-12)


def test_first_axis_iterative_solver_matches_dense():
    t = topic_matrix(700, 400, n_topics=5, per_seg=8, seed=2)
    t = t[t.sum(1) > 0][:, t.sum(0) > 0]
    assert min(t.shape) > rmod.DENSE_LIMIT  # exercises the Lanczos branch
    x = rmod.first_axis(sp.csr_matrix(t))
    np.testing.assert_allclose(x, naive_axis(t), rtol=1e-7, atol=1e-9)
    # wide table: the Gram matrix of the row side is used
    tw = t[:350]
    tw = tw[:, tw.sum(0) > 0]
    tw = tw[tw.sum(1) > 0]
    if tw.shape[0] < tw.shape[1] and min(tw.shape) > rmod.DENSE_LIMIT:
        np.testing.assert_allclose(
            rmod.first_axis(sp.csr_matrix(tw)), naive_axis(tw), rtol=1e-7, atol=1e-9
        )


def test_row_score_is_ca_principal_coordinate():
    # x_i = σ₂ u₂ᵢ √(N/r_i) is the CA row principal coordinate: check the barycentric relation
    # with the column standard coordinates and the eigenvalue σ₂² = weighted variance of x.
    t = topic_matrix(60, 25, seed=3)
    t = t[t.sum(1) > 0][:, t.sum(0) > 0]
    x = rmod.first_axis(sp.csr_matrix(t))
    r = t.sum(1) / t.sum()
    z = t / np.sqrt(t.sum(1))[:, None] / np.sqrt(t.sum(0))[None, :]
    s = np.linalg.svd(z, compute_uv=False)
    assert np.isclose((r * x**2).sum(), s[1] ** 2)
    assert abs((r * x).sum()) < 1e-10  # centred


def test_best_cut_matches_brute_force():
    for seed in range(6):
        t = topic_matrix(70, 20, seed=seed)
        t = t[t.sum(1) > 0][:, t.sum(0) > 0]
        x = rmod.first_axis(sp.csr_matrix(t))
        got, chi = rmod.best_cut(sp.csr_matrix(t), x)
        want, want_chi = naive_cut(t, x)
        np.testing.assert_array_equal(got, want)
        assert np.isclose(chi, want_chi)


def test_incremental_chi2_equals_direct_formula():
    t = topic_matrix(50, 15, seed=4)
    t = t[t.sum(1) > 0][:, t.sum(0) > 0]
    order = np.random.default_rng(0).permutation(len(t))
    inc = rmod.cut_chi2(sp.csr_matrix(t), order)
    for k in range(1, len(t)):
        g = np.zeros(len(t), bool)
        g[order[:k]] = True
        assert np.isclose(inc[k - 1], naive_chi2(t, g))


def test_cut_assignment_uses_score_threshold_with_ties():
    # Rows 0–2 are identical, so they have the same score: all of them go to the same group,
    # whichever position the best cut was found at.
    t = np.array(
        [
            [1, 1, 0, 0],
            [1, 1, 0, 0],
            [1, 1, 0, 0],
            [1, 0, 1, 0],
            [0, 0, 1, 1],
            [0, 1, 1, 1],
            [0, 0, 0, 1],
        ],
        float,
    )
    x = rmod.first_axis(sp.csr_matrix(t))
    assert x[0] == x[1] == x[2]
    in_a, _ = rmod.best_cut(sp.csr_matrix(t), x)
    assert in_a[0] == in_a[1] == in_a[2]
    order = np.argsort(x, kind="stable")
    chi = [naive_chi2(t, np.isin(np.arange(7), order[:k])) for k in range(1, 7)]
    k = int(np.argmax(chi)) + 1
    np.testing.assert_array_equal(in_a, x <= x[order[k - 1]])


def test_reallocation_matches_naive_pseudo_code():
    rng = np.random.default_rng(5)
    for seed in range(5):
        t = topic_matrix(90, 25, n_topics=3, seed=10 + seed)
        t = t[t.sum(1) > 0][:, t.sum(0) > 0]
        start = rng.random(len(t)) < 0.5  # a poor start: many moves, several passes
        got, passes, moved = rmod.reallocate(sp.csr_matrix(t), start.copy())
        want = naive_realloc(t, start.copy())
        np.testing.assert_array_equal(got, want)
        assert passes >= 2 and moved > 0
        assert naive_chi2(t, got) >= naive_chi2(t, start)


def test_reallocation_needs_groups_of_five():
    t = topic_matrix(40, 12, seed=6)
    t = t[t.sum(1) > 0][:, t.sum(0) > 0]
    start = np.zeros(len(t), bool)
    start[:4] = True  # group A of 4 rows: the loop does not run
    got, passes, moved = rmod.reallocate(sp.csr_matrix(t), start.copy())
    np.testing.assert_array_equal(got, start)
    assert passes == 0 and moved == 0


def test_word_elimination_matches_naive_rules():
    for seed in range(4):
        t = topic_matrix(120, 30, seed=20 + seed)
        t = t[t.sum(1) > 0][:, t.sum(0) > 0]
        t[:, 0] = 1  # a word in every segment: forced non-significant
        in_a = naive_axis(t) <= np.median(naive_axis(t))
        ga, gb = rmod.eliminated(sp.csr_matrix(t), in_a)
        wa, wb = naive_elim(t, in_a)
        np.testing.assert_array_equal(ga, wa)
        np.testing.assert_array_equal(gb, wb)
        assert 0 not in ga and 0 not in gb


def test_word_elimination_hand_example():
    # A = rows 0–4, B = rows 5–9; equal halves → seuil = 3.8.
    t = np.zeros((10, 3))
    t[:5, 0] = 1  # word 0 only in A (absent from B, absent counts 0 / 5): Yates branch
    t[[0, 5, 6, 7, 8], 1] = 1  # word 1: 1 in A, 4 in B
    t[[1, 6, 9], 2] = 1  # word 2: in both but absent from some of each → not forced
    in_a = np.arange(10) < 5
    ga, gb = rmod.eliminated(sp.csr_matrix(t), in_a)
    # word 0: O = [[5,0],[0,5]], E = 2.5 everywhere, Yates = 4 × (2.5−0.5)²/2.5 = 6.4 > 3.8,
    # under-represented in B → eliminated from B's subtree.
    assert list(gb) == [0]
    # word 1: O = [[1,4],[4,1]], Yates = 4 × (1.5−0.5)²/2.5 = 1.6 < 3.8 → kept.
    assert list(ga) == []


def test_find_terminales_reference_example():
    # §5.7: splits 1 → (2, 3), 3 → (4, 5), 5 → (6, 7); leaf 2 ≥ mincl; leaves 4, 6, 7 small;
    # classes 3 and 5 large enough at creation → terminal classes {2, 5}.
    labels_after = [
        [2] * 50 + [3] * 60,
        [2] * 50 + [4] * 20 + [5] * 40,
        [2] * 50 + [4] * 20 + [6] * 20 + [7] * 20,
    ]
    membership = np.array(labels_after).T
    mothers = {2: 1, 3: 1, 4: 3, 5: 3, 6: 5, 7: 5}
    children = {1: (2, 3), 3: (4, 5), 5: (6, 7)}
    term = rmod.find_terminals(membership, mothers, children, mincl=30)
    assert term == [2, 5]
    classes = rmod.make_classes(membership[:, -1], term, children)
    assert (classes[:50] == 1).all()
    assert (classes[50:70] == 0).all()  # leaf 4 lost although 3 = 4 ∪ 5 was large enough
    assert (classes[70:] == 2).all()


def test_find_terminales_no_cluster_and_all_leaves():
    membership = np.array([[2] * 5 + [3] * 5]).T
    assert rmod.find_terminals(membership, {2: 1, 3: 1}, {1: (2, 3)}, mincl=6) == []
    assert rmod.find_terminals(membership, {2: 1, 3: 1}, {1: (2, 3)}, mincl=5) == [2, 3]


# ------------------------------------------------------------------------------- whole CHD


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_whole_chd_matches_naive_implementation(seed):
    x = topic_matrix(260, 50, n_topics=5, seed=100 + seed)
    x[7] = 0  # an empty segment: class 0 from the start
    got = reinert(sp.csr_matrix(x), n_splits=5).hierarchy.to_numpy()
    want = naive_chd(x, 5)
    np.testing.assert_array_equal(got, want)


DATA = Path(__file__).parents[1] / "data"


def read_golden(name):
    """Input matrix and IRaMuTeQ's membership matrix (CHD.R run with R 4.2.2, svdR)."""
    lines = (DATA / f"reinert_iramuteq_{name}.csv").read_text().splitlines()
    n, p = (int(v) for v in lines[0].split()[1:5:3])
    cells = np.array([c.split(",") for c in lines[1].split(";")], dtype=int)
    x = np.zeros((n, p))
    x[cells[:, 0], cells[:, 1]] = 1
    ref = np.array([line.split(",") for line in lines[2:]], dtype=int)
    return x, ref


def same_partition(a, b):
    """True when the two labellings define the same groups (labels may differ)."""
    table = pd.crosstab(a, b)
    return bool(((table > 0).sum(axis=1) == 1).all() and ((table > 0).sum(axis=0) == 1).all())


@pytest.mark.parametrize("name", ["topics", "random"])
def test_same_partitions_as_iramuteq_chd_r(name):
    # Golden values: IRaMuTeQ's own CHD.R (+ boostana with R's exact svd) on the stored
    # matrix. The axis sign is arbitrary in both programs, so labels 2i / 2i+1 may be
    # swapped: the partitions must be identical at every one of the 9 levels.
    x, ref = read_golden(name)
    got = reinert(sp.csr_matrix(x)).hierarchy.to_numpy()
    assert got.shape == ref.shape == (len(x), 9)
    for j in range(9):
        assert same_partition(ref[:, j], got[:, j]), f"bipartition {j + 1}"
    np.testing.assert_array_equal(got == 0, ref == 0)


def test_hierarchy_shape_labels_and_tree():
    x = topic_matrix(300, 60, n_topics=5, seed=7)
    x[[3, 50]] = 0
    res = reinert(pd.DataFrame(x, index=[f"s{i}" for i in range(300)]), n_splits=6)
    h = res.hierarchy
    assert h.shape == (300, 6)
    assert list(h.columns) == [1, 2, 3, 4, 5, 6]
    assert list(h.index[:2]) == ["s0", "s1"]
    assert (h.loc[["s3", "s50"]] == 0).all().all()
    for j in range(1, 7):
        col = h[j].to_numpy()
        assert set(np.unique(col)) <= {0} | {
            lab for i in range(1, j + 1) for lab in (2 * i, 2 * i + 1)
        }
        assert {2 * j, 2 * j + 1} <= set(col)
        prev = np.ones(300, int) if j == 1 else h[j - 1].to_numpy()
        prev = np.where(x.sum(1) > 0, prev, 0) if j == 1 else prev
        changed = col != prev
        # a changed label is 0 (pruned) or a child of the split class
        split_class = res.splits.loc[j, "Classe divisée"]
        assert (prev[changed] == split_class).all()
        assert set(col[changed]) <= {0, 2 * j, 2 * j + 1}
        assert res.mothers[2 * j] == split_class
    # the split class is the largest class of the previous column
    for j in range(2, 7):
        prev = h[j - 1].to_numpy()
        counts = pd.Series(prev[prev > 0]).value_counts()
        assert counts[res.splits.loc[j, "Classe divisée"]] == counts.max()


def test_classes_sizes_mincl_and_determinism():
    x = topic_matrix(415, 60, n_topics=4, seed=8)
    a = reinert(sp.csr_matrix(x))
    b = reinert(sp.csr_matrix(x))
    pd.testing.assert_frame_equal(a.hierarchy, b.hierarchy)
    pd.testing.assert_series_equal(a.classes, b.classes)
    assert a.min_class_size == 42  # round(415 / 10) = round(41.5) = 42 (half to even)
    assert reinert(sp.csr_matrix(x[:405])).min_class_size == 40  # round(40.5) = 40
    sizes = a.sizes
    assert sizes.loc["Total", "Effectif"] == 415
    assert sizes["Effectif"].iloc[:-1].sum() == 415
    for k in range(1, a.n_classes + 1):
        assert (a.classes == k).sum() >= a.min_class_size
    # every terminal class covers exactly the segments of its subtree
    last = a.hierarchy.iloc[:, -1].to_numpy()
    for k, node in enumerate(a.terminals, start=1):
        nodes = {node, *rmod.descendants(node, a.children)}
        np.testing.assert_array_equal(a.classes.to_numpy() == k, np.isin(last, list(nodes)))


def test_min_class_size_parameter_and_no_reallocation():
    x = topic_matrix(300, 50, n_topics=4, seed=9)
    small = reinert(sp.csr_matrix(x), n_splits=5, min_class_size=1)
    assert small.n_classes == 6 and small.min_class_size == 1
    quick = reinert(sp.csr_matrix(x), n_splits=3, reallocation=False)
    assert (quick.splits["Passes de réallocation"] == 0).all()
    assert np.allclose(quick.splits["χ² de la coupure"], quick.splits["χ² final"])


def test_counts_are_read_as_presence():
    x = topic_matrix(200, 40, seed=11)
    counts = x * np.random.default_rng(0).integers(1, 4, x.shape)
    a = reinert(sp.csr_matrix(x), n_splits=3)
    b = reinert(sp.csr_matrix(counts), n_splits=3)
    pd.testing.assert_frame_equal(a.hierarchy, b.hierarchy)


def test_max_active_keeps_most_frequent_columns():
    x = topic_matrix(200, 40, seed=12)
    capped, names = tables.cap_active(sp.csr_matrix(x), pd.Index([f"w{j}" for j in range(40)]), 10)
    totals = x.sum(0)
    assert capped.shape[1] <= 10
    kept = [int(n[1:]) for n in names]
    assert totals[kept].min() > np.delete(totals, kept).max() or len(kept) == 10


# ---------------------------------------------------------------------------- profiles


def test_profiles_match_scipy_chi2():
    x = topic_matrix(300, 50, n_topics=4, seed=13)
    terms = [f"mot{j}" for j in range(50)]
    meta = pd.DataFrame({"statut": np.where(np.arange(300) < 150, "salarie", "benevole")})
    supp = (x[:, :10] > 0) & (np.arange(300)[:, None] % 2 == 0)
    res = reinert(
        pd.DataFrame(x, columns=terms),
        n_splits=4,
        min_class_size=20,
        metadata=meta,
        supplementary=(sp.csr_matrix(supp.astype(float)), [f"s{j}" for j in range(10)]),
    )
    assert set(res.profiles) == {"actives", "supplementaires", "variables"}
    classes = res.classes.to_numpy()
    classified = classes > 0
    prof = res.profiles["actives"]
    for k in range(1, res.n_classes + 1):
        for j in (0, 5, 17):
            in_k = classes[classified] == k
            has = x[classified, j] > 0
            table = np.array(
                [
                    [(in_k & has).sum(), (~in_k & has).sum()],
                    [(in_k & ~has).sum(), (~in_k & ~has).sum()],
                ]
            )
            if table[0].sum() < 3:
                continue
            chi, p, _, exp = stats.chi2_contingency(table, correction=False)
            sign = 1 if table[0, 0] > exp[0, 0] else -1
            row = prof[(prof["Classe"] == k) & (prof["Forme"] == f"mot{j}")].iloc[0]
            assert np.isclose(row["χ²"], sign * chi)
            assert np.isclose(row["p"], p)
            assert row["Effectif classe"] == table[0, 0]
            assert row["Effectif total"] == table[0].sum()
            assert np.isclose(row["%"], 100 * table[0, 0] / table[0].sum())
    top = res.profile(1, n=5)
    assert (top["χ²"] > 2).all() and top["χ²"].is_monotonic_decreasing
    anti = res.profile(1, anti=True)
    assert (anti["χ²"] < -2).all() and anti["χ²"].is_monotonic_increasing
    var = res.profiles["variables"]
    assert set(var["Forme"]) == {"*statut_salarie", "*statut_benevole"}
    with pytest.raises(DataError, match="classe 99"):
        res.profile(99)
    with pytest.raises(DataError, match="inconnu"):
        res.profile(1, "autre")
    # p-values are exact in the table and shown « < 0,001 », never « 0 » / « 0.0 »
    from movsc_toolkit._format import display_html, display_text

    assert top["p"].iloc[0] < 1e-3 and top["p"].iloc[0] > 0
    assert "< 0,001" in display_text(top) and "&lt; 0,001" in display_html(top)
    assert not re.search(r"\s0[.,]0\s*$", display_text(top).splitlines()[1])


def test_typical_segments_sum_of_profile_chi2():
    x = topic_matrix(300, 50, n_topics=4, seed=14)
    segs = pd.DataFrame({"segment": range(300), "contenu": [f"segment {i}" for i in range(300)]})
    res = reinert(sp.csr_matrix(x), n_splits=4, min_class_size=20, segments=segs)
    typ = res.typical_segments(1, n=5)
    prof = res.profile(1).set_index("Forme")["χ²"]
    names = [f"forme_{j + 1}" for j in range(50)]
    for _, row in typ.iterrows():
        i = int(row["Segment"])
        expected = sum(prof.get(names[j], 0.0) for j in np.flatnonzero(x[i]))
        assert row["Score (somme des χ²)"] == round(expected, 2)
        assert res.classes.iloc[i] == 1
        assert row["contenu"] == f"segment {i}"
    assert typ["Score (somme des χ²)"].is_monotonic_decreasing
    # IRaMuTeQ ranks (score, segment) pairs in decreasing order: on a tie, the later segment
    everything = res.typical_segments(1, n=1000)
    assert len(everything) == (res.classes == 1).sum()
    key = list(zip(everything["Score (somme des χ²)"], everything["Segment"], strict=True))
    assert key == sorted(key, reverse=True)
    rel = res.typical_segments(1, n=1000, relative=True)
    i = int(rel.iloc[0]["Segment"])
    in_profile = [prof[names[j]] for j in np.flatnonzero(x[i]) if names[j] in prof.index]
    assert rel.iloc[0]["Score relatif"] == round(sum(in_profile) / len(in_profile), 2)


# ------------------------------------------------------------------------------ corpus input


class FakeCorpus:
    """Implements the Corpus.segment_matrix contract."""

    def __init__(self, x):
        self.x = x
        n = x.shape[0]
        self.segments = pd.DataFrame(
            {
                "segment": [f"seg{i}" for i in range(n)],
                "texte": np.arange(n) // 20,
                "contenu": [f"texte du segment {i}" for i in range(n)],
                "statut": np.where(np.arange(n) // 20 % 2 == 0, "salarie", "usager"),
            }
        )

    def segment_matrix(self, kind="active"):
        if kind == "active":
            return (
                sp.csr_matrix(self.x),
                self.segments,
                pd.Index([f"l{j}" for j in range(self.x.shape[1])]),
            )
        supp = sp.csr_matrix(self.x[:, :5])
        return supp, self.segments, pd.Index(["le", "de", "et", "un", "à"])


def test_corpus_input():
    x = topic_matrix(300, 40, n_topics=4, seed=15)
    res = reinert(FakeCorpus(x), n_splits=4, min_class_size=20)
    assert list(res.hierarchy.index[:2]) == ["seg0", "seg1"]
    assert set(res.profiles) == {"actives", "supplementaires", "variables"}
    assert set(res.profiles["variables"]["Forme"]) == {"*statut_salarie", "*statut_usager"}
    assert "texte du segment" in res.typical_segments(1).iloc[0]["contenu"]
    text = str(res)
    assert "Classification descendante hiérarchique" in text and "Classe 1" in text
    assert "<table" in res._repr_html_()
    k = res.n_classes
    assert repr(res) == text and k >= 1
    assert text.startswith("Classification descendante hiérarchique (méthode Reinert, simple) : 4")
    assert res == res and res != reinert(FakeCorpus(x), n_splits=4, min_class_size=20)
    ax = res.plot_dendrogram()
    assert ax.get_title().startswith("Dendrogramme")
    frame = res.to_frame()
    assert list(frame.columns)[-1] == "Classe"


# -------------------------------------------------------------------------------- bad input


def test_too_small_corpus_message():
    x = np.eye(3)
    with pytest.raises(ComputationError, match=r"3 segment"):
        reinert(x)
    with pytest.raises(ComputationError, match="n_splits"):
        reinert(np.zeros((5, 4)))


def test_too_many_splits_message_names_the_split():
    x = topic_matrix(30, 12, n_topics=2, seed=16)
    with pytest.raises(ComputationError, match=r"bipartition 12 .*\n.*au plus n_splits=11"):
        reinert(x, n_splits=14)
    with pytest.raises(ComputationError, match="au moins 41 segments"):
        reinert(x, n_splits=40)


def test_bad_values_and_parameters():
    with pytest.raises(DataError, match="négatives"):
        reinert(-np.ones((10, 4)))
    with pytest.raises(DataError, match="non numériques"):
        reinert(pd.DataFrame({"a": ["x", "y"], "b": ["z", "t"]}))
    with pytest.raises(DataError, match="n_splits"):
        reinert(np.ones((10, 4)), n_splits=0)
    with pytest.raises(DataError, match="metadata"):
        reinert(topic_matrix(50, 10), metadata=pd.DataFrame({"v": [1, 2]}))
    with pytest.raises(DataError, match="type de données"):
        reinert("corpus.txt")


def test_no_class_reaches_min_size():
    x = topic_matrix(200, 40, seed=17)
    res = reinert(x, n_splits=3, min_class_size=10_000)
    assert res.n_classes == 0 and (res.classes == 0).all()
    assert "Aucune classe" in str(res)
    res.plot_dendrogram()


# ---------------------------------------------------------------------------------- double


def test_rst_units_follow_iramuteq_make_uc():
    sizes = np.array([5, 5, 5, 4, 6, 3, 9, 9])
    groups = np.array([0, 0, 0, 0, 0, 1, 1, 1])
    # para 0: 5 (≤12 → add) 10 (≤12 → add) 15 > 12 → new unit, count restarts at 0;
    # 0 ≤ 12 → add (4); para 1: new unit count 3, add 9 → 12 ≤ 12 → add 9.
    np.testing.assert_array_equal(rmod.rst_units(sizes, groups, 12), [0, 0, 0, 1, 1, 2, 2, 2])


def test_double_classification_invariants():
    x = topic_matrix(600, 60, n_topics=4, per_seg=4, seed=18)
    groups = np.arange(600) // 12
    res = reinert_double(sp.csr_matrix(x), n_splits=5, groups=groups)
    assert res.method == "double"
    assert res.hierarchy.shape == (600, 5) and res.hierarchy2.shape == (600, 5)
    pairs = res.pairs
    assert len(pairs) == res.n_classes >= 2
    assert (pairs["χ²"] > 3.84).all()
    h1, h2 = res.hierarchy.to_numpy(), res.hierarchy2.to_numpy()
    for k, (a, b) in enumerate(zip(pairs["Classe CHD 1"], pairs["Classe CHD 2"], strict=True), 1):
        both = (h1[:, a // 2 - 1] == a) & (h2[:, b // 2 - 1] == b)
        np.testing.assert_array_equal(res.classes.to_numpy() == k, both)
        assert pairs.loc[k, "Effectif"] == both.sum() >= res.min_class_size
        p1, p2 = (h1[:, a // 2 - 1] == a).sum(), (h2[:, b // 2 - 1] == b).sum()
        table = np.array(
            [[both.sum(), p1 - both.sum()], [p2 - both.sum(), 600 - p2 - p1 + both.sum()]]
        )
        chi, *_ = stats.chi2_contingency(table, correction=False)
        assert np.isclose(pairs.loc[k, "χ²"], chi, atol=1e-6)
    # chosen labels never nest in either tree
    chosen1 = list(pairs["Classe CHD 1"])
    for a in chosen1:
        assert not (set(rmod.descendants(a, res.children)) & set(chosen1))
    # segments of a unit share their labels
    units = rmod.rst_units(x.sum(1).astype(int), groups, 12)
    for u in np.unique(units)[:20]:
        assert len({tuple(r) for r in h1[units == u]}) == 1
    assert "double" in str(res)


def test_axis_solver_retries_then_fails_in_french(monkeypatch):
    from scipy.sparse.linalg import ArpackNoConvergence, eigsh

    t = topic_matrix(700, 400, n_topics=5, per_seg=8, seed=2)
    t = sp.csr_matrix(t[t.sum(1) > 0][:, t.sum(0) > 0])
    want = rmod.first_axis(t)
    calls = []

    def flaky(op, **kwargs):
        calls.append(kwargs["ncv"])
        if len(calls) == 1:
            raise ArpackNoConvergence("no", np.array([]), np.zeros((op.shape[0], 0)))
        return eigsh(op, **kwargs)

    monkeypatch.setattr(rmod, "eigsh", flaky)
    np.testing.assert_allclose(rmod.first_axis(t), want, rtol=1e-8, atol=1e-10)
    assert calls[0] is None and calls[1] == 80

    def never(op, **kwargs):
        raise ArpackNoConvergence("no", np.array([]), np.zeros((op.shape[0], 0)))

    monkeypatch.setattr(rmod, "eigsh", never)
    with pytest.raises(ComputationError, match="pas convergé"):
        rmod.first_axis(t)


def test_reallocation_windows_match_naive_pseudo_code(monkeypatch):
    # Small windows: moves near and across window boundaries, several windows per pass.
    rng = np.random.default_rng(8)
    for window in (1, 3, 7):
        monkeypatch.setattr(rmod, "_WINDOW", window)
        t = topic_matrix(60, 20, n_topics=3, seed=30 + window)
        t = t[t.sum(1) > 0][:, t.sum(0) > 0]
        start = rng.random(len(t)) < 0.5
        got, _, moved = rmod.reallocate(sp.csr_matrix(t), start.copy())
        np.testing.assert_array_equal(got, naive_realloc(t, start.copy()))
        assert moved > 0


def test_chd_restores_garbage_collector_and_blas_threads():
    import gc

    from threadpoolctl import threadpool_info

    def blas_threads():
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    before = blas_threads()
    t = sp.csr_matrix(topic_matrix(400, 350, n_topics=4, per_seg=8, seed=4))
    assert gc.isenabled()
    rmod.run_chd(t, 3, True)  # 350 columns: the Lanczos path
    assert gc.isenabled() and blas_threads() == before
    gc.disable()
    try:
        rmod.run_chd(t, 3, True)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
    with pytest.raises(ComputationError):
        rmod.run_chd(sp.csr_matrix(np.eye(6)), 9, True)
    assert gc.isenabled() and blas_threads() == before
