"""Tests of movsc_toolkit.lexico.corpus: IRaMuTeQ format, folders, speakers, segments, matrices."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._errors import (
    ColumnError,
    DataError,
    EncodingError,
    FileError,
    FormatError,
    MovscWarning,
)
from movsc_toolkit.lexico import Corpus, clean_text, cut_segments, read_corpus

DATA = Path(__file__).parents[1] / "data" / "lexico"
MINI = DATA / "entretiens_mini.txt"


@pytest.fixture(scope="module")
def lemmatized(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    corpus = read_corpus(MINI, speakers="drop")
    return corpus.lemmatize(progress=False, cache_dir=cache)


# ---- cleaning and segment cutting (lexicometry.md §2, §3.1) ---------------------------------


def test_clean_text_as_iramuteq():
    assert clean_text("L’accueil… c'est  bien, non ?") == "l accueil £$£ c est bien , non ?"
    assert clean_text("Peut-être ŒUVRE !", lowercase=False) == "Peut être OEUVRE !"
    assert clean_text("«  centre social  » (CS)") == "centre social cs"


def _words(n: int, **punct: int) -> list[str]:
    tokens = [f"w{i}" for i in range(n)]
    for symbol, position in punct.items():
        tokens[position] = {"point": ".", "virgule": ",", "pv": ";", "dp": ":"}[symbol]
    return tokens


def test_cut_point_at_40_wins():
    assert cut_segments(_words(100, point=40))[0] == (0, 40)


def test_cut_tie_is_won_by_the_later_position():
    # "." at 35 scores 6/6 = 1, "," at 40 scores 1/1 = 1: the comma (later) wins
    tokens = _words(100, point=35, virgule=40)
    assert cut_segments(tokens)[0] == (0, 40)


def test_cut_point_at_39_beats_comma_at_40():
    tokens = _words(100, point=39, virgule=40)
    assert cut_segments(tokens)[0] == (0, 39)


def test_cut_strong_separator_early_beats_plain_words():
    # "." at 5 scores 6/36 > 0.01 of any plain word
    assert cut_segments(_words(100, point=5))[0] == (0, 5)
    # colon (5) and semicolon (4) weights
    assert cut_segments(_words(100, dp=30, pv=40))[0] == (0, 40)  # 5/11 < 4/1
    assert cut_segments(_words(100, dp=38, pv=30))[0] == (0, 38)  # 5/3 > 4/11


def test_cut_plain_words_and_end_of_paragraph():
    segments = cut_segments(_words(100))
    assert segments[0] == (0, 40)  # 0.01 / 1 at position 40
    assert segments[1] == (41, 81)
    assert segments[2] == (82, 99)  # the remaining 18 tokens (end marker within the window)
    assert cut_segments(_words(55)) == [(0, 54)]  # end within the 56-token window
    assert cut_segments(_words(56))[0] == (0, 40)


def test_cut_drops_punctuation_only_segments_and_keeps_the_rest():
    tokens = [".", *_words(70)]
    segments = cut_segments(tokens)
    assert segments[0][0] == 1 or segments[0] == (0, segments[0][1])
    covered = sum(last - first + 1 for first, last in segments)
    assert covered >= 70


def _naive_cut(tokens, size=40):
    """Second implementation, written from the pseudo-code of §3.1 with explicit lists."""
    weights = {".": 6, "?": 6, "!": 6, "£$£": 6, ":": 5, ";": 4, ",": 1}
    rest = [*list(enumerate(tokens)), (None, "$")]
    out = []
    while rest and rest[0][1] != "$":
        limit = min(size + 15, len(rest) - 1)
        window = rest[: limit + 1]
        if any(t == "$" for _, t in window):
            segment, rest = rest[:-1], []
        else:
            best, score = None, 0
            for i in range(limit, -1, -1):
                s = weights.get(window[i][1], 0.01) / (abs(size - i) + 1)
                if s > score:
                    best, score = i, s
            segment, rest = rest[: best + 1], rest[best + 1 :]
        if any(t not in weights for _, t in segment):
            out.append((segment[0][0], segment[-1][0]))
    return out


def test_cut_agrees_with_a_naive_implementation():
    rng = np.random.default_rng(3)
    vocabulary = ["a", "b", "c", "d", ".", ",", ";", ":", "?", "!", "£$£"]
    probabilities = [0.22, 0.22, 0.22, 0.22, 0.03, 0.04, 0.01, 0.01, 0.01, 0.01, 0.01]
    for _ in range(200):
        n = int(rng.integers(1, 400))
        tokens = list(rng.choice(vocabulary, size=n, p=probabilities))
        assert cut_segments(tokens) == _naive_cut(tokens)


# ---- IRaMuTeQ format ---------------------------------------------------------------------------


def test_read_iramuteq_file():
    corpus = read_corpus(MINI)
    assert len(corpus) == 3
    assert list(corpus.metadata.columns) == ["entretien", "statut", "anciennete"]
    assert corpus.metadata["statut"].tolist() == ["benevole", "salarie", "usager"]
    assert corpus.metadata["entretien"].tolist() == ["01", "02", "03"]
    assert corpus.themes == [["theme_gouvernance"], [], ["theme_accueil", "theme_activites"]]
    assert corpus.texts[1].startswith("Je travaille au centre social")
    assert "Enquêteur : Bonjour" in corpus.texts[0]  # speakers="keep" by default
    assert [t for t, _ in corpus.paragraphs[0]] == [None, "theme_gouvernance"]


def test_speaker_turns():
    drop = read_corpus(MINI, speakers="drop")
    text = drop.texts[0]
    assert "Bonjour" not in text and "gouvernance du centre" not in text
    assert text.startswith("Oui. Je suis bénévole")
    assert "Interviewé" not in text and "I :" not in text
    strip = read_corpus(MINI, speakers="strip")
    assert strip.texts[0].startswith("Bonjour, pouvez-vous")
    assert "Le conseil d'administration" in strip.texts[0]
    first = read_corpus(MINI).texts[0]
    only = Corpus.from_texts([first], speakers="interviewer")
    assert only.texts[0] == "Bonjour, pouvez-vous vous présenter ?\nEt la gouvernance du centre ?"
    with pytest.raises(FormatError, match="interviewer"):
        read_corpus(MINI, speakers="interviewer")  # text 2 has no interviewer turn
    # texts without labels are unchanged
    assert drop.texts[1] == read_corpus(MINI).texts[1]
    with pytest.raises(DataError, match="speakers"):
        read_corpus(MINI, speakers="enleve")


def test_custom_interviewer_label():
    corpus = Corpus.from_texts(["Sophie : Bonjour.\nI : Je suis salariée.\nSophie : Merci."])
    assert corpus.texts == ["Sophie : Bonjour.\nI : Je suis salariée.\nSophie : Merci."]
    path_text = "**** *e_1\nSophie : Bonjour.\nR : Je suis salariée.\n"
    tmp = DATA / "_tmp_label.txt"
    try:
        tmp.write_text(path_text, encoding="utf-8")
        corpus = read_corpus(tmp, speakers="drop", interviewer_labels=["Sophie"])
        assert corpus.texts == ["Je suis salariée."]
    finally:
        tmp.unlink()


def test_bom_and_windows_1252(tmp_path):
    text = MINI.read_text(encoding="utf-8")
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    windows = tmp_path / "windows.txt"
    windows.write_bytes(text.replace("·", "").replace("…", "...").encode("cp1252"))
    for path in (bom, windows):
        corpus = read_corpus(path)
        assert len(corpus) == 3
        assert "bénévole" in corpus.texts[0]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "corpus.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("\nUn texte sans en-tête.\n**** *e_1\nBonjour.\n", 2, "avant la première ligne"),
        ("**** *e_1\nBonjour.\n**** *e_2\n\n**** *e_3\nSalut.\n", 3, "vide"),
        ("-*theme_x\n**** *e_1\nBonjour.\n", 1, "avant le premier texte"),
        ("**** *e_1 *statut-benevole\nBonjour.\n", 1, "tiret bas"),
        ("**** *e_1 *statut_bene vole\nBonjour.\n", 1, "sans espace"),
        ("**** *e_1\n-*theme_x du texte\nBonjour.\n", 2, "seulement un marqueur"),
        ("***** *e_1\nBonjour.\n", 1, "exactement quatre étoiles"),
    ],
)
def test_format_errors_name_the_line(tmp_path, content, line, words):
    with pytest.raises(FormatError) as info:
        read_corpus(_write(tmp_path, content))
    assert info.value.line == line
    assert words in str(info.value)
    assert f"ligne {line}" in str(info.value)


def test_empty_text_after_dropping_interviewer(tmp_path):
    path = _write(tmp_path, "**** *e_1\nE : Bonjour ?\n**** *e_2\nI : Oui.\n")
    with pytest.raises(FormatError) as info:
        read_corpus(path, speakers="drop")
    assert info.value.line == 1
    assert "tours de parole" in str(info.value)


def test_undecodable_bytes_name_the_line(tmp_path):
    path = tmp_path / "mixte.txt"
    path.write_bytes("**** *e_1\nLes bénévoles.\n".encode() + b"Une erreur \xe9crite.\n")
    with pytest.raises(EncodingError) as info:
        read_corpus(path)
    assert info.value.line == 3
    with pytest.raises(EncodingError) as info:
        read_corpus(path, encoding="utf-8")
    assert info.value.line == 3


def test_missing_file():
    with pytest.raises(FileError, match="introuvable"):
        read_corpus(DATA / "nexiste_pas.txt")


def test_round_trip_iramuteq(tmp_path):
    corpus = read_corpus(MINI, speakers="drop")
    out = corpus.to_iramuteq(tmp_path / "export.txt")
    again = read_corpus(out)
    assert again.texts == corpus.texts
    assert again.themes == corpus.themes
    assert again.paragraphs == corpus.paragraphs
    pd.testing.assert_frame_equal(again.metadata, corpus.metadata)


def test_round_trip_sanitizes_names_and_missing_values(tmp_path):
    meta = pd.DataFrame({"tranche age": ["30 39", None], "statut": ["usager", "salarie"]})
    corpus = Corpus.from_texts(["Bonjour à tous.", "Au revoir."], meta)
    out = corpus.to_iramuteq(tmp_path / "x.txt")
    assert out.read_text(encoding="utf-8").splitlines()[0] == (
        "**** *tranche-age_30-39 *statut_usager"
    )
    again = read_corpus(out)
    assert again.metadata["tranche-age"].tolist()[0] == "30-39"
    dated = Corpus.from_texts(["Bonjour."], {"date": [pd.Timestamp("2026-03-14")], "n": [52.0]})
    first = dated.to_iramuteq(tmp_path / "d.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first == "**** *date_2026-03-14 *n_52"
    assert pd.isna(again.metadata["tranche-age"].tolist()[1])


# ---- folders of transcripts ----------------------------------------------------------------


def _make_folder(tmp_path: Path) -> Path:
    import docx
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    folder = tmp_path / "entretiens"
    folder.mkdir()
    (folder / "e1.txt").write_text(
        "E : Vous êtes bénévole ?\nI : Oui, au centre social.\n", encoding="utf-8"
    )
    (folder / "e2.txt").write_bytes("I : Je suis salariée, c'est très prenant.\n".encode("cp1252"))
    document = docx.Document()
    document.add_paragraph("Enquêteur : Et vous ?")
    document.add_paragraph("Interviewé·e : Je viens pour l'aide aux devoirs.")
    document.save(folder / "e3.docx")
    odt = OpenDocumentText()
    odt.text.addElement(P(text="E : Depuis quand ?"))
    odt.text.addElement(P(text="I : Depuis deux ans, avec ma fille."))
    odt.save(str(folder / "e4.odt"))
    (folder / "metadonnees.csv").write_text(
        "fichier;statut;age\ne2.txt;salarie;41\ne1.txt;benevole;67\ne3;usager;35\n"
        "e4.odt;usager;29\n",
        encoding="utf-8",
    )
    return folder


def test_read_folder(tmp_path):
    folder = _make_folder(tmp_path)
    corpus = read_corpus(folder, speakers="drop")
    assert len(corpus) == 4
    assert corpus.metadata["statut"].tolist() == ["salarie", "benevole", "usager", "usager"]
    assert corpus.metadata["fichier"].tolist() == ["e2.txt", "e1.txt", "e3", "e4.odt"]
    assert corpus.texts == [
        "Je suis salariée, c'est très prenant.",
        "Oui, au centre social.",
        "Je viens pour l'aide aux devoirs.",
        "Depuis deux ans, avec ma fille.",
    ]


def test_repeated_star_variable_first_value_kept_with_alert(tmp_path):
    # IRaMuTeQ accepts a variable twice on a **** line and keeps the first modality
    content = "**** *e_1 *statut_benevole *e_2 *statut_usager *e_3\nBonjour.\n**** *e_4\nSalut.\n"
    with pytest.warns(MovscWarning, match="2 alertes"):
        corpus = read_corpus(_write(tmp_path, content))
    assert corpus.metadata["e"].tolist() == ["1", "4"]
    assert corpus.metadata["statut"].tolist() == ["benevole", None]
    problems = corpus.problems
    assert list(problems.columns) == ["ligne", "colonne", "valeur", "gravité", "message"]
    assert problems["ligne"].tolist() == [1, 1]
    assert problems["colonne"].tolist() == ["e", "statut"]
    assert problems["valeur"].tolist() == ["*e_2 *e_3", "*statut_usager"]
    assert set(problems["gravité"]) == {"alerte"}
    assert "« 1 »" in problems["message"][0] and "« 2 », « 3 »" in problems["message"][0]
    assert "problème(s) relevé(s)" in str(corpus)
    # kept by subset and by the options
    assert len(corpus.subset(e="1").problems) == 2


def test_clean_corpus_has_empty_problems(tmp_path):
    corpus = read_corpus(_write(tmp_path, "**** *e_1\nBonjour.\n"))
    assert corpus.problems.empty
    assert list(corpus.problems.columns) == ["ligne", "colonne", "valeur", "gravité", "message"]


def test_read_folder_reports_unmatched_files_and_rows(tmp_path):
    folder = _make_folder(tmp_path)
    (folder / "e5.txt").write_text("I : Bonjour.\n", encoding="utf-8")
    meta = folder / "metadonnees.csv"
    meta.write_text(
        meta.read_text(encoding="utf-8") + "e9.txt;usager;50\n;benevole;33\n", encoding="utf-8"
    )
    with pytest.warns(MovscWarning, match="2 erreurs et 1 alerte"):
        corpus = read_corpus(folder, speakers="drop")
    # the four matched transcripts, then the one without metadata (variables empty)
    assert corpus.metadata["fichier"].tolist() == ["e2.txt", "e1.txt", "e3", "e4.odt", "e5.txt"]
    assert corpus.metadata["statut"].tolist()[:4] == ["salarie", "benevole", "usager", "usager"]
    assert pd.isna(corpus.metadata["statut"].iloc[4])
    assert corpus.texts[4] == "Bonjour."
    problems = corpus.problems
    assert list(problems.columns) == [
        "fichier",
        "ligne",
        "colonne",
        "valeur",
        "gravité",
        "message",
    ]
    by_value = {row.valeur: row for row in problems.itertuples()}
    assert by_value["e9.txt"].ligne == 6 and by_value["e9.txt"].gravité == "erreur"
    assert by_value["e9.txt"].fichier == "metadonnees.csv"
    assert "introuvable" in by_value["e9.txt"].message
    assert by_value[""].ligne == 7 and by_value[""].gravité == "erreur"
    assert "sans nom de fichier" in by_value[""].message
    assert by_value["e5.txt"].fichier == "e5.txt" and by_value["e5.txt"].gravité == "alerte"
    assert "pas de ligne dans les métadonnées" in by_value["e5.txt"].message


def test_read_folder_metadata_frame_problems(tmp_path):
    folder = _make_folder(tmp_path)
    (folder / "metadonnees.csv").unlink()
    frame = pd.DataFrame(
        {"fichier": ["e1.txt", "e2.txt", "e3.docx", "absent.txt"], "g": ["a", "b", "c", "d"]}
    )
    with pytest.warns(MovscWarning):
        corpus = read_corpus(folder, metadata=frame)
    assert corpus.metadata["fichier"].tolist() == ["e1.txt", "e2.txt", "e3.docx", "e4.odt"]
    problems = corpus.problems
    row = problems[problems["valeur"] == "absent.txt"].iloc[0]
    assert row["élément"] == "ligne 3 du tableau de métadonnées"
    assert pd.isna(row["ligne"])


def test_read_folder_errors(tmp_path):
    folder = _make_folder(tmp_path)
    meta = folder / "metadonnees.csv"
    meta.write_text("fichier;statut\nx1.txt;a\n", encoding="utf-8")
    with pytest.raises(FormatError, match="aucune colonne"):
        read_corpus(folder)
    meta.write_text("fichier;statut\ne1.txt;a\ne1.txt;b\n", encoding="utf-8")
    with pytest.raises(FormatError, match="plusieurs lignes"):
        read_corpus(folder)
    shutil.copy(meta, folder / "autre.csv")
    with pytest.raises(FileError, match="plusieurs tableaux"):
        read_corpus(folder)


def test_single_docx(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("E : Bonjour.")
    document.add_paragraph("I : Je suis administratrice.")
    document.save(tmp_path / "seul.docx")
    corpus = read_corpus(tmp_path / "seul.docx", speakers="drop")
    assert corpus.texts == ["Je suis administratrice."]
    (tmp_path / "casse.docx").write_bytes(b"pas un docx")
    with pytest.raises(FileError, match="endommagé") as info:
        read_corpus(tmp_path / "casse.docx")
    assert "Error" not in str(info.value)  # no English exception name


# ---- from_texts and segments ------------------------------------------------------------


def test_from_texts_and_segments():
    long_text = (
        " ".join(f"mot{i}" for i in range(30)) + ". " + " ".join(f"autre{i}" for i in range(30))
    )
    corpus = Corpus.from_texts(["Bonjour à tous.", long_text], {"statut": ["usager", "salarie"]})
    seg = corpus.segments
    assert list(seg.columns) == ["segment", "texte", "paragraphe", "contenu", "statut"]
    assert seg["segment"].tolist() == list(range(len(seg)))
    assert seg["texte"].tolist() == [0, 1, 1]
    assert seg["contenu"].iloc[1].endswith("mot29.")
    assert seg["statut"].tolist() == ["usager", "salarie", "salarie"]
    with pytest.raises(DataError, match="vide"):
        Corpus.from_texts(["Bonjour.", "  ...  "])
    with pytest.raises(DataError, match="lignes"):
        Corpus.from_texts(["a", "b"], {"statut": ["x"]})
    with pytest.raises(DataError, match="réservé"):
        _ = Corpus.from_texts(["Bonjour."], {"texte": ["x"]}).segments


def test_segments_do_not_cross_paragraphs():
    corpus = read_corpus(MINI, speakers="drop")
    seg = corpus.segments
    assert seg.groupby("paragraphe")["texte"].nunique().max() == 1
    assert seg["paragraphe"].nunique() == 5
    assert "Le mercredi" in seg["contenu"].iloc[-1] or "Le mercredi" in seg["contenu"].iloc[-2]


def test_display():
    corpus = read_corpus(MINI)
    text = str(corpus)
    assert "Corpus de 3 textes" in text and "« statut » : 3 modalités" in text
    assert "<table" in corpus._repr_html_()


# ---- spaCy: tokens and the segment matrix contract ------------------------------------------


def test_tokens(lemmatized):
    tokens = lemmatized.tokens
    assert list(tokens.columns) == [
        "texte",
        "segment",
        "début",
        "fin",
        "forme",
        "lemme",
        "catégorie",
        "statut",
        "bloc",
    ]
    assert lemmatized.metadata.index.name == "texte"
    texts = lemmatized.texts
    for row in tokens.head(40).itertuples():
        assert texts[row.texte][row.début : row.fin].lower().replace("’", "'") == row.forme
    sure = tokens.set_index("forme")
    assert sure.loc["enfants", "lemme"].iloc[0] == "enfant"
    assert (sure.loc["les", "statut"] == "supplémentaire").all()
    assert sure.loc["travaille", "statut"] == "actif"
    # each word lies inside its segment's span
    segments = lemmatized.segments
    first = tokens.groupby("segment")["texte"].first()
    assert (first == segments.loc[first.index, "texte"]).all()


def test_segment_matrix_contract(lemmatized):
    matrix, segments, terms = lemmatized.segment_matrix(kind="active", min_freq=2)
    assert matrix.shape == (len(segments), len(terms))
    assert set(np.unique(matrix.data)) == {1}
    assert matrix.format == "csr"
    assert list(segments.columns[:4]) == ["segment", "texte", "paragraphe", "contenu"]
    assert {"statut", "anciennete", "entretien"} <= set(segments.columns)
    assert isinstance(terms, pd.Index) and terms.is_unique
    assert "bénévole" in terms and "enfant" in terms and "le" not in terms
    tokens = lemmatized.tokens
    active = tokens[tokens["statut"] == "actif"]
    freq = active["lemme"].value_counts()
    assert set(terms) == set(freq.index[freq >= 2])
    # presence = the lemma occurs in the segment
    j = terms.get_loc("bénévole")
    expected = np.zeros(len(segments), dtype=int)
    expected[active.loc[active["lemme"] == "bénévole", "segment"].unique()] = 1
    np.testing.assert_array_equal(matrix[:, j].toarray().ravel(), expected)
    _supp, _, supp_terms = lemmatized.segment_matrix(kind="supplementary", min_freq=3)
    assert "le" in supp_terms and "bénévole" not in supp_terms
    forms, _, form_terms = lemmatized.segment_matrix(kind="all", unit="form", min_freq=1)
    assert "bénévoles" in form_terms
    assert forms.shape[0] == len(segments)


def test_terms_sorted_the_french_way(lemmatized):
    _, _, terms = lemmatized.segment_matrix(kind="active", min_freq=1)
    assert terms.get_loc("écouter") < terms.get_loc("enfant")


def test_expressions(tmp_path):
    corpus = read_corpus(MINI, speakers="drop").lemmatize(
        progress=False,
        cache_dir=tmp_path,
        expressions=["centre social", "accueil de loisirs"],
    )
    tokens = corpus.tokens
    expr = tokens[tokens["catégorie"] == "EXPR"]
    assert set(expr["lemme"]) == {"centre social", "accueil de loisirs"}
    assert (expr["lemme"] == "centre social").sum() == 4  # including "centres sociaux"
    assert "centres sociaux" in set(expr["forme"])
    assert (expr["statut"] == "actif").all()


def test_placeholders_and_numbers_are_supplementary(tmp_path):
    corpus = Corpus.from_texts(
        ["J'ai vu [PERSONNE_1] à [LIEU_2] hier avec _marie_, j'ai trente-huit ans."]
    ).lemmatize(progress=False, cache_dir=tmp_path)
    tokens = corpus.tokens.set_index("forme")
    assert tokens.loc["[PERSONNE_1]", "statut"] == "supplémentaire"
    assert tokens.loc["[LIEU_2]", "lemme"] == "[LIEU_2]"
    assert tokens.loc["[LIEU_2]", "statut"] == "supplémentaire"
    assert tokens.loc["_marie_", "statut"] == "supplémentaire"
    assert tokens.loc["trente-huit", "catégorie"] == "NUM"
    assert tokens.loc["trente-huit", "statut"] == "supplémentaire"
    start, end = tokens.loc["[LIEU_2]", ["début", "fin"]]
    assert corpus.texts[0][start:end] == "[LIEU_2]"


def test_segments_keep_glued_signs():
    corpus = Corpus.from_texts(["[LIEU_1] est loin. « Oui », dit [PERSONNE_2]"])
    assert corpus.segments["contenu"].tolist() == ["[LIEU_1] est loin. « Oui », dit [PERSONNE_2]"]


def test_forced_supplementary(tmp_path):
    corpus = read_corpus(MINI, speakers="drop").lemmatize(
        progress=False, cache_dir=tmp_path, supplementary=["Enfant", "travailler"]
    )
    tokens = corpus.tokens
    assert (
        tokens.loc[tokens["lemme"].isin(["enfant", "travailler"]), "statut"] == "supplémentaire"
    ).all()
    _, _, terms = corpus.segment_matrix(min_freq=1)
    assert "enfant" not in terms and "bénévole" in terms


def test_subset(lemmatized):
    usagers = lemmatized.subset(statut="usager")
    assert len(usagers) == 1 and usagers.metadata["statut"].tolist() == ["usager"]
    assert usagers.texts == [lemmatized.texts[2]]
    two = lemmatized.subset(lemmatized.metadata["anciennete"] == "longue")
    assert two.metadata["entretien"].tolist() == ["01", "03"]
    assert len(lemmatized.subset(statut=["usager", "salarie"])) == 2
    assert set(two.tokens["texte"]) == {0, 1}
    with pytest.raises(DataError, match="aucun texte"):
        lemmatized.subset(statut="inconnu")
    with pytest.raises(ColumnError, match="statut"):
        lemmatized.subset(statu="usager")


def test_oral_forms_fixed(tmp_path):
    corpus = Corpus.from_texts(["Alors moi, euh, ben je viens le mercredi. Moi aussi."]).lemmatize(
        progress=False, cache_dir=tmp_path
    )
    tokens = corpus.tokens.set_index("forme")
    assert set(tokens.loc[["moi"], "catégorie"]) == {"PRON"}
    assert tokens.loc["euh", "statut"] == "supplémentaire"
    assert tokens.loc["ben", "statut"] == "supplémentaire"
    assert tokens.loc["mercredi", "statut"] == "actif"


def test_user_dictionary_files(tmp_path):
    (tmp_path / "expressions.txt").write_text(
        "# mes expressions\ncentre social\n\naccueil de loisirs  # activité du mercredi\n",
        encoding="utf-8",
    )
    (tmp_path / "supp.txt").write_text("enfant\n", encoding="cp1252")
    corpus = read_corpus(MINI, speakers="drop").lemmatize(
        progress=False,
        cache_dir=tmp_path,
        expressions=tmp_path / "expressions.txt",
        supplementary=str(tmp_path / "supp.txt"),
    )
    tokens = corpus.tokens
    assert set(tokens.loc[tokens["catégorie"] == "EXPR", "lemme"]) == {
        "centre social",
        "accueil de loisirs",
    }
    assert (tokens.loc[tokens["lemme"] == "enfant", "statut"] == "supplémentaire").all()
    with pytest.raises(FileError, match="introuvable"):
        corpus.lemmatize(progress=False, cache_dir=tmp_path, expressions="absent.txt")
    single = corpus.lemmatize(progress=False, cache_dir=tmp_path, expressions="centre social")
    assert set(single.tokens.loc[single.tokens["catégorie"] == "EXPR", "lemme"]) == {
        "centre social"
    }


# ---- zip bombs and damaged documents (issue 9, item 5) ----------------------------------


def _docx_bytes() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("I : Je suis bénévole depuis dix ans.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _odt(path: Path) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    odt = OpenDocumentText()
    odt.text.addElement(P(text="I : Depuis deux ans, avec ma fille."))
    odt.save(str(path))
    return path


def _rewrite(source: Path | bytes, target: Path, change: dict[str, bytes | None]) -> Path:
    """Copy a zip archive, replacing (bytes) or removing (None) some members."""
    import io
    import zipfile

    data = source if isinstance(source, bytes) else source.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            if info.filename in change:
                if change[info.filename] is not None:
                    zout.writestr(info, change[info.filename])
            else:
                zout.writestr(info, zin.read(info.filename))
    return target


def _bomb(target: Path, member: str, source: Path | bytes, megabytes: float) -> Path:
    """A real zip bomb: ``member`` replaced by ``megabytes`` of spaces, deflated (~1000:1)."""
    import io
    import zipfile

    data = source if isinstance(source, bytes) else source.read_bytes()
    size = int(megabytes * 1e6)
    chunk = b" " * (1 << 22)
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            if info.filename != member:
                zout.writestr(info, zin.read(info.filename))
                continue
            zinfo = zipfile.ZipInfo(member, date_time=info.date_time)
            zinfo.compress_type = zipfile.ZIP_DEFLATED
            with zout.open(zinfo, "w", force_zip64=True) as stream:
                written = 0
                while written < size:
                    part = chunk[: min(len(chunk), size - written)]
                    stream.write(part)
                    written += len(part)
    return target


def _forge_size(path: Path, member: str, size: int) -> None:
    """Patch the declared (uncompressed) size of ``member`` in the central directory."""
    raw = bytearray(path.read_bytes())
    start = raw.find(b"PK\x01\x02")
    while start != -1:
        name_len = int.from_bytes(raw[start + 28 : start + 30], "little")
        if bytes(raw[start + 46 : start + 46 + name_len]).decode() == member:
            raw[start + 24 : start + 28] = size.to_bytes(4, "little")
            path.write_bytes(bytes(raw))
            return
        start = raw.find(b"PK\x01\x02", start + 4)
    raise AssertionError(member)


def test_absurd_declared_size_refused_without_expanding(tmp_path):
    import tracemalloc

    path = _rewrite(_docx_bytes(), tmp_path / "bombe.docx", {})
    _forge_size(path, "word/document.xml", 4_000_000_000)  # a 40 KB file declaring 4 GB
    tracemalloc.start()
    with pytest.raises(FileError, match="anormalement compressé") as info:
        read_corpus(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20_000_000
    message = str(info.value)
    assert "bombe.docx" in message and "3\u202f815 Mo" in message
    # a large document that compresses normally: refused by the total size (max_mb)
    big = tmp_path / "gros.docx"
    _rewrite(_docx_bytes(), big, {"word/media/photo.bin": None})
    import zipfile

    with zipfile.ZipFile(big, "a") as z:
        z.writestr("word/media/photo.bin", os.urandom(3_000_000))
    with pytest.raises(FileError, match="une fois décompressé") as info:
        read_corpus(big, max_mb=2)
    assert "limite : 2 Mo" in str(info.value)
    assert read_corpus(big).texts == ["I : Je suis bénévole depuis dix ans."]


def test_real_zip_bombs_refused(tmp_path):
    odt = _bomb(tmp_path / "bombe.odt", "content.xml", _odt(tmp_path / "ok.odt"), 250)
    assert odt.stat().st_size < 1_000_000  # 250 MB of text in under 1 MB
    with pytest.raises(FileError, match="anormalement compressé"):
        read_corpus(odt)
    small = _bomb(tmp_path / "b.docx", "word/document.xml", _docx_bytes(), 20)
    with pytest.raises(FileError, match="anormalement compressé"):
        read_corpus(small)
    # in a folder of transcripts, the file is named
    folder = tmp_path / "dossier"
    folder.mkdir()
    (folder / "a.txt").write_text("I : Bonjour.", encoding="utf-8")
    small.rename(folder / "b.docx")
    with pytest.raises(FileError, match=r"b\.docx"):
        read_corpus(folder)


def test_damaged_documents_refused_never_partial(tmp_path):
    odt = _odt(tmp_path / "ok.odt")
    assert read_corpus(odt).texts == ["I : Depuis deux ans, avec ma fille."]
    import zipfile

    with zipfile.ZipFile(odt) as z:
        content = z.read("content.xml")
    cut = _rewrite(odt, tmp_path / "coupe.odt", {"content.xml": content[: len(content) - 60]})
    with pytest.raises(FileError, match="endommagé") as info:
        read_corpus(cut)
    assert "content.xml" in str(info.value) and "coupe.odt" in str(info.value)
    missing = _rewrite(odt, tmp_path / "sans.odt", {"content.xml": None})
    with pytest.raises(FileError, match="manque"):
        read_corpus(missing)
    docx_bytes = _docx_bytes()
    with zipfile.ZipFile(__import__("io").BytesIO(docx_bytes)) as z:
        body = z.read("word/document.xml")
    broken = _rewrite(docx_bytes, tmp_path / "casse.docx", {"word/document.xml": body[:-30]})
    with pytest.raises(FileError, match="endommagé"):
        read_corpus(broken)
    truncated = tmp_path / "tronque.docx"
    truncated.write_bytes(docx_bytes[: len(docx_bytes) // 2])
    with pytest.raises(FileError, match="endommagé"):
        read_corpus(truncated)
    # a flipped byte inside the compressed text: CRC or inflate error, never a partial read
    raw = bytearray(docx_bytes)
    with zipfile.ZipFile(__import__("io").BytesIO(docx_bytes)) as z:
        info = z.getinfo("word/document.xml")
    offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 20
    raw[offset] ^= 0xFF
    flipped = tmp_path / "bit.docx"
    flipped.write_bytes(bytes(raw))
    with pytest.raises(FileError, match="endommagé"):
        read_corpus(flipped)


def test_to_iramuteq_round_trip_with_star_lines(tmp_path):
    corpus = Corpus.from_texts(
        ["Bonjour.\n**** *faux_texte\n  -*faux_theme et suite", "=1+1 @SUM(A1)"],
        {"groupe": ["a b", "=c"], "date": [pd.Timestamp("2026-03-14"), pd.NaT]},
    )
    with pytest.warns(MovscWarning, match="2 ligne"):
        path = corpus.to_iramuteq(tmp_path / "sortie" / "corpus.txt")
    text = path.read_text(encoding="utf-8")
    assert "* *** *faux_texte" in text and "  - *faux_theme et suite" in text
    back = read_corpus(path)
    assert len(back) == 2 and back.themes == [[], []]
    assert back.metadata["groupe"].tolist() == ["a-b", "=c"]
    assert back.metadata["date"].tolist() == ["2026-03-14", None]
    assert back.texts[1] == "=1+1 @SUM(A1)"
    with pytest.raises(FileError, match=r"\.txt"):
        corpus.to_iramuteq(tmp_path / "corpus.csv")


def test_corpus_is_a_report_with_identity_equality():
    corpus = Corpus.from_texts(
        ["Le centre social aide.", "Les bénévoles aident."], {"g": ["a", "b"]}
    )
    other = Corpus.from_texts(
        ["Le centre social aide.", "Les bénévoles aident."], {"g": ["a", "b"]}
    )
    assert corpus == corpus and corpus != other  # identity, never a table comparison
    assert repr(corpus) == str(corpus)
    assert str(corpus).startswith("Corpus de 2 textes, 7 mots, 2 segments de texte")
    assert "Métadonnées" in corpus._repr_html_()
    assert corpus.to_frame().equals(corpus.metadata)
