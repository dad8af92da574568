# JupyterHub for a lab room: every student logs in with a local account and gets their own
# JupyterLab, with their own copy of the book, on this machine. (For a cluster, see
# deploy/kubernetes.md.) Start it from the repository, after `make setup-class`:
#
#     OSKIT_HUB_DIR=/srv/oskit-hub .venv/bin/jupyterhub -f deploy/jupyterhub_config.py
#
# Everything a room may want to change is an environment variable, read once below:
#
#     OSKIT_HUB_DIR       where the hub keeps its state: database, cookie secret, and (in the
#                         test mode) the users' home directories        default /srv/oskit-hub
#     OSKIT_HUB_URL       the address students open                     default http://:8000
#     OSKIT_HUB_PORT_HUB  the hub's own port, behind the proxy          default 8081
#     OSKIT_HUB_PORT_API  the proxy's REST API port (loopback only)     default 8001
#     OSKIT_HUB_MEM       memory limit per student (see MEM_LIMIT)      default 1G
#     OSKIT_HUB_IDLE_S    stop a server idle this long (idle culler)    default 3600
#     OSKIT_BOOK          the chapters copied into a new student's home default this checkout's notebooks/
#     OSKIT_HUB_USERS     the students' Unix user names, comma-separated (PAM mode)
#     OSKIT_HUB_ADMINS    the instructors' user names, comma-separated (PAM mode)
#     OSKIT_HUB_TEST      1: the test mode of tests/class/test_hub.py: any user name with the
#                         password OSKIT_HUB_PASSWORD (DummyAuthenticator), servers run as the
#                         hub's own Unix user, homes under OSKIT_HUB_DIR/home/. Never in a room.
import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides it)

REPO = Path(__file__).resolve().parents[1]
STATE = Path(os.environ.get("OSKIT_HUB_DIR", "/srv/oskit-hub"))
BOOK = Path(os.environ.get("OSKIT_BOOK", REPO / "notebooks"))
TEST = os.environ.get("OSKIT_HUB_TEST") == "1"
STATE.mkdir(parents=True, exist_ok=True)

# -- the proxy: configurable-http-proxy from npm (make setup-class installs it into .venv/node) --
CHP = REPO / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(CHP) if CHP.exists() else "configurable-http-proxy"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('OSKIT_HUB_PORT_API', '8001')}"
c.JupyterHub.bind_url = os.environ.get("OSKIT_HUB_URL", "http://:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("OSKIT_HUB_PORT_HUB", "8081"))
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
# Stopping the hub stops every student's server and the proxy: nothing is left running.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# -- who logs in, and as whom their server runs ------------------------------------------------
if TEST:
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = os.environ["OSKIT_HUB_PASSWORD"]
    c.Authenticator.allow_all = True
    c.JupyterHub.spawner_class = "simple"          # SimpleLocalProcessSpawner: no Unix users needed
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
else:
    # The room's Unix accounts, checked by PAM; each server runs as its student's own user.
    c.JupyterHub.authenticator_class = "pam"
    c.Authenticator.allowed_users = set(filter(None, os.environ.get("OSKIT_HUB_USERS", "").split(",")))
    c.Authenticator.admin_users = set(filter(None, os.environ.get("OSKIT_HUB_ADMINS", "").split(",")))
    try:                                             # enforces the limits below with cgroups
        import systemdspawner  # noqa: F401
        c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    except ImportError:
        c.JupyterHub.spawner_class = "localprocess"  # limits are then only advertised (MEM_LIMIT)

# -- what each student gets ----------------------------------------------------------------------
# MEM_LIMIT, sized from measurements on this project's machine (docs/instructors.md, "Memory"):
# after chapter 0 a student's server and kernel hold 301 MiB (server 171, kernel 130;
# tests/class/test_hub.py); a kernel's peak over a whole chapter is 126-337 MiB (chapter 4 the
# most). 1 GiB runs any chapter with the server beside it and leaves room for a second open
# notebook. SystemdSpawner and Kubernetes enforce it; the plain local spawner only tells the
# server (MEM_LIMIT, shown by jupyter-resource-usage).
c.Spawner.mem_limit = os.environ.get("OSKIT_HUB_MEM", "1G")
c.Spawner.cpu_limit = 1.0                            # the emulator is one busy thread
c.Spawner.default_url = "/lab/tree/oskit/00-start-here.ipynb"
c.Spawner.args = ["--LabApp.news_url=",              # no news popup, no update check in class
                  "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate"]
if TEST:
    c.Spawner.args += ["--LabApp.expose_app_in_browser=True"]   # the test reads the notebook model
    if os.getuid() == 0:
        c.Spawner.args += ["--allow-root"]           # CI machines run as root
    if os.environ.get("OSKIT_HUB_LAB_SETTINGS"):
        c.Spawner.args += [f"--LabServerApp.user_settings_dir={os.environ['OSKIT_HUB_LAB_SETTINGS']}"]
# The servers use the same Python as the hub (this checkout's venv, where oskit is installed).
c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]


def give_the_book(spawner):
    """Copy the chapters into ~/oskit of a student who has none yet; never overwrite their work."""
    home = Path(spawner.home_dir_template.format(username=spawner.user.name)) if TEST \
        else Path(os.path.expanduser(f"~{spawner.user.name}"))
    target = home / "oskit"
    if target.exists():
        return
    home.mkdir(parents=True, exist_ok=True)
    shutil.copytree(BOOK, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    if not TEST and os.getuid() == 0:                # the student must own their copy
        import pwd
        entry = pwd.getpwnam(spawner.user.name)
        for path in [target, *target.rglob("*")]:
            os.chown(path, entry.pw_uid, entry.pw_gid)


c.Spawner.pre_spawn_hook = give_the_book

# -- the idle culler: a forgotten tab does not hold a gigabyte all night ---------------------------
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={os.environ.get('OSKIT_HUB_IDLE_S', '3600')}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
if TEST:
    # The test's own token: it reads users, servers and kernels through the hub's REST API.
    c.JupyterHub.services.append({"name": "oskit-test", "api_token": os.environ["OSKIT_HUB_TEST_TOKEN"]})
    c.JupyterHub.load_roles.append({"name": "oskit-test", "services": ["oskit-test"],
                                    "scopes": ["admin:users", "admin:servers", "access:servers"]})
