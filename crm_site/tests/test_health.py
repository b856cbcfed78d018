import contextlib
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.fixtures.processes import ROOT, _wait_listening, child_env, free_port, gunicorn_server, manage


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - loopback
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    # when
    response = client.get("/healthz")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_answers_probes_whatever_their_host_header(client):
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")

    assert response.status_code == 200


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize(
    ("broken", "override"),
    [
        ("broker", {"CELERY_BROKER_URL": "redis://127.0.0.1:9/0"}),
        ("database", {"DATABASE_URL": "postgres://postgres@127.0.0.1:9/nothing"}),
    ],
)
def test_healthz_is_503_and_names_what_is_down(broken, override):
    # given a real server whose database or broker is unreachable
    with gunicorn_server(child_env(**override)) as url:
        # when
        status, body = get(url + "/healthz")
    # then
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"][broken]["ok"] is False
    assert "127.0.0.1" not in json.dumps(body), "connection details stay in the log"


def test_container_probe_fails_when_the_broker_is_down():
    result = manage("healthcheck", "beat", env=child_env(CELERY_BROKER_URL="redis://127.0.0.1:9/0"))

    assert result.returncode != 0
    assert "database or broker unavailable" in result.stderr


def test_healthz_names_the_brands_that_cannot_send(client, settings, db):
    # given production's mail backend and a brand without credentials
    from crm.models import Brand

    settings.MAIL_BACKEND = "zoho"
    Brand.objects.create(name="Quiet", slug="quiet", from_email="s@quiet.example")
    # when
    response = client.get("/healthz")
    # then the probe passes (the web process is fine) and says who is not sending
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["mail"]["brands_not_sending"]) == ("degraded", ["quiet"])


def test_the_access_log_leaves_query_strings_out(tmp_path):
    # given the web process as the image and `make run` start it, logging access to a file
    log = tmp_path / "access.log"
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "crm_site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
        "--access-logfile", str(log), "--no-control-socket",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=child_env(), start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_listening(process, url)
        # when Zoho posts with the secret in the query string
        request = urllib.request.Request(  # noqa: S310 - loopback
            f"{url}/webhook/zoho/contact/?token=the-secret-token", data=b"{}", method="POST"
        )
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=10).close()  # noqa: S310 - loopback
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(15)
    # then the request is logged, the token is not
    text = log.read_text()
    assert '"POST /webhook/zoho/contact/ HTTP/1.1"' in text
    assert "the-secret-token" not in text
