"""The ``movsc`` command: each subcommand, French messages, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from movsc_toolkit import __version__, cli
from movsc_toolkit._cli import course as cli_course
from movsc_toolkit._cli import lab as cli_lab
from movsc_toolkit._resources import TEMPLATES_DIR

ROOT = Path(__file__).resolve().parents[2]
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
    assert code == 2  # like argparse when a command is missing
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


def test_exercices_eleve_never_overwrites_without_ecraser(capsys, tmp_path):
    out_dir = tmp_path / "eleves"
    out_dir.mkdir()
    work = out_dir / "00_prise_en_main.ipynb"
    work.write_text("travail de l'étudiante", encoding="utf-8")
    code, _, err = run(capsys, "exercices", "eleve", "--sortie", str(out_dir))
    assert code == 1
    assert "« 00_prise_en_main.ipynb »" in err and "--ecraser" in err
    assert work.read_text(encoding="utf-8") == "travail de l'étudiante"
    assert sorted(p.name for p in out_dir.iterdir()) == ["00_prise_en_main.ipynb"]
    code, _, _ = run(capsys, "exercices", "eleve", "--sortie", str(out_dir), "--ecraser")
    assert code == 0
    assert work.read_text(encoding="utf-8") != "travail de l'étudiante"


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
    assert '<html lang="fr">' in html
    assert "<title>Annexe : tableaux de l&#39;enquête</title>" in html or (
        "<title>Annexe : tableaux de l'enquête</title>" in html
    )


def test_export_title_falls_back_to_the_file_name(capsys, tmp_path):
    nb = new_notebook(cells=[new_code_cell("1")])
    nbformat.write(nb, tmp_path / "sans_titre.ipynb")
    code, _, _ = run(capsys, "export", str(tmp_path / "sans_titre.ipynb"))
    assert code == 0
    assert "<title>sans_titre</title>" in (tmp_path / "sans_titre.html").read_text("utf-8")


def test_export_refuses_an_unknown_output_format(capsys, tmp_path):
    source = annex_notebook(tmp_path / "analyse.ipynb")
    code, _, err = run(capsys, "export", str(source), "--sortie", str(tmp_path / "annexe.txt"))
    assert code == 1
    assert "n'a pas l'extension .html, .pdf ou .docx" in err
    assert "--sortie annexe.html" in err and "annexe.docx" in err
    assert not (tmp_path / "annexe.txt").exists()


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
def launched(monkeypatch, tmp_path):
    calls: list[tuple[list[str], Path]] = []

    def fake_launch(command, cwd):
        calls.append((command, cwd))
        return 0

    monkeypatch.setattr(cli_lab, "launch", fake_launch)
    monkeypatch.setattr(cli_lab, "DEFAULT_COURSE_DIR", tmp_path / "movsc-cours")
    return calls


def solutions_in(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    return "SOLUTION" in "\n".join(c.source for c in nb.cells)


def test_lab_opens_the_student_workspace_even_in_a_checkout(capsys, launched, tmp_path):
    code, out, _ = run(capsys, "lab", "--no-browser", "--port", "9999")
    assert code == 0
    home = tmp_path / "movsc-cours"
    command, cwd = launched[0]
    assert cwd == home
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={home.resolve()}" in command
    assert "--LabApp.default_url=/lab/tree/notebooks/00_prise_en_main.ipynb" in command
    assert "--ServerApp.port=9999" in command
    assert "--ServerApp.open_browser=False" in command
    assert "Ouverture de JupyterLab" in out
    # the course notebooks, and the exercises their « À vous de jouer » links lead to, without
    # the solutions
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in (home / "notebooks").glob("*.ipynb")) == lessons
    for teacher in (ROOT / "exercises").glob("*.ipynb"):
        assert solutions_in(teacher)
        assert not solutions_in(home / "exercises" / teacher.name)


def test_lab_teacher_material(capsys, launched):
    code, _, _ = run(capsys, "lab", "--enseignant")
    assert code == 0
    command, cwd = launched[0]
    assert cwd == ROOT
    assert f"--ServerApp.root_dir={ROOT}" in command
    assert "--LabApp.default_url=/lab/tree/notebooks/00_prise_en_main.ipynb" in command
    code, _, err = run(capsys, "lab", "--enseignant", "--dossier", "x")
    assert code == 1
    assert "ne va pas avec --dossier" in err


def test_lab_defaults(capsys, launched, monkeypatch):
    monkeypatch.setattr(cli_lab, "running_as_root", lambda: False)
    run(capsys, "lab")
    command, _ = launched[0]
    assert not any(arg.startswith("--ServerApp.port") for arg in command)
    assert "--ServerApp.open_browser=False" not in command
    assert "--ServerApp.allow_root=True" not in command


def test_lab_as_root(capsys, launched, monkeypatch):
    monkeypatch.setattr(cli_lab, "running_as_root", lambda: True)
    run(capsys, "lab")
    command, _ = launched[0]
    assert "--ServerApp.allow_root=True" in command


def test_lab_copies_the_course_into_a_new_folder(capsys, launched, tmp_path):
    folder = tmp_path / "cours"
    code, _, _ = run(capsys, "lab", "--dossier", str(folder))
    assert code == 0
    assert (folder / "notebooks" / "00_prise_en_main.ipynb").is_file()
    assert not solutions_in(folder / "exercises" / "00_prise_en_main.ipynb")
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


def test_lab_updates_the_workspace_but_never_the_students_work(
    capsys, launched, monkeypatch, tmp_path
):
    monkeypatch.setattr(cli_course, "checkout_root", lambda: None)
    home = tmp_path / "movsc-cours"
    run(capsys, "lab")
    lesson = home / "notebooks" / "00_prise_en_main.ipynb"
    exercise = home / "exercises" / "00_prise_en_main.ipynb"
    untouched = home / "notebooks" / "07_pilotage_projet.ipynb"
    lesson.write_text(lesson.read_text(encoding="utf-8") + " ", encoding="utf-8")  # student work
    exercise.unlink()  # deleted: written again
    untouched.write_text("ancienne version", encoding="utf-8")
    manifest = json.loads((home / cli_course.MANIFEST).read_text(encoding="utf-8"))
    manifest["notebooks/07_pilotage_projet.ipynb"] = cli_course.fingerprint(untouched)
    (home / cli_course.MANIFEST).write_text(
        json.dumps(manifest), encoding="utf-8"
    )  # as if we wrote it
    code, out, _ = run(capsys, "lab")
    assert code == 0
    assert lesson.read_text(encoding="utf-8").endswith(" ")  # not overwritten
    assert "notebooks/00_prise_en_main.ipynb" in out and "gardés tels quels" in out
    assert exercise.is_file() and not solutions_in(exercise)
    assert untouched.read_bytes() == (ROOT / "notebooks" / untouched.name).read_bytes()
    assert [cwd for _, cwd in launched] == [home, home]
    # a workspace made by movsc lab --dossier is updated too
    run(capsys, "lab", "--dossier", str(home))
    assert lesson.read_text(encoding="utf-8").endswith(" ")


@pytest.mark.skipif(sys.platform == "win32", reason="signaux POSIX")
def test_lab_forwards_sigterm_to_jupyterlab(tmp_path):
    """``kill <movsc>`` must not leave the server running alone (QA report)."""
    pid_file = tmp_path / "child.pid"
    child = f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    parent = (
        "import sys; from pathlib import Path; from movsc_toolkit._cli import lab; "
        f"sys.exit(lab.launch([sys.executable, '-c', {child!r}], Path('.')))"
    )
    proc = subprocess.Popen([sys.executable, "-c", parent], cwd=tmp_path)
    for _ in range(300):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.05)
    child_pid = int(pid_file.read_text())
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    for _ in range(100):
        try:
            os.kill(child_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(child_pid, signal.SIGKILL)
        pytest.fail("le processus enfant tourne encore après SIGTERM")


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
