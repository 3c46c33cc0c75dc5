# JupyterHub configuration of a movsc-toolkit class server (one Linux machine).
#
#   jupyterhub -f /opt/movsc-hub/jupyterhub_config.py
#
# Everything a teacher may change is an environment variable MOVSC_HUB_* (see README.md next
# to this file, in French); the defaults are those of a real class server:
#
#   spawner        SystemdSpawner, dynamic users (no Linux account to create), per-student
#                  memory and CPU limits enforced by systemd (cgroups), private /tmp;
#                  MOVSC_HUB_SPAWNER=simple runs every server as the hub's own user instead
#                  (no limits, no isolation: the automated test, a demonstration on a laptop)
#   authenticator  NativeAuthenticator: students sign up at /hub/signup, the teacher
#                  (MOVSC_HUB_ADMIN) approves them at /hub/authorize;
#                  MOVSC_HUB_AUTH=tmp gives a temporary anonymous account to every visitor
#                  (one-day workshop; accounts removed by the idle culler)
#   culler         jupyterhub-idle-culler stops servers idle for MOVSC_HUB_CULL_TIMEOUT seconds
#   course         each server starts with ``python -m movsc_toolkit.hub``: as the student, it
#                  prepares ~/movsc-cours exactly as ``movsc lab`` does (never overwriting a
#                  notebook the student changed), then runs jupyterhub-singleuser with the
#                  French JupyterLab.
#
# Tested by tests/core/test_hub.py (simple spawner; the systemd branch needs systemd and root).
# ruff: noqa: F821  (``c`` is provided by JupyterHub when it loads this file)

import os
import secrets
import shutil
import sys
from pathlib import Path


def _env(name, default):
    value = os.environ.get(f"MOVSC_HUB_{name}", "").strip()
    return value or default


STATE_DIR = Path(_env("DIR", "/srv/movsc-hub"))
SPAWNER = _env("SPAWNER", "systemd")
AUTH = _env("AUTH", "native")
ADMIN = _env("ADMIN", "prof")
MEM_LIMIT = _env("MEM_LIMIT", "1G")  # measured: see "Capacité" in README.md
CPU_LIMIT = float(_env("CPU_LIMIT", "1"))
CULL_TIMEOUT = int(_env("CULL_TIMEOUT", "3600"))
PROXY_NODE_PREFIX = Path(_env("NODE_PREFIX", "/opt/movsc-hub/node"))

# --------------------------------------------------------------------------- network, state

c.JupyterHub.bind_url = _env("BIND_URL", "http://0.0.0.0:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(_env("HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_env('PROXY_API_PORT', '8001')}"
if _env("SSL_CERT", "") and _env("SSL_KEY", ""):
    # passwords are typed on the login page: serve it over HTTPS on a real network
    c.JupyterHub.ssl_cert = _env("SSL_CERT", "")
    c.JupyterHub.ssl_key = _env("SSL_KEY", "")

STATE_DIR.mkdir(parents=True, exist_ok=True)
c.JupyterHub.db_url = f"sqlite:///{STATE_DIR / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE_DIR / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE_DIR / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE_DIR / "jupyterhub-proxy.pid")
c.ConfigurableHTTPProxy.auth_token = secrets.token_hex(32)  # hub <-> proxy, new at each start

# configurable-http-proxy from npm (README: npm install --prefix /opt/movsc-hub/node ...)
_chp = shutil.which("configurable-http-proxy") or str(
    PROXY_NODE_PREFIX / "node_modules" / ".bin" / "configurable-http-proxy"
)
c.ConfigurableHTTPProxy.command = [_chp]

# --------------------------------------------------------------------------- authentication

c.Authenticator.admin_users = {ADMIN}
if AUTH == "tmp":
    c.JupyterHub.authenticator_class = "tmp"  # pip install jupyterhub-tmpauthenticator
    c.Authenticator.allow_all = True
elif AUTH == "native":
    import nativeauthenticator

    c.JupyterHub.authenticator_class = "native"
    c.JupyterHub.template_paths = [str(Path(nativeauthenticator.__file__).parent / "templates")]
    # JupyterHub >= 5 refuses everybody without this; NativeAuthenticator still only lets in
    # the accounts the teacher approved at /hub/authorize
    c.Authenticator.allow_all = True
    c.NativeAuthenticator.open_signup = False
    c.NativeAuthenticator.minimum_password_length = 8
    c.NativeAuthenticator.check_common_password = True
    c.NativeAuthenticator.allowed_failed_logins = 5
    c.NativeAuthenticator.seconds_before_next_try = 300
else:
    raise ValueError(f"MOVSC_HUB_AUTH={AUTH!r}: choisir « native » ou « tmp ».")

# --------------------------------------------------------------------------- spawner

# every server starts through the toolkit (course folder, French JupyterLab), as the student
c.Spawner.cmd = [sys.executable, "-m", "movsc_toolkit.hub"]
c.Spawner.default_url = "/lab/tree/movsc-cours/notebooks/00_prise_en_main.ipynb"
c.Spawner.environment = {
    # the hub's environment holds the toolkit, JupyterLab and the kernel
    "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
}
# a lemmatisation cache filled once by the teacher, read-only for students (cache.md)
if _env("CACHE_DIR", ""):
    c.Spawner.environment["MOVSC_CACHE_DIR"] = _env("CACHE_DIR", "")
# a whole class logging in at once on a small server: each server needs several CPU seconds to
# start (JupyterLab imports), so the last ones may wait minutes (README, "Capacité mesurée")
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.mem_limit = MEM_LIMIT
c.Spawner.cpu_limit = CPU_LIMIT
c.JupyterHub.concurrent_spawn_limit = int(_env("SPAWN_LIMIT", "40"))

if SPAWNER == "systemd":
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.dynamic_users = True  # home: /var/lib/private/<login> (movsc collecte)
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.isolate_devices = True
    c.SystemdSpawner.disable_user_sudo = True
    c.SystemdSpawner.unit_name_template = "jupyter-{USERNAME}"
elif SPAWNER == "simple":
    # one OS user for everybody: per-student folders, but NO memory/CPU limit and NO isolation
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = _env(
        "HOMES", str(STATE_DIR / "home" / "{username}")
    )
else:
    raise ValueError(f"MOVSC_HUB_SPAWNER={SPAWNER!r}: choisir « systemd » ou « simple ».")

# --------------------------------------------------------------------------- services

c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_TIMEOUT}",
            f"--cull-every={max(60, CULL_TIMEOUT // 6)}",
            *(["--cull-users=true", "--cull-admin-users=false"] if AUTH == "tmp" else []),
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "services": ["idle-culler"],
        "scopes": [
            "list:users",
            "read:users:activity",
            "read:servers",
            "delete:servers",
            *(["admin:users"] if AUTH == "tmp" else []),
        ],
    }
]

# an administration token (tests, benchmarks, scripts of the teacher): only when it is given
_admin_token = _env("SERVICE_TOKEN", "")
if _admin_token:
    c.JupyterHub.services.append({"name": "movsc-admin", "api_token": _admin_token})
    c.JupyterHub.load_roles.append(
        {
            "name": "movsc-admin",
            "services": ["movsc-admin"],
            "scopes": ["admin:users", "admin:servers", "access:servers", "list:users"],
        }
    )
