"""The writing layer (movsc_toolkit._write) and every writer ported to it.

Two families of checks:

* hostile values (formulas, ``<script>``, a 32 000-character cell, control characters, emoji,
  right-to-left text) go through every writer and are read back with openpyxl / odfpy / csv /
  python-docx: no cell is a formula, the text is identical (control characters: the documented
  replacement of :func:`_write.xml_text`);
* failure modes of every writer (missing folder, locked file, read-only folder, full disk,
  interrupted write): a French ``FileError`` naming the file, the previous file intact, no
  temporary file left behind.
"""

from __future__ import annotations

import csv
import dataclasses
import errno
import os
import warnings
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from movsc_toolkit import _write
from movsc_toolkit._errors import DataError, FileError, MovscWarning
from movsc_toolkit._write import files as _write_files

HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+33 6 12 34 56 78",
    "-2",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "＝1+1",
    "<script>alert(1)</script>",
    "x" * 32_000,
    "avant\x00\x01\x02\x08\x0e\x1f après",
    "ligne\x0bmanuelle\x0cpage",
    "😀 émoji 🇫🇷",
    "שלום עליכם مرحبا",
    "  deux  espaces\nsaut\ttab",
    "'déjà une apostrophe",
    "cmd|' /C calc'!A0",
]


def expected(text: str, *, document: bool = False, ods: bool = False) -> str:
    """What a file must give back for ``text`` (documented replacements only)."""
    out = _write.xml_text(text)
    if ods:  # a Windows line end is a line break
        out = out.replace("\r\n", "\n")
    if document:  # .docx (python-docx): every carriage return is a line break
        out = out.replace("\r\n", "\n").replace("\r", "\n")
    return out


def hostile_frame() -> pd.DataFrame:
    return pd.DataFrame({"texte": HOSTILE, "nombre": [float(i) + 0.5 for i in range(len(HOSTILE))]})


def quiet(func: Callable[[], object]) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MovscWarning)
        return func()


# --------------------------------------------------------------------------- readers


def xlsx_cells(path: Path, sheet: str | None = None) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(path)
    sheets = [book[sheet]] if sheet else book.worksheets
    return [cell for ws in sheets for row in ws.iter_rows() for cell in row]


def assert_no_formula(path: Path, allowed: Callable[[str], bool] = lambda v: False) -> None:
    for cell in xlsx_cells(path):
        if cell.data_type == "f":
            assert allowed(str(cell.value)), f"formule inattendue {cell.coordinate}: {cell.value}"


def assert_xlsx_texts(path: Path, texts: list[str], sheet: str | None = None) -> None:
    """Every hostile text is in the workbook as a text cell, identical."""
    cells = [c for c in xlsx_cells(path, sheet) if isinstance(c.value, str)]
    found = {c.value: c for c in cells}
    for text in texts:
        want = expected(text)
        assert want in found, f"texte absent : {want[:40]!r}"
        cell = found[want]
        assert cell.data_type == "s"
        if _write.is_dangerous(want):
            assert cell.quotePrefix


def ods_cells(path: Path) -> list[tuple[str, str, str]]:
    """(value-type, formula, text) of every cell of an .ods file, read with odfpy."""
    from odf import teletype
    from odf.opendocument import load
    from odf.table import TableCell

    doc = load(str(path))
    out = []
    for cell in doc.spreadsheet.getElementsByType(TableCell):
        text = "\n".join(teletype.extractText(p) for p in cell.childNodes)
        out.append((cell.getAttribute("valuetype") or "", cell.getAttribute("formula") or "", text))
    return out


def assert_ods_texts(path: Path, texts: list[str]) -> None:
    cells = ods_cells(path)
    assert not any(formula for _, formula, _ in cells)
    strings = {text for kind, _, text in cells if kind == "string"}
    for text in texts:
        assert expected(text, ods=True) in strings, f"texte absent : {text[:40]!r}"


# --------------------------------------------------------------------------- the layer


