"""Tests of movsc_toolkit.lexico.nlp: spaCy pipeline, disk cache, entities."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from movsc_toolkit._errors import ComputationError, MovscWarning
from movsc_toolkit.lexico import _spacy_cache as spacy_cache
from movsc_toolkit.lexico import nlp

TEXTS = [
    "Les bénévoles voulaient s'impliquer davantage.",
    "Je travaille au centre social de Villeurbanne avec Marie Dupont.",
    "Les bénévoles voulaient s'impliquer davantage.",  # duplicate: parsed once
]


def test_import_does_not_load_spacy():
    code = "import sys, movsc_toolkit.lexico; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_parse_lemmas_and_pos(tmp_path):
    parsed = nlp.parse(TEXTS, cache_dir=tmp_path, progress=False)
    assert len(parsed) == 3
    tokens = {t[2]: t for t in parsed[0].tokens}
    assert tokens["voulaient"][3] == "vouloir"
    assert tokens["bénévoles"][3] == "bénévole" and tokens["bénévoles"][4] == "NOUN"
    start, end, text, *_ = tokens["voulaient"]
    assert TEXTS[0][start:end] == text
    assert parsed[0] == parsed[2]
    assert parsed[0].entities == ()


def test_cache_is_used(tmp_path, monkeypatch):
    first = nlp.parse(TEXTS, cache_dir=tmp_path, progress=False)
    assert nlp.cache_path(tmp_path).exists()

    def fail(*args, **kwargs):
        raise AssertionError("the model should not be needed")

    monkeypatch.setattr(nlp, "_run_pipeline", fail)
    again = nlp.parse(TEXTS, cache_dir=tmp_path, progress=False)
    assert again == first
    # another option set (entities) is a different cache entry
    with pytest.raises(AssertionError, match="not be needed"):
        nlp.parse(TEXTS[:1], cache_dir=tmp_path, progress=False, ner=True)


def test_cache_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MOVSC_CACHE_DIR", str(tmp_path / "env"))
    assert nlp.cache_path() == tmp_path / "env" / "spacy-cache.sqlite3"
    nlp.parse(TEXTS[:1], progress=False)
    assert (tmp_path / "env" / "spacy-cache.sqlite3").exists()


def test_no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MOVSC_CACHE_DIR", str(tmp_path / "none"))
    parsed = nlp.parse(TEXTS[:1], cache_dir=False, progress=False)
    assert parsed[0].tokens
    assert not (tmp_path / "none").exists()


def test_entities(tmp_path):
    parsed = nlp.parse(TEXTS[1:2], ner=True, cache_dir=tmp_path, progress=False)
    found = {TEXTS[1][s:e]: label for s, e, label in parsed[0].entities}
    assert found.get("Marie Dupont") == "PER"


def test_missing_model():
    with pytest.raises(ComputationError, match="pas installé"):
        nlp.parse(["Bonjour."], model="fr_modele_inexistant", cache_dir=False, progress=False)


def test_unusable_cache_falls_back(tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier", encoding="utf-8")
    with pytest.warns(UserWarning, match="cache"):
        parsed = nlp.parse(TEXTS[:1], cache_dir=blocker / "sous-dossier", progress=False)
    assert parsed[0].tokens


# ---- issue 17: damaged cache, planted rows, shared folders ------------------------------------

CENTRE = "Je travaille au centre social."


def _rows(path) -> dict[str, str]:
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        return dict(connection.execute("SELECT key, data FROM parsed"))
    finally:
        connection.close()


def _set_row(path, key: str, data: str) -> None:
    import sqlite3

    connection = sqlite3.connect(path)
    with connection:
        connection.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?)", (key, data))
    connection.close()


def _lemma(parsed, form: str) -> str:
    return next(t[3] for t in parsed.tokens if t[2] == form)


def _no_model(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the model should not be needed")

    monkeypatch.setattr(nlp, "_run_pipeline", fail)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A personal cache in a temporary home (never the real ~/.cache)."""
    monkeypatch.setenv("HOME", str(tmp_path / "maison"))
    monkeypatch.delenv("MOVSC_CACHE_SHARED", raising=False)
    return tmp_path / "maison" / ".cache" / "movsc-toolkit" / "spacy-cache.sqlite3"


RS, US = "\x1e", "\x1f"


