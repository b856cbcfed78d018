"""docker-compose.yml describes production: postgres, redis, web (gunicorn), worker, beat."""

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
SECRETS = {"SECRET_KEY": "x" * 50, "FIELD_ENCRYPTION_KEY": "k", "POSTGRES_PASSWORD": "p"}


def compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_every_service_has_a_healthcheck_and_web_runs_gunicorn():
    services = yaml.safe_load(COMPOSE.read_text())["services"]

    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert "test" in services[name]["healthcheck"], name
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
    assert services["worker"]["command"][:4] == ["celery", "-A", "crm_site", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "crm_site", "beat"]


def test_docker_compose_config_validates(tmp_path):
    # given a checkout with a .env (which production needs) and the secrets set
    command = compose_command()
    assert command, "no docker compose: scripts/system-packages installs Debian's docker-compose"
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    (tmp_path / ".env").write_text("")
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", **SECRETS}
    # when
    result = subprocess.run(
        [*command, "config", "-q"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    # then
    assert result.returncode == 0, result.stderr


def test_docker_compose_refuses_to_start_without_secrets(tmp_path):
    command = compose_command()
    assert command
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    (tmp_path / ".env").write_text("")

    result = subprocess.run(
        [*command, "config", "-q"], cwd=tmp_path, env={"PATH": "/usr/bin:/bin:/usr/local/bin"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.returncode != 0
    assert "set " in result.stderr
