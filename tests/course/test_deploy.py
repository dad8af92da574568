"""The two deployments (deploy/): the lab-room hub configuration loads in both modes, and the
Kubernetes values give a student the same memory, CPU and idle time."""

from pathlib import Path

import yaml
from traitlets.config.loader import PyFileConfigLoader

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def hub_config(monkeypatch, tmp_path, **env):
    """deploy/jupyterhub_config.py as JupyterHub loads it, with ENV set (state in tmp_path)."""
    monkeypatch.setenv("OSKIT_HUB_DIR", str(tmp_path / "state"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()


def test_lab_room_mode_uses_pam_and_the_measured_limits(monkeypatch, tmp_path):
    """Without the test switch: PAM, the room's users, 1G and one CPU, the culler at an hour."""
    monkeypatch.delenv("OSKIT_HUB_TEST", raising=False)
    c = hub_config(monkeypatch, tmp_path, OSKIT_HUB_USERS="ann,bob")
    assert c.JupyterHub.authenticator_class == "pam"
    assert c.Authenticator.allowed_users == {"ann", "bob"}
    assert (c.Spawner.mem_limit, c.Spawner.cpu_limit) == ("1G", 1.0)
    [culler] = c.JupyterHub.services
    assert "--timeout=3600" in culler["command"]
    assert (tmp_path / "state").is_dir()


def test_test_mode_uses_the_dummy_authenticator_and_its_password(monkeypatch, tmp_path):
    """OSKIT_HUB_TEST=1: DummyAuthenticator with the given password, the simple local spawner,
    homes in the state directory, and the test's service token."""
    c = hub_config(monkeypatch, tmp_path, OSKIT_HUB_TEST="1", OSKIT_HUB_PASSWORD="pw",
                   OSKIT_HUB_TEST_TOKEN="t0ken")
    assert (c.JupyterHub.authenticator_class, c.DummyAuthenticator.password) == ("dummy", "pw")
    assert c.JupyterHub.spawner_class == "simple"
    assert c.SimpleLocalProcessSpawner.home_dir_template == str(tmp_path / "state" / "home" / "{username}")
    assert {s["name"] for s in c.JupyterHub.services} == {"idle-culler", "oskit-test"}


def test_kubernetes_values_agree_with_the_lab_room(monkeypatch, tmp_path):
    """z2jh-values.yaml: the same 1G limit, one CPU and one hour of idleness as the lab room."""
    monkeypatch.delenv("OSKIT_HUB_TEST", raising=False)
    c = hub_config(monkeypatch, tmp_path)
    values = yaml.safe_load((DEPLOY / "z2jh-values.yaml").read_text())
    single = values["singleuser"]
    assert single["memory"]["limit"] == c.Spawner.mem_limit
    assert single["cpu"]["limit"] == c.Spawner.cpu_limit
    assert f"--timeout={values['cull']['timeout']}" in c.JupyterHub.services[0]["command"]
    assert single["storage"]["extraVolumeMounts"][0]["mountPath"] == "/srv/nbgrader/exchange"