def test_is_dangerous_follows_owasp() -> None:
    for text in ["=1", "+a", "-a", "@a", "\ta", "\ra", "＝1", "＋1", "－1", "＠a", "-2+3"]:
        assert _write.is_dangerous(text), text
    for text in ["", "a=1", "-2", "+33", "-1,5", "1e3", "bonjour", " =1"]:
        assert not _write.is_dangerous(text), text
    assert _write.neutralise_csv("=1+1") == "'=1+1"
    assert _write.neutralise_csv("-2") == "-2"


def test_xml_text_documented_replacement() -> None:
    assert _write.xml_text("a\x00b\x1fc") == "abc"
    assert _write.xml_text("a\x0bb\x0cc") == "a\nb\nc"
    assert _write.xml_text("tab\tnl\ncr\r") == "tab\tnl\ncr\r"
    assert _write.xml_text("😀\ud800") == "😀"


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_write_excel_hostile_round_trip(tmp_path: Path, suffix: str) -> None:
    frame = hostile_frame()
    frame.index = pd.Index(["=index"] + [f"l{i}" for i in range(1, len(frame))], name="=nom")
    with pytest.warns(MovscWarning, match="caractères de contrôle"):
        path = _write.write_excel(tmp_path / f"t{suffix}", {"=Feuille": frame})
    if suffix == ".xlsx":
        assert_no_formula(path)
        assert_xlsx_texts(path, [*HOSTILE, "=index", "=nom"])
        back = pd.read_excel(path, index_col=0)
        assert back["nombre"].tolist() == frame["nombre"].tolist()
    else:
        assert_ods_texts(path, [*HOSTILE, "=index", "=nom"])
        back = pd.read_excel(path, engine="odf", index_col=0)
        assert back["nombre"].tolist() == frame["nombre"].tolist()


def test_excel_cell_limit_cut_with_mark_and_warning(tmp_path: Path) -> None:
    long = "é" * 40_000
    with pytest.warns(MovscWarning, match="32767 caractères"):
        path = _write.write_excel(tmp_path / "long.xlsx", {"A": pd.DataFrame({"t": [long]})})
    value = openpyxl.load_workbook(path).active["A2"].value
    assert len(value) == _write.EXCEL_MAX_CHARS
    assert value.endswith("[texte coupé : 40000 caractères au total]")
    assert value.startswith("é" * 30_000)
    # .ods has no such limit: the whole text is kept
    ods = _write.write_excel(tmp_path / "long.ods", {"A": pd.DataFrame({"t": [long]})})
    assert long in {text for _, _, text in ods_cells(ods)}


def test_write_excel_formats_and_values(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "quartier": ["Nord", "Sud", "Total"],
            "Effectif": [3, 5, 8],
            "%": [37.5, 62.5, 100.0],
            "montant": [1.25, 2.5, 3.75],
            "date": pd.to_datetime(["2024-12-31", "2025-01-02", None]),
            "flag": [True, False, None],
        }
    )
    path = _write.write_excel(tmp_path / "f.xlsx", {"T": frame})
    ws = openpyxl.load_workbook(path)["T"]
    assert [c.value for c in ws[1]] == list(frame.columns)
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"
    assert ws["B2"].number_format == "#,##0" and ws["C2"].number_format == "0.0"
    assert ws["D2"].number_format == "#,##0.00" and ws["D2"].value == 1.25
    assert ws["E2"].number_format == "DD/MM/YYYY" and ws["E2"].value.day == 31
    assert ws["E4"].value is None  # NaT: empty cell
    assert ws["A4"].font.bold  # the Total row
    ods = _write.write_excel(tmp_path / "f.ods", {"T": frame})
    back = pd.read_excel(ods, engine="odf")
    assert back["Effectif"].tolist() == [3, 5, 8]
    assert back["montant"].tolist() == [1.25, 2.5, 3.75]
    assert back["date"].iloc[0] == pd.Timestamp("2024-12-31")


def test_write_excel_refuses_bad_input(tmp_path: Path) -> None:
    with pytest.raises(FileError, match=r"\.xlsx ou \.ods"):
        _write.write_excel(tmp_path / "t.csv", {"a": pd.DataFrame({"x": [1]})})
    with pytest.raises(DataError, match="aucun tableau"):
        _write.write_excel(tmp_path / "t.xlsx", {})
    with pytest.raises(DataError, match="pas un tableau"):
        _write.write_excel(tmp_path / "t.xlsx", {"a": [1, 2]})


