"""End-to-end test of the class server (deploy/jupyterhub) and of ``movsc collecte``.

A real JupyterHub (the deployment's ``jupyterhub_config.py``, ``simple`` spawner, native
authenticator, idle culler) and configurable-http-proxy run on free localhost ports in a
temporary folder. Two students are created through the REST API; their servers start with the
course prepared as ``movsc lab`` prepares it; a course notebook runs in each student's kernel
through the Jupyter server API; one student changes an exercise, her server is restarted (the
change is kept), and the exercises are collected for ``movsc correction``. Skipped, with the
reason, when Node.js, configurable-http-proxy or JupyterHub is missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from movsc_toolkit import cli
from movsc_toolkit._cli import course as cli_course
from movsc_toolkit._errors import MovscError
from movsc_toolkit.hub import collect

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy" / "jupyterhub"))
import hubdriver  # noqa: E402

EXERCISE = "movsc-cours/exercises/00_prise_en_main.ipynb"
COURSE = "movsc-cours/notebooks/00_prise_en_main.ipynb"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    reason = hubdriver.missing_requirements()
    if reason:
        pytest.skip(f"test du serveur de classe sauté : {reason}")
    running = hubdriver.Hub(tmp_path_factory.mktemp("hub"))
    try:
        running.start()
        yield running
    finally:
        running.stop()
        # nothing of the hub may survive the test
        import psutil

        leftovers = [
            p.pid
            for p in psutil.process_iter(["environ"])
            if (p.info.get("environ") or {}).get("MOVSC_HUB_DIR") == str(running.workdir)
        ]
        assert not leftovers, f"processus restés après l'arrêt du hub : {leftovers}"


def _source(notebook: dict) -> str:
    return "\n".join(
        c["source"] if isinstance(c["source"], str) else "".join(c["source"])
        for c in notebook["cells"]
    )


@pytest.mark.filterwarnings("ignore:.*getdefaultlocale:DeprecationWarning")
def test_class_on_a_hub(hub, tmp_path, capsys):
    students = ["alice", "bruno"]
    hub.create_students(students)
    for name in students:
        hub.start_server(name)
    hub.wait_ready(students, timeout=240)
    # the idle culler runs as a hub service and reads the users through the API
    assert "200 GET /hub/api/users" in hub.log_tail(10000)
    assert "(idle-culler@127.0.0.1)" in hub.log_tail(10000)

    for name in students:
        # the course folder, as movsc lab prepares it: course notebooks + student exercises
        listing = hub.contents(name, "movsc-cours/exercises", content=True)["content"]
        names = {item["name"] for item in listing}
        assert "00_prise_en_main.ipynb" in names
        exercise = hub.contents(name, EXERCISE)["content"]
        assert "BEGIN SOLUTION" not in _source(exercise)  # no solution handed out
        assert hub.contents(name, COURSE)["type"] == "notebook"
        assert (hub.homes / name / "movsc-cours" / cli_course.MANIFEST).is_file()
        assert hub.lab_locale(name) == "fr_FR"  # French JupyterLab
        # a course notebook runs top to bottom in the student's own kernel
        run = hub.run_notebook(name, COURSE, timeout=300)
        assert run.error is None, f"{name} : {run.error}\n{hub.log_tail()}"
        assert run.cells > 5
        # the kernel ran in the student's folder, not in another student's
        cwd = hub.run_notebook_code(name, "import os; print(os.getcwd())")
        assert cwd.strip() == str(hub.homes / name / "movsc-cours" / "notebooks")

    # alice answers the exercise; her server restarts: her notebook is kept as she left it
    exercise = hub.contents("alice", EXERCISE)["content"]
    exercise["cells"].append(
        {"cell_type": "markdown", "metadata": {}, "source": "Ma réponse : 42 bénévoles."}
    )
    hub.save_notebook("alice", EXERCISE, exercise)
    hub.stop_server("alice")
    hub.start_server("alice")
    hub.wait_ready(["alice"], timeout=240)
    kept = hub.contents("alice", EXERCISE)["content"]
    assert "Ma réponse : 42 bénévoles." in _source(kept)

    # the teacher collects the session, ready for movsc correction
    copies = tmp_path / "copies"
    homes = str(hub.homes / "{login}")
    code = cli.main(["collecte", "00", "--accueils", homes, "--sortie", str(copies)])
    assert code == 0
    out = capsys.readouterr().out
    assert "2 carnet(s) copié(s)" in out
    assert "alice" in out and "bruno" in out
    saved = json.loads((copies / "alice" / "00_prise_en_main.ipynb").read_text(encoding="utf-8"))
    assert "Ma réponse : 42 bénévoles." in _source(saved)
    report = (copies / "ramassage.csv").read_text(encoding="utf-8-sig")
    assert "alice;00_prise_en_main.ipynb;rendu" in report
    assert "bruno;00_prise_en_main.ipynb;non modifié" in report

    from movsc_toolkit.exercises.grading import find_submissions

    found = {(s.student, s.assignment) for s in find_submissions(copies)}
    assert found == {("alice", "00_prise_en_main"), ("bruno", "00_prise_en_main")}

    # a second collection into the same folder does not overwrite the first one
    with pytest.raises(MovscError, match="ramassage précédent"):
        collect("00", copies, homes=homes)
    for name in students:
        hub.stop_server(name)


# --------------------------------------------------------------------------- collect, no hub


@pytest.fixture(scope="module")
def homes(tmp_path_factory):
    """Three students' homes as the class server leaves them (course prepared at first start)."""
    from movsc_toolkit.hub import prepare_home

    root = tmp_path_factory.mktemp("accueils")
    for login in ["jupyter-alice", "jupyter-bruno", "jupyter-chloe", "jupyter-prof"]:
        prepare_home(root / login)
    answered = root / "jupyter-alice" / "movsc-cours" / "exercises" / "02_enquete_analyse.ipynb"
    notebook = json.loads(answered.read_text(encoding="utf-8"))
    notebook["cells"][0]["source"] = "Réponses d'Alice"
    answered.write_text(json.dumps(notebook), encoding="utf-8")
    (root / "jupyter-chloe" / "movsc-cours" / "exercises" / "02_enquete_analyse.ipynb").unlink()
    (root / "autre-dossier").mkdir()  # not matching the template: ignored
    (root / "jupyter-service").mkdir()  # no course folder: not a student
    return root


