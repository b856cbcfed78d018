import stat

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from crm_site.envfile import GENERATED, envfile_write


@pytest.mark.django_db
def test_ensure_superuser_creates_the_admin_once_and_prints_the_login(monkeypatch, capsys):
    # given
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "boss")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "s3cret-pass-word")
    # when
    call_command("ensure_superuser")
    call_command("ensure_superuser")
    # then
    out = capsys.readouterr().out
    assert out.count("Created the admin user") == 1
    assert out.count("Log in as boss / s3cret-pass-word") == 2
    user = User.objects.get(username="boss")
    assert user.is_superuser
    assert user.check_password("s3cret-pass-word")


@pytest.mark.django_db
def test_ensure_superuser_does_not_print_a_password_that_no_longer_works(monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "boss")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "first-password-1")
    call_command("ensure_superuser")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "another-password-2")

    call_command("ensure_superuser")

    assert "its password was changed" in capsys.readouterr().out


def test_envfile_writes_every_generated_value_readable_by_the_owner_only(tmp_path):
    path = tmp_path / ".env"

    written = envfile_write(path)

    assert written == list(GENERATED)
    text = path.read_text()
    assert all(f"\n{name}=" in text for name in GENERATED)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_envfile_fills_blanks_and_keeps_existing_values(tmp_path):
    # given a .env copied from .env.example, with one value chosen by hand
    path = tmp_path / ".env"
    path.write_text("DEBUG=false\nSECRET_KEY=\nDJANGO_SUPERUSER_USERNAME=chief\n")
    # when
    written = envfile_write(path)
    second = envfile_write(path)
    # then
    lines = path.read_text().splitlines()
    assert "DJANGO_SUPERUSER_USERNAME=chief" in lines
    assert "DEBUG=false" in lines
    assert "SECRET_KEY" in written
    assert next(line for line in lines if line.startswith("SECRET_KEY=")) != "SECRET_KEY="
    assert second == []


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
