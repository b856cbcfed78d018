import pytest
import requests

from integrations.http import OutgoingSession
from tests.fakes.server import FakeServer, Response


@pytest.fixture
def server():
    with FakeServer() as fake:
        fake.route("GET", "/ok", lambda request: Response(200, {"ok": True}))
        fake.route("POST", "/ok", lambda request: Response(200, {"ok": True}))
        fake.route("GET", "/moved", lambda request: Response(302, headers={"Location": "/ok"}))
        fake.route("GET", "/slow", lambda request: Response(200, {"late": True}, delay=2))
        yield fake


def test_the_user_agent_names_the_integration(server):
    OutgoingSession(role="zoho-mail", timeout=5).get(server.url + "/ok")

    assert server.requests[0].headers["user-agent"] == "agency-backoffice/1.0 (zoho-mail)"


def test_every_request_gets_the_session_timeout(server):
    session = OutgoingSession(role="test", timeout=0.3)

    with pytest.raises(requests.Timeout):
        session.get(server.url + "/slow")


def test_redirects_are_not_followed_unless_asked(server):
    response = OutgoingSession(role="test", timeout=5).get(server.url + "/moved")

    assert response.status_code == 302


def test_idempotent_requests_are_retried_on_503(server):
    server.fail_next("GET", "/ok", Response(503), times=2)

    response = OutgoingSession(role="test", timeout=5, max_retries=3, backoff_factor=0).get(server.url + "/ok")

    assert response.status_code == 200
    assert len(server.received("GET", "/ok")) == 3


def test_posts_are_not_retried_by_default(server):
    server.fail_next("POST", "/ok", Response(503))

    response = OutgoingSession(role="test", timeout=5, max_retries=3, backoff_factor=0).post(server.url + "/ok")

    assert response.status_code == 503
    assert len(server.received("POST", "/ok")) == 1


def test_a_long_retry_after_is_handed_back_instead_of_slept(server):
    # given a server that asks us to come back in an hour
    server.fail_next("GET", "/ok", Response(429, headers={"Retry-After": "3600"}))
    # when
    response = OutgoingSession(role="test", timeout=5, max_retries=3).get(server.url + "/ok")
    # then the caller sees the 429 at once and can reschedule
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3600"
    assert len(server.received("GET", "/ok")) == 1


def test_a_short_retry_after_is_honoured(server):
    server.fail_next("GET", "/ok", Response(429, headers={"Retry-After": "0"}))

    response = OutgoingSession(role="test", timeout=5, max_retries=2).get(server.url + "/ok")

    assert response.status_code == 200


def test_the_proxy_variables_still_apply_read_once_per_host(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "mail.zoho.eu")
    session = OutgoingSession(role="test", timeout=5)

    first = session.merge_environment_settings("https://api.openai.com/v1/x", {}, None, None, None)
    monkeypatch.setenv("HTTPS_PROXY", "http://changed.internal:3128")  # read once: the process's environment
    again = session.merge_environment_settings("https://api.openai.com/v1/y", {}, None, None, None)
    bypassed = session.merge_environment_settings("https://mail.zoho.eu/api", {}, None, None, None)
    given = session.merge_environment_settings("https://api.openai.com/", {"https": "http://mine:1"}, None, None, None)

    assert first["proxies"]["https"] == again["proxies"]["https"] == "http://proxy.internal:3128"
    assert "https" not in bypassed["proxies"]
    assert given["proxies"]["https"] == "http://mine:1"  # a caller's own proxies win, as in requests
