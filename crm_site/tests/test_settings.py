import re
import secrets
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from crm_site.env import env_bool, env_int, env_list, env_str
from tests.fixtures.processes import child_env, manage

README = Path(__file__).resolve().parents[2] / "README.md"
KEY = "dGVzdHMtb25seS1maWVsZC1lbmNyeXB0aW9uLWtleSE="


def production_env(**overrides: str | None) -> dict[str, str]:
    values: dict[str, str | None] = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": KEY,
        "HTTPS_ONLY": "true",
        "ALLOWED_HOSTS": "crm.example.com",
        "DJANGO_ALLOW_ASYNC_UNSAFE": None,  # the test suite's own, for Playwright
    }
    return child_env(**{**values, **overrides})


def test_missing_secret_key_with_debug_off_is_a_clear_startup_error():
    # given
    env = production_env(SECRET_KEY=None)
    # when
    result = manage("check", env=env)
    # then
    assert result.returncode != 0
    assert "Configuration error: SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_field_encryption_key_with_debug_off_is_a_clear_startup_error():
    result = manage("check", env=production_env(FIELD_ENCRYPTION_KEY=None))

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY is not set" in result.stderr


def test_debug_on_runs_without_secrets():
    result = manage("check", env=child_env(DEBUG="true", SECRET_KEY=None, FIELD_ENCRYPTION_KEY=None))

    assert result.returncode == 0, result.stderr


def test_debug_is_off_unless_asked_for():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env=child_env(DEBUG=None))

    assert result.stdout.splitlines()[-1] == "False"


def test_a_malformed_value_names_the_variable():
    result = manage("check", env=child_env(DEBUG="maybe"))

    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_check_deploy_reports_only_what_the_readme_explains():
    # given production-like values
    env = production_env()
    # when
    result = manage("check", "--deploy", env=env)
    # then every finding is one the README lists under "Deployment checks"
    assert result.returncode == 0, result.stderr
    findings = set(re.findall(r"\((security\.\w+)\)", result.stdout + result.stderr))
    explained = set(re.findall(r"`(security\.\w+)`", README.read_text()))
    assert findings <= explained, f"unexplained: {findings - explained}"


def test_check_deploy_is_clean_with_hsts_preload():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(SECURE_HSTS_PRELOAD="true"))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("reader", "raw", "expected"),
    [
        (env_bool, "YES", True),
        (env_bool, "off", False),
        (env_int, " 42 ", 42),
        (env_list, "a, b,,c", ["a", "b", "c"]),
        (env_str, "  ", "fallback"),
    ],
)
def test_env_readers_parse_values(monkeypatch, reader, raw, expected):
    monkeypatch.setenv("SOME_KNOB", raw)

    default = "fallback" if reader is env_str else ([] if reader is env_list else 0)
    assert reader("SOME_KNOB", default) == expected


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("SOME_KNOB", "ten")

    with pytest.raises(ImproperlyConfigured, match="SOME_KNOB must be a whole number"):
        env_int("SOME_KNOB", 1)


def test_results_go_to_the_database_and_beat_uses_the_database_scheduler():
    assert settings.CELERY_RESULT_BACKEND == "django-db"
    assert settings.CELERY_BEAT_SCHEDULER == "crm_site.beat:DatabaseScheduler"


def test_broker_defaults_to_a_serverless_transport():
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.CELERY_BROKER_URL)",
        env=child_env(CELERY_BROKER_URL=None),
    )  # fmt: skip

    assert result.stdout.splitlines()[-1].startswith("filesystem://")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"AI_PROVIDER": None, "OPENAI_API_KEY": None}, "OPENAI_API_KEY is not set: set it, or set AI_PROVIDER=rules"),
        ({"AI_PROVIDER": "openai", "OPENAI_API_KEY": None}, "AI_PROVIDER=openai needs OPENAI_API_KEY"),
        ({"AI_PROVIDER": "magic"}, "AI_PROVIDER must be openai or rules, not 'magic'"),
        ({"MAIL_BACKEND": "smtp"}, "MAIL_BACKEND must be zoho or outbox, not 'smtp'"),
    ],
)
def test_production_never_picks_a_stand_in_unasked(overrides, message):
    result = manage("check", env=production_env(**overrides))

    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr


def test_the_stand_ins_are_development_s_defaults_and_production_s_explicit_choice():
    code = "from django.conf import settings; print(settings.AI_PROVIDER, settings.MAIL_BACKEND)"
    development = manage("shell", "-c", code, env=child_env(DEBUG="true", AI_PROVIDER=None, MAIL_BACKEND=None))
    production = manage("shell", "-c", code, env=production_env(AI_PROVIDER="rules", MAIL_BACKEND=None))
    with_key = manage(
        "shell", "-c", code, env=production_env(AI_PROVIDER=None, MAIL_BACKEND=None, OPENAI_API_KEY="sk-x")
    )

    assert development.stdout.split() == ["rules", "outbox"]
    assert production.stdout.split() == ["rules", "zoho"]
    assert with_key.stdout.split() == ["openai", "zoho"]