def test_write_csv_neutralises_only_dangerous_text(tmp_path: Path) -> None:
    frame = pd.DataFrame({"texte": HOSTILE, "x": [1.5] * len(HOSTILE)})
    path = _write.write_csv(frame, tmp_path / "t.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel sees the accents
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    assert rows[0] == ["texte", "x"]
    for text, row in zip(HOSTILE, rows[1:], strict=True):
        assert row[0] == ("'" + text if _write.is_dangerous(text) else text)
        assert row[1] == "1,5"
    plain = _write.write_csv(frame, tmp_path / "brut.csv", neutralise=False, sep=",", decimal=".")
    assert pd.read_csv(plain, encoding="utf-8-sig", keep_default_na=False)["texte"].tolist() == (
        HOSTILE
    )


def test_text_html_docx_writers(tmp_path: Path) -> None:
    page = "<p>é 😀</p>\n"
    assert _write.write_html(tmp_path / "p.html", page).read_text("utf-8") == page
    assert _write.write_text(tmp_path / "n.md", "a\r\nb").read_bytes() == b"a\r\nb"
    with pytest.raises(FileError, match=r"\.html ou \.htm"):
        _write.write_html(tmp_path / "p.txt", page)
    import docx

    doc = docx.Document()
    for text in HOSTILE:
        doc.add_paragraph(_write.xml_text(text))
    path = _write.save_docx(doc, tmp_path / "d.docx")
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert texts == [expected(t, document=True) for t in HOSTILE]


# --------------------------------------------------------------------------- every writer


def _survey_tables() -> dict[str, object]:
    frame = hostile_frame().set_index("texte")
    return {"Tableau": frame}


def _questionnaire():
    from movsc_toolkit.survey import Questionnaire

    q = Questionnaire(title="=titre", form_id="f", version="1")
    q.add_choices("liste", {"a": "=1+1", "b": '=HYPERLINK("http://x","y")', "c": "@SUM(A1)"})
    for i, text in enumerate(HOSTILE):
        q.add_question("text", f"q{i}", text)
    q.add_question("select_one liste", "choix", "+33 6 12 34 56 78")
    return q


def _budget():
    from movsc_toolkit.finance.budget import Budget
    from movsc_toolkit.finance.budget_io import budget_template, read_budget

    return read_budget, Budget, budget_template


def _kpi_project(hostile: bool = True):
    from movsc_toolkit import datasets

    project = datasets.load("projet_tiers_lieu")
    if not hostile:
        return project
    ind = project.indicators.copy()
    ind["libelle"] = [HOSTILE[i % len(HOSTILE)] for i in range(len(ind))]
    return dataclasses.replace(project, indicators=ind, name="=nom du projet")


def _corpus():
    from movsc_toolkit.lexico import Corpus

    return Corpus


def writer_survey_xlsx(path: Path) -> Path:
    from movsc_toolkit.survey import to_excel

    return to_excel(_survey_tables(), path)


def writer_xlsform(path: Path) -> Path:
    return _questionnaire().to_xlsform(path, validate=False)


def writer_codebook(path: Path) -> Path:
    return _questionnaire().codebook_to(path)


def writer_budget(path: Path) -> Path:
    from movsc_toolkit.finance import budget_template

    return budget_template(path, projects=["=1+1", "@SUM(A1)"], name='=HYPERLINK("x")')


def writer_kpi_template(path: Path) -> Path:
    from movsc_toolkit import kpi

    return kpi.template(path)


def writer_kpi_project(path: Path) -> Path:
    from movsc_toolkit import kpi

    return kpi.write_project(_kpi_project(), path)


def writer_dashboard(path: Path) -> Path:
    from movsc_toolkit import kpi

    return kpi.export_dashboard(_kpi_project(), path, "31/03/2026")


def writer_iramuteq(path: Path) -> Path:
    from movsc_toolkit.lexico import Corpus

    corpus = Corpus.from_texts(["=1+1 @SUM(A1) bonjour"], {"groupe": ["=a"]})
    return corpus.to_iramuteq(path)


def _note():
    from movsc_toolkit.finance.report import Section, SynthesisNote

    table = pd.DataFrame({"Valeur": HOSTILE[:4]}, index=pd.Index(HOSTILE[4:8], name="=i"))
    return SynthesisNote(
        title="=Note \x01 😀",
        year=2024,
        sections=(Section("=Situation", tuple(HOSTILE), table=table, bullets=("@b",)),),
        figures={},
        vigilance=(),
        indicators=table,
    )


def writer_note(path: Path) -> Path:
    note = _note()
    if path.suffix == ".docx":
        return note.to_docx(path)
    if path.suffix == ".md":
        return note.to_markdown(path)
    return note.to_html(path)


def writer_csv(path: Path) -> Path:
    return _write.write_csv(hostile_frame(), path)


WRITERS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "survey.to_excel xlsx": (writer_survey_xlsx, ".xlsx"),
    "survey.to_excel ods": (writer_survey_xlsx, ".ods"),
    "to_xlsform": (writer_xlsform, ".xlsx"),
    "codebook_to xlsx": (writer_codebook, ".xlsx"),
    "codebook_to md": (writer_codebook, ".md"),
    "budget_template": (writer_budget, ".xlsx"),
    "kpi.template": (writer_kpi_template, ".xlsx"),
    "kpi.write_project": (writer_kpi_project, ".xlsx"),
    "export_dashboard xlsx": (writer_dashboard, ".xlsx"),
    "export_dashboard ods": (writer_dashboard, ".ods"),
    "export_dashboard html": (writer_dashboard, ".html"),
    "to_iramuteq": (writer_iramuteq, ".txt"),
    "note docx": (writer_note, ".docx"),
    "note html": (writer_note, ".html"),
    "note md": (writer_note, ".md"),
    "write_csv": (writer_csv, ".csv"),
}
FAST = [
    "survey.to_excel xlsx",
    "survey.to_excel ods",
    "to_xlsform",
    "codebook_to md",
    "budget_template",
    "kpi.template",
    "to_iramuteq",
    "note docx",
    "write_csv",
]


