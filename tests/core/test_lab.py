"""``movsc lab`` opens JupyterLab in French, without the "Jupyter news" pop-up.

The settings come from the package (``overrides.d/movsc-toolkit.json``), never from the user's own
settings: the server is started in an empty temporary HOME and its effective settings are read
through its REST API.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from movsc_toolkit._cli import lab as cli_lab

TOKEN = "jeton-de-test-movsc"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:  # local test server only
        return json.loads(response.read().decode("utf-8"))


def _effective(plugin: dict) -> dict:
    """What JupyterLab's front end uses: the user's value, else the (overridden) default."""
    properties = plugin["schema"]["properties"]
    user = plugin.get("settings") or {}
    return {key: user.get(key, spec.get("default")) for key, spec in properties.items()}


@pytest.fixture
def lab_server(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    folder = home / "memoire"
    folder.mkdir()
    (folder / "notes.txt").write_text("mon mémoire\n", encoding="utf-8")
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTER", "JPY_", "XDG_"))
    }
    env.update(HOME=str(home), JUPYTER_TOKEN=TOKEN, USERPROFILE=str(home))
    log = (tmp_path / "lab.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "movsc_toolkit.cli",
            "lab",
            "--no-browser",
            "--port",
            str(port),
            "--dossier",
            str(folder),
        ],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(f"{base}/api/status?token={TOKEN}")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        "JupyterLab n'a pas démarré :\n" + (tmp_path / "lab.log").read_text()
                    )
                time.sleep(0.5)
        yield base, home
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups (POSIX) needed")
def test_movsc_lab_is_in_french_without_news(lab_server):
    base, home = lab_server
    translation = _get(
        f"{base}/lab/api/settings/@jupyterlab/translation-extension:plugin?token={TOKEN}"
    )
    assert _effective(translation)["locale"] == "fr_FR"
    notification = _get(
        f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={TOKEN}"
    )
    effective = _effective(notification)
    assert effective["fetchNews"] == "false"
    assert effective["checkForUpdates"] is False
    french = _get(f"{base}/lab/api/translations/fr_FR?token={TOKEN}")
    assert french["data"], french.get("message")
    strings = json.dumps(french["data"], ensure_ascii=False)
    assert "Fichier" in strings
    # nothing written into the user's own JupyterLab settings
    user_settings = home / ".jupyter" / "lab" / "user-settings"
    assert not list(user_settings.rglob("*.jupyterlab-settings"))


def test_lab_settings_fallback_keeps_the_administrators_overrides(tmp_path, monkeypatch):
    import jupyterlab.commands

    app_dir = tmp_path / "lab"
    (app_dir / "settings").mkdir(parents=True)
    admin = {"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}
    (app_dir / "settings" / "overrides.json").write_text(json.dumps(admin), encoding="utf-8")
    monkeypatch.setattr(jupyterlab.commands, "get_app_dir", lambda: str(app_dir))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    target = cli_lab.lab_settings_dir()
    assert target is not None and target.is_relative_to(tmp_path / "cache")
    assert json.loads((target / "overrides.json").read_text(encoding="utf-8")) == admin
    ours = json.loads((target / "overrides.d" / "movsc-toolkit.json").read_text(encoding="utf-8"))
    assert ours["@jupyterlab/translation-extension:plugin"] == {"locale": "fr_FR"}
    # the settings of the installed package are used as they are
    (app_dir / "settings" / "overrides.d").mkdir()
    (app_dir / "settings" / "overrides.d" / "movsc-toolkit.json").write_bytes(
        cli_lab.LAB_OVERRIDES.read_bytes()
    )
    assert cli_lab.lab_settings_dir() is None


def test_shipped_overrides_match_the_jupyterlab_schemas():
    from jupyterlab.commands import get_app_dir

    overrides = json.loads(cli_lab.LAB_OVERRIDES.read_text(encoding="utf-8"))
    schemas = Path(get_app_dir()) / "schemas"
    for plugin, values in overrides.items():
        package, name = plugin.split(":")
        schema = json.loads((schemas / package / f"{name}.json").read_text(encoding="utf-8"))
        assert set(values) <= set(schema["properties"]), plugin