def test_collect_states(homes, tmp_path):
    report = collect(
        "02", tmp_path / "copies", homes=str(homes / "jupyter-{login}"), exclude=["prof"]
    )
    assert report.session == "02_enquete_analyse"
    states = dict(zip(report.table["élève"], report.table["état"], strict=True))
    assert states == {"alice": "rendu", "bruno": "non modifié", "chloe": "absent"}
    assert report.collected == 2
    assert sorted(p.name for p in (tmp_path / "copies").iterdir()) == [
        "alice",
        "bruno",
        "ramassage.csv",
    ]
    copied = (tmp_path / "copies" / "alice" / "02_enquete_analyse.ipynb").read_bytes()
    original = homes / "jupyter-alice" / "movsc-cours" / "exercises" / "02_enquete_analyse.ipynb"
    assert copied == original.read_bytes()
    assert "2 carnet(s) copié(s)" in str(report)
    # a new collection needs --ecraser, then replaces the copies
    with pytest.raises(MovscError, match="ramassage précédent"):
        collect("02_enquete_analyse", tmp_path / "copies", homes=str(homes / "jupyter-{login}"))
    again = collect(
        "02_enquete_analyse.ipynb",
        tmp_path / "copies",
        homes=str(homes / "jupyter-{login}"),
        overwrite=True,
    )
    assert set(again.table["élève"]) == {"alice", "bruno", "chloe", "prof"}


@pytest.mark.parametrize(
    ("session", "template", "message"),
    [
        ("99", "{root}/jupyter-{login}", "n'est pas un carnet d'exercices"),
        ("0", "{root}/jupyter-{login}", "n'est pas un carnet d'exercices"),
        ("02", "{root}/jupyter-", "doit contenir {login}"),
        ("02", "{root}/{login}{login}", "doit contenir {login}"),
        ("02", "{root}/absent/{login}", "introuvable"),
        ("02", "{root}/personne-{login}", "aucun dossier d'élève"),
    ],
)
def test_collect_errors(homes, tmp_path, session, template, message):
    with pytest.raises(MovscError, match=message):
        collect(session, tmp_path / "c", homes=template.replace("{root}", str(homes)))
    assert not (tmp_path / "c").exists()


def test_collect_command_error_in_french(homes, tmp_path, capsys):
    code = cli.main(["collecte", "99", "--accueils", str(homes / "{login}")])
    assert code == 1
    assert "n'est pas un carnet d'exercices" in capsys.readouterr().err


# --------------------------------------------------------------------------- start command


def test_start_command_prepares_the_course_then_starts_the_server(tmp_path, monkeypatch, capsys):
    import os

    from movsc_toolkit import hub as hubmodule

    started = []
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(hubmodule, "_serve", started.append)
    hubmodule.main(["--port=12345"])
    assert started[-1][0] == "--port=12345"
    assert "--ServerApp.allow_root=True" in started[-1] or os.geteuid() != 0
    exercise = tmp_path / "movsc-cours" / "exercises" / "02_enquete_analyse.ipynb"
    assert exercise.is_file()
    assert "BEGIN SOLUTION" not in exercise.read_text(encoding="utf-8")
    # the student's change survives the next start
    exercise.write_text(exercise.read_text(encoding="utf-8").replace("}", "} ", 1), "utf-8")
    changed = exercise.read_bytes()
    hubmodule.main([])
    assert exercise.read_bytes() == changed
    assert "1 modifié(s) par l'élève et gardé(s)" in capsys.readouterr().err
    assert len(started) == 2


def test_start_command_starts_the_server_even_if_the_course_fails(tmp_path, monkeypatch, capsys):

    from movsc_toolkit import hub as hubmodule

    started = []
    blocked = tmp_path / "fichier"
    blocked.write_text("pas un dossier", encoding="utf-8")
    monkeypatch.setenv("HOME", str(blocked))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(hubmodule, "_serve", started.append)
    hubmodule.main([])
    assert "le dossier du cours n'a pas pu être préparé" in capsys.readouterr().err
    assert started  # the student still gets a server with their files