@pytest.mark.parametrize(
    "data",
    [
        "2" + RS + "Je" + US + "trav",  # interrupted write
        "",
        "null",
        '[["Je"], "1", ["je"], ["PRON"]]',  # JSON, not the row format
        # a token missing: the tokens no longer re-join to the text
        RS.join(
            [
                "2",
                US.join(["Je", "travaille", "au", "social", "."]),
                "11100",
                US.join(["je", "travailler", "au", "social", "."]),
                US.join(["PRON", "VERB", "ADP", "ADJ", "PUNCT"]),
            ]
        ),
        # space flags that are not 0/1
        RS.join(
            [
                "2",
                US.join(["Je", "travaille", "au", "centre", "social", "."]),
                "1x1110",
                US.join(["je", "travailler", "au", "centre", "social", "."]),
                US.join(["PRON", "VERB", "ADP", "NOUN", "ADJ", "PUNCT"]),
            ]
        ),
        # one lemma too few
        RS.join(
            [
                "2",
                US.join(["Je", "travaille", "au", "centre", "social", "."]),
                "111110",
                US.join(["je", "travailler", "au", "centre", "social"]),
                US.join(["PRON", "VERB", "ADP", "NOUN", "ADJ", "PUNCT"]),
            ]
        ),
    ],
)
def test_corrupt_row_is_recomputed(tmp_path, home, data):
    first = nlp.parse([CENTRE], cache_dir=tmp_path, progress=False)
    db = nlp.cache_path(tmp_path)
    (key,) = _rows(db)
    _set_row(db, key, data)
    with pytest.warns(MovscWarning, match="1 entrée"):
        again = nlp.parse([CENTRE], cache_dir=tmp_path, progress=False)
    assert again == first
    assert _rows(db)[key] != data  # the row was rewritten
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nlp.parse([CENTRE], cache_dir=tmp_path, progress=False) == first


def test_planted_row_of_another_text_is_refused(tmp_path, home, monkeypatch):
    """A row copied from another text (lemma « prison ») under the key of « centre »."""
    other = "Je travaille en prison sociale."
    nlp.parse([CENTRE, other], cache_dir=tmp_path, progress=False)
    db = nlp.cache_path(tmp_path)
    key_centre, key_other = nlp._keys([CENTRE, other], nlp.DEFAULT_MODEL, False)
    rows = _rows(db)
    _set_row(db, key_centre, rows[key_other])
    with pytest.warns(MovscWarning, match="ne correspondant pas"):
        parsed = nlp.parse([CENTRE], cache_dir=tmp_path, progress=False)
    assert _lemma(parsed[0], "centre") == "centre"
    assert "prison" not in {t[3] for t in parsed[0].tokens}


def test_key_depends_on_versions_and_text(monkeypatch):
    base = nlp._keys([CENTRE], nlp.DEFAULT_MODEL, False)
    assert base != nlp._keys([CENTRE + " "], nlp.DEFAULT_MODEL, False)
    assert base != nlp._keys([CENTRE], nlp.DEFAULT_MODEL, True)
    monkeypatch.setattr(nlp, "_toolkit_version", lambda: "9.9.9")
    assert base != nlp._keys([CENTRE], nlp.DEFAULT_MODEL, False)
    monkeypatch.undo()
    monkeypatch.setattr(nlp, "_model_version", lambda model: "3.0.0/spacy-3.0.0")
    assert base != nlp._keys([CENTRE], nlp.DEFAULT_MODEL, False)


def _set_aside_files(folder):
    return sorted(p.name for p in folder.iterdir() if ".abime-" in p.name)


