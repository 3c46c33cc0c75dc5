"""The ``movsc`` command: each subcommand, French messages, exit codes, no tracebacks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from movsc_toolkit import __version__, cli
from movsc_toolkit._resources import TEMPLATES_DIR

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(TEMPLATES_DIR.glob("*.ipynb"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- help, version, errors


def test_help_is_in_french(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert out.startswith("Utilisation : movsc")
    for word in ["commandes", "lab", "datasets", "exercices", "nouveau-memoire", "export"]:
        assert word in out
    assert "afficher cette aide et quitter" in out
    assert "usage:" not in out and "show this help" not in out


def test_no_command_prints_help(capsys):
    code, out, _ = run(capsys)
    assert code == 0
    assert "Utilisation : movsc" in out


def test_subcommand_help(capsys):
    code, out, _ = run(capsys, "exercices", "eleve", "--help")
    assert code == 0
    assert out.startswith("Utilisation : movsc exercices eleve")
    assert "Utilisation : Utilisation" not in out
    assert "--sortie DOSSIER" in out


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"movsc-toolkit {__version__}"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["exercices", "eleve"], "arguments obligatoires manquants : --sortie"),
        (["lab", "--port", "abc"], "« abc » n'est pas un nombre entier"),
        (["inconnue"], "« inconnue » n'est pas un choix possible"),
        (["datasets", "--en-trop"], "arguments non reconnus : --en-trop"),
        (["lab", "--dossier"], "une valeur est attendue"),
    ],
)
def test_usage_errors_in_french(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert ": erreur :" in err
    assert "Traceback" not in err


def test_exercices_without_action_shows_its_help(capsys):
    code, out, _ = run(capsys, "exercices")
    assert code == 1
    assert "eleve" in out


# --------------------------------------------------------------------------- datasets


def test_datasets(capsys):
    from movsc_toolkit import datasets

    code, out, _ = run(capsys, "datasets")
    assert code == 0
    assert f"Jeux de données fournis ({len(datasets.list())})" in out
    line = next(li for li in out.splitlines() if "exemple_adherents" in li)
    assert "[prise en main]" in line
    assert "120 adhérents fictifs" in line
    assert 'datasets.load("nom")' in out


# --------------------------------------------------------------------------- exercices eleve


def test_exercices_eleve_default_source(capsys, tmp_path):
    code, out, _ = run(capsys, "exercices", "eleve", "--sortie", str(tmp_path / "eleves"))
    assert code == 0
    teacher = sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb"))
    assert sorted(p.name for p in (tmp_path / "eleves").glob("*.ipynb")) == teacher
    assert f"{len(teacher)} carnet(s) élève écrit(s)" in out


def test_exercices_eleve_missing_source(capsys, tmp_path):
    code, _, err = run(
        capsys, "exercices", "eleve", "--sortie", str(tmp_path), "--source", "absent/"
    )
    assert code == 1
    assert err.startswith("Erreur : ")
    assert "introuvable" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- nouveau-memoire


def test_nouveau_memoire(capsys, tmp_path):
    folder = tmp_path / "mon-memoire"
    code, out, _ = run(capsys, "nouveau-memoire", str(folder))
    assert code == 0
    assert (folder / "README.md").is_file()
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "donnees/" in readme and "00_mon_memoire.ipynb" in readme
    examples = sorted(p.name for p in (TEMPLATES_DIR / "donnees").iterdir() if p.is_file())
    assert "exemple_adherents.csv" in examples
    assert sorted(p.name for p in (folder / "donnees").iterdir()) == examples
    assert sorted(p.name for p in folder.glob("*.ipynb")) == [p.name for p in TEMPLATES]
    assert "00_mon_memoire.ipynb" in out
    assert "movsc lab --dossier" in out


def test_nouveau_memoire_never_overwrites(capsys, tmp_path):
    folder = tmp_path / "memoire"
    folder.mkdir()
    (folder / "mes_notes.txt").write_text("précieux", encoding="utf-8")
    code, _, err = run(capsys, "nouveau-memoire", str(folder))
    assert code == 1
    assert "existe déjà et n'est pas vide" in err
    assert sorted(p.name for p in folder.iterdir()) == ["mes_notes.txt"]
    (tmp_path / "fichier").write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "nouveau-memoire", str(tmp_path / "fichier"))
    assert code == 1
    assert "pas un dossier" in err


def test_nouveau_memoire_in_an_empty_existing_folder(capsys, tmp_path):
    code, _, _ = run(capsys, "nouveau-memoire", str(tmp_path))
    assert code == 0
    assert (tmp_path / "00_mon_memoire.ipynb").is_file()


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_every_template_runs_on_its_example_data(template, tmp_path, execute_notebook):
    """A new mémoire folder works as it is: each template runs on the example files."""
    shutil.copytree(TEMPLATES_DIR / "donnees", tmp_path / "donnees")
    nb = execute_notebook(nbformat.read(template, as_version=4), tmp_path)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors


def test_template_00_reads_the_example_file(tmp_path, execute_notebook):
    shutil.copytree(TEMPLATES_DIR / "donnees", tmp_path / "donnees")
    nb = execute_notebook(
        nbformat.read(TEMPLATES_DIR / "00_mon_memoire.ipynb", as_version=4), tmp_path
    )
    text = "\n".join(
        o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
        for c in nb.cells
        for o in c.get("outputs", [])
    )
    assert "120 lignes et 11 colonnes" in text
    assert "Encodage détecté : cp1252" in text
    assert "Jardin partagé" in text


# --------------------------------------------------------------------------- export


def annex_notebook(path: Path, *, with_outputs: bool = True) -> Path:
    nb = new_notebook()
    code = new_code_cell("resultat_secret = 40 + 2\nresultat_secret", execution_count=1)
    if with_outputs:
        code.outputs = [
            new_output("execute_result", {"text/plain": "4242424242"}, execution_count=1)
        ]
    nb.cells = [new_markdown_cell("# Annexe : tableaux de l'enquête"), code]
    nbformat.write(nb, path)
    return path


def test_export(capsys, tmp_path):
    source = annex_notebook(tmp_path / "analyse.ipynb")
    code, out, err = run(capsys, "export", str(source))
    assert code == 0
    target = tmp_path / "analyse.html"
    html = target.read_text(encoding="utf-8")
    assert "Annexe : tableaux de l" in html
    assert "4242424242" in html  # the result is there
    assert "resultat_secret" not in html  # the code is not
    assert "[1]:" not in html  # no "In [1]:" / "Out[1]:" prompts
    assert "Annexe écrite" in out
    assert "aucun résultat" not in err


def test_export_with_output_name_and_warning(capsys, tmp_path):
    source = annex_notebook(tmp_path / "brouillon.ipynb", with_outputs=False)
    target = tmp_path / "annexes" / "annexe_b.html"
    code, _, err = run(capsys, "export", str(source), "--sortie", str(target))
    assert code == 0
    assert target.is_file()
    assert "aucun résultat enregistré" in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("absent.ipynb", None, "introuvable"),
        ("notes.txt", "texte", "pas un carnet Jupyter"),
        ("casse.ipynb", "{pas du json", "illisible"),
    ],
)
def test_export_errors(capsys, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "export", str(path))
    assert code == 1
    assert message in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- lab (no server)


@pytest.fixture
def launched(monkeypatch):
    calls: list[tuple[list[str], Path]] = []

    def fake_launch(command, cwd):
        calls.append((command, cwd))
        return 0

    monkeypatch.setattr(cli, "_launch", fake_launch)
    return calls


def test_lab_in_a_checkout(capsys, launched):
    code, out, _ = run(capsys, "lab", "--no-browser", "--port", "9999")
    assert code == 0
    command, cwd = launched[0]
    assert cwd == ROOT
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={ROOT}" in command
    assert "--LabApp.default_url=/lab/tree/notebooks/00_prise_en_main.ipynb" in command
    assert "--ServerApp.port=9999" in command
    assert "--ServerApp.open_browser=False" in command
    assert "Ouverture de JupyterLab" in out


def test_lab_defaults(capsys, launched, monkeypatch):
    monkeypatch.setattr(cli, "_running_as_root", lambda: False)
    run(capsys, "lab")
    command, _ = launched[0]
    assert not any(arg.startswith("--ServerApp.port") for arg in command)
    assert "--ServerApp.open_browser=False" not in command
    assert "--ServerApp.allow_root=True" not in command


def test_lab_as_root(capsys, launched, monkeypatch):
    monkeypatch.setattr(cli, "_running_as_root", lambda: True)
    run(capsys, "lab")
    command, _ = launched[0]
    assert "--ServerApp.allow_root=True" in command


def test_lab_copies_the_course_into_a_new_folder(capsys, launched, tmp_path):
    folder = tmp_path / "cours"
    code, _, _ = run(capsys, "lab", "--dossier", str(folder))
    assert code == 0
    assert (folder / "notebooks" / "00_prise_en_main.ipynb").is_file()
    student = nbformat.read(folder / "exercises" / "00_prise_en_main.ipynb", as_version=4)
    assert "# SOLUTION" not in "\n".join(c.source for c in student.cells)
    command, cwd = launched[0]
    assert cwd == folder
    assert "--LabApp.default_url=/lab/tree/notebooks/00_prise_en_main.ipynb" in command


def test_lab_keeps_an_existing_folder(capsys, launched, tmp_path):
    (tmp_path / "mes_carnets.ipynb").write_text("{}", encoding="utf-8")
    code, _, _ = run(capsys, "lab", "--dossier", str(tmp_path))
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mes_carnets.ipynb"]
    command, _ = launched[0]
    assert not any(arg.startswith("--LabApp.default_url") for arg in command)


def test_lab_outside_a_checkout_copies_once_to_the_default_folder(
    capsys, launched, monkeypatch, tmp_path
):
    home = tmp_path / "movsc-cours"
    monkeypatch.setattr(cli, "checkout_root", lambda: None)
    monkeypatch.setattr(cli, "DEFAULT_COURSE_DIR", home)
    run(capsys, "lab")
    lesson = home / "notebooks" / "00_prise_en_main.ipynb"
    assert lesson.is_file()
    lesson.write_text(lesson.read_text(encoding="utf-8") + " ", encoding="utf-8")  # student work
    run(capsys, "lab")
    assert lesson.read_text(encoding="utf-8").endswith(" ")  # not overwritten
    assert [cwd for _, cwd in launched] == [home, home]


def test_lab_on_a_file(capsys, launched, tmp_path):
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "lab", "--dossier", str(tmp_path / "f.txt"))
    assert code == 1
    assert "pas un dossier" in err
    assert not launched


# --------------------------------------------------------------------------- the installed command


def test_console_script_exit_codes(tmp_path):
    script = shutil.which("movsc", path=str(Path(sys.executable).parent))
    assert script, "la commande movsc n'est pas installée dans cet environnement"
    ok = subprocess.run([script, "datasets"], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0
    assert "exemple_adherents" in ok.stdout
    bad = subprocess.run(
        [script, "export", str(tmp_path / "absent.ipynb")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("Erreur : ")
    assert "Traceback" not in bad.stderr