def test_survey_to_excel_hostile(tmp_path: Path) -> None:
    path = quiet(lambda: writer_survey_xlsx(tmp_path / "s.xlsx"))
    assert_no_formula(path)
    assert_xlsx_texts(path, HOSTILE)
    ods = quiet(lambda: writer_survey_xlsx(tmp_path / "s.ods"))
    assert_ods_texts(ods, HOSTILE)


def test_xlsform_and_codebook_hostile(tmp_path: Path) -> None:
    from movsc_toolkit.survey import read_xlsform

    path = quiet(lambda: writer_xlsform(tmp_path / "f.xlsx"))
    assert_no_formula(path)
    assert_xlsx_texts(path, [*HOSTILE, "=1+1", "@SUM(A1)", "=titre"])
    again = quiet(lambda: read_xlsform(path))
    # the reader strips the spaces around a label (its own rule)
    assert [q.text for q in again.questions][: len(HOSTILE)] == [
        expected(t).strip() for t in HOSTILE
    ]
    book = quiet(lambda: writer_codebook(tmp_path / "c.xlsx"))
    assert_no_formula(book)
    assert_xlsx_texts(book, HOSTILE)


def test_budget_hostile_keeps_only_its_own_formulas(tmp_path: Path) -> None:
    from movsc_toolkit.finance import read_budget

    path = writer_budget(tmp_path / "b.xlsx")
    assert_no_formula(path, allowed=lambda v: v.startswith(("=SUM(", "=SUMIF(", "=B", "=C", "=D")))
    assert_xlsx_texts(path, ["=1+1", "@SUM(A1)", '=HYPERLINK("x")'])
    budget = read_budget(path)
    assert budget.projects == ("=1+1", "@SUM(A1)")
    assert budget.name == '=HYPERLINK("x")'