@pytest.mark.parametrize("damage", ["pas-sqlite", "tronqué", "schéma", "vide-de-table"])
def test_damaged_database_is_set_aside(tmp_path, home, damage):
    import sqlite3

    db = nlp.cache_path(tmp_path)
    first = nlp.parse(TEXTS, cache_dir=tmp_path, progress=False)
    if damage == "pas-sqlite":
        db.write_bytes(b"Ceci n'est pas une base SQLite." * 50)
    elif damage == "tronqué":
        nlp.parse(
            [f"Phrase numéro {i} du corpus." for i in range(300)],
            cache_dir=tmp_path,
            progress=False,
        )
        content = db.read_bytes()
        db.write_bytes(content[: len(content) // 3])
    else:
        db.unlink()
        connection = sqlite3.connect(db)
        if damage == "schéma":
            connection.execute("CREATE TABLE parsed (cle INTEGER, valeur BLOB, autre TEXT)")
        else:
            connection.execute("CREATE TABLE autre (x)")
        connection.commit()
        connection.close()
    before = db.read_bytes()
    with pytest.warns(MovscWarning, match="mis de côté"):
        again = nlp.parse(TEXTS, cache_dir=tmp_path, progress=False)
    assert again == first
    (aside,) = _set_aside_files(tmp_path)
    assert (tmp_path / aside).read_bytes() == before  # kept, never deleted
    assert len(_rows(db)) == 2  # a new cache, filled


def test_locked_database_is_set_aside(tmp_path, home, monkeypatch):
    import sqlite3

    first = nlp.parse(TEXTS[:1], cache_dir=tmp_path, progress=False)
    monkeypatch.setattr(spacy_cache, "_LOCK_TIMEOUT", 0.2)
    db = nlp.cache_path(tmp_path)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.warns(MovscWarning, match="verrouillé"):
            again = nlp.parse(TEXTS[:1], cache_dir=tmp_path, progress=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert again == first
    assert len(_set_aside_files(tmp_path)) == 1
    assert len(_rows(db)) == 1


posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
root_only = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root"
)


def _plant_prison(db) -> str:
    """Replace the lemma of « centre » by « prison » in a row that matches the text exactly."""
    (key,) = nlp._keys([CENTRE], nlp.DEFAULT_MODEL, False)
    parsed = nlp._decode(_rows(db)[key], CENTRE, False)
    tokens = tuple((*t[:3], "prison", *t[4:]) if t[2] == "centre" else t for t in parsed.tokens)
    _set_row(db, key, nlp._encode(nlp.ParsedText(tokens), CENTRE, False))
    assert _lemma(nlp._decode(_rows(db)[key], CENTRE, False), "centre") == "prison"
    return key


@posix_only
@pytest.mark.parametrize("mode", [0o777, 0o770])
def test_folder_writable_by_others_is_not_used(tmp_path, home, mode):
    shared = tmp_path / "partage"
    nlp.parse([CENTRE], cache_dir=shared, progress=False)
    db = nlp.cache_path(shared)
    _plant_prison(db)
    os.chmod(shared, mode)
    if mode & 0o070 and not mode & 0o007:
        if os.geteuid() != 0:
            pytest.skip("needs a group that is not the user's own (chown as root)")
        os.chown(shared, -1, 4242)
    rows = _rows(db)
    with pytest.warns(MovscWarning, match="non utilisé"):
        parsed = nlp.parse([CENTRE, TEXTS[0]], cache_dir=shared, progress=False)
    assert _lemma(parsed[0], "centre") == "centre"
    assert _rows(db) == rows  # nothing written there
    assert len(_rows(home)) == 2  # the user's own cache got the parses


@posix_only
def test_world_writable_file_is_not_used(tmp_path, home):
    nlp.parse([CENTRE], cache_dir=tmp_path / "c", progress=False)
    db = nlp.cache_path(tmp_path / "c")
    _plant_prison(db)
    os.chmod(db, 0o666)
    with pytest.warns(MovscWarning, match="non utilisé"):
        parsed = nlp.parse([CENTRE], cache_dir=tmp_path / "c", progress=False)
    assert _lemma(parsed[0], "centre") == "centre"


@posix_only
def test_sticky_folder_is_read_only(tmp_path, home, monkeypatch):
    shared = tmp_path / "partage"
    first = nlp.parse([CENTRE], cache_dir=shared, progress=False)
    db = nlp.cache_path(shared)
    os.chmod(shared, 0o1777)
    rows = _rows(db)
    with pytest.warns(MovscWarning, match="lecture seule"):
        parsed = nlp.parse([CENTRE, TEXTS[0]], cache_dir=shared, progress=False)
    assert parsed[0] == first[0]
    assert _rows(db) == rows  # the new text is not written in the shared folder
    assert len(_rows(home)) == 1  # but in the personal cache
    _no_model(monkeypatch)
    with pytest.warns(MovscWarning, match="lecture seule"):
        assert nlp.parse([CENTRE], cache_dir=shared, progress=False)[0] == first[0]


@posix_only
@root_only
def test_teacher_cache_is_read_only_for_students(tmp_path, home, monkeypatch):
    """Folder and file of the teacher (uid 4243), not writable by others: read, not written."""
    teacher = tmp_path / "enseignant"
    first = nlp.parse([CENTRE], cache_dir=teacher, progress=False)
    db = nlp.cache_path(teacher)
    os.chmod(teacher, 0o755)
    os.chmod(db, 0o644)
    os.chown(teacher, 4243, 4243)
    os.chown(db, 4243, 4243)
    rows = _rows(db)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the recommended setup: no warning
        parsed = nlp.parse([CENTRE, TEXTS[0]], cache_dir=teacher, progress=False)
    assert parsed[0] == first[0]
    assert _rows(db) == rows
    assert len(_rows(home)) == 1
    # a file planted by a third user in the teacher's folder is refused
    os.chown(db, 4244, 4244)
    with pytest.warns(MovscWarning, match="non utilisé"):
        nlp.parse([CENTRE], cache_dir=teacher, progress=False)


@posix_only
def test_teacher_opt_in_shared_folder(tmp_path, home, monkeypatch):
    shared = tmp_path / "partage"
    nlp.parse([CENTRE], cache_dir=shared, progress=False)
    db = nlp.cache_path(shared)
    os.chmod(shared, 0o777)
    monkeypatch.setenv("MOVSC_CACHE_SHARED", "1")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nlp.parse([CENTRE, TEXTS[0]], cache_dir=shared, progress=False)
    assert len(_rows(db)) == 2  # written there: the teacher trusts the group
    assert not home.exists()


def test_process_count_from_free_cores(monkeypatch):
    monkeypatch.setattr(nlp, "usable_cores", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0), raising=False)
    assert nlp._default_processes(1_000_000) == 1  # 2 cores: one process
    monkeypatch.setattr(nlp, "usable_cores", lambda: 8)
    assert nlp._default_processes(50_000) == 1  # small corpus
    assert nlp._default_processes(1_000_000) == 4
    monkeypatch.setattr(os, "getloadavg", lambda: (5.5, 5.0, 5.0), raising=False)
    assert nlp._default_processes(1_000_000) == 2
    monkeypatch.setattr(os, "getloadavg", lambda: (7.9, 5.0, 5.0), raising=False)
    assert nlp._default_processes(1_000_000) == 1