def test_kpi_writers_hostile(tmp_path: Path) -> None:
    from movsc_toolkit import kpi

    n = len(_kpi_project(hostile=False).indicators)
    assert n >= 8
    path = quiet(lambda: writer_kpi_project(tmp_path / "p.xlsx"))
    assert_no_formula(path)
    assert_xlsx_texts(path, HOSTILE[:n], sheet="indicateurs")
    again = quiet(lambda: kpi.read_project(path))
    # the reader strips the spaces around a cell (its own rule)
    assert again.indicators["libelle"].tolist() == [expected(t).strip() for t in HOSTILE[:n]]
    board = quiet(lambda: writer_dashboard(tmp_path / "d.xlsx"))
    assert_no_formula(board)
    assert_xlsx_texts(board, HOSTILE[:n], sheet="Tableau de bord")
    ods = quiet(lambda: writer_dashboard(tmp_path / "d.ods"))
    assert_ods_texts(ods, HOSTILE[:n])
    template = writer_kpi_template(tmp_path / "modele.xlsx")
    assert_no_formula(template)


def test_note_docx_hostile(tmp_path: Path) -> None:
    import docx

    path = writer_note(tmp_path / "n.docx")
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for text in HOSTILE:
        assert expected(text, document=True) in texts
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert {expected(t, document=True) for t in HOSTILE[:8]} <= set(cells)
    assert document.core_properties.title == "=Note  😀"
    page = writer_note(tmp_path / "n.html").read_text("utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert writer_note(tmp_path / "n.md").read_text("utf-8").startswith("# =Note")


def test_iramuteq_hostile(tmp_path: Path) -> None:
    text = writer_iramuteq(tmp_path / "c.txt").read_text("utf-8")
    assert "=1+1 @SUM(A1) bonjour" in text and "*groupe_=a" in text


# --------------------------------------------------------------------------- failure modes


@pytest.mark.parametrize("name", list(WRITERS))
def test_missing_folder_is_created(tmp_path: Path, name: str) -> None:
    writer, suffix = WRITERS[name]
    target = tmp_path / "nouveau" / "sous-dossier" / f"sortie{suffix}"
    out = quiet(lambda: writer(target))
    assert Path(out) == target and target.is_file() and target.stat().st_size > 0
    assert [p.name for p in target.parent.iterdir()] == [target.name]


@pytest.mark.parametrize("name", list(WRITERS))
def test_locked_file_french_error_previous_intact(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer, suffix = WRITERS[name]
    target = tmp_path / f"sortie{suffix}"
    target.write_bytes(b"version precedente")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(_write_files.os, "replace", locked)
    with pytest.raises(FileError, match="ouvert dans un autre logiciel") as info:
        quiet(lambda: writer(target))
    assert target.name in str(info.value)
    assert "fermez le fichier dans Excel/Calc" in str(info.value)
    assert target.read_bytes() == b"version precedente"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("name", FAST)
def test_windows_sharing_violation(tmp_path: Path, name: str, monkeypatch) -> None:
    writer, suffix = WRITERS[name]
    target = tmp_path / f"sortie{suffix}"

    def locked(src: object, dst: object) -> None:
        exc = PermissionError(errno.EACCES, "The process cannot access the file")
        exc.winerror = 32  # ERROR_SHARING_VIOLATION, as on Windows when Excel has it open
        raise exc

    monkeypatch.setattr(_write_files.os, "replace", locked)
    with pytest.raises(FileError, match="Excel/Calc"):
        quiet(lambda: writer(target))
    assert not target.exists()


@pytest.mark.parametrize(
    ("name", "code", "message", "hint"),
    [
        (name, errno.EACCES, "droit d'écrire dans le dossier", "choisissez un dossier")
        for name in WRITERS
    ]
    + [(name, errno.EROFS, "lecture seule", "choisissez un dossier") for name in FAST]
    + [(name, errno.ENOSPC, "plein", "libérez de la place") for name in FAST],
)
def test_read_only_or_full_folder(
    tmp_path: Path, name: str, code: int, message: str, hint: str, monkeypatch
) -> None:
    writer, suffix = WRITERS[name]
    target = tmp_path / f"sortie{suffix}"

    def refuse(*args: object, **kwargs: object) -> None:
        cls = PermissionError if code == errno.EACCES else OSError
        raise cls(code, os.strerror(code))

    monkeypatch.setattr(_write_files.tempfile, "mkstemp", refuse)
    with pytest.raises(FileError, match=message) as info:
        quiet(lambda: writer(target))
    assert target.name in str(info.value) and hint in str(info.value)
    assert not target.exists()


@pytest.mark.parametrize("name", FAST)
def test_disk_full_while_writing_keeps_previous_file(tmp_path: Path, name: str, monkeypatch):
    writer, suffix = WRITERS[name]
    target = tmp_path / f"sortie{suffix}"
    target.write_bytes(b"ancienne version")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_write_files.os, "fsync", full)
    with pytest.raises(FileError, match="plein"):
        quiet(lambda: writer(target))
    assert target.read_bytes() == b"ancienne version"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_interrupted_write_never_leaves_half_a_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "t.xlsx"
    frame = pd.DataFrame({"a": [1, 2]})
    _write.write_excel(target, {"A": frame})
    before = target.read_bytes()

    def half(self: object, filename: object) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 moitie")
        raise KeyboardInterrupt

    monkeypatch.setattr(openpyxl.Workbook, "save", half)
    with pytest.raises(KeyboardInterrupt):
        _write.write_excel(target, {"A": pd.DataFrame({"a": [3]})})
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


@pytest.mark.parametrize("name", FAST)
def test_path_is_a_folder_or_under_a_file(tmp_path: Path, name: str) -> None:
    writer, suffix = WRITERS[name]
    folder = tmp_path / f"dossier{suffix}"
    folder.mkdir()
    with pytest.raises(FileError, match="dossier, pas un fichier"):
        quiet(lambda: writer(folder))
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    with pytest.raises(FileError, match="pas un dossier"):
        quiet(lambda: writer(blocker / f"sortie{suffix}"))


def test_wrong_suffix_lists_accepted_ones(tmp_path: Path) -> None:
    with pytest.raises(FileError, match=r"\.xlsx ou \.ods"):
        writer_survey_xlsx(tmp_path / "x.pdf")
    with pytest.raises(FileError, match=r"\.txt"):
        writer_iramuteq(tmp_path / "x.csv")
    with pytest.raises(FileError, match=r"\.docx"):
        _note().to_docx(tmp_path / "x.doc")
    with pytest.raises(FileError, match=r"\.md"):
        _note().to_markdown(tmp_path / "x.txt")


def test_real_read_only_folder(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root écrit partout : cas couvert par les tests simulés ci-dessus")
    folder = tmp_path / "lecture_seule"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(FileError, match="droit d'écrire"):
            _write.write_text(folder / "x.txt", "a")
    finally:
        folder.chmod(0o700)


def test_permissions_follow_umask_or_previous_file(tmp_path: Path) -> None:
    path = _write.write_text(tmp_path / "a.txt", "a")
    assert path.stat().st_mode & 0o777 == 0o666 & ~_write_files._umask()
    path.chmod(0o640)
    _write.write_text(path, "b")
    assert path.stat().st_mode & 0o777 == 0o640 and path.read_text() == "b"


def test_nouveau_memoire_read_only_parent_french_error(tmp_path: Path, monkeypatch, capsys):
    import shutil

    from movsc_toolkit import cli

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(shutil, "copy2", refuse)
    code = cli.main(["nouveau-memoire", str(tmp_path / "memoire")])
    err = capsys.readouterr().err
    assert code != 0
    assert "memoire" in err and "droit d'écrire" in err and "Traceback" not in err


def test_os_error_helper(tmp_path: Path) -> None:
    exc = _write.os_error(OSError(errno.ENOSPC, "full"), tmp_path / "a.xlsx", "le classeur")
    assert isinstance(exc, FileError) and "plein" in str(exc) and "a.xlsx" in str(exc)


@pytest.mark.parametrize("name", FAST)
def test_read_only_file_is_not_overwritten(tmp_path: Path, name: str, monkeypatch) -> None:
    writer, suffix = WRITERS[name]
    target = tmp_path / f"sortie{suffix}"
    target.write_bytes(b"protege")
    real_access = os.access
    # root may write anywhere: simulate the read-only attribute through os.access
    monkeypatch.setattr(
        _write_files.os,
        "access",
        lambda p, mode: False if Path(p) == target else real_access(p, mode),
    )
    with pytest.raises(FileError, match="protégé en écriture") as info:
        quiet(lambda: writer(target))
    assert target.name in str(info.value) and target.read_bytes() == b"protege"


def test_write_csv_index_is_neutralised(tmp_path: Path) -> None:
    frame = pd.DataFrame({"n": [1, 2]}, index=pd.Index(["=1+1", "Sud"], name="@q"))
    text = _write.write_csv(frame, tmp_path / "i.csv", index=True).read_text("utf-8-sig")
    assert text.splitlines() == ["'@q;n", "'=1+1;1", "Sud;2"]


def test_ods_line_ends_and_spaces(tmp_path: Path) -> None:
    texts = ["a\r\nb", "\r=1", " début", "fin ", "a  b   c", "x\ty", "&<>\"'"]
    path = _write.write_excel(tmp_path / "l.ods", {"A": pd.DataFrame({"t": texts})})
    strings = [text for kind, _, text in ods_cells(path) if kind == "string"][1:]
    assert strings == ["a\nb", "\r=1", " début", "fin ", "a  b   c", "x\ty", "&<>\"'"]


@pytest.mark.skipif(
    not __import__("shutil").which("soffice"), reason="LibreOffice (soffice) absent"
)
def test_libreoffice_reads_text_as_text(tmp_path: Path) -> None:
    """Independent check: LibreOffice opens both files and evaluates no formula."""
    import subprocess

    texts = ["=1+1", '=HYPERLINK("http://x","y")', "+33 6 12", "@SUM(A1)", "-2+3", "Total"]
    frame = pd.DataFrame({"texte": texts, "nombre": [0.25, 1.5, 2.0, 3.0, 4.0, 10.75]})
    for suffix in (".ods", ".xlsx"):
        source = _write.write_excel(tmp_path / f"h{suffix}", {"Feuille": frame})
        out = tmp_path / f"out{suffix.replace('.', '_')}"
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{tmp_path / 'profil'}",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false",
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=240,
        )
        with open(out / "h.csv", encoding="utf-8", newline="") as stream:
            rows = list(csv.reader(stream, delimiter=";"))
        assert [r[0] for r in rows[1:]] == texts, suffix
        assert [float(r[1]) for r in rows[1:]] == frame["nombre"].tolist(), suffix


def test_ods_frozen_panes_in_view_settings(tmp_path: Path) -> None:
    import zipfile

    frame = pd.DataFrame({"a": ["x"], "b": [1]}, index=pd.Index(["i"], name="idx"))
    path = _write.write_excel(tmp_path / "f.ods", {"Avec": frame, "Sans": frame.reset_index()})
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        settings = archive.read("settings.xml").decode()
    avec = settings[settings.index('"Avec"') : settings.index('"Sans"')]
    sans = settings[settings.index('"Sans"') :]
    assert '"HorizontalSplitPosition" config:type="int">1<' in avec  # index column
    assert '"VerticalSplitPosition" config:type="int">1<' in avec  # header row
    assert '"HorizontalSplitPosition" config:type="int">0<' in sans
    assert '"VerticalSplitPosition" config:type="int">1<' in sans


def test_duplicate_column_names_are_kept_apart(tmp_path: Path) -> None:
    frame = pd.DataFrame([[1, 2, "x"]], columns=[1, "1", "a"])
    for suffix in (".xlsx", ".ods"):
        path = _write.write_excel(tmp_path / f"d{suffix}", {"A": frame})
        back = pd.read_excel(path)
        assert list(back.columns) == ["1", "1 (2)", "a"] or list(back.columns) == [1, "1 (2)", "a"]
        assert back.iloc[0].tolist() == [1, 2, "x"]


def test_decimal_and_infinite_values(tmp_path: Path) -> None:
    import decimal

    frame = pd.DataFrame({"m": [decimal.Decimal("12.50"), decimal.Decimal("NaN"), float("inf")]})
    ws = openpyxl.load_workbook(_write.write_excel(tmp_path / "d.xlsx", {"A": frame})).active
    assert ws["A2"].value == 12.5 and ws["A2"].data_type == "n"
    assert ws["A3"].value is None
    assert ws["A4"].value == "+∞"
